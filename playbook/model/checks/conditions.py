"""Cross-checks of every condition in a definition: the fields, metrics, scores and settings
it names exist, and only flags and advice test the recommendation."""

from __future__ import annotations

from collections.abc import Iterator

from playbook.model.checks.common import Path, Problem, need_field, unknown
from playbook.model.conditions import COMPARISONS, Condition, FieldRef, SettingRef
from playbook.model.exercise import Exercise


def conditions_of(ex: Exercise) -> Iterator[tuple[Path, Condition]]:
    """(path, condition) of every condition, in the order of the definition's parts."""
    for di, dim in enumerate(ex.rubric.dimensions):
        for ii, item in enumerate(dim.items):
            if item.when is not None:
                yield ("rubric", "dimensions", di, "items", ii, "when"), item.when
    for bi, band in enumerate(ex.rubric.bands):
        if band.requires is not None:
            yield ("rubric", "bands", bi, "requires"), band.requires
    if ex.rubric.incomplete_when is not None:
        yield ("rubric", "incomplete_when"), ex.rubric.incomplete_when
    for ci, cap in enumerate(ex.rubric.caps):
        if cap.unless is not None:
            yield ("rubric", "caps", ci, "unless"), cap.unless
    for fi, flag in enumerate(ex.flags):
        if flag.when:
            yield ("flags", fi, "when"), flag.when
    for key, rules in (("recommendations", ex.recommendations), ("advice", ex.advice)):
        for ri, rule in enumerate(rules):
            if rule.when:
                yield (key, ri, "when"), rule.when


def problems(ex: Exercise) -> Iterator[Problem]:
    fields = ex.fields
    metric_ids = {m.id for m in ex.metrics}
    dim_ids = {d.id for d in ex.rubric.dimensions} | {"overall"}
    setting_ids = {st.id for st in ex.settings}
    for path, cond in conditions_of(ex):
        for c in cond.walk():
            yield from need_field(fields, (*path, "field"), c.field, ())
            if c.metric and c.metric not in metric_ids:
                yield (*path, "metric"), unknown("metric", c.metric, metric_ids)
            if c.score and c.score not in dim_ids:
                yield (*path, "score"), unknown("score", c.score, dim_ids)
            if c.recommendation and path[0] in ("recommendations", "rubric"):
                yield (*path, "recommendation"), "only flags and advice may test the recommendation"
            for op in COMPARISONS:
                ref = c.bound(op)
                if isinstance(ref, SettingRef) and ref.setting not in setting_ids:
                    yield (*path, op, "setting"), unknown("setting", ref.setting, setting_ids)
            refs = [(op, c.bound(op)) for op in COMPARISONS] + [("eq", c.eq), ("ne", c.ne)]
            for op, other in refs:
                if isinstance(other, FieldRef):
                    yield from need_field(fields, (*path, op, "field"), other.field, ())
