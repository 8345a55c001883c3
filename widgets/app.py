"""Every served page as a Solara page of one process (`playbook serve`, `widgets.server`).

The path picks the page (`/worksheet`, `/dashboard`, `/presenter`) and the link's query string
decides what it shows, with the same code as in JupyterLab (`widgets.pages.served_page`): a page
is built once per browser tab (a Solara virtual kernel: a few MB instead of a kernel process).
A page that fails to build shows a sentence to that tab only; the traceback goes to the log.

The pages' timers (`widgets.schedule`: debounced saves, chart redraws, teammate sync, the step
timer) run on one event loop thread of the process, each inside its page's context and under
its lock, so they survive a dropped websocket and never run beside the page's own messages.
A browser that reconnects reloads its widgets from a snapshot and applies it a moment later,
over whatever a timer pushed meanwhile (a teammate's save, the projector's step): a page that
reconnected gets every widget's state sent again once that moment has passed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

import solara
from solara.server import kernel_context

from widgets import pages, probe, schedule

log = logging.getLogger("playbook.serve")
# A reconnected browser probes the page (`probe.PROBE_MS` at most), asks for the snapshot and
# drops it when it comes later than 4 s (ipywidgets' CONTROL_COMM_TIMEOUT): any snapshot it
# applies is older than this many seconds after its reconnect.
RESYNC_S = probe.PROBE_MS / 1000 + 5.0


def _timer_loop() -> asyncio.AbstractEventLoop:
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="playbook-timers", daemon=True).start()
    return loop


class _Connection:
    """The websockets a page had when its timers last ran. When a timer finds a new one (the
    browser reconnected), every widget of the page is sent again `RESYNC_S` later: what a timer
    pushed while the browser was applying the snapshot it asked for on reconnecting was
    overwritten there by that older snapshot, and would otherwise stay stale on the page."""

    def __init__(self, context: kernel_context.VirtualKernelContext) -> None:  # in the page's context
        self.context = context
        self.sockets = frozenset(context.kernel.session.websockets)
        self.scheduler = schedule.Scheduler()  # runs through the page's runner

    def check(self) -> None:
        sockets = frozenset(self.context.kernel.session.websockets)
        if sockets - self.sockets:
            self.scheduler.later("resend", RESYNC_S, self.resend)
        self.sockets = sockets

    def resend(self) -> None:
        for widget in list(self.context.widgets.values()):
            if widget.comm is not None:  # not closed
                widget.send_state()


_connections: dict[str, _Connection] = {}  # by page (context) id, while the page is open


def _page_runner() -> schedule.Runner:
    """Runs a timer's callback inside the page (context) that is being built, under its lock;
    nothing once the page is closed (culled, or its tab closed). Each run then looks whether
    the page's browser reconnected (`_Connection`)."""
    context = kernel_context.get_current_context()

    def run(fn: Callable[[], object]) -> None:
        if context.closed_event.is_set():
            return
        try:
            with context, context.lock:
                if not context.closed_event.is_set():
                    fn()
                    if (connection := _connections.get(context.id)) is not None:
                        connection.check()
        except Exception:  # one page's timer never stops the others'
            log.exception("a timer of page %s failed", context.id)

    return run


def _logged() -> Callable[[], None]:
    """Logs a browser tab's page opening and closing (cull, tab closed, shutdown): the server's
    log tells what it holds."""
    context = kernel_context.get_current_context()
    log.info("page %s opened", context.id)
    return lambda: log.info("page %s closed (%s)", context.id, context.close_reason)


def install() -> None:
    """Put every page's timers on the process's timer thread and log pages opening and closing.

    Called once by `widgets.server` before it serves, not on import: importing this module
    (a test, a tool listing the widgets) must not change how timers run in that process."""
    schedule.host(_timer_loop(), _page_runner)
    solara.lab.on_kernel_start(_logged)


def _release(page: object) -> None:
    """A closed tab's page (culled, or its tab closed) stops its clock, saves what is still
    pending (a note typed just before the tab closed) and closes its store's connections."""
    try:
        for step in ("stop", "flush"):
            method = getattr(page, step, None)
            if callable(method):
                method()
        store = getattr(page, "store", None)
        if store is not None:
            store.close()
    except Exception:  # closing one page never stops the others' closing
        log.exception("closing a page failed")


def _build(path: str, query: str) -> object:
    context = kernel_context.get_current_context()
    page = pages.served_page(path, query)
    _connections[context.id] = _Connection(context)

    def closed() -> None:
        _connections.pop(context.id, None)
        _release(page)

    context.on_close(closed)
    return page


@solara.component
def Page() -> None:
    router = solara.use_router()
    path, query = router.path, router.search or ""
    widget = solara.use_memo(lambda: _build(path, query), [path, query])
    solara.display(widget)


@solara.component
def Layout(children: list[solara.Element] = []) -> None:  # noqa: B006 - Solara's signature
    """The page alone (in `.pb-page`): no app bar, no navigation between the pages (each needs
    its own link)."""
    solara.Column(children=children, classes=["pb-page"], style={"padding": "0 12px"})


# One route per page: Solara answers 404 anywhere else.
routes = [solara.Route(path=name, component=Page, layout=Layout) for name in pages.SERVED]
