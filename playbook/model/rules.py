"""Red flags, recommendations and advice: what a result triggers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from playbook.model.conditions import Condition
from playbook.model.fields import Id, Model, Text


class Flag(Model):
    """A red flag. With `each_selected`, one flag per ticked option of that field, using the
    option's label and severity; otherwise one flag when `when` holds.

    `reason` may use {value} (the subject's value), {details} and {label}.
    """

    id: Id
    label: Text
    severity: Literal["knockout", "warning", "notice"] = "warning"
    when: Condition | None = None
    each_selected: Id | None = None
    reason: Text

    @model_validator(mode="after")
    def _one(self) -> Flag:
        if (self.when is None) == (self.each_selected is None):
            raise ValueError("a flag needs either when: or each_selected:")
        return self


class Questions(Model):
    """The questions a recommendation lists: the probes of the answers a backing metric
    found unbacked, in the metric's order, at most `limit`."""

    metric: Id
    limit: int = Field(default=3, ge=1, le=10)


class Rule(Model):
    """A recommendation (first match wins) or a piece of advice (every match applies).

    A recommendation with `overrides` is not matched in turn: it replaces the first match
    when that match is one of `overrides` and its own `when` holds (a deliberate stretch
    turns a decline into a conditional yes, and nothing else).
    """

    id: Id
    label: Text
    text: Text
    when: Condition | None = None
    overrides: list[Id] = []
    questions: Questions | None = None
