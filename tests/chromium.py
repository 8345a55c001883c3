"""The browser every browser test and the room benchmark drive: Debian's Chromium through
Playwright, launched with the flags a root container needs, from one place.

Fixtures (tests/conftest.py makes them everyone's):
- `browser`: one Chromium for a module's tests. Not one for the whole test process: Playwright's
  sync API keeps an asyncio loop running in its thread while it is open, and every later test of
  the process that runs a coroutine (nbclient, Solara's tests of the server) would fail.
- `tab`: a tab of one window kept for the module (`Tabs`), for a test about what a page shows
  and does. A test about what a browser holds or brings (links, keys, tokens, two laptops,
  a full room) opens a context of its own with `browser.new_context()`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
# Chromium 156 starts, for every new window (a Playwright context), a renderer of its own for the
# address bar's suggestion popup (a WebUI page): 0.55 CPU-s a context, measured here, for a popup
# a headless browser never shows; a room of 36 laptops simulated on two cores paid 20 CPU-s for it.
# Chromium keeps only the last --disable-features, so this one repeats Playwright's own list.
PLAYWRIGHT_DISABLED = ("AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
                       "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,"
                       "AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,OptimizationHints,"
                       "NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch")
NO_OMNIBOX_POPUP = "WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup"
# Chromium keeps a spare renderer started for the next page of a context; a test's context
# mostly ends after one page, so each spare was started for nothing: eight contexts of one page
# each started 16 renderers, 8 without it (measured here).
NO_SPARE_RENDERER = "SpareRendererForSitePerProcess"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
        f"--disable-features={PLAYWRIGHT_DISABLED},{NO_OMNIBOX_POPUP},{NO_SPARE_RENDERER}"]


def require() -> None:
    """Chromium missing fails the test with the fix (make test installs it)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run 'apt-get install chromium' (make test installs "
                    "it), set PLAYBOOK_CHROMIUM to its path, or PLAYBOOK_SKIP_BROWSER=1 to skip the browser tests",
                    pytrace=False)


def launched() -> Iterator[Any]:
    """A fixture's body: one Chromium for the fixture's scope, closed after it."""
    from playwright.sync_api import sync_playwright

    require()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Any]:
    """One Chromium for the module's tests."""
    yield from launched()


VIEWPORT = {"width": 1280, "height": 900}
PARKED = "/playbook-test-parked"  # a path no server answers but with its plain 404: no page, no websocket


class Tabs:
    """The tabs of one browser window (a Playwright context) kept for a module: a test borrows
    a tab, opens its link in it and gives it back.

    A link opened in a tab that already showed a page of 127.0.0.1 reuses the tab's renderer
    and what it compiled of Solara's 3.5 MB bundle: 0.5-0.7 CPU-s of Chromium a page instead of
    1.6 in a new window (measured here, on two servers in turn). A tab given back leaves its page
    for a plain answer of the same server (`PARKED`), as a person moving on would: the page's
    websocket closes and the server lets the page go, and the renderer stays for the next link.
    """

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport=VIEWPORT)
        self.idle: list[Any] = []

    @contextmanager
    def borrowed(self) -> Iterator[Any]:
        page = self.idle.pop() if self.idle else self.context.new_page()
        try:
            yield page
        finally:
            if self._parked(page):
                self.idle.append(page)

    @staticmethod
    def _parked(page: Any) -> bool:
        """Leave the page's link for `PARKED` on its server, at the window's size; False when the
        tab is of no further use (closed, or its server gone)."""
        from playwright.sync_api import Error

        if page.is_closed():
            return False
        try:
            page.unroute_all()
            url = urlsplit(page.url)
            if url.scheme == "http":
                page.goto(f"{url.scheme}://{url.netloc}{PARKED}")
            if page.viewport_size != VIEWPORT:
                page.set_viewport_size(VIEWPORT)
        except Error:
            page.close()
            return False
        return True


@pytest.fixture(scope="module")
def tabs(browser: Any) -> Iterator[Tabs]:
    """The tabs of the module's one window (`Tabs`)."""
    kept = Tabs(browser)
    yield kept
    kept.context.close()


@pytest.fixture
def tab(tabs: Tabs) -> Iterator[Any]:
    """A tab of the module's one window, for this test (`Tabs`)."""
    with tabs.borrowed() as page:
        yield page
