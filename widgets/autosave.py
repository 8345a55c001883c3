"""A field on the worksheet: its label, its input and autosave with a visible state.

Each change is saved to the store after a short pause in typing (at once for clicks). The
state under the input says "saving…", "saved" or what is wrong; a rejected value stays in
the input as the team typed it and nothing is written.

Every save carries the revision the box last showed (its base), so the store merges list
fields with what teammates saved since and refuses a stale scalar (`SaveConflict`). A
conflict opens a panel under the input: who changed the answer, their version, and two
buttons; the input keeps this laptop's version and nothing is saved until the user chooses.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
from markupsafe import Markup, escape

from playbook.answers.store import Revision, SaveConflict, Store
from playbook.errors import PlaybookError
from playbook.i18n import _, formats
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
        self.base = 0  # id of the revision this box shows (0: never saved); saves go against it
        self.error: str | None = None
        self.conflict: Revision | None = None  # a teammate's version waiting for the user's choice
        self.input: Input[Any] = make_input(field, self._changed)
        self.status = W.HTML("")
        self.conflict_panel: W.VBox | None = None  # built on the first conflict: no widgets before
        optional = Markup(" <i>%s</i>") % _("(optional)") if field.optional else ""
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
        self._state(_("saving…"), "#777")
        delay = 0.0 if immediate else self.session.debounce
        self.session.scheduler.later(self.key, delay, self.save)

    def _state(self, text: str, colour: str) -> None:
        self.status.value = f"<span style='color:{colour};font-size:90%'>{html.escape(text)}</span>" if text else ""

    def load(self, value: Any, revision: int | None = None) -> None:
        """Show a stored value (reopening the worksheet, a teammate's save) and, if given, the
        id of its revision, which the next save goes against; nothing is saved."""
        self.session.scheduler.cancel(self.key)
        self._keep(value)
        if revision is not None:
            self.base = revision
        self.error = None
        self._close_conflict()
        self.input.set(value)
        self._state("", "")

    def editing(self) -> bool:
        """Whether the box holds something not yet saved: a pending change, a rejected value
        or an open conflict. A teammate's save must not replace it."""
        return self.session.scheduler.pending(self.key) or self.error is not None or self.conflict is not None

    def conflicted(self, theirs: Revision) -> None:
        """A teammate saved `theirs` over what this box started from: show both, save nothing."""
        self.conflict = theirs
        panel = self._conflict_panel()
        who = theirs.author or _("Someone on another laptop")
        when = formats.time(theirs.created_at.astimezone())
        changed = escape(_("%(who)s changed this answer at %(time)s. Their version:")) % {
            "who": Markup("<b>%s</b>") % who, "time": when}  # the translation and every value escaped
        self.theirs.value = (
            f"<span style='color:#c0392b'>⚠ {changed}</span><blockquote style='margin:4px 12px;white-space:pre-wrap'>"
            f"{html.escape(shown(self.field, theirs.value))}</blockquote>"
            + html.escape(_("Yours is still in the box above and is not saved until you choose.")))
        panel.layout.display = "flex"
        self._state("⚠ " + _("changed by %(who)s: choose a version") % {"who": who}, "#c0392b")

    def choose_mine(self) -> bool:
        """Keep this laptop's version: save it over the teammate's."""
        if self.conflict is not None:
            self.base = self.conflict.id
        self._close_conflict()
        return self.save(force=True)

    def choose_theirs(self) -> None:
        """Take the teammate's version: show it; nothing is written (it is stored already)."""
        theirs = self.conflict
        if theirs is not None:
            self.load(theirs.value, theirs.id)
            self.note(_("kept %(who)s's version") % {"who": theirs.author or _("the teammate")})
            self.on_saved(self.field.id, theirs.value)

    def _conflict_panel(self) -> W.VBox:
        """Their version and the two choices, under the status line; built once, when needed."""
        if self.conflict_panel is None:
            self.theirs = W.HTML("")
            self.keep_mine = W.Button(description=_("Keep mine"), button_style="warning",
                                      tooltip=_("save the version in the box over the teammate's"))
            self.take_theirs = W.Button(description=_("Take theirs"), tooltip=_("show and keep the teammate's version"))
            self.keep_mine.on_click(lambda _b: self.choose_mine())
            self.take_theirs.on_click(lambda _b: self.choose_theirs())
            self.conflict_panel = W.VBox(
                [self.theirs, W.HBox([self.keep_mine, self.take_theirs])],
                layout=W.Layout(border="2px solid #c0392b", padding="4px", margin="4px 0"))
            children = list(self.widget.children)
            children.insert(children.index(self.status) + 1, self.conflict_panel)
            self.widget.children = children
        return self.conflict_panel

    def _close_conflict(self) -> None:
        self.conflict = None
        if self.conflict_panel is not None:
            self.theirs.value = ""
            self.conflict_panel.layout.display = "none"

    def note(self, text: str) -> None:
        self._state(text, "#1f5f8b")

    def flush(self) -> None:
        self.session.scheduler.run(self.key)

    def save(self, *, force: bool = False) -> bool:
        """Check and save what the input holds; False (and the error or conflict shown) if it
        was not saved. `force` writes even a value equal to the last one saved here."""
        try:
            raw = self.input.get()
            value = None if raw is None else self.field.check(raw)
        except ValueError as exc:
            return self._reject(str(exc))
        if value == self.saved and self.conflict is None and not force:
            self.error = None
            self._state(_("saved") if value is not None else "", "#2e7d32")
            return True
        s = self.session
        try:
            rev = s.store.save(s.team, self.exercise, self.field.id, value, author=s.author(), base=self.base)
        except SaveConflict as exc:
            self.error = None
            self.conflicted(exc.theirs)
            return False
        except PlaybookError as exc:
            return self._reject(_("not saved: %(reason)s") % {"reason": exc.what})
        self.base = rev.id
        self._keep(rev.value)
        self.error = None
        self._close_conflict()
        if rev.value != value:  # merged with a teammate's additions: show the whole list
            self.input.set(rev.value)
            self._state(_("saved, with a teammate's changes"), "#2e7d32")
        else:
            self._state(_("saved") if value is not None else _("cleared"), "#2e7d32")
        self.on_saved(self.field.id, rev.value)
        return True

    def _reject(self, message: str) -> bool:
        self.error = message
        self._state(f"⚠ {message}", "#c0392b")
        return False


def shown(field: FieldDef, value: Any) -> str:
    """A stored value as plain text for the conflict panel (escaped by the caller)."""
    labels: dict[str, str] = {o.id: o.label for o in getattr(field, "options", [])}
    if value is None:
        return _("(cleared)")
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return _(", ").join(labels.get(str(v), str(v)) for v in value)
    if isinstance(value, list) and all(isinstance(v, dict) and "text" in v for v in value):
        return "\n".join(f"• {v['text']}" for v in value)
    return json.dumps(value, ensure_ascii=False)
