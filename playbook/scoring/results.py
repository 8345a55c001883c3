"""What scoring returns: frozen result models, plus the context scoring needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from playbook.model.rubric import Band

Severity = Literal["knockout", "warning", "notice"]


@dataclass(frozen=True)
class Context:
    """What scoring needs beyond the answers: the workshop's date (evidence windows, due
    dates), its settings for this exercise (thresholds such as the revenue ceiling) and its
    language (workshop.yml's `language`: a tag such as "fr" or "zh-Hans"), which free text
    is read in unless a text is plainly written in another (`playbook.scoring.language`)."""

    as_of: dt.date | None = None
    settings: Mapping[str, float] = field(default_factory=dict)
    language: str = "en"


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class DimensionResult(_Result):
    id: str
    label: str
    weight: float
    score: float | None  # 0-100 over the answered items; None: nothing answered
    answered: float  # share of the dimension's weight that had an answer, 0-100
    gap: bool  # answered and below the rubric's gap_below


class MetricResult(_Result):
    id: str
    label: str
    unit: Literal["percent", "points", "count"]
    value: float | None  # None: nothing to measure yet
    details: list[str]


class FlagResult(_Result):
    id: str
    label: str
    severity: Severity
    reason: str


class RuleResult(_Result):
    id: str
    label: str
    text: str
    questions: list[str] = []  # what to find out first, from the definition's probes


class CapResult(_Result):
    """A cap that lowered at least one answer, with the sentence that explains it."""

    id: str
    text: str
    items: list[str]


class SectionCompleteness(_Result):
    id: str
    title: str
    answered: int
    total: int
    percent: float
    optional: bool  # every field optional (filled later, say): left out of the overall


class Result(_Result):
    exercise: str
    overall: float | None  # None: nothing in the rubric was answered
    answered: float  # share of the rubric's weight answered, 0-100
    band: Band
    dimensions: list[DimensionResult]
    gaps: list[str]
    metrics: dict[str, MetricResult]
    caps: list[CapResult]
    flags: list[FlagResult]
    recommendation: RuleResult
    base_recommendation: str  # the recommendation before any override (a stretch, say)
    advice: list[RuleResult]
    completeness: list[SectionCompleteness]
    completeness_overall: float

    @property
    def knockouts(self) -> list[FlagResult]:
        return [f for f in self.flags if f.severity == "knockout"]
