"""Handouts in Chromium: hostile text runs no script and shows as typed; PDFs through one browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook import fsio
from playbook.model import exercises, i18n
from playbook.paths import copy_example
from playbook.publish import handouts
from playbook.publish.pdf import PdfPrinter

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.is_file() or not shutil.which("pdftotext"):
    pytest.fail("Chromium and poppler-utils are needed: apt-get install chromium poppler-utils "
                "(make test installs them)", pytrace=False)

from hostile import HOSTILE, LONG_WORD, NOTE_MARK, hostile_exercises, hostile_workshop  # noqa: E402
from playwright.sync_api import Browser, Page  # noqa: E402

PRINT_WIDTH = {"a4": 673, "letter": 695}  # CSS px between the printer's left and right margins


@pytest.fixture(scope="module")
def printer() -> Iterator[PdfPrinter]:
    """One browser for the whole module: it prints every PDF and hosts the script-trap tabs."""
    with PdfPrinter(executable=str(CHROMIUM)) as p:
        yield p


@pytest.fixture(scope="module")
def browser(printer: PdfPrinter) -> Browser:
    return printer.browser  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, printer: PdfPrinter) -> tuple[Path, handouts.Built]:
    folder = hostile_workshop(tmp_path_factory.mktemp("hostile"))
    start = len(printer.blocked)
    built = handouts.build(folder, formats=("html", "pdf"), exercises=hostile_exercises(), printer=printer)
    built.blocked = printer.blocked[start:]
    return folder, built


@pytest.fixture(scope="module", params=["a4", "letter"])
def acme(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, printer: PdfPrinter,
) -> tuple[str, handouts.Built]:
    folder = copy_example(tmp_path_factory.mktemp(request.param) / "acme")
    start = len(printer.blocked)
    built = handouts.build(folder, formats=("html", "pdf"), paper=request.param, printer=printer)
    built.blocked = printer.blocked[start:]
    return request.param, built


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


class Tab:
    """A JavaScript-enabled tab that records the dialogs, console output and network requests of
    the page it shows: one browser context per test, each file opened in it in turn (a context
    for every file cost a renderer process each, for the same check)."""

    def __init__(self, browser: Browser, width: int) -> None:
        self.seen: dict[str, list[str]] = {"dialogs": [], "console": [], "requests": []}
        self.context = browser.new_context(viewport={"width": width, "height": 1000})
        self.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else (self.seen["requests"].append(route.request.url), route.abort()))
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.seen["dialogs"].append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.seen["console"].append(m.text))
        # runs again in every document the tab opens: each starts untouched
        self.page.add_init_script("window.__pwned = undefined; window.alert = (m) => { window.__pwned = 'alert:' + m; };")

    def open(self, html: Path, *, csp: bool = True) -> Page:
        """`html` in the tab, every link clicked; what the tab recorded is this page's alone."""
        if not csp:  # prove the escaping alone, without the page's Content-Security-Policy
            stripped = html.with_name(f"nocsp-{html.name}")
            stripped.write_text(re.sub(r"<meta[^>]*Content-Security-Policy[^>]*>", "", html.read_text(encoding="utf-8")),
                                encoding="utf-8")
            html = stripped
        for seen in self.seen.values():
            seen.clear()
        self.page.goto(html.as_uri(), wait_until="load")
        for link in self.page.locator("a").all():  # a javascript: link must not exist; clicking any must not run code
            link.click(no_wait_after=True)
        self.page.mouse.click(5, 5)
        return self.page

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()


@pytest.mark.parametrize("csp", [True, False], ids=["as-written", "without-csp"])
def test_hostile_text_runs_no_script_and_shows_as_typed(
    browser: Browser, hostile: tuple[Path, handouts.Built], csp: bool,
) -> None:
    _, built = hostile
    with Tab(browser, width=794) as tab:
        for html in built.html:
            page = tab.open(html, csp=csp)
            assert page.evaluate("window.__pwned") is None, html.name
            assert tab.seen == {"dialogs": [], "console": [], "requests": []}, (html.name, tab.seen)
            text = squash(page.inner_text("body"))
            for typed in HOSTILE:
                assert squash(typed) in text, (html.name, typed)
            assert page.locator("h1").count() == 1


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_long_words_never_widen_the_page(browser: Browser, hostile: tuple[Path, handouts.Built], paper: str) -> None:
    _, built = hostile
    with Tab(browser, width=PRINT_WIDTH[paper]) as tab:
        tab.page.emulate_media(media="print")
        for html in built.html:
            page = tab.open(html)
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], (html.name, widths)
            assert LONG_WORD in page.inner_text("body")


