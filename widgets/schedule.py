"""Keyed, cancellable callbacks for debounced saves, throttled charts and clock ticks.

Served by `playbook serve` (one process for every page, `widgets.app`), callbacks run on one
long-lived event loop thread of the process (`host`): a page's timers outlive its websocket, so
a dropped and reconnected page keeps saving and syncing, and each callback runs through the
runner its page's scheduler was made with (inside that page's context, under its lock, never
beside the page's own message handling). Inside a Jupyter kernel (JupyterLab) widget messages
are handled on the kernel's running asyncio loop, so a callback goes on that loop with
`call_later`. Without either (plain Python, tests, benchmarks) callbacks wait until `flush()`
runs them, which makes tests deterministic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from dataclasses import dataclass

Runner = Callable[[Callable[[], object]], None]
"""Runs a callback where its page lives (the one-process server: the page's context and lock)."""

_host: tuple[asyncio.AbstractEventLoop, Callable[[], Runner]] | None = None


def host(loop: asyncio.AbstractEventLoop, page_runner: Callable[[], Runner]) -> None:
    """Run every scheduler's callbacks on `loop` (a thread of its own), each through the runner
    `page_runner()` gave while its scheduler was made (the one-process server calls this once)."""
    global _host
    _host = (loop, page_runner)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


@dataclass
class _Pending:
    fn: Callable[[], object]
    stop: Callable[[], object] | None = None  # cancels its timer; None: it waits for flush()


class Scheduler:
    """One pending callback per key: scheduling a key again replaces (debounces) it."""

    def __init__(self) -> None:
        self._tasks: dict[Hashable, _Pending] = {}
        self._host = (_host[0], _host[1]()) if _host is not None else None

    def later(self, key: Hashable, delay: float, fn: Callable[[], object]) -> None:
        """Run `fn` after `delay` seconds, replacing whatever was pending under `key`."""
        self.cancel(key)
        pending = _Pending(fn)
        delay = max(delay, 0.0)
        self._tasks[key] = pending  # before the timer: a callback due at once may run right away
        if self._host is not None:
            host_loop, runner = self._host
            future = asyncio.run_coroutine_threadsafe(asyncio.sleep(delay), host_loop)
            future.add_done_callback(
                lambda f: None if f.cancelled() else runner(lambda: self._fire(key, pending)))
            pending.stop = future.cancel
        elif (loop := _running_loop()) is not None:
            pending.stop = loop.call_later(delay, self._fire, key, pending).cancel

    def pending(self, key: Hashable | None = None) -> bool:
        return bool(self._tasks) if key is None else key in self._tasks

    def cancel(self, key: Hashable) -> None:
        task = self._tasks.pop(key, None)
        if task is not None and task.stop is not None:
            task.stop()

    def run(self, key: Hashable) -> None:
        """Run the callback pending under `key` now (nothing if none is pending)."""
        task = self._tasks.pop(key, None)
        if task is not None:
            if task.stop is not None:
                task.stop()
            task.fn()

    def _fire(self, key: Hashable, pending: _Pending) -> None:
        if self._tasks.get(key) is pending:  # not replaced or cancelled meanwhile
            del self._tasks[key]
            pending.fn()

    def flush(self, *, where: Callable[[Hashable], bool] | None = None) -> None:
        """Run what is pending now (`where` picks keys); callbacks scheduled meanwhile wait."""
        for key in [k for k in self._tasks if where is None or where(k)]:
            self.run(key)
