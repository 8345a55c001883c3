"""Keyed, cancellable callbacks for debounced saves, throttled charts and clock ticks.

Inside a Jupyter kernel (or Voilà) widget messages are handled on the kernel's running asyncio
loop, so a callback goes on that loop with `call_later`. Without a running loop (plain Python,
tests, benchmarks) callbacks wait until `flush()` runs them, which makes tests deterministic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Scheduler:
    """One pending callback per key: scheduling a key again replaces (debounces) it."""

    def __init__(self) -> None:
        self._tasks: dict[Hashable, tuple[Callable[[], object], asyncio.TimerHandle | None]] = {}

    def later(self, key: Hashable, delay: float, fn: Callable[[], object]) -> None:
        """Run `fn` after `delay` seconds, replacing whatever was pending under `key`."""
        self.cancel(key)
        loop = _running_loop()
        handle = loop.call_later(max(delay, 0.0), self._fire, key) if loop is not None else None
        self._tasks[key] = (fn, handle)

    def pending(self, key: Hashable | None = None) -> bool:
        return bool(self._tasks) if key is None else key in self._tasks

    def cancel(self, key: Hashable) -> None:
        task = self._tasks.pop(key, None)
        if task is not None and task[1] is not None:
            task[1].cancel()

    def run(self, key: Hashable) -> None:
        """Run the callback pending under `key` now (nothing if none is pending)."""
        task = self._tasks.pop(key, None)
        if task is not None:
            if task[1] is not None:
                task[1].cancel()
            task[0]()

    def _fire(self, key: Hashable) -> None:
        task = self._tasks.pop(key, None)
        if task is not None:
            task[0]()

    def flush(self, *, where: Callable[[Hashable], bool] | None = None) -> None:
        """Run what is pending now (`where` picks keys); callbacks scheduled meanwhile wait."""
        for key in [k for k in self._tasks if where is None or where(k)]:
            self.run(key)
