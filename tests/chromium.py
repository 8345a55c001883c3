"""The browser every browser test and the room benchmark drive: Debian's Chromium through
Playwright, launched with the flags a root container needs, from one place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    """A module fixture's body: one Chromium for the module's tests, closed after them."""
    from playwright.sync_api import sync_playwright

    require()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Any]:
    """`launched` as the module fixture `browser`, for a module to import: `from chromium import browser_fixture`."""
    yield from launched()
