"""After a report batch: PDFs of the reports through one shared Chromium, and an index page.

`print_reports` prints the pages of a batch (all workshops) with ONE `PdfPrinter`; a PDF
newer than its HTML is left alone. `write_index` lists a workshop's reports in
`out/reports/index.html` (templates/index.html.j2), rendered with the kit's `playbook_report`
template. Both take what
they show from the batch's records (`Page`, `Listed`): team names and every other text are
escaped, and nothing is read back from file names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.fsio import write_atomic
from playbook.i18n import _
from playbook.publish import handouts
from playbook.publish import nbtemplates as templates
from playbook.publish.html import render
from playbook.workshop import Folder

INDEX = "index.html"


@dataclass(frozen=True)
class Page:
    """A report to print: its HTML, the PDF to write, and the page bands (client, title, date, team)."""

    html: Path
    pdf: Path
    header: Mapping[str, str]


@dataclass(frozen=True)
class Listed:
    """A line of the index: a team's report (`team` its id, `name` as workshop.yml gives it), or
    the workshop summary (`team` None)."""

    team: str | None
    name: str | None
    html: Path


def print_reports(pages: Iterable[Page], paper: str = "a4", *, force: bool = False, printer: Any = None) -> list[Path]:
    """A PDF of every page whose HTML exists, from one browser (`printer`, an open `PdfPrinter`, or
    one started here); returns the PDFs written."""
    todo = [p for p in pages if p.html.is_file()
            and (force or not p.pdf.is_file() or p.pdf.stat().st_mtime < p.html.stat().st_mtime)]
    if not todo:
        return []
    if printer is not None:
        return [printer.print(p.html, p.pdf, p.header, paper) for p in todo]
    from playbook.publish.pdf import PdfPrinter

    with PdfPrinter(paper) as own:
        return [own.print(p.html, p.pdf, p.header) for p in todo]


def warm() -> None:
    """Import nbconvert and compile the index's template once (about a second): the runner does
    it in a thread while the reports run, so writing the index after them takes milliseconds."""
    handouts.render(templates.REPORT, handouts.notebook([""], "warm", {}))


def _row(report: Listed) -> tuple[str, list[tuple[str, str]]]:
    """(what the report is, [(file name, "HTML" or "PDF")])."""
    label = (report.name or report.team or "") if report.team else _("Workshop summary (all teams)")
    files = (report.html, report.html.with_suffix(".pdf"))
    return label, [(p.name, p.suffix[1:].upper()) for p in files if p.is_file()]


def write_index(folder: Folder, reports: Sequence[Listed], paper: str = "a4", language: str = "") -> Path:
    """`out/reports/index.html`: one line per report with links to its HTML and PDF, in the
    workshop's language or `language`."""
    c = folder.config
    with folder.speaking(language):
        body = render("index.html.j2", c=c, rows=[_row(r) for r in reports])
        nb = handouts.notebook([body], _("Reports · %(client)s") % {"client": c.client},
                               handouts.branding(folder, paper))
    path = folder.reports_dir / INDEX
    write_atomic(path, handouts.render(templates.REPORT, nb))
    return path
