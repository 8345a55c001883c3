"""Conditions: the tests flags, rules, bands, caps and items apply to a team's results.

``{metric: overconfidence_gap, ge: 25}``, ``{field: red_flags, includes: evasive}``,
``{all: [...]}``; a number may come from a workshop setting or another field's answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, model_validator

from playbook.model.fields import Id, Model


class SettingRef(Model):
    """A number taken from a setting: ``{field: revenue_share, gt: {setting: revenue_ceiling}}``."""

    setting: Id


class FieldRef(Model):
    """Another field's answer, to compare two answers: ``{field: ours, ne: {field: theirs}}``."""

    field: Id


Number = float | SettingRef | FieldRef

OPS = ("lt", "le", "gt", "ge", "eq", "ne", "in_", "includes", "filled")
COMPARISONS = ("lt", "le", "gt", "ge")


class Condition(Model):
    """A test on one subject (a field, metric or score) or a combination of conditions.

    ``{metric: overconfidence_gap, ge: 25}``; ``{field: red_flags, includes: evasive}``;
    ``{all: [...]}``. A subject with no value (unanswered) fails every test but
    ``filled: false``. ``recommendation: base`` (before overrides such as a stretch) or
    ``final`` tests the recommendation's id; flags and advice may use it, recommendations not.
    """

    field: Id | None = None
    metric: Id | None = None
    score: Id | None = None  # "overall" or a dimension id
    recommendation: Literal["base", "final"] | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    lt: Number | None = None
    le: Number | None = None
    gt: Number | None = None
    ge: Number | None = None
    eq: str | float | FieldRef | None = None
    ne: str | float | FieldRef | None = None
    in_: list[str | float] | None = Field(default=None, alias="in")
    includes: str | None = None
    filled: bool | None = None

    @model_validator(mode="after")
    def _shape(self) -> Condition:
        subjects = [k for k in ("field", "metric", "score", "recommendation") if getattr(self, k) is not None]
        groups = [k for k in ("all", "any", "not_") if getattr(self, k) is not None]
        ops = [k for k in OPS if getattr(self, k) is not None]
        if len(subjects) + len(groups) != 1:
            raise ValueError("a condition needs exactly one of field, metric, score, recommendation, all, any, not")
        if subjects and not ops:
            raise ValueError("add a test: lt, le, gt, ge, eq, ne, in, includes or filled")
        if groups and ops:
            raise ValueError("all/any/not take conditions, not tests")
        if (self.all is not None and not self.all) or (self.any is not None and not self.any):
            raise ValueError("all/any need at least one condition")
        return self

    def walk(self) -> Iterator[Condition]:
        yield self
        for sub in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            yield from sub.walk()

    def bound(self, op: str) -> Number | None:
        """The number a comparison (lt, le, gt, ge) tests against, None when it is not set."""
        if op == "lt":
            return self.lt
        if op == "le":
            return self.le
        if op == "gt":
            return self.gt
        if op == "ge":
            return self.ge
        raise KeyError(op)
