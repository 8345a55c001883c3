"""Answers -> results (pure): `score(exercise, answers, Context(...)) -> Result`.

`results` holds the result types, `values` the small rules on answers and numbers, `text`
how free text is measured and compared in any language, `language` which language a text is
written in (its rules, its length in English words), `reader` reads one team's answers,
`metrics` computes the metric kinds and `engine` the rubric, conditions, flags and
recommendations on top of them.

`Context.language` is the workshop's language (workshop.yml's `language`, default "en"):
free text is read with that language's rules unless a text is plainly written in another.
"""

from __future__ import annotations

from playbook.scoring.engine import Scorer, band_for, score
from playbook.scoring.results import (
    CapResult,
    Context,
    DimensionResult,
    FlagResult,
    MetricResult,
    Result,
    RuleResult,
    SectionCompleteness,
    Severity,
)
from playbook.scoring.text import given, words
from playbook.scoring.values import interpolate, is_answered, share

# The names the scoring tests reach for since the engine was one module.
_Scorer = Scorer
_interpolate = interpolate

__all__ = [
    "CapResult", "Context", "DimensionResult", "FlagResult", "MetricResult", "Result", "RuleResult",
    "Scorer", "SectionCompleteness", "Severity", "band_for", "given", "interpolate", "is_answered", "score",
    "share", "words",
]
