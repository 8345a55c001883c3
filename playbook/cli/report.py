"""`playbook report`: build every team's report and a summary per workshop, in parallel.

Registered in `playbook.cli` with `cli.add_command(report)`. A thin layer over
`playbook.batch.runner.run_reports`; the only place that prints the batch summary.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from playbook.batch.runner import run_reports
from playbook.cli.handouts import parse_formats  # the same html,pdf option as handouts
from playbook.publish import printing as report_print


@click.command("report")
@click.argument("directories", nargs=-1, required=True, type=click.Path(file_okay=True, dir_okay=True))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes, each with one warm kernel (default: one per core).")
@click.option("--team", "teams", multiple=True, metavar="ID",
              help="Only this team (repeatable); the workshop summaries are then left as they are.")
@click.option("--force", is_flag=True, help="Rebuild every report, even when its inputs are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--format", "formats", default="html", show_default=True, callback=parse_formats, metavar="html,pdf",
              help="html, or html,pdf for a PDF of every report too (one shared Chromium prints them all).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the PDFs.")
def report(directories: Sequence[str], jobs: int | None, teams: Sequence[str], force: bool, quiet: bool,
           formats: tuple[str, ...], paper: str) -> None:
    """Build one HTML report per team and a summary per workshop.

    Reports go to DIR/out/reports/ with an index.html linking them, executed notebooks to
    DIR/out/notebooks/, and every job's status, duration, outputs and error to
    DIR/out/manifest.json. Reports whose inputs (answers, notebook, kit version, parameters)
    are unchanged are skipped. With --format html,pdf every report also gets a PDF (pdf alone
    means the same: the HTML is the PDF's source). Exits with status 1 if any report failed;
    the others are still built.

    \b
    Example:
      playbook report examples/acme
      playbook report clients/acme clients/globex --jobs 4
      playbook report examples/acme --team north --force
      playbook report examples/acme --format html,pdf --paper letter
    """
    summary = run_reports(list(directories), jobs=jobs, teams=teams, force=force, progress=not quiet)
    click.echo(summary.text())
    folders = [m.parent.parent for m in summary.manifests]  # <folder>/out/manifest.json
    if "pdf" in formats and folders:
        pdfs = report_print.print_reports(folders, paper, force=force)
        click.echo(f"{len(pdfs)} PDF{'' if len(pdfs) == 1 else 's'} printed")
    for folder in folders:
        click.echo(f"  index: {report_print.write_index(folder, paper)}")
    if not summary.ok:
        raise click.exceptions.Exit(1)
