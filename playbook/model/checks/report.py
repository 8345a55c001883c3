"""Cross-checks of what the report shows: the digest and the report sections."""

from __future__ import annotations

from collections.abc import Iterator

from playbook.model.checks.common import Problem, need_field, tag_problems, unknown
from playbook.model.exercise import Exercise
from playbook.model.fields import Notes


def problems(ex: Exercise) -> Iterator[Problem]:
    yield from _digest(ex)
    yield from _sections(ex)


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
