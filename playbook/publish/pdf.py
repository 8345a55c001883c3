"""HTML files -> PDF through ONE headless Chromium (Debian's package, driven by Playwright).

`PdfPrinter` starts the browser once and prints every page of a batch with it (about 0.3 s a
PDF, against about 5 s for a browser per file). Every request that is not a local file is
blocked and recorded in `blocked`: a page can never reach the network. PDFs are written
atomically (a temporary name, then a rename). A page with CJK text on a machine without a CJK
font warns once before it prints (`playbook.publish.fonts`): it would print empty boxes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.fsio import write_atomic
from playbook.publish import fonts, html

PAPERS = {"a4": "A4", "letter": "Letter"}
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
MARGIN = {"top": "20mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}


def find_chromium() -> str:
    """The Chromium executable: $PLAYBOOK_CHROMIUM, else Debian's chromium on the PATH."""
    for candidate in (os.environ.get("PLAYBOOK_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    raise PlaybookError(
        "Chromium is not installed", fix="apt-get install chromium (Debian) — make test installs it",
    )


def bands(info: Mapping[str, str]) -> tuple[str, str]:
    """Header and footer templates for Chromium (templates/pdf.html.j2): client and title,
    team, date, page X of Y, in the page's language (`info["language"]`; default: the one in
    use). Every value is user text, escaped there."""
    with i18n.use(info.get("language") or i18n.current()):
        return str(html.macro("pdf.html.j2", "header")(info)), str(html.macro("pdf.html.j2", "footer")(info))


class PdfPrinter:
    """One browser for many PDFs: `with PdfPrinter() as p: p.print(html, pdf, info)`."""

    def __init__(self, paper: str = "a4", executable: str | None = None) -> None:
        if paper not in PAPERS:
            raise PlaybookError(f"unknown paper size {paper!r}", fix=f"use one of: {', '.join(PAPERS)}")
        self.paper = paper
        self.executable = executable
        self.blocked: list[str] = []
        self._pw: Any = None
        self._browser: Any = None
        self._page: Any = None

    def __enter__(self) -> PdfPrinter:
        executable = self.executable or find_chromium()
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise PlaybookError("Playwright is not installed", fix="pip install playwright") from None
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=executable, args=ARGS)
            context = self._browser.new_context(java_script_enabled=False, offline=True)
            context.route("**/*", self._route)
            self._page = context.new_page()
        except Exception as exc:
            self.close()
            raise PlaybookError(
                f"Chromium ({executable}) did not start: {str(exc).splitlines()[0]}",
                fix="apt-get install chromium (Debian), or set PLAYBOOK_CHROMIUM to a working browser",
            ) from None
        return self

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    @property
    def browser(self) -> Any:
        """The running browser (Playwright `Browser`), for callers that need a context of their own."""
        return self._browser

    def print(self, html: Path, pdf: Path, info: Mapping[str, str] | None = None, paper: str | None = None) -> Path:
        """Print `html` to `pdf` (atomically) with a header and footer made from `info`."""
        paper = paper or self.paper
        if paper not in PAPERS:
            raise PlaybookError(f"unknown paper size {paper!r}", fix=f"use one of: {', '.join(PAPERS)}")
        if self._page is None:
            raise RuntimeError("use PdfPrinter as a context manager")
        page = Path(html).read_text(encoding="utf-8", errors="replace")
        fonts.check([page, *(info or {}).values()], f"the PDF {pdf}")
        self._page.goto(Path(html).resolve().as_uri(), wait_until="load")
        header, footer = bands(info or {})
        data = self._page.pdf(
            format=PAPERS[paper], print_background=True, display_header_footer=True,
            header_template=header, footer_template=footer, margin=MARGIN,
        )
        write_atomic(pdf, data)
        return pdf

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._pw is not None:
            self._pw.stop()
            self._pw = None
        self._page = None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
