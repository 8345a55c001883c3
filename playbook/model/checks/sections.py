"""Cross-checks of the exercise's outline: field ids, list ids, steps and their timing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from playbook.model.checks.common import Problem, unknown
from playbook.model.exercise import Exercise
from playbook.model.fields import HasId


def problems(ex: Exercise) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for si, sec in enumerate(ex.sections):
        for fi, f in enumerate(sec.fields):
            if f.id in seen:
                yield (("sections", si, "fields", fi, "id"),
                       f"field id {f.id!r} is already used in section {seen[f.id]!r}")
            seen[f.id] = sec.id
    lists: tuple[tuple[str, Sequence[HasId]], ...] = (
        ("section", ex.sections), ("step", ex.steps), ("metric", ex.metrics), ("flag", ex.flags),
        ("recommendation", ex.recommendations), ("advice", ex.advice), ("report section", ex.report),
        ("statistic", ex.statistics), ("lint rule", ex.lint),
    )
    for kind, items in lists:
        ids = [i.id for i in items]
        for n, i in enumerate(ids):
            if i in ids[:n]:
                yield (f"{kind.replace(' ', '_')}s", n, "id"), f"{kind} id {i!r} is used twice"
    section_ids = {s.id for s in ex.sections}
    covered = set()
    for si, step in enumerate(ex.steps):
        for k, sid in enumerate(step.sections):
            if sid not in section_ids:
                yield ("steps", si, "sections", k), unknown("section", sid, section_ids)
            covered.add(sid)
    for sid in sorted(section_ids - covered):
        yield ("steps",), f"section {sid!r} belongs to no step; add it to a step's sections"
    if sum(s.minutes for s in ex.steps) > ex.run_minutes:
        yield ("run_minutes",), f"the steps take {ex.step_minutes} minutes, more than run_minutes {ex.run_minutes}"
