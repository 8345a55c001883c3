"""One exercise's worksheet: its steps in order, each with timing, instructions and fields.

Built from the definition alone. A team's worksheet never shows facilitator notes; a
facilitator's copy (`facilitator=True`) shows them in a marked box.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import ipywidgets as W
from markupsafe import Markup

from playbook.i18n import N_, _, ngettext
from playbook.model.exercises import Exercise, Step
from widgets.autosave import FieldBox, Session
from widgets.live import LivePanel
from widgets.seal import Seal, sealed_fields

K = TypeVar("K")
V = TypeVar("V")

MODES = {"silent": N_("on your own, in silence"), "pairs": N_("in pairs"), "group": N_("as a team"),
         "plenary": N_("everyone together")}


def step_title(n: int, step: Step) -> str:
    return _("%(number)s. %(title)s · %(minutes)s min · %(mode)s") % {
        "number": n, "title": step.title, "minutes": step.minutes, "mode": _(MODES[step.mode])}


class Built(Mapping[K, V]):
    """Every field (or seal) of the form by id; looking one up builds the step that holds it, so
    `values()` and `items()` build every step: code that only touches the page uses `built`."""

    def __init__(self, ids: list[K], step_of: dict[K, int], items: dict[K, V], build: Callable[[int], None]) -> None:
        self._ids = ids
        self._keys = set(ids)
        self._step_of = step_of
        self._items = items
        self._build = build

    def __getitem__(self, key: K) -> V:
        if key not in self._items and key in self._keys:
            self._build(self._step_of[key])
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:  # without building anything
        return key in self._keys

    @property
    def built(self) -> dict[K, V]:
        """What is built so far, without building more."""
        return self._items


class ExerciseForm:
    """The fields of one exercise for one team, grouped by step, with live feedback.

    Opens light: only the open step's widgets are built (every widget costs the page a few
    messages and the browser drawing time when a whole room opens at once); a step's fields
    are built, filled from the answers, when it is opened or when code looks one up."""

    def __init__(self, session: Session, ex: Exercise, *, facilitator: bool = False) -> None:
        self.session = session
        self.ex = ex
        self.facilitator = facilitator
        self.answers: dict[str, Any] = {}
        self.revisions: dict[str, int] = {}  # field -> the revision id a save goes against
        self.live = LivePanel(ex, session.scheduler, lambda: self.answers, context=session.context(ex.id))
        self._sealed = sealed_fields(ex)
        self._sections = {s.id: s for s in ex.sections}
        self._step_of = step_of = {f.id: n for n, st in enumerate(ex.steps) for sid in st.sections
                   for f in self._sections[sid].fields}
        self._boxes: dict[str, FieldBox] = {}
        self._seals: dict[str, Seal] = {}
        self.fields: Built[str, FieldBox] = Built(list(step_of), step_of, self._boxes, self.build_step)
        self.seals: Built[str, Seal] = Built([f for f in step_of if f in self._sealed],
                                             step_of, self._seals, self.build_step)
        self._pages = [W.VBox() for _ in ex.steps]
        self._built: set[int] = set()
        titles = tuple(step_title(n, s) for n, s in enumerate(ex.steps, 1))
        self.steps = W.Accordion(children=self._pages, titles=titles, selected_index=0 if ex.steps else None)
        self.steps.observe(self._opened, "selected_index")
        self._opened()
        header = W.HTML(f"<h3 style='margin:4px 0'>{html.escape(ex.title)}</h3><p>{html.escape(ex.summary)}</p>")
        self.widget = W.VBox([header, self.steps, self.live.widget])

    def _opened(self, *_: object) -> None:
        if self.steps.selected_index is not None:
            self.build_step(self.steps.selected_index)

    def build_step(self, index: int) -> None:
        """Build step `index` (0-based) once, its fields showing the answers the form holds.
        The sealed fields' reveal panels sit in the last step, so it builds their steps first."""
        if index in self._built:
            return
        self._built.add(index)
        step = self.ex.steps[index]
        last = index == len(self.ex.steps) - 1
        if last:
            for fid in self._sealed:
                if self._step_of[fid] != index:
                    self.build_step(self._step_of[fid])
        how = ngettext("%(num)s minute, %(mode)s.", "%(num)s minutes, %(mode)s.", step.minutes) % {
            "num": step.minutes, "mode": _(MODES[step.mode])}
        parts: list[W.Widget] = [W.HTML(f"<p><b>{html.escape(how)}</b> {html.escape(step.instructions)}</p>")]
        if self.facilitator and step.facilitator_notes:
            parts.append(W.HTML(
                Markup("<div style='background:#fff4d6;padding:6px;border-left:4px solid #f2c14e'><b>%s</b> %s %s"
                       "</div>") % (_("Facilitator notes"), _("(not shown to teams):"), step.facilitator_notes)))
        for sid in step.sections:
            sec = self._sections[sid]
            intro = f"<br><i>{html.escape(sec.intro)}</i>" if sec.intro else ""
            parts.append(W.HTML(f"<h4 style='margin:12px 0 4px'>{html.escape(sec.title)}</h4>{intro}"))
            for f in sec.fields:
                box = FieldBox(self.session, self.ex.id, f, self._saved)
                box.load(self.answers.get(f.id), self.revisions.get(f.id))
                self._boxes[f.id] = box
                if f.id in self._sealed:
                    seal = Seal(self.ex, box, self._sealed[f.id], lambda: self.answers, context=self.live.context)
                    self._seals[f.id] = seal
                    if f.id in self.answers:  # answered before: it comes back sealed
                        seal.seal()
                    parts.append(seal.widget)
                else:
                    parts.append(box.widget)
        if last:
            parts.extend(seal.panel for seal in self._seals.values())
        self._pages[index].children = parts

    def build_all(self) -> ExerciseForm:
        """Build every step now (printing, tests that walk the whole form)."""
        for n in range(len(self.ex.steps)):
            self.build_step(n)
        return self

    def _saved(self, field_id: str, value: Any) -> None:
        if value is None:
            self.answers.pop(field_id, None)
        else:
            self.answers[field_id] = value
        self.live.changed()

    def show(self, field_id: str, value: Any, note: str = "", revision: int | None = None) -> None:
        """Show a value saved elsewhere (another laptop of the team) without saving it again;
        `revision` is its id, which the field's next save goes against. A step not built yet
        shows it when it opens."""
        if revision is not None:
            self.revisions[field_id] = revision
        box = self.fields.built.get(field_id)
        if box is not None:
            box.load(value, revision)
            if note:
                box.note(note)
        self._saved(field_id, value)

    def load(self, values: dict[str, Any], revisions: dict[str, int] | None = None) -> None:
        """Show stored answers (with their revision ids, which saves go against); a sealed
        field that has an answer comes back sealed."""
        self.answers = {k: v for k, v in values.items() if k in self.fields and v is not None}
        self.revisions = {k: v for k, v in (revisions or {}).items() if k in self.fields}
        for fid, box in self.fields.built.items():
            box.load(self.answers.get(fid), self.revisions.get(fid))
        for fid, seal in self.seals.built.items():
            if fid in self.answers:
                seal.seal()
        self.live.render()