def test_hostile_pdfs_keep_notes_out_and_header_text_as_typed(hostile: tuple[Path, handouts.Built]) -> None:
    _, built = hostile
    assert len(built.pdf) == 4 and built.blocked == []
    for pdf in built.pdf:
        text = pdf_text(pdf)
        assert ("facilitator-guide" in pdf.name) == (NOTE_MARK in text), pdf.name
        first = squash(pdf_text(pdf, 1))
        assert "<script>window.__pwned = 'script'</script>" in first  # the client's name, as typed, in the header
        assert "客户同理心审计" in text


def test_example_pdfs_in_both_paper_sizes(acme: tuple[str, handouts.Built]) -> None:
    paper, built = acme
    assert [p.name for p in built.pdf] == [f"{e.id}.pdf" for e in exercises.all_exercises()] + ["facilitator-guide.pdf"]
    assert built.blocked == []
    size = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}[paper]
    for pdf in built.pdf:
        info = pdf_info(pdf)
        pages = int(info["Pages"])
        width, height = map(float, re.findall(r"[\d.]+", info["Page size"])[:2])
        assert pages > 1 and abs(width - size[0]) < 2 and abs(height - size[1]) < 2, (pdf.name, info)
        first, second = squash(pdf_text(pdf, 1)), squash(pdf_text(pdf, 2))
        assert "Acme Analytics · Knowing our customers" in first and f"Page 1 of {pages}" in first
        assert "2026-11-18" in second and f"Page 2 of {pages}" in second


def test_no_facilitator_note_in_any_handout_pdf(acme: tuple[str, handouts.Built]) -> None:
    _, built = acme
    notes = [squash(s.facilitator_notes) for ex in exercises.all_exercises() for s in ex.steps if s.facilitator_notes]
    texts = {p.name: squash(pdf_text(p)) for p in built.pdf}
    guide = texts.pop("facilitator-guide.pdf")
    public = " | ".join(squash(t) for ex in exercises.all_exercises() for k, t in i18n.strings(ex).items()
                        if not k.endswith(".facilitator_notes"))
    for note in notes:
        words = note.split()
        windows = {" ".join(words[i:i + 7]) for i in range(0, max(1, len(words) - 6))}
        windows = {w for w in windows if w not in public}  # a note may quote a participant text on purpose
        assert any(w in guide for w in windows)  # the check can see a note where one is
        for name, text in texts.items():
            leaked = [w for w in windows if w in text]
            assert not leaked, (name, leaked)


def test_one_printer_prints_many_and_blocks_the_network(tmp_path: Path, printer: PdfPrinter) -> None:
    page = tmp_path / "remote.html"
    page.write_text('<html><body><p>Hi</p><img src="https://example.com/x.png" alt="x">'
                    '<link rel="stylesheet" href="http://example.com/a.css"></body></html>', encoding="utf-8")
    start = len(printer.blocked)
    for n in range(3):
        printer.print(page, tmp_path / f"{n}.pdf", {"client": "C", "date": "2026-01-01"}, "letter")
    assert {p.name for p in tmp_path.glob("*.pdf")} == {"0.pdf", "1.pdf", "2.pdf"}
    blocked = printer.blocked[start:]
    assert len(blocked) >= 3 and all(u.startswith("http://example.com") or u.startswith("https://example.com")
                                     for u in blocked), blocked
    assert not list(tmp_path.glob(f"{fsio.TMP_PREFIX}*"))


def test_the_script_trap_catches_a_script(browser: Browser, tmp_path: Path) -> None:
    """The control: the same trap does see a script that is not escaped."""
    page_file = tmp_path / "bad.html"
    page_file.write_text("<p>x</p><img src=x onerror=\"window.__pwned='img'\"><script>alert(1)</script>",
                         encoding="utf-8")
    with Tab(browser, width=800) as tab:
        page = tab.open(page_file, csp=False)
        assert page.evaluate("window.__pwned") in ("img", "alert:1")


def test_report_template_keeps_long_words_and_wide_tables_on_the_page(browser: Browser, tmp_path: Path) -> None:
    cells = "".join(f"<td>{text}</td>" for text in ("Value", LONG_WORD, "-14 points", "客户同理心审计" * 20))
    fragment = (f'<div class="pb-report"><h2>Exercise</h2><table><tr><th>A</th><th>B</th><th>C</th><th>D</th></tr>'
                f"<tr>{cells}</tr></table><p>{LONG_WORD}</p></div>")
    html = tmp_path / "report.html"
    html.write_text(handouts.render("playbook_report", handouts.notebook([fragment], "Report", {})), encoding="utf-8")
    for paper, width in PRINT_WIDTH.items():
        with Tab(browser, width=width) as tab:
            tab.page.emulate_media(media="print")
            page = tab.open(html)
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], (paper, widths)
            assert tab.seen["requests"] == []
