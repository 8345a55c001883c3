"""Cross-checks of a validated definition: every id it names exists and has the right type.

Each module checks one concern; `problems` runs them in the order of the definition's parts,
so the first problem a loader reports is the first a reader meets.
"""

from __future__ import annotations

from collections.abc import Iterator

from playbook.model.checks import conditions, metrics, report, rubric, rules, sections
from playbook.model.checks.common import Path, Problem
from playbook.model.exercise import Exercise

__all__ = ["Path", "Problem", "problems"]


def problems(ex: Exercise) -> Iterator[Problem]:
    yield from sections.problems(ex)
    yield from rubric.problems(ex)
    yield from metrics.problems(ex)
    yield from rules.flag_problems(ex)
    yield from rules.recommendation_problems(ex)
    yield from conditions.problems(ex)
    yield from report.problems(ex)
