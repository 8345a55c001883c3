"""The `playbook` command: a thin layer over the public Python API.

Only this module prints or exits. A `PlaybookError` becomes one or two lines on stderr
and exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from playbook import __version__
from playbook.answers.results import TeamResult, score_folder
from playbook.cli.table import render
from playbook.errors import PlaybookError
from playbook.model import exercises
from playbook.scoring import share

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


@cli.command("exercises")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def exercises_cmd(as_json: bool) -> None:
    """List the exercises with people, times and difficulty.

    \b
    Example:
      playbook exercises
    """
    found = exercises.all_exercises()
    if as_json:
        click.echo(json.dumps([
            {"id": e.id, "title": e.title, "people": str(e.people), "prep_minutes": e.prep_minutes,
             "run_minutes": e.run_minutes, "difficulty": e.difficulty, "steps": len(e.steps)}
            for e in found
        ], indent=2, ensure_ascii=False))
        return
    rows = [
        (e.id, e.title, str(e.people), e.prep_minutes, e.run_minutes, e.difficulty, len(e.steps))
        for e in found
    ]
    click.echo(render(["id", "title", "people", "prep min", "run min", "difficulty", "steps"], rows))


@cli.command("score")
@click.argument("directory", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--team", "teams", multiple=True, metavar="ID", help="Only this team (repeatable).")
@click.option("--exercise", "exs", multiple=True, metavar="ID", help="Only this exercise (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print every result in full as JSON.")
def score_cmd(directory: str, teams: Sequence[str], exs: Sequence[str], as_json: bool) -> None:
    """Score every team of a workshop folder and print the results per exercise.

    \b
    Example:
      playbook score examples/acme
      playbook score examples/acme --team north --exercise fit_assessment --json
    """
    results = score_folder(directory, teams=teams, exercises=exs)
    if as_json:
        click.echo(json.dumps(
            [{"team": r.team, "exercise": r.exercise, **r.result.model_dump(mode="json")}
             for r in results],
            indent=2, ensure_ascii=False,
        ))
        return
    click.echo(results_table(results))


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--client", required=True, help="The client organisation.")
@click.option("--title", default="Customer workshop", show_default=True, help="The workshop's title.")
@click.option("--date", "date_", metavar="YYYY-MM-DD", default=None, help="The day of the workshop (default: today).")
@click.option("--facilitator", required=True, help="Who runs the session.")
@click.option("--exercise", "exs", multiple=True, metavar="ID",
              help="An exercise to run (repeatable; default: all three).")
def init_cmd(directory: str, client: str, title: str, date_: str | None, facilitator: str,
             exs: Sequence[str]) -> None:
    """Create a workshop folder with a commented starter workshop.yml.

    \b
    Example:
      playbook init acme-2026-q4 --client "Acme Analytics" --facilitator "Marta Kovač" --date 2026-11-18
    """
    import datetime as dt

    from playbook.workshop.starter import init_workshop

    folder = init_workshop(
        directory, client=client, title=title, date=date_ or dt.date.today().isoformat(),
        facilitator=facilitator, exercises=list(exs) or None,
    )
    click.echo(f"Created {folder.config_path}\nNext: add teams by hand or with "
               f"'playbook teams import {directory} roster.csv'.")


@cli.group("teams")
def teams_group() -> None:
    """List the teams of a workshop or import them from a spreadsheet.

    \b
    Example:
      playbook teams list examples/acme
      playbook teams import acme-2026-q4 roster.csv
    """


@teams_group.command("list")
@click.argument("directory", type=click.Path())
def teams_list_cmd(directory: str) -> None:
    """List a workshop's teams with their ids and members.

    \b
    Example:
      playbook teams list examples/acme
    """
    from playbook.workshop import Folder

    teams = Folder(directory).config.teams
    click.echo(render(["id", "name", "members"], [(t.id, t.name, ", ".join(t.members)) for t in teams], max_col=60))


@teams_group.command("import")
@click.argument("directory", type=click.Path())
@click.argument("roster", type=click.Path())
def teams_import_cmd(directory: str, roster: str) -> None:
    """Add or update teams from a CSV roster (columns: team, members; comma or semicolon).

    Team ids are derived from the names and stay stable when the roster is imported again;
    workshop.yml keeps its comments.

    \b
    Example:
      playbook teams import acme-2026-q4 roster.csv
    """
    from playbook.workshop.roster import import_roster

    changed = import_roster(directory, roster)
    if not changed:
        click.echo("The teams are already up to date.")
    for t in changed:
        click.echo(f"{t.id}: {t.name} ({len(t.members)} member{'s' if len(t.members) != 1 else ''})")


@cli.command("export")
@click.argument("directory", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "yml"]), default="json", show_default=True,
              help="JSON or YAML (the answers format) or CSV (one row per team and field).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of printing.")
def export_cmd(directory: str, fmt: str, output: str | None) -> None:
    """Export every team's latest answers from the workshop's response store.

    \b
    Example:
      playbook export acme-2026-q4 --format csv -o answers.csv
      playbook export acme-2026-q4 > answers.json
    """
    from playbook.answers import transfer
    from playbook.answers.store import Store
    from playbook.workshop import Folder

    with Store.for_folder(Folder(directory)) as store:
        if output:
            path = Path(output)
            if path.suffix.lower().lstrip(".") not in (fmt, "yaml" if fmt == "yml" else fmt):
                path = path.with_suffix(f".{fmt}")
            transfer.export_file(store, path)
            click.echo(f"Wrote {path}", err=True)
        elif fmt == "csv":
            click.echo(transfer.export_csv(store), nl=False)
        elif fmt == "yml":
            import yaml

            click.echo(yaml.safe_dump(transfer.export_json(store), sort_keys=False, allow_unicode=True), nl=False)
        else:
            click.echo(json.dumps(transfer.export_json(store), ensure_ascii=False, indent=2))


@cli.command("import")
@click.argument("directory", type=click.Path())
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--author", default=None, help="Recorded with every imported answer (default: the file name).")
def import_cmd(directory: str, files: Sequence[str], author: str | None) -> None:
    """Import answers (JSON, YAML or CSV) into the workshop's response store.

    Every row of a file is checked first; a file is saved whole, in one transaction, or
    not at all, and its errors list each bad row with its line number.

    \b
    Example:
      playbook import acme-2026-q4 paper-answers.csv
      playbook import acme-2026-q4 examples/acme/answers/*.yml
    """
    from playbook.answers import transfer
    from playbook.answers.store import Store
    from playbook.workshop import Folder

    with Store.for_folder(Folder(directory)) as store:
        for name in files:
            count = transfer.import_file(store, name, author=author or f"import:{Path(name).name}")
            click.echo(f"{name}: {count} answer{'s' if count != 1 else ''} saved")


NOT_RATED = "\u2013"  # a score over nothing answered is unknown: a dash, never 0.0


def results_table(results: Sequence[TeamResult]) -> str:
    """One table per exercise: team, overall, the share of the rubric it rests on, band,
    flags, recommendation, completeness."""
    blocks = []
    for ex in exercises.all_exercises():
        rows = []
        for r in (r for r in results if r.exercise == ex.id):
            res = r.result
            flags = f"{len(res.knockouts)} knockout, {len(res.flags) - len(res.knockouts)} other"
            overall = NOT_RATED if res.overall is None else f"{res.overall:.1f}"
            rows.append((r.name, overall, share(res.answered), res.band.label, flags,
                         res.recommendation.label, f"{res.completeness_overall:.0f}%"))
        if rows:
            head = ["team", "score", "answered", "band", "flags", "recommendation", "complete"]
            blocks.append(f"{ex.title}\n\n{render(head, rows, max_col=40)}")
    return "\n\n".join(blocks)


def _register() -> None:
    """Commands that live in their own modules, each importing its heavy parts lazily."""
    from playbook.cli.handouts import handouts
    from playbook.cli.report import report
    from playbook.cli.serve import serve

    cli.add_command(handouts)
    cli.add_command(report)
    cli.add_command(serve)


_register()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="playbook",
                 standalone_mode=False)
    except PlaybookError as exc:
        click.echo(f"error: {exc.message}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return 0

