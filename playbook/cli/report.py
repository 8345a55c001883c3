"""`playbook report`: every team's report and a summary per workshop, in parallel.

A thin layer over `playbook.build_reports` (`playbook.batch.runner`): it turns the options
into one call, draws the progress bar, and prints the result.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from playbook.batch.executors import DEFAULT, executors
from playbook.batch.jobs import JobResult
from playbook.batch.runner import build_reports
from playbook.cli.handouts import LANGUAGE_HELP, parse_formats  # the same html,pdf and language options as handouts
from playbook.i18n import _, ngettext


class _Bar:
    """A tqdm progress bar on stderr, sized when the batch knows how many reports it has."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int, result: JobResult | None) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=_("report"), file=sys.stderr, desc=_("reports"), leave=True)
        if result is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@click.command("report")
@click.argument("directories", nargs=-1, required=True, type=click.Path(file_okay=True, dir_okay=True))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Reports built at once, each worker with one warm kernel (default: one per core).")
@click.option("--team", "teams", multiple=True, metavar="ID",
              help="Only this team (repeatable); the workshop summaries are then left as they are.")
@click.option("--force", is_flag=True, help="Rebuild every report, even when its inputs are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--format", "formats", default="html", show_default=True, callback=parse_formats, metavar="html,pdf",
              help="html, or html,pdf for a PDF of every report too (one shared Chromium prints them all).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the reports' print layout and PDFs.")
@click.option("--executor", default=DEFAULT, show_default=True, metavar="NAME",
              help=f"Where the reports run: {', '.join(executors.names())}.")
@click.option("--language", default="", metavar="TAG", help=LANGUAGE_HELP)
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --executor dask: the Dask scheduler, tcp://HOST:8786. Every worker reads the workshop "
                   "folders at the same path as here, and writes the reports there unless --collect.")
@click.option("--collect", is_flag=True,
              help="With --executor dask: the workers send the reports back and this machine writes them "
                   "(the workers then only read the workshop folders).")
def report(directories: Sequence[str], jobs: int | None, teams: Sequence[str], force: bool, quiet: bool,
           formats: tuple[str, ...], paper: str, executor: str, language: str, scheduler: str | None,
           collect: bool) -> None:
    """Build one HTML report per team and a summary per workshop.

    Reports go to DIR/out/reports/ with an index.html linking them, executed notebooks to
    DIR/out/notebooks/, the answers each report shows to DIR/out/snapshots/, and every job's
    status, duration, outputs and error to DIR/out/manifest.json. Everything is checked
    before the first report starts. Reports whose inputs (answers, notebook, kit version,
    parameters) are unchanged are skipped. With --format html,pdf every report also gets a
    PDF (pdf alone means the same: the HTML is the PDF's source). Reports are in each
    workshop's language (workshop.yml), or --language for this run. Exits with status 1 if any
    report failed; the others are still built.

    \b
    Example:
      playbook report examples/acme
      playbook report clients/acme clients/globex --jobs 4
      playbook report examples/acme --team north --force
      playbook report examples/acme --format html,pdf --paper letter
      playbook report examples/acme --language fr
      playbook report /shared/acme --executor dask --scheduler tcp://10.0.0.5:8786
      playbook report /shared/acme --executor dask --scheduler tcp://10.0.0.5:8786 --collect
    """
    bar = None if quiet else _Bar()
    try:
        result = build_reports(list(directories), formats=formats, paper=paper, jobs=jobs, teams=teams, force=force,
                               executor=executor, scheduler=scheduler, collect=collect, progress=bar,
                               language=language)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()  # before the message, not over it
        click.echo(_("interrupted: the reports finished so far are written whole and recorded in out/manifest.json; "
                     "the same command builds the rest"), err=True)
        raise click.exceptions.Abort() from None
    finally:
        if bar is not None:
            bar.close()
    click.echo(result.text())
    if "pdf" in formats:
        n = len(result.pdfs)
        click.echo(ngettext("%(num)s PDF printed", "%(num)s PDFs printed", n) % {"num": n})
    for index in result.indexes:
        click.echo(_("  index: %(path)s") % {"path": index})
    if not result.ok:
        raise click.exceptions.Exit(1)
