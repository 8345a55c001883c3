"""The presenter view for the projector: the agenda's current step, its timer, and (when the
facilitator chooses) every team's progress with no team named.

What the room sees is workshop-level state kept in the answers store (`STATE`), so that the
dashboard that moves it on and the presenter page that shows it may run in different kernels
or on different machines. The step's texts are participant texts only (title, mode, minutes,
instructions): never facilitator notes, a field's reveal or anything a step conceals. The page
is HTML from `templates/presenter.html.j2` (autoescaped); the widgets only display it.
"""

from __future__ import annotations

import math
import string
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from playbook.answers.store import Store
from playbook.i18n import _
from playbook.model.exercises import Exercise, Step
from playbook.publish import html
from playbook.scoring import score
from playbook.workshop import Folder

STATE = "presenter"  # the store's workshop-level record


@dataclass(frozen=True)
class Timer:
    """A step's countdown as every page computes it: wall-clock seconds, so two machines agree."""

    total_s: float
    elapsed_s: float = 0.0
    started_at: float | None = None  # time.time() when started; None while paused

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def remaining(self, now: float | None = None) -> float:
        run = (now if now is not None else time.time()) - self.started_at if self.started_at is not None else 0.0
        return max(0.0, self.total_s - self.elapsed_s - max(run, 0.0))


@dataclass(frozen=True)
class State:
    """What the projector shows: a step of the agenda (exercise and step ids), its timer, and
    whether teams' progress is shown."""

    exercise: str | None = None
    step: str | None = None
    show_progress: bool = False
    timer: Timer = field(default_factory=lambda: Timer(0.0))

    def to_json(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "step": self.step, "show_progress": self.show_progress,
                "timer": {"total_s": self.timer.total_s, "elapsed_s": self.timer.elapsed_s,
                          "started_at": self.timer.started_at}}

    @classmethod
    def from_json(cls, data: Any) -> State:
        """Tolerant: whatever is missing or malformed falls back to the default (the first step)."""
        if not isinstance(data, Mapping):
            return cls()
        raw = data.get("timer")
        t: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        started = t.get("started_at")
        return cls(
            exercise=data["exercise"] if isinstance(data.get("exercise"), str) else None,
            step=data["step"] if isinstance(data.get("step"), str) else None,
            show_progress=data.get("show_progress") is True,
            timer=Timer(_number(t.get("total_s")), _number(t.get("elapsed_s")),
                        float(started) if isinstance(started, int | float) and math.isfinite(started) else None),
        )


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) and value >= 0 else 0.0


def agenda(exercises: Sequence[Exercise]) -> list[tuple[Exercise, Step]]:
    """Every step of the workshop in order: the workshop's exercises, each one's steps."""
    return [(ex, step) for ex in exercises for step in ex.steps]


def position(exercises: Sequence[Exercise], state: State) -> int:
    """The index in `agenda` of the state's step (0 when it names none or one that is gone)."""
    for i, (ex, step) in enumerate(agenda(exercises)):
        if ex.id == state.exercise and step.id == state.step:
            return i
    return 0


def at(exercises: Sequence[Exercise], index: int, state: State | None = None) -> State:
    """`state` moved to agenda step `index` (clamped), its timer reset to that step's minutes."""
    steps = agenda(exercises)
    if not steps:
        return state or State()
    ex, step = steps[max(0, min(index, len(steps) - 1))]
    base = state or State()
    return replace(base, exercise=ex.id, step=step.id, timer=Timer(step.minutes * 60.0))


def read(store: Store, exercises: Sequence[Exercise]) -> State:
    """The stored state, or the agenda's first step with its timer paused at full length."""
    state = State.from_json(store.state(STATE))
    steps = agenda(exercises)
    if steps and (steps[position(exercises, state)][0].id, steps[position(exercises, state)][1].id) \
            != (state.exercise, state.step):
        return at(exercises, 0, state)
    return state


def write(store: Store, state: State, author: str | None = None) -> None:
    store.save_state(STATE, state.to_json(), author=author)


# --- what the page shows ----------------------------------------------------------------------

@dataclass(frozen=True)
class StepView:
    """The step as participants may read it: nothing else of the definition goes in."""

    exercise: str  # the exercise's title
    number: int  # in its exercise, from 1
    of: int
    title: str
    minutes: int
    mode: str
    instructions: str


@dataclass(frozen=True)
class Progress:
    """Every team's share answered of the step, best first, labelled by rank ("Team A" is the
    furthest along now, not a fixed team): the room sees how it is going, not who is behind."""

    rows: list[tuple[str, float]]
    done: int
    under_way: int
    not_started: int


def step_view(exercises: Sequence[Exercise], state: State) -> StepView | None:
    steps = agenda(exercises)
    if not steps:
        return None
    ex, step = steps[position(exercises, state)]
    return StepView(ex.title, ex.steps.index(step) + 1, len(ex.steps), step.title, step.minutes,
                    _(html.STEP_MODES[step.mode]), step.instructions)


def _labels(n: int) -> list[str]:
    letters = string.ascii_uppercase
    return [_("Team %(letter)s") % {"letter": letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]}
            for i in range(n)]


def progress(folder: Folder, exercises: Sequence[Exercise], state: State,
             latest: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Progress | None:
    """Each team's share of the current step's questions answered (of the whole exercise when
    the step has none); None when the workshop has no teams or no steps."""
    steps = agenda(exercises)
    teams = [t.id for t in folder.config.teams]
    if not steps or not teams:
        return None
    ex, step = steps[position(exercises, state)]
    context = folder.scoring_context(ex.id)
    shares = []
    for team in teams:
        result = score(ex, latest.get(team, {}).get(ex.id, {}), context)
        parts = [c for c in result.completeness if c.id in step.sections] or result.completeness
        total = sum(c.total for c in parts)
        shares.append(100.0 * sum(c.answered for c in parts) / total if total else 0.0)
    shares.sort(reverse=True)
    return Progress(list(zip(_labels(len(shares)), shares, strict=True)),
                    done=sum(s >= 100 for s in shares), under_way=sum(0 < s < 100 for s in shares),
                    not_started=sum(s <= 0 for s in shares))


def step_html(view: StepView | None) -> str:
    return str(html.macro("presenter.html.j2", "step")(view))


def timer_html(timer: Timer, now: float | None = None) -> str:
    left = timer.remaining(now)
    return str(html.macro("presenter.html.j2", "timer")(html_clock(left), timer.running, left))


def progress_html(shown: Progress | None) -> str:
    return str(html.macro("presenter.html.j2", "progress")(shown))


def html_clock(seconds: float) -> str:
    """mm:ss, rounded up: a countdown shows 00:01 until the very end."""
    s = max(0, math.ceil(seconds - 1e-9))
    return f"{s // 60:02d}:{s % 60:02d}"
