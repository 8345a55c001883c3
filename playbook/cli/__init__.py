"""The `playbook` command: a thin layer over the public Python API, one module per command.

Only this package prints or exits. A `PlaybookError` becomes one or two lines on stderr
and exit status 2; anything else is a bug and keeps its traceback. A `PlaybookWarning`
becomes a `warning:` line (and its fix) on stderr, and the command goes on.

The command's own messages are in the language of the user's system (LANGUAGE, LC_ALL,
LC_MESSAGES, LANG) when the kit has it; what it writes about a workshop (handouts, reports,
the scores table) is in the workshop's language, or `--language`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, TextIO

import click

from playbook import i18n
from playbook.errors import PlaybookError, PlaybookWarning
from playbook.i18n import _, languages
from playbook.publish.tables import results_table  # what `playbook score` prints (tests read it here)
from playbook.version import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="playbook")
def cli() -> None:
    """Run customer workshops end to end: exercises, answers, scores and reports.

    \b
    Example:
      playbook exercises
      playbook score examples/acme
    """


def _register() -> None:
    """Every command, each in its own module, each importing its heavy parts lazily."""
    from playbook.cli.exercises import exercises_cmd
    from playbook.cli.export import export_cmd
    from playbook.cli.handouts import handouts
    from playbook.cli.import_ import import_cmd
    from playbook.cli.init import init_cmd
    from playbook.cli.report import report
    from playbook.cli.score import score_cmd
    from playbook.cli.serve import serve
    from playbook.cli.teams import teams_group
    from playbook.cli.translations import translations_group

    for command in (exercises_cmd, score_cmd, init_cmd, teams_group, export_cmd, import_cmd, handouts, report, serve,
                    translations_group):
        cli.add_command(command)


_register()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    import playbook.startup  # noqa: F401  # this process is ours: no IRI grammar, a calmer collector

    with i18n.use(languages.from_environment()), warnings.catch_warnings():  # the usual printer back on the way out
        plain = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: TextIO | None = None, line: str | None = None) -> Any:
            if issubclass(category, PlaybookWarning):
                click.echo(f"warning: {message}", err=True)
            else:
                plain(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    try:
        # without standalone mode click returns a command's `Exit(code)` instead of exiting
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="playbook",
                        standalone_mode=False)
    except PlaybookError as exc:
        click.echo(f"error: {exc.message}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo(_("aborted"), err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return code if isinstance(code, int) else 0


__all__ = ["cli", "main", "results_table"]
