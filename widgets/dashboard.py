"""The facilitator's live view of every team: progress per step, scores, red flags, timer,
and the controls of the presenter view (the timer's step is the projector's step).

Reads `store.latest_all()` and rescoring only when the store's revision has moved; checks
every `REFRESH_S` seconds on its own (in a kernel) and on the Refresh button. A chart is drawn
again only when what it shows changed (most saves move no team's overall score), and the image
it replaces is closed, so a long session keeps no dead widgets. The workshop's
definitions in its language; the dashboard's own words in the language in use (the page's).
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import ipywidgets as W
from markupsafe import Markup

from playbook.answers.store import Store
from playbook.i18n import _, current, formats
from playbook.model.exercises import Exercise
from playbook.publish import charts
from playbook.publish.html import SEVERITIES
from playbook.scoring import Result, score
from playbook.workshop import Folder
from widgets.form import step_title
from widgets.presenter import PresenterControl
from widgets.schedule import Scheduler
from widgets.style import stylesheet
from widgets.timer import StepTimer

REFRESH_S = 5.0
SEVERITY = {"knockout": "#c0392b", "warning": "#d35400", "notice": "#1f5f8b"}


def step_progress(ex: Exercise, result: Result) -> list[tuple[str, float]]:
    """(step title, percent answered) for the steps that have fields."""
    by_section = {c.id: c for c in result.completeness}
    out = []
    for step in ex.steps:
        parts = [by_section[s] for s in step.sections]
        total = sum(c.total for c in parts)
        if total:
            out.append((step.title, 100 * sum(c.answered for c in parts) / total))
    return out


def _cell(percent: float) -> str:
    shade = "#2e7d32" if percent >= 100 else ("#1f5f8b" if percent > 0 else "#d9dee2")
    shown = html.escape(formats.percent(percent))
    return (f"<td title='{shown}' style='text-align:center;padding:2px 6px'>"
            f"<span style='color:{shade}'>{'■' if percent >= 100 else ('▣' if percent > 0 else '□')}</span>"
            f" {shown}</td>")


class Dashboard(W.VBox):
    def __init__(self, folder: str | Path | Folder, *, store: Store | None = None,
                 scheduler: Scheduler | None = None, refresh_s: float = REFRESH_S) -> None:
        self.folder = folder if isinstance(folder, Folder) else Folder(folder)
        self.store = store or Store.for_folder(self.folder)
        self.scheduler = scheduler or Scheduler()
        self.refresh_s = refresh_s
        self.exercises = self.folder.exercises()  # in the workshop's language
        self.teams = {t.id: t.name for t in self.folder.config.teams}
        self.seen_revision = -1
        self.seen_flags: set[tuple[str, str, str, str]] | None = None  # None: first look
        self.results: dict[tuple[str, str], Result] = {}
        self.status = W.HTML("")
        self.progress = W.HTML("")
        self.flags = W.HTML("")
        self.charts = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self._drawn: dict[str, tuple[object, W.Image]] = {}  # exercise -> what its chart shows, the chart
        self.button = W.Button(description=_("Refresh"), icon="refresh")
        self.button.on_click(lambda _b: self.refresh(force=True))
        self.timer = StepTimer([(f"{ex.title} · {step_title(n, s)}", s.minutes)
                                for ex in self.exercises for n, s in enumerate(ex.steps, 1)],
                               scheduler=self.scheduler)
        self.presenter = PresenterControl(self.store, self.exercises, self.timer)
        cfg = self.folder.config
        super().__init__([
            stylesheet(),
            W.HTML(f"<h2 style='margin:4px 0'>{html.escape(cfg.client)}: {html.escape(cfg.title)}</h2>"),
            W.HBox([self.button, self.status]),
            W.HBox([self.timer, self.presenter], layout=W.Layout(flex_flow="row wrap", grid_gap="24px")),
            W.HTML(Markup("<h3>%s</h3>") % _("Progress per team and step")), self.progress,
            W.HTML(Markup("<h3>%s</h3>") % _("Overall score per team")), self.charts,
            W.HTML(Markup("<h3>%s</h3>") % _("Red flags")), self.flags,
        ])
        self.add_class("playbook")
        self.refresh(force=True)

    def _auto(self) -> None:
        self.refresh()
        self.scheduler.later(("dashboard", id(self)), self.refresh_s, self._auto)

    def start(self) -> Dashboard:
        """Refresh on its own every `refresh_s` seconds (needs a running loop, as in a kernel)."""
        self.scheduler.later(("dashboard", id(self)), self.refresh_s, self._auto)
        return self

    def stop(self) -> None:
        self.scheduler.cancel(("dashboard", id(self)))

    def refresh(self, *, force: bool = False) -> bool:
        """Re-read the store; False when nothing changed since the last look."""
        revision = self.store.revision()
        now = formats.time(dt.datetime.now())
        if revision == self.seen_revision and not force:
            self.status.value = "<span style='color:#777'>" + html.escape(
                _("up to date · checked %(time)s") % {"time": now}) + "</span>"
            return False
        self.seen_revision = revision
        latest = self.store.latest_all()
        contexts = {ex.id: self.folder.scoring_context(ex.id) for ex in self.exercises}
        self.results = {(t, ex.id): score(ex, latest.get(t, {}).get(ex.id, {}), contexts[ex.id])
                        for ex in self.exercises for t in self.teams}
        self.progress.value = self._progress(latest)
        self.flags.value = self._flags(latest)
        shown = self.charts.children
        self.charts.children = [self._chart(ex, latest) for ex in self.exercises]
        for old in set(shown) - set(self.charts.children):
            old.close()
        self.status.value = "<span style='color:#777'>" + html.escape(
            _("updated %(time)s · revision %(revision)s") % {"time": now, "revision": revision}) + "</span>"
        return True

    def _progress(self, latest: dict[str, Any]) -> str:
        out = []
        for ex in self.exercises:
            steps = step_progress(ex, self.results[(next(iter(self.teams)), ex.id)]) if self.teams else []
            head = "".join(f"<th style='padding:2px 6px'>{html.escape(s)}</th>" for s, _ in steps)
            rows = []
            for t, name in self.teams.items():
                cells = "".join(_cell(p) for _, p in step_progress(ex, self.results[(t, ex.id)]))
                rows.append(f"<tr><td>{html.escape(name)}</td>{cells}</tr>")
            out.append(f"<h4>{html.escape(ex.title)}</h4><table style='font-size:85%'>"
                       + str(Markup("<tr><th>%s</th>") % _("Team")) + f"{head}</tr>{''.join(rows)}</table>")
        return "".join(out)

    def _chart(self, ex: Exercise, latest: dict[str, Any]) -> W.Image:
        """Overall score per team; a team with nothing scorable answered shows "not rated"."""
        values = {name: (self.results[(t, ex.id)].overall if latest.get(t, {}).get(ex.id) else None)
                  for t, name in self.teams.items()}
        drawn = (current().tag, ex.title, tuple(values.items()))
        kept = self._drawn.get(ex.id)
        if kept is not None and kept[0] == drawn:
            return kept[1]
        fig = charts.bars(values, title=ex.title, xlabel=_("Overall score"))
        image = W.Image(value=charts.png(fig), format="png", tooltip=charts.alt_text(fig),  # read out, too
                        layout=W.Layout(max_width="460px"))
        self._drawn[ex.id] = (drawn, image)
        return image

    def _flags(self, latest: dict[str, Any]) -> str:
        """Every flag of every team with answers; flags raised since the last look are marked new."""
        items, raised = [], set()
        titles = {ex.id: ex.title for ex in self.exercises}
        for (t, ex_id), result in self.results.items():
            if not latest.get(t, {}).get(ex_id):
                continue  # no answers yet: nothing to flag
            for f in result.flags:
                key = (t, ex_id, f.id, f.reason)
                raised.add(key)
                new = self.seen_flags is not None and key not in self.seen_flags
                marker = Markup(" <b style='color:#c0392b'>%s</b>") % _("new") if new else ""
                items.append(f"<li><span style='color:{SEVERITY[f.severity]}'>{html.escape(_(SEVERITIES[f.severity]))}"
                             f"</span> · {html.escape(self.teams[t])} · {html.escape(titles[ex_id])}: "
                             f"<b>{html.escape(f.label)}</b> — {html.escape(f.reason)}{marker}</li>")
        self.seen_flags = raised if self.seen_flags is None else self.seen_flags | raised
        return f"<ul>{''.join(items)}</ul>" if items else Markup("<p>%s</p>") % _("No red flags yet.")
