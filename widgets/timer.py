"""A countdown for the facilitator's pacing: pick a step, start, pause, reset."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

import ipywidgets as W
from markupsafe import Markup

from playbook.i18n import _
from widgets.schedule import Scheduler

TICK_S = 1.0


def mmss(seconds: float) -> str:
    s = max(0, math.ceil(seconds - 1e-9))  # a countdown shows 00:01 until the very end
    return f"{s // 60:02d}:{s % 60:02d}"


class StepTimer(W.VBox):
    """Counts a step's minutes down; `steps` are (label, minutes) pairs."""

    def __init__(self, steps: Sequence[tuple[str, int]], *, scheduler: Scheduler | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.scheduler = scheduler or Scheduler()
        self.clock = clock
        self.key = ("timer", id(self))
        self.step = W.Dropdown(options=[(label, m) for label, m in steps] or [(_("No steps"), 1)],
                               description=_("Step"), layout=W.Layout(width="32em"))
        self.display_ = W.HTML("")
        self.start_button = W.Button(description=_("Start"), button_style="success")
        self.pause_button = W.Button(description=_("Pause"))
        self.reset_button = W.Button(description=_("Reset"))
        self.start_button.on_click(lambda _b: self.start())
        self.pause_button.on_click(lambda _b: self.pause())
        self.reset_button.on_click(lambda _b: self.reset())
        self.step.observe(lambda _c: self.reset(), "value")
        self.elapsed = 0.0
        self.started: float | None = None
        super().__init__([W.HTML(Markup("<b>%s</b>") % _("Step timer")), self.step, self.display_,
                          W.HBox([self.start_button, self.pause_button, self.reset_button])])
        self.show()

    @property
    def total(self) -> float:
        return float(self.step.value) * 60

    @property
    def running(self) -> bool:
        return self.started is not None

    def remaining(self) -> float:
        run = self.clock() - self.started if self.started is not None else 0.0
        return max(0.0, self.total - self.elapsed - run)

    def start(self) -> None:
        if self.started is None and self.remaining() > 0:
            self.started = self.clock()
            self.tick()

    def pause(self) -> None:
        if self.started is not None:
            self.elapsed += self.clock() - self.started
            self.started = None
        self.scheduler.cancel(self.key)
        self.show()

    def reset(self) -> None:
        self.started = None
        self.elapsed = 0.0
        self.scheduler.cancel(self.key)
        self.show()

    def tick(self) -> None:
        self.show()
        if self.started is None:
            return
        if self.remaining() <= 0:
            self.pause()
            return
        self.scheduler.later(self.key, TICK_S, self.tick)

    def show(self) -> None:
        left = self.remaining()
        colour = "#c0392b" if left <= 60 else "#222"
        state = _("time is up") if left <= 0 else (_("running") if self.running else _("paused"))
        self.display_.value = (f"<span style='font-size:2.2em;font-family:monospace;color:{colour}'>{mmss(left)}"
                               f"</span> <span style='color:#777'>{state}</span>")
        self.start_button.disabled = self.running or left <= 0
        self.pause_button.disabled = not self.running
