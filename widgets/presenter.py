"""The presenter view on the projector, and the dashboard's controls that move it on.

Both sides meet in the answers store (`playbook.publish.presenter`): the facilitator's
dashboard writes the current step, its timer and whether progress is shown; the presenter
page, in another kernel or on another machine, reads that record every `POLL_S` seconds.
The page's HTML comes from the engine's template (escaped there); this module only shows it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as W
from markupsafe import Markup, escape

from playbook.answers.store import Store
from playbook.i18n import _
from playbook.model.exercises import Exercise
from playbook.publish import presenter as P
from playbook.workshop import Folder
from widgets.schedule import Scheduler
from widgets.style import stylesheet
from widgets.timer import StepTimer

POLL_S = 0.5  # the projector follows the dashboard within half a second (one indexed read); the timer ticks with it


class Presenter(W.VBox):
    """The projector's page: the current step, its timer, and teams' progress when chosen."""

    def __init__(self, folder: str | Path | Folder, *, store: Store | None = None,
                 scheduler: Scheduler | None = None, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder if isinstance(folder, Folder) else Folder(folder)
        self.store = store or Store.for_folder(self.folder)
        self.scheduler = scheduler or Scheduler()
        self.clock = clock
        self.exercises = self.folder.exercises()  # in the workshop's language
        self.state: P.State | None = None
        self.seen_revision = -1
        self.step = W.HTML("")
        self.timer = W.HTML("")
        self.progress = W.HTML("")
        super().__init__([stylesheet(), self.step, self.timer, self.progress],
                         layout=W.Layout(padding="1vw 3vw"))
        self.add_class("playbook")
        self.refresh()

    def refresh(self) -> bool:
        """Read the store's record; redraw what changed. True when the step or progress did."""
        state = P.read(self.store, self.exercises)
        changed = False
        if self.state is None or (state.exercise, state.step) != (self.state.exercise, self.state.step):
            self.step.value = P.step_html(P.step_view(self.exercises, state))
            changed = True
        if state.show_progress:
            revision = self.store.revision()
            moved = self.state is None or not self.state.show_progress or (state.exercise, state.step) != (
                self.state.exercise, self.state.step)
            if moved or revision != self.seen_revision:
                self.seen_revision = revision
                shown = P.progress(self.folder, self.exercises, state, self.store.latest_all())
                self.progress.value = P.progress_html(shown)
                changed = True
        elif self.progress.value:
            self.progress.value = ""
            self.seen_revision = -1
            changed = True
        self.state = state
        self.timer.value = P.timer_html(state.timer, self.clock())
        return changed

    def start(self, every: float = POLL_S) -> Presenter:
        """Follow the dashboard on its own (needs a running loop, as in a kernel)."""
        def again() -> None:
            self.refresh()
            self.scheduler.later(("presenter", id(self)), every, again)

        self.scheduler.later(("presenter", id(self)), every, again)
        return self

    def stop(self) -> None:
        self.scheduler.cancel(("presenter", id(self)))


class PresenterControl(W.VBox):
    """On the dashboard: what the projector shows, "Previous step" / "Next step", and whether
    teams' progress is on it. Bound to the dashboard's step timer: the timer's step is the
    projector's step, and starting, pausing or resetting it runs the projector's clock too."""

    def __init__(self, store: Store, exercises: Sequence[Exercise], timer: StepTimer, *,
                 clock: Callable[[], float] = time.time, author: str | None = "facilitator") -> None:
        self.store = store
        self.exercises = list(exercises)
        self.timer = timer
        self.clock = clock
        self.author = author
        self.state = P.read(store, self.exercises)
        self.showing = W.HTML("")
        self.previous = W.Button(description=_("Previous step"), icon="arrow-left")
        self.next = W.Button(description=_("Next step"), icon="arrow-right", button_style="primary")
        self.show_progress = W.Checkbox(value=self.state.show_progress, indent=False, layout=W.Layout(width="auto"),
                                        description=_("Show team progress on the projector (no team names)"))
        self.previous.on_click(lambda _b: self.move(-1))
        self.next.on_click(lambda _b: self.move(+1))
        self.show_progress.observe(lambda _c: self._push(), "value")
        self._quiet = True  # adopting the stored state writes nothing back
        self._adopt()
        self._quiet = False
        timer.step.observe(self._step_picked, "index")
        for button in (timer.start_button, timer.pause_button, timer.reset_button):
            button.on_click(lambda _b: self._push())  # after the timer's own handler
        super().__init__([W.HTML(Markup("<b>%s</b>") % _("Presenter view")), self.showing,
                          W.HBox([self.previous, self.next]), self.show_progress])
        self._label()

    @property
    def index(self) -> int:
        return P.position(self.exercises, self.state)

    def move(self, by: int) -> None:
        """Show the step `by` places on (the projector follows); its timer starts from full."""
        steps = len(P.agenda(self.exercises))
        if steps:
            self.timer.step.index = max(0, min(self.index + by, steps - 1))  # _step_picked saves it

    def _step_picked(self, _change: object) -> None:
        index = self.timer.step.index
        if index is None or self._quiet:
            return
        self.timer.reset()  # two steps of equal length share a value: the timer's own observer misses the move
        self.state = P.at(self.exercises, index, self.state)
        self._push()

    def _push(self) -> None:
        """Save what the dashboard shows (step, timer, progress choice) for the projector."""
        if self._quiet:
            return
        left = self.timer.remaining()
        now = self.clock()
        timer = P.Timer(self.timer.total, self.timer.total - left, now if self.timer.running else None)
        self.state = P.State(self.state.exercise, self.state.step, self.show_progress.value, timer)
        P.write(self.store, self.state, author=self.author)
        self._label()

    def _adopt(self) -> None:
        """A reopened dashboard carries on where the projector is, its clock still running."""
        self.timer.step.index = self.index if self.timer.step.options else None
        t = self.state.timer
        self.timer.reset()
        if t.total_s == self.timer.total:
            self.timer.elapsed = t.total_s - t.remaining(self.clock()) if t.running else t.elapsed_s
            if t.running and t.remaining(self.clock()) > 0:
                self.timer.started = None
                self.timer.start()
            self.timer.show()

    def _label(self) -> None:
        view = P.step_view(self.exercises, self.state)
        text = _("nothing: no steps") if view is None else f"{view.exercise} · {view.number}. {view.title}"
        self.showing.value = escape(_("On the projector: %(step)s")) % {"step": Markup("<b>%s</b>") % text}
        self.previous.disabled = self.index <= 0
        self.next.disabled = self.index >= len(P.agenda(self.exercises)) - 1
