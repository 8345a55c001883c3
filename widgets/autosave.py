"""A field on the worksheet: its label, its input and autosave with a visible state.

Each change is saved to the store after a short pause in typing (at once for clicks). The
state under the input says "saving…", "saved" or what is wrong; a rejected value stays in
the input as the team typed it and nothing is written.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from playbook.answers.store import Store
from playbook.errors import PlaybookError
from playbook.model.fields import FieldDef
from playbook.scoring import Context
from widgets.input_base import Input
from widgets.inputs import make_input
from widgets.reveal import Reveal
from widgets.schedule import Scheduler

DEBOUNCE_S = 0.6
Saved = Callable[[str, Any], None]


@dataclass
class Session:
    """What every field of one team's worksheet shares."""

    store: Store
    team: str
    scheduler: Scheduler
    author: Callable[[], str | None]
    debounce: float = DEBOUNCE_S
    # exercise -> the workshop's date and settings, so live scores match the report's
    context: Callable[[str], Context] = lambda _exercise: Context()


class FieldBox:
    """One field: label, help, input and save state; `save()` writes what the input holds.

    A field with a `reveal` adds a `Reveal` below, unlocked by a saved answer."""

    def __init__(self, session: Session, exercise: str, field: FieldDef, on_saved: Saved) -> None:
        self.session = session
        self.exercise = exercise
        self.field = field
        self.on_saved = on_saved
        self.key = ("save", exercise, field.id)
        self.saved: Any = None
        self.error: str | None = None
        self.input: Input[Any] = make_input(field, self._changed)
        self.status = W.HTML("")
        optional = " <i>(optional)</i>" if field.optional else ""
        help_ = f"<br><span style='color:#555'>{html.escape(field.help)}</span>" if field.help else ""
        self.label = W.HTML(f"<b>{html.escape(field.label)}</b>{optional}{help_}")
        self.reveal = Reveal(field) if field.reveal else None
        parts = [self.label, self.input.widget, self.status, *([self.reveal.widget] if self.reveal else [])]
        self.widget = W.VBox(parts, layout=W.Layout(margin="0 0 10px 0", width="100%"))

    def _keep(self, value: Any) -> None:
        self.saved = value
        if self.reveal is not None:
            self.reveal.set_answered(value is not None)

    def _changed(self, immediate: bool) -> None:
        self._state("saving…", "#777")
        delay = 0.0 if immediate else self.session.debounce
        self.session.scheduler.later(self.key, delay, self.save)

    def _state(self, text: str, colour: str) -> None:
        self.status.value = f"<span style='color:{colour};font-size:90%'>{html.escape(text)}</span>" if text else ""

    def load(self, value: Any) -> None:
        """Show a stored value (reopening the worksheet); nothing is saved."""
        self.session.scheduler.cancel(self.key)
        self._keep(value)
        self.error = None
        self.input.set(value)
        self._state("", "")

    def note(self, text: str) -> None:
        self._state(text, "#1f5f8b")

    def flush(self) -> None:
        self.session.scheduler.run(self.key)

    def save(self) -> bool:
        """Check and save what the input holds; False (and the error shown) if it was rejected."""
        try:
            raw = self.input.get()
            value = None if raw is None else self.field.check(raw)
        except ValueError as exc:
            return self._reject(str(exc))
        if value == self.saved:
            self.error = None
            self._state("saved" if value is not None else "", "#2e7d32")
            return True
        s = self.session
        try:
            s.store.save(s.team, self.exercise, self.field.id, value, author=s.author())
        except PlaybookError as exc:
            return self._reject(f"not saved: {exc.what}")
        self._keep(value)
        self.error = None
        self._state("saved" if value is not None else "cleared", "#2e7d32")
        self.on_saved(self.field.id, value)
        return True

    def _reject(self, message: str) -> bool:
        self.error = message
        self._state(f"⚠ {message}", "#c0392b")
        return False
