"""One exercise's worksheet: its steps in order, each with timing, instructions and fields.

Built from the definition alone. A team's worksheet never shows facilitator notes; a
facilitator's copy (`facilitator=True`) shows them in a marked box.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from playbook.model.exercises import Exercise, Step
from widgets.autosave import FieldBox, Session
from widgets.live import LivePanel
from widgets.seal import Seal, sealed_fields

MODES = {"silent": "on your own, in silence", "pairs": "in pairs", "group": "as a team",
         "plenary": "everyone together"}


def step_title(n: int, step: Step) -> str:
    return f"{n}. {step.title} · {step.minutes} min · {MODES[step.mode]}"


class ExerciseForm:
    """The fields of one exercise for one team, grouped by step, with live feedback."""

    def __init__(self, session: Session, ex: Exercise, *, facilitator: bool = False) -> None:
        self.session = session
        self.ex = ex
        self.answers: dict[str, Any] = {}
        self.fields: dict[str, FieldBox] = {}
        self.seals: dict[str, Seal] = {}
        self.live = LivePanel(ex, session.scheduler, lambda: self.answers, context=session.context(ex.id))
        sealed = sealed_fields(ex)
        sections = {s.id: s for s in ex.sections}
        pages: list[W.Widget] = []
        for n, step in enumerate(ex.steps, start=1):
            parts: list[W.Widget] = [W.HTML(
                f"<p><b>{step.minutes} minutes, {MODES[step.mode]}.</b> {html.escape(step.instructions)}</p>")]
            if facilitator and step.facilitator_notes:
                parts.append(W.HTML(
                    "<div style='background:#fff4d6;padding:6px;border-left:4px solid #f2c14e'>"
                    f"<b>Facilitator notes</b> (not shown to teams): {html.escape(step.facilitator_notes)}</div>"))
            for sid in step.sections:
                sec = sections[sid]
                intro = f"<br><i>{html.escape(sec.intro)}</i>" if sec.intro else ""
                parts.append(W.HTML(f"<h4 style='margin:12px 0 4px'>{html.escape(sec.title)}</h4>{intro}"))
                for f in sec.fields:
                    box = FieldBox(session, ex.id, f, self._saved)
                    self.fields[f.id] = box
                    if f.id in sealed:
                        seal = Seal(ex, box, sealed[f.id], lambda: self.answers, context=self.live.context)
                        self.seals[f.id] = seal
                        parts.append(seal.widget)
                    else:
                        parts.append(box.widget)
            if n == len(ex.steps):
                parts.extend(seal.panel for seal in self.seals.values())
            pages.append(W.VBox(parts))
        self.steps = W.Accordion(children=pages, titles=tuple(step_title(n, s) for n, s in enumerate(ex.steps, 1)),
                                 selected_index=0)
        header = W.HTML(f"<h3 style='margin:4px 0'>{html.escape(ex.title)}</h3><p>{html.escape(ex.summary)}</p>")
        self.widget = W.VBox([header, self.steps, self.live.widget])

    def _saved(self, field_id: str, value: Any) -> None:
        if value is None:
            self.answers.pop(field_id, None)
        else:
            self.answers[field_id] = value
        self.live.changed()

    def show(self, field_id: str, value: Any, note: str = "", revision: int | None = None) -> None:
        """Show a value saved elsewhere (another laptop of the team) without saving it again;
        `revision` is its id, which the field's next save goes against."""
        box = self.fields[field_id]
        box.load(value, revision)
        if note:
            box.note(note)
        self._saved(field_id, value)

    def load(self, values: dict[str, Any], revisions: dict[str, int] | None = None) -> None:
        """Show stored answers (with their revision ids, which saves go against); a sealed
        field that has an answer comes back sealed."""
        self.answers = {k: v for k, v in values.items() if k in self.fields and v is not None}
        for fid, box in self.fields.items():
            box.load(self.answers.get(fid), (revisions or {}).get(fid))
        for fid, seal in self.seals.items():
            if fid in self.answers:
                seal.seal()
        self.live.render()
