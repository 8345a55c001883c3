"""Every served page as a Solara page of one process (`playbook serve`, `widgets.server`).

The path picks the page (`/worksheet`, `/dashboard`, `/presenter`) and the link's query string
decides what it shows, with the same code as in JupyterLab (`widgets.pages`): a page is built
once per browser tab (a Solara virtual kernel: a few MB instead of a kernel process). A page
that fails to build shows a sentence to that tab only; the traceback goes to the server's log.

The pages' timers (`widgets.schedule`: debounced saves, chart redraws, teammate sync, the step
timer) run on one event loop thread of the process, each inside its page's context and under
its lock, so they survive a dropped websocket and never run beside the page's own messages.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Mapping

import ipywidgets as W
import solara
from IPython.display import HTML
from solara.server import kernel_context

from playbook.i18n import N_, _
from widgets import pages, schedule

PAGES: dict[str, Callable[..., W.Widget | HTML]] = {
    "worksheet": pages.worksheet_page, "dashboard": pages.dashboard_page, "presenter": pages.presenter_page}
FAILED = N_("This page cannot open. Please tell the facilitator.")
log = logging.getLogger("playbook.serve")


def _timer_loop() -> asyncio.AbstractEventLoop:
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="playbook-timers", daemon=True).start()
    return loop


def _page_runner() -> schedule.Runner:
    """Runs a timer's callback inside the page (context) that is being built, under its lock;
    nothing once the page is closed (culled, or its tab closed)."""
    context = kernel_context.get_current_context()

    def run(fn: Callable[[], object]) -> None:
        if context.closed_event.is_set():
            return
        try:
            with context, context.lock:
                if not context.closed_event.is_set():
                    fn()
        except Exception:  # one page's timer never stops the others'
            log.exception("a timer of page %s failed", context.id)

    return run


def _logged() -> Callable[[], None]:
    """Logs a browser tab's page opening and closing (cull, tab closed, shutdown): the server's
    log tells what it holds."""
    context = kernel_context.get_current_context()
    log.info("page %s opened", context.id)
    return lambda: log.info("page %s closed (%s)", context.id, context.close_reason)


schedule.host(_timer_loop(), _page_runner)
solara.lab.on_kernel_start(_logged)


def build(path: str, query: str, environ: Mapping[str, str] = os.environ) -> W.Widget:
    """The page at `path` for the link's `query`; a sentence if it is not one or cannot open."""
    page = PAGES.get(path.strip("/"))
    if page is None:
        return W.HTML(pages.message(_(pages.NOT_VALID)).data)
    try:
        out = page("", environ={**environ, pages.ENV_QUERY: query})
    except Exception:  # a bug in one page: this tab says so, the other pages go on
        log.exception("the page %s failed to build", path)
        return W.HTML(pages.message(_(FAILED)).data)
    return W.HTML(out.data) if isinstance(out, HTML) else out


@solara.component
def Page() -> None:
    router = solara.use_router()
    path, query = router.path, router.search or ""
    widget = solara.use_memo(lambda: build(path, query), [path, query])
    solara.display(widget)


@solara.component
def Layout(children: list[solara.Element] = []) -> None:  # noqa: B006 - Solara's signature
    """The page alone: no app bar, no navigation between the pages (each needs its own link)."""
    solara.Column(children=children, style={"padding": "0 12px"})


routes = [solara.Route(path=name, component=Page, layout=Layout) for name in PAGES]  # Solara answers 404 elsewhere
