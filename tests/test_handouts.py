"""Handouts, facilitator guide and the kit's nbconvert templates, without a browser."""

from __future__ import annotations

import re
import subprocess
import sys
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import HOSTILE, NOTE_MARK, hostile_exercises, hostile_workshop

from playbook import fsio
from playbook.cli.handouts import handouts as handouts_cmd
from playbook.errors import PlaybookError
from playbook.model import exercises
from playbook.paths import copy_example
from playbook.publish import handouts, pdf
from playbook.publish import nbtemplates as templates


class Page(HTMLParser):
    """Headings, images, scripts, event-handler attributes and URLs of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(dict(attrs))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(name)
            if name in ("src", "href", "action", "srcset", "poster", "data") and value:
                self.urls.append(value)


def text_of(value: str) -> str:
    """How a text appears in the page (nbconvert re-serialises outputs: quotes stay bare)."""
    return escape(value, quote=False)


def notes_of(exs: list[exercises.Exercise]) -> list[str]:
    return [s.facilitator_notes for ex in exs for s in ex.steps if s.facilitator_notes]


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_example(tmp_path_factory.mktemp("handouts") / "acme")
    handouts.build(folder)
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = hostile_workshop(tmp_path_factory.mktemp("hostile"))
    before = set(folder.parent.parent.rglob("*"))
    handouts.build(folder, exercises=hostile_exercises())
    (folder / "new-files.txt").write_text("\n".join(
        str(p.relative_to(folder.parent)) for p in set(folder.parent.parent.rglob("*")) - before if p.is_file()))
    return folder


def pages(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "out" / "handouts").glob("*.html"))}


def test_one_handout_per_exercise_and_one_guide(acme: Path) -> None:
    assert sorted(pages(acme)) == ["empathy_audit.html", "enablement.html", "facilitator-guide.html",
                                   "fit_assessment.html"]
    assert not list((acme / "out" / "handouts").glob(f"{fsio.TMP_PREFIX}*"))  # atomic writes leave no temporary files


def test_handouts_show_steps_worksheet_and_never_facilitator_notes(acme: Path) -> None:
    found = pages(acme)
    notes = notes_of(exercises.all_exercises())
    assert len(notes) > 10
    for ex in exercises.all_exercises():
        html = found[f"{ex.id}.html"]
        for step in ex.steps:
            assert text_of(step.instructions) in html
        for f in ex.fields.values():
            assert text_of(f.label) in html
        assert "Facilitator notes" not in html
        for note in notes:
            assert text_of(note) not in html
            assert note[:80] not in html
    guide = found["facilitator-guide.html"]
    assert all(text_of(n) in guide for n in notes)
    for ex in exercises.all_exercises():
        for s in ex.statistics:
            assert text_of(s.source) in guide and s.traced in guide


@pytest.mark.parametrize(
    ("year", "quoted", "cells"),
    [
        (None, 2018, "<td>unknown</td><td>2018</td>"),  # known only through a 2018 article
        (2006, None, "<td>2006</td><td>\u2013</td>"),  # from the study itself
        (2006, 2022, "<td>2006</td><td>2022</td>"),
    ],
)
def test_guide_statistics_show_the_study_year_and_the_quoting_year_apart(year: int | None, quoted: int | None,
                                                                         cells: str) -> None:
    from markupsafe import escape as escaped

    from playbook.model.exercises import Statistic
    from playbook.publish import html as pages

    stat = Statistic(id="s", claim=HOSTILE[0], figure="57%", source="CEB", year=year, quoted_year=quoted,
                     traced="secondary")
    ex = exercises.get("fit_assessment").model_copy(update={"statistics": [stat]})
    html = str(pages.macro("guide.html.j2", "statistics")(ex))
    assert ">Study year</th>" in html and ">Quoted in</th>" in html and ">Year</th>" not in html
    assert cells in html and HOSTILE[0] not in html and escaped(HOSTILE[0]) in html


@pytest.mark.parametrize("name", ["empathy_audit.html", "facilitator-guide.html"])
def test_pages_are_accessible_and_self_contained(acme: Path, name: str) -> None:
    html = pages(acme)[name]
    page = Page(html)
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), page.headings
    assert page.images and all(img.get("alt") for img in page.images)
    assert all(img["src"].startswith("data:image/") for img in page.images)  # type: ignore[union-attr]
    assert "script" not in page.tags and not page.handlers
    assert all(u.startswith(("#", "data:")) for u in page.urls), page.urls
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", html)
    assert "Content-Security-Policy" in html


def test_hostile_text_is_escaped_everywhere(hostile: Path) -> None:
    found = pages(hostile)
    for name, html in found.items():
        page = Page(html)
        assert "script" not in page.tags and "iframe" not in page.tags and "svg" not in page.tags, name
        assert not page.handlers, (name, page.handlers)
        assert all(not u.lower().startswith("javascript:") for u in page.urls), name
        assert all(u.startswith(("#", "data:")) for u in page.urls), (name, page.urls)
        assert page.headings.count(1) == 1, name  # no injected <h1>
        assert "{{ 7*7 }} {% raw %} ${7*7}" in html  # template syntax in user text stays text
    handout = found["empathy_audit.html"]
    for text in HOSTILE:
        assert text_of(text) in handout
    assert NOTE_MARK not in "".join(v for k, v in found.items() if k != "facilitator-guide.html")
    assert NOTE_MARK in found["facilitator-guide.html"]


def test_team_names_never_become_paths(hostile: Path) -> None:
    new = [Path(p) for p in (hostile / "new-files.txt").read_text().splitlines()]
    assert len(new) == 4 and all(p.parent == Path("acme/out/handouts") for p in new), new
    assert not (hostile.parent / "etc").exists()


@pytest.mark.parametrize(("paper", "size"), [("a4", "A4"), ("letter", "letter")])
def test_paper_size_reaches_the_page(example_copy: Path, paper: str, size: str) -> None:
    folder = example_copy
    built = handouts.build(folder, paper=paper)
    assert all(f"@page {{ size: {size}; }}" in p.read_text(encoding="utf-8") for p in built.html)


@pytest.mark.parametrize("accent", ["#ffee00", "#1f5f8b", "#ffffff", "#00ff00", "#000000"])
def test_accent_text_is_darkened_to_readable_contrast(accent: str) -> None:
    colour = handouts.readable(accent)
    assert handouts.contrast(colour) >= 4.5
    if handouts.contrast(accent) >= 4.5:
        assert colour == accent


def test_body_text_contrast() -> None:
    css = (templates.template_dirs()[0] / "playbook_report" / "playbook.css").read_text(encoding="utf-8")
    for var in ("ink", "muted"):
        colour = re.search(rf"--pb-{var}: (#[0-9a-f]{{6}})", css)
        assert colour and handouts.contrast(colour.group(1)) >= 4.5


def test_checkout_templates_come_first() -> None:
    dirs = templates.template_dirs()
    assert dirs[0] == Path(__file__).parents[1] / "templates"
    for name in templates.NAMES:
        conf = (dirs[0] / name / "conf.json").read_text(encoding="utf-8")
        assert '"base_template": "lab"' in conf
        assert (dirs[0] / name / "index.html.j2").is_file()


def test_jupyter_nbconvert_finds_the_installed_template(tmp_path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('the code itself')")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>Shown output</p>"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# A tiny report"), cell]
    nbformat.write(nb, tmp_path / "tiny.ipynb")
    jupyter = Path(sys.executable).with_name("jupyter")
    run = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "html", "--template", "playbook_report", "tiny.ipynb"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    html = (tmp_path / "tiny.html").read_text(encoding="utf-8")
    assert "pb-page pb-report" in html and "Shown output" in html and "A tiny report" in html
    assert "the code itself" not in html and "<script" not in html


def test_cli_help_has_an_example_and_rejects_bad_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(handouts_cmd, ["--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "playbook handouts" in result.output
    result = runner.invoke(handouts_cmd, [str(tmp_path), "--format", "docx"])
    assert result.exit_code == 2 and "html, pdf" in result.output


def test_cli_writes_html(example_copy: Path) -> None:
    folder = example_copy
    result = CliRunner().invoke(handouts_cmd, [str(folder), "--paper", "letter"])
    assert result.exit_code == 0, result.output
    assert result.output.count(".html") == 4


def test_not_a_workshop_is_a_playbook_error(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="not a workshop folder"):
        handouts.build(tmp_path)


def test_without_chromium_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("PLAYBOOK_CHROMIUM", raising=False)
    with pytest.raises(PlaybookError, match="Chromium is not installed") as info, pdf.PdfPrinter():
        pass
    assert "apt-get install chromium" in str(info.value)


def test_header_and_footer_escape_user_text() -> None:
    header, footer = pdf.bands({"client": "<script>x</script>", "title": "<b>T</b>", "team": "<img onerror=1>",
                                "date": "2026-11-18"})
    assert "<script>" not in header and "&lt;script&gt;" in header and "&lt;img onerror=1&gt;" in header
    assert 'class="pageNumber"' in footer and 'class="totalPages"' in footer and "2026-11-18" in footer


def test_unknown_paper_is_refused() -> None:
    with pytest.raises(PlaybookError, match="paper"):
        pdf.PdfPrinter("a5")
