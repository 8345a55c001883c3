"""After a report batch: PDFs of the reports through one shared Chromium, and an index page.

`print_reports` prints every HTML report of a batch (all workshops) with ONE `PdfPrinter`;
a PDF newer than its HTML is left alone. `write_index` lists a workshop's reports in
`out/reports/index.html` (templates/index.html.j2), rendered with the kit's `playbook_report`
template. Team names and every other text are escaped; file names come from validated team
ids only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from playbook.fsio import write_atomic
from playbook.publish import handouts
from playbook.publish import nbtemplates as templates
from playbook.publish.html import render
from playbook.workshop import Folder

INDEX = "index.html"


def _team_of(folder: Folder, html: Path) -> str | None:
    stem = html.stem.removeprefix("team-")
    return next((t.name for t in folder.config.teams if t.id == stem), None) if html.stem.startswith("team-") else None


def reports_of(folder: Folder) -> list[Path]:
    """The HTML reports of a workshop: team reports in roster order, then the summary."""
    out = folder.out / "reports"
    found = [out / f"team-{t.id}.html" for t in folder.config.teams] + [out / "workshop-summary.html"]
    return [p for p in found if p.is_file()]


def print_reports(folders: Iterable[str | Path | Folder], paper: str = "a4", *, force: bool = False,
                  printer: Any = None) -> list[Path]:
    """A PDF next to every HTML report of `folders`, from one browser; returns the PDFs written."""
    jobs: list[tuple[Path, dict[str, str]]] = []
    for f in folders:
        folder = f if isinstance(f, Folder) else Folder(f)
        c = folder.config
        for html in reports_of(folder):
            pdf = html.with_suffix(".pdf")
            if not force and pdf.is_file() and pdf.stat().st_mtime >= html.stat().st_mtime:
                continue
            info = {"client": c.client, "title": c.title, "date": c.date.isoformat()}
            team = _team_of(folder, html)
            info["team"] = team if team is not None else "all teams"
            jobs.append((html, info))
    if not jobs:
        return []
    if printer is not None:
        return [printer.print(h, h.with_suffix(".pdf"), info, paper) for h, info in jobs]
    from playbook.publish.pdf import PdfPrinter

    with PdfPrinter(paper) as own:
        return [own.print(h, h.with_suffix(".pdf"), info) for h, info in jobs]


def _row(folder: Folder, page: Path) -> tuple[str, list[tuple[str, str]]]:
    """(what the report is, [(file name, "HTML" or "PDF")])."""
    team = _team_of(folder, page)
    label = team if team is not None else "Workshop summary (all teams)"
    return label, [(p.name, p.suffix[1:].upper()) for p in (page, page.with_suffix(".pdf")) if p.is_file()]


def write_index(workshop: str | Path | Folder, paper: str = "a4") -> Path:
    """`out/reports/index.html`: one line per report with links to its HTML and PDF."""
    folder = workshop if isinstance(workshop, Folder) else Folder(workshop)
    c = folder.config
    body = render("index.html.j2", c=c, rows=[_row(folder, h) for h in reports_of(folder)])
    nb = handouts.notebook([body], f"Reports · {c.client}", handouts.branding(folder, paper))
    path = folder.out / "reports" / INDEX
    write_atomic(path, handouts.render(templates.REPORT, nb))
    return path
