"""Cross-checks of what the report shows: the digest and the report sections."""

from __future__ import annotations

from collections.abc import Iterator

from playbook.model.checks.common import Path, Problem, need_field, tag_problems, unknown
from playbook.model.exercise import Exercise, rating_gaps
from playbook.model.fields import Matrix, Notes
from playbook.model.report import Chart


def problems(ex: Exercise) -> Iterator[Problem]:
    yield from _digest(ex)
    yield from _sections(ex)
    yield from _charts(ex)


def _digest(ex: Exercise) -> Iterator[Problem]:
    metric_ids = {m.id for m in ex.metrics}
    digest = ex.digest
    if digest.actions is not None:
        yield from need_field(ex.fields, ("digest", "actions"), digest.actions, ("notes",))
    if digest.evidence is not None and digest.evidence not in metric_ids:
        yield ("digest", "evidence"), unknown("metric", digest.evidence, metric_ids)
    if digest.subject is not None:
        yield from need_field(ex.fields, ("digest", "subject"), digest.subject, ("short_text",))


def _sections(ex: Exercise) -> Iterator[Problem]:
    fields = ex.fields
    section_ids = {s.id for s in ex.sections}
    metric_ids = {m.id for m in ex.metrics}
    for ri, rep in enumerate(ex.report):
        for k, sid in enumerate(rep.sections):
            if sid not in section_ids:
                yield ("report", ri, "sections", k), unknown("section", sid, section_ids)
        for k, mid in enumerate(rep.metrics):
            if mid not in metric_ids:
                yield ("report", ri, "metrics", k), unknown("metric", mid, metric_ids)
        if rep.ranked is not None:
            yield from need_field(fields, ("report", ri, "ranked", "field"), rep.ranked.field, ("notes",))
            f = fields.get(rep.ranked.field)
            if isinstance(f, Notes):
                path = ("report", ri, "ranked")
                yield from tag_problems(path, f, rep.ranked.by, rep.ranked.among)
                yield from tag_problems(path, f, rep.ranked.rank, [])


def _charts(ex: Exercise) -> Iterator[Problem]:
    """Every chart names a metric, field and value of the right kind."""
    charts: list[tuple[Path, Chart]] = [
        (("report", ri, "charts", k), c) for ri, rep in enumerate(ex.report) for k, c in enumerate(rep.charts)
    ]
    charts.append((("workshop_summary", "chart"), ex.workshop_summary.chart))
    metric_ids, fields = {m.id for m in ex.metrics}, ex.fields
    gap_ids = {m.id for m in rating_gaps(ex)}
    for path, c in charts:
        if c.metric is not None:
            if c.metric not in metric_ids:
                yield (*path, "metric"), unknown("metric", c.metric, metric_ids)
            elif c.metric not in gap_ids:
                yield ((*path, "metric"), f"metric {c.metric!r} does not compare a rating with the evidence score; "
                       "a rating chart needs a gap metric with a: a scale field and b: {score: overall}")
        if c.field is not None:
            f = fields.get(c.field)
            if f is None:
                yield (*path, "field"), unknown("field", c.field, fields)
            elif not isinstance(f, Matrix):
                yield (*path, "field"), f"field {c.field!r} is a {f.type}; a {c.kind} chart needs a matrix"
            elif c.value not in [v.id for v in f.values]:
                yield (*path, "value"), unknown("value", c.value, [v.id for v in f.values])
    for ri, rep in enumerate(ex.report):
        if "chart" in rep.shows and not rep.charts:
            yield ("report", ri, "shows"), "show 'chart' with the charts to draw under charts:"
        for k, c in enumerate(rep.charts):
            if c.kind == "bars" and not rep.metrics:
                yield ("report", ri, "charts", k), "a bars chart draws the section's metrics: list them under metrics:"
    if ex.workshop_summary.chart.kind not in ("bars", "gut_vs_evidence"):
        yield (("workshop_summary", "chart", "kind"),
               "the workshop summary compares teams with bars or gut_vs_evidence")
