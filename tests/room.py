"""A full room opening its links at once, shared by tests/test_room.py and benchmarks/room.py.

`room_workshop` makes a copy of the example workshop with `teams` teams (the example's four
plus imported ones); `open_at_once` opens every link at the same moment, each in its own
Chromium context (a laptop of its own: nothing cached or shared), and times each page until
it is usable. Every request beyond 127.0.0.1 is refused and recorded: a served page must work
offline. Benchmarks import this module by putting tests/ on `sys.path`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from chromium import ARGS, CHROMIUM, VIEWPORT
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from playbook import paths
from playbook.workshop import roster


def room_workshop(folder: Path, teams: int = 12) -> Path:
    """A copy of the example workshop at `folder` with `teams` teams of three."""
    paths.copy_example(folder)
    extra = folder.parent / f"{folder.name}-roster.csv"
    rows = [f"Room team {n},\"Member {n}a, Member {n}b, Member {n}c\"" for n in range(5, teams + 1)]
    extra.write_text("team,members\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if rows:
        roster.import_roster(folder, extra)
    return folder


@dataclass(frozen=True)
class Opened:
    """One page: seconds from the request to usable, or what went wrong instead."""

    url: str
    usable_s: float | None
    error: str = ""
    outside: tuple[str, ...] = ()  # requests the page tried to send beyond 127.0.0.1 (refused)
    delay_s: float = 0.0  # when its link was opened, in seconds after the first (`open_at_once`'s spread)


LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


# Names other than 127.0.0.1 do not resolve in the room's browser: a request beyond this machine
# fails at once, without the cost of intercepting every request of every page.
REFUSE_OUTSIDE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def _local_only(page: Page, outside: list[str]) -> None:
    """Record every request the page makes beyond this machine (a CDN, fonts); the browser
    refuses them (`REFUSE_OUTSIDE`)."""
    page.on("request", lambda request: None if request.url.startswith(LOCAL) else outside.append(request.url))


async def usable(page: Page, timeout_ms: float) -> None:
    """The worksheet is drawn and answers: the team's tabs, an open step and the author box enabled."""
    await expect(page.locator(".lm-TabBar-tab").first).to_be_visible(timeout=timeout_ms)
    await expect(page.locator(".jupyter-widget-Collapse-open").first).to_be_visible(timeout=timeout_ms)
    await expect(page.get_by_placeholder("your name")).to_be_enabled(timeout=timeout_ms)


async def _one(browser: Browser, url: str, delay_s: float, timeout_s: float, keep: list[BrowserContext]) -> Opened:
    await asyncio.sleep(delay_s)
    start = time.perf_counter()  # this page's own request: its time to usable counts from here
    context = await browser.new_context(viewport=VIEWPORT)
    keep.append(context)  # stays open until every page is done, as a room keeps its pages open
    outside: list[str] = []
    try:
        page = await context.new_page()
        _local_only(page, outside)
        left = lambda: max(timeout_s - (time.perf_counter() - start), 0.1) * 1000  # noqa: E731
        await page.goto(url, timeout=left())
        await usable(page, left())
        return Opened(url, time.perf_counter() - start, outside=tuple(outside), delay_s=delay_s)
    except Exception as exc:  # a page that is not usable in time is a result, not a crash
        return Opened(url, None, str(exc).splitlines()[0][:200], tuple(outside), delay_s)


async def _all(urls: list[str], timeout_s: float, spread_s: float) -> list[Opened]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=[*ARGS, REFUSE_OUTSIDE])
        contexts: list[BrowserContext] = []
        step = spread_s / max(len(urls) - 1, 1)
        try:
            return list(await asyncio.gather(*(_one(browser, url, n * step, timeout_s, contexts)
                                               for n, url in enumerate(urls))))
        finally:
            for context in contexts:
                await context.close()
            await browser.close()


def open_at_once(urls: list[str], timeout_s: float = 180.0, spread_s: float = 0.0) -> list[Opened]:
    """Open every URL at the same moment in one Chromium (or one after another, evenly over
    `spread_s` seconds, as a room arrives); each page's time from its request to usable."""
    return asyncio.run(_all(urls, timeout_s, spread_s))
