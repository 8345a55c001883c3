"""Sealed first reactions: "don't react first", enforced by the worksheet.

Which fields are sealed comes from the definition: a scale field answered in a silent step
and compared, by a gap metric, with the overall evidence score (`a: {field: X}`,
`b: {score: overall}`). The team gives it first; once sealed the value is kept but hidden
while the evidence is rated; at the end it is revealed with its difference to the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import ipywidgets as W
from markupsafe import Markup, escape

from playbook.i18n import _, formats
from playbook.model.exercises import Exercise, rating_gaps
from playbook.model.fields import Scale, as_type
from playbook.scoring import Context, score
from widgets.autosave import FieldBox

State = Literal["open", "sealed", "revealed"]


def sealed_fields(ex: Exercise) -> dict[str, str]:
    """field id -> id of the gap metric that compares it with the evidence score."""
    silent = {sid for step in ex.steps if step.mode == "silent" for sid in step.sections}
    out: dict[str, str] = {}
    for m in rating_gaps(ex):
        fid = m.a.field if m.a is not None else None
        if fid is not None and ex.section_of(fid).id in silent:
            out.setdefault(fid, m.id)
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
        label = Markup("<b>%s</b>") % box.field.label
        self.button = W.Button(description=_("Seal my answer"), tooltip=_("hide it until the end"),
                               button_style="info")
        self.button.on_click(lambda _b: self.seal())
        self.hint = W.HTML(Markup("<i>%s</i>") % _("Answer on your own, then seal it: it stays hidden while you rate "
                                                  "the evidence and is revealed at the end."))
        self.widget = W.VBox([box.widget, self.hint, self.button])
        self.outcome = W.HTML("")
        self.reveal_button = W.Button(description=(_("Reveal: %(label)s") % {"label": box.field.label})[:60],
                                      button_style="warning")
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.panel = W.VBox([W.HTML(escape(_("%(label)s: reveal it at the end of the exercise.")) % {"label": label}),
                             self.reveal_button, self.outcome])

    def seal(self) -> bool:
        """Hide the answer; False (and a hint) when there is no saved answer to seal yet."""
        self.box.flush()
        if self.box.saved is None:
            self.hint.value = Markup("<span style='color:#c0392b'>%s</span>") % _(
                "Give your answer first, then seal it.")
            return False
        self.state = "sealed"
        self.widget.children = [W.HTML(escape(_(
            "%(label)s: sealed. Your answer is recorded and stays hidden until the end of the exercise.")) % {
            "label": Markup("<b>%s</b>") % self.box.field.label})]
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
        field = as_type(self.box.field, Scale)  # a sealed field is a rating
        bold = Markup("<b>%s</b>")
        if value is None:
            what = self.box.field.label.lower()  # lower case first: escaping makes entities
            return Markup("<p>%s</p>") % (_("No %(what)s was recorded, so there is nothing to compare.") % {
                "what": what})
        result = score(self.ex, self.answers(), self.context)
        gap = result.metrics[self.metric].value
        text = Markup("<p>") + escape(_("%(label)s: %(value)s · %(point)s (%(percent)s of 100)")) % {
            "label": bold % field.label, "value": value, "point": field.points[value - 1],
            "percent": formats.number(field.percent(value))} + Markup("<br>")
        evidence = bold % _("Evidence score")
        if result.overall is None:
            return text + escape(_("%(label)s: not rated yet: no evidence is answered, so there is nothing to compare "
                                   "with.")) % {"label": evidence} + Markup("</p>")
        text += escape(_("%(label)s: %(score)s of 100, over %(share)s of the assessment answered")) % {
            "label": evidence, "score": formats.number(result.overall, 1), "share": formats.share(result.answered)}
        text += Markup("<br>")
        if gap is None:
            return text + _("Difference: not measurable yet.") + Markup("</p>")
        if abs(gap) < 0.05:
            lean = _("the first answer was in line with the evidence.")
        elif gap > 0:
            lean = _("the first answer was more optimistic than the evidence.")
        else:
            lean = _("the first answer was more cautious than the evidence.")
        return text + escape(_("%(label)s: %(gap)s points: %(lean)s")) % {
            "label": bold % _("Difference"), "gap": formats.number(gap, 1, sign=True), "lean": lean} + Markup("</p>")
