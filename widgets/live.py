"""Live feedback beside a worksheet: completeness per section, overall score and radar.

Redrawn at most once per `THROTTLE_S` while answers come in, so typing stays smooth: a
change schedules one redraw and further changes before it runs add nothing. The radar is
drawn again only when what it shows changed (most saves, a note or a name, change no score:
a room of teams typing would otherwise keep the served process drawing). Scored with the
workshop's date and settings (`Folder.scoring_context`) when given, so the team sees the
score its report will show; until anything scorable is answered there is no score, not a 0.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as W
from markupsafe import Markup, escape

from playbook.i18n import _, current, formats
from playbook.model.exercises import Exercise
from playbook.publish import charts
from playbook.scoring import Context, Result, score
from widgets.schedule import Scheduler

THROTTLE_S = 1.0


def completeness_html(result: Result) -> str:
    rows = []
    for c in result.completeness:
        colour = "#2e7d32" if c.percent >= 100 else "#1f5f8b"
        rows.append(
            f"<tr><td style='padding-right:8px'>{html.escape(c.title)}</td>"
            f"<td style='width:120px'><div style='background:#e8ecef;height:8px'>"
            f"<div style='background:{colour};height:8px;width:{c.percent:.0f}%'></div></div></td>"
            f"<td style='padding-left:6px'>{c.answered}/{c.total}</td></tr>")
    return f"<table style='font-size:90%'>{''.join(rows)}</table>"


def score_html(result: Result) -> str:
    """The overall score with the share answered it rests on, or why there is none yet."""
    band = result.band.label
    if result.overall is None:
        return escape(_("no score yet: nothing scorable is answered (%(band)s)")) % {"band": band}
    return escape(_("overall score %(score)s of 100 over %(share)s of the assessment answered (%(band)s)")) % {
        "score": Markup("<b>%s</b>") % formats.number(result.overall), "share": formats.share(result.answered),
        "band": band}


class LivePanel:
    """`context`: the workshop's date and settings for this exercise; without it, the
    definition's defaults and no date (evidence windows and due dates are then not checked)."""

    def __init__(self, ex: Exercise, scheduler: Scheduler, answers: Callable[[], Mapping[str, Any]],
                 throttle: float = THROTTLE_S, *, context: Context | None = None) -> None:
        self.ex = ex
        self.scheduler = scheduler
        self.answers = answers
        self.throttle = throttle
        self.context = context or Context()
        self.key = ("live", ex.id)
        self.summary = W.HTML("")
        self.chart = W.Image(format="png", layout=W.Layout(max_width="420px"))
        self.result: Result | None = None
        self._drawn: tuple[object, ...] | None = None  # what the chart on show was drawn from
        self.widget = W.VBox([W.HTML(Markup("<b>%s</b>") % _("Your progress and scores so far")), self.summary,
                              self.chart])

    def changed(self) -> None:
        if not self.scheduler.pending(self.key):
            self.scheduler.later(self.key, self.throttle, self.render)

    def render(self) -> None:
        self.scheduler.cancel(self.key)
        result = score(self.ex, dict(self.answers()), self.context)
        self.result = result
        answered = escape(_("Answered: %(share)s")) % {
            "share": Markup("<b>%s</b>") % formats.percent(result.completeness_overall)}
        self.summary.value = f"<p>{answered} · {score_html(result)}</p>" + completeness_html(result)
        drawn = (current().tag, self.ex.title, tuple((d.label, d.score) for d in result.dimensions))
        if drawn != self._drawn:
            self.chart.value = charts.png(charts.radar(result, title=self.ex.title))
            self._drawn = drawn
