"""Sealed first reactions: "don't react first", enforced by the worksheet.

Which fields are sealed comes from the definition: a scale field answered in a silent step
and compared, by a gap metric, with the overall evidence score (`a: {field: X}`,
`b: {score: overall}`). The team gives it first; once sealed the value is kept but hidden
while the evidence is rated; at the end it is revealed with its difference to the evidence.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any, Literal

import ipywidgets as W

from playbook.model.exercises import Exercise
from playbook.publish.tables import share
from playbook.scoring import Context, score
from widgets.autosave import FieldBox

State = Literal["open", "sealed", "revealed"]


def sealed_fields(ex: Exercise) -> dict[str, str]:
    """field id -> id of the gap metric that compares it with the evidence score."""
    silent = {sid for step in ex.steps if step.mode == "silent" for sid in step.sections}
    fields = ex.fields
    out: dict[str, str] = {}
    for m in ex.metrics:
        if m.kind != "gap" or m.a is None or m.b is None or m.a.field is None or m.b.score != "overall":
            continue
        f = fields.get(m.a.field)
        if f is not None and f.type == "scale" and ex.section_of(f.id).id in silent:
            out.setdefault(f.id, m.id)
    return out


class Seal:
    """Wraps a field's box: open (answer, then seal), sealed (hidden), revealed (compared)."""

    def __init__(self, ex: Exercise, box: FieldBox, metric: str, answers: Callable[[], Mapping[str, Any]], *,
                 context: Context | None = None) -> None:
        """`context`: the workshop's date and settings (`Folder.scoring_context`), so the
        evidence score matches the report; without it, the definition's defaults and no date."""
        self.ex = ex
        self.box = box
        self.metric = metric
        self.answers = answers
        self.context = context or Context()
        self.state: State = "open"
        label = html.escape(box.field.label)
        self.button = W.Button(description="Seal my answer", tooltip="hide it until the end", button_style="info")
        self.button.on_click(lambda _b: self.seal())
        self.hint = W.HTML("<i>Answer on your own, then seal it: it stays hidden while you rate the evidence "
                           "and is revealed at the end.</i>")
        self.widget = W.VBox([box.widget, self.hint, self.button])
        self.outcome = W.HTML("")
        self.reveal_button = W.Button(description=f"Reveal: {box.field.label}"[:60], button_style="warning")
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.panel = W.VBox([W.HTML(f"<b>{label}</b>: reveal it at the end of the exercise."),
                             self.reveal_button, self.outcome])

    def seal(self) -> bool:
        """Hide the answer; False (and a hint) when there is no saved answer to seal yet."""
        self.box.flush()
        if self.box.saved is None:
            self.hint.value = "<span style='color:#c0392b'>Give your answer first, then seal it.</span>"
            return False
        self.state = "sealed"
        self.widget.children = [W.HTML(
            f"<b>{html.escape(self.box.field.label)}</b>: sealed. Your answer is recorded and stays hidden "
            "until the end of the exercise.")]
        return True

    def reveal(self) -> None:
        self.box.flush()
        self.state = "revealed"
        self.box.input.disable()
        self.widget.children = [self.box.widget]
        self.outcome.value = self.comparison()
        self.reveal_button.disabled = True

    def comparison(self) -> str:
        """The sealed answer, the evidence score and their difference, in words."""
        value = self.box.saved
        label = html.escape(self.box.field.label)
        if value is None:
            return f"<p>No {label.lower()} was recorded, so there is nothing to compare.</p>"
        result = score(self.ex, self.answers(), self.context)
        gap = result.metrics[self.metric].value
        point = html.escape(self.box.field.points[value - 1])
        text = f"<p><b>{label}</b>: {value} · {point} ({self.box.field.percent(value):.0f} of 100)<br>"
        if result.overall is None:
            return text + ("<b>Evidence score</b>: not rated yet: no evidence is answered, so there is nothing "
                           "to compare with.</p>")
        text += (f"<b>Evidence score</b>: {result.overall:.1f} of 100, over {share(result.answered)} of the "
                 "assessment answered<br>")
        if gap is None:
            return text + "Difference: not measurable yet.</p>"
        lean = ("more optimistic than" if gap > 0 else "more cautious than") if abs(gap) >= 0.05 else "in line with"
        return text + f"<b>Difference</b>: {gap:+.1f} points: the first answer was {lean} the evidence.</p>"
