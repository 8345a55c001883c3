"""Report PDFs through one browser and the reports' index page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from playbook.batch.plan import plan
from playbook.publish import printing as report_print
from playbook.workshop import Folder


@pytest.fixture
def folder(example_copy: Path) -> Path:
    """A copy of the example whose first team has a hostile name, with two stand-in reports."""
    folder = example_copy
    cfg = yaml.safe_load((folder / "workshop.yml").read_text(encoding="utf-8"))
    cfg["teams"][0]["name"] = "../../etc <script>alert(1)</script>"
    (folder / "workshop.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    reports = folder / "out" / "reports"
    reports.mkdir(parents=True)
    for name in ("team-north", "workshop-summary"):
        body = "".join(f"<h2>Part {n}</h2><p>{'Text. ' * 300}</p>" for n in range(3))
        (reports / f"{name}.html").write_text(f"<html><body><h1>{name}</h1>{body}</body></html>", encoding="utf-8")
    return folder


def listed(folder: Path) -> list[report_print.Listed]:
    """The index's lines as a batch gives them: from its job records, for the reports on disk."""
    return [report_print.Listed(j.team, j.team_name, j.html) for j in plan([folder]).jobs if j.html.is_file()]


def pages(folder: Path) -> list[report_print.Page]:
    return [report_print.Page(j.html, j.html.with_suffix(".pdf"), j.header) for j in plan([folder]).jobs]


def test_index_lists_reports_with_escaped_team_names(folder: Path) -> None:
    index = report_print.write_index(Folder(folder), listed(folder)).read_text(encoding="utf-8")
    assert '<a href="team-north.html">HTML</a>' in index and '<a href="workshop-summary.html">HTML</a>' in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index and "<script" not in index
    assert "PDF</a>" not in index


@pytest.mark.slow
def test_reports_print_once_and_keep_to_the_folder(folder: Path) -> None:
    written = report_print.print_reports(pages(folder), "letter")
    assert [p.name for p in written] == ["team-north.pdf", "workshop-summary.pdf"]
    assert all(p.parent == folder / "out" / "reports" for p in written)
    assert not (folder.parent / "etc").exists()
    text = subprocess.run(["pdftotext", str(written[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "../../etc <script>alert(1)</script>" in text and "Page 1 of" in text
    assert report_print.print_reports(pages(folder), "letter") == []  # up to date: nothing printed again
    index = report_print.write_index(Folder(folder), listed(folder)).read_text(encoding="utf-8")
    assert '<a href="team-north.pdf">PDF</a>' in index


@pytest.mark.slow
def test_handouts_command_keeps_the_html_beside_the_pdf(example_copy: Path) -> None:
    """As `playbook report` does: the HTML is the PDF's source and stays beside it."""
    from click.testing import CliRunner

    from playbook.cli.handouts import handouts

    folder = example_copy
    result = CliRunner().invoke(handouts, [str(folder), "--format", "pdf", "--paper", "letter"])
    assert result.exit_code == 0, result.output
    out = folder / "out" / "handouts"
    names = ["empathy_audit", "enablement", "facilitator-guide", "fit_assessment"]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.{x}" for n in names for x in ("html", "pdf"))
    assert sorted(result.output.split()) == sorted(str(out / f"{n}.{x}") for n in names for x in ("html", "pdf"))


def test_report_command_rejects_unknown_formats() -> None:
    from click.testing import CliRunner

    from playbook.cli.report import report

    result = CliRunner().invoke(report, ["x", "--format", "docx"])
    assert result.exit_code == 2 and "html, pdf" in result.output
    assert "--format" in CliRunner().invoke(report, ["--help"]).output


def test_reports_are_branded_from_the_job_record(folder: Path) -> None:
    import nbformat

    from playbook.batch import render

    job = plan([folder], teams=["north"]).jobs[0]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"# Parameters\nworkshop = {str(folder)!r}\nteam = 'north'",
                                          metadata={"tags": ["injected-parameters"]})]
    nb.metadata["playbook"] = job.metadata  # what the worker writes when the notebook has run
    html = render.Renderer().html(nb, job.title)
    assert '<header class="pb-brand">' in html and "Acme Analytics" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html  # the team's name, escaped
    assert 'src="data:image/svg+xml;base64,' in html and "workshop = " not in html  # logo inline, no code


@pytest.mark.slow
def test_report_command_prints_pdfs_and_writes_an_index(example_copy: Path) -> None:
    import re

    from click.testing import CliRunner

    from playbook.cli.report import report

    folder = example_copy
    (folder / "responses.db").unlink(missing_ok=True)
    result = CliRunner().invoke(report, [str(folder), "--format", "html,pdf", "--paper", "letter", "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "5 PDFs printed" in result.output and "index.html" in result.output
    out = folder / "out" / "reports"
    assert sorted(p.name for p in out.glob("*.pdf")) == ["team-delta.pdf", "team-harbour.pdf", "team-north.pdf",
                                                         "team-summit.pdf", "workshop-summary.pdf"]
    for html in out.glob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "<script" not in text and not re.search(r'(src|href)="(https?:)?//', text), html.name
        if html.name != "index.html":  # the report's stylesheet, once per report
            assert text.count(".pb-report{font-family") == 1, html.name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="team-north.pdf">PDF</a>' in index and "Customer Success" in index
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(out / "team-north.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Team: Customer Success" in first and "Page 1 of" in first
    # the first page is the overview, and the workshop's title is printed once on it (the page band)
    assert "Customer Success: at a glance" in first and "Your result" not in first
    assert first.count("Knowing our customers, choosing our clients") == 1, first
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(out / "team-north.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    assert second.count("Knowing our customers, choosing our clients") == 1 and "at a glance" not in second
