"""Cross-checks of the rubric: what each item scores exists and suits its method; caps."""

from __future__ import annotations

from collections.abc import Iterator

from playbook.model.checks.common import Problem, need_field, tag_problems, template_problems, unknown
from playbook.model.exercise import Exercise
from playbook.model.fields import Choices, Notes

# The field types each item method can score.
METHOD_TYPES: dict[str, tuple[str, ...]] = {
    "scale": ("scale",),
    "option_score": ("single_choice", "multi_choice", "checklist"),
    "share": ("multi_choice", "checklist"),
    "count": ("notes", "multi_choice", "checklist", "ranking"),
    "piecewise": ("number",),
    "filled": ("short_text", "long_text"),
    "tag_share": ("notes",),
    "metric": (),
    "date": ("short_text",),
}


def problems(ex: Exercise) -> Iterator[Problem]:
    yield from _items(ex)
    yield from _caps(ex)


def _items(ex: Exercise) -> Iterator[Problem]:
    fields = ex.fields
    metric_ids = {m.id for m in ex.metrics}
    cap_ids = {c.id for c in ex.rubric.caps}
    for di, dim in enumerate(ex.rubric.dimensions):
        for ii, item in enumerate(dim.items):
            path = ("rubric", "dimensions", di, "items", ii)
            yield from need_field(fields, (*path, "field"), item.field, METHOD_TYPES[item.method])
            if item.metric and item.metric not in metric_ids:
                yield (*path, "metric"), unknown("metric", item.metric, metric_ids)
            f = fields.get(item.field) if item.field is not None else None
            if item.method == "option_score" and isinstance(f, Choices):
                unscored = [o.id for o in f.options if o.score is None]
                if unscored:
                    yield ((*path, "field"), f"option_score needs a score on every option of {item.field!r}; "
                           f"missing: {', '.join(unscored)}")
            if item.method == "tag_share" and isinstance(f, Notes):
                yield from tag_problems(path, f, item.group, item.values)
            if item.method == "count" and item.values and f is not None:
                opts = [o.id for o in f.options] if isinstance(f, Choices) else []
                for k, v in enumerate(item.values):
                    if v not in opts:
                        yield (*path, "values", k), unknown("option", v, opts)
            if item.needs and f is not None:
                attrs = [a.id for a in f.attributes] if isinstance(f, Notes) else []
                for k, a in enumerate(item.needs):
                    if a not in attrs:
                        yield (*path, "needs", k), unknown("attribute", a, attrs)
            if item.cap is not None and item.cap not in cap_ids:
                yield (*path, "cap"), unknown("cap", item.cap, cap_ids)


def _caps(ex: Exercise) -> Iterator[Problem]:
    kinds = {m.id: m.kind for m in ex.metrics}
    for ci, cap in enumerate(ex.rubric.caps):
        if cap.backed_by is not None and kinds.get(cap.backed_by) != "backing":
            yield (("rubric", "caps", ci, "backed_by"),
                   f"{cap.backed_by!r} is not a backing metric; backing metrics: "
                   f"{', '.join(k for k, v in kinds.items() if v == 'backing') or 'none'}")
        yield from template_problems(("rubric", "caps", ci, "explain"), cap.explain, {"items", "count"})
