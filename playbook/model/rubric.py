"""The rubric: how answers become scores (items, dimensions), bands and caps."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from playbook.model.conditions import Condition
from playbook.model.fields import Id, Model, OptionId, Text, unique_ids

ItemMethod = Literal[
    "scale", "option_score", "share", "count", "piecewise", "filled", "tag_share", "metric", "date"
]


class Item(Model):
    """How one answer contributes to a dimension, scored 0-100.

    `count` on notes counts distinct notes (repeats once), with at least `min_words` words
    and every attribute in `needs` when those are set: quality, not volume.

    An unanswered item is unknown, not zero: it is left out of the score and counted in
    the share answered. `when` makes an item apply only to some teams (the hand-off point
    only to teams that run account-based marketing); `cap` names a rubric cap that limits
    the item's score unless its support holds.
    """

    field: Id | None = None
    metric: Id | None = None
    method: ItemMethod
    weight: float = Field(default=1, gt=0)
    invert: bool = False
    target: int | None = Field(default=None, ge=1)  # count: how many make 100
    points: list[tuple[float, float]] | None = None  # piecewise: (value, score) pairs
    min_words: int | None = Field(default=None, ge=1)  # filled: words that make 100
    max_words: int | None = Field(default=None, ge=1)  # filled: more words than this score 50
    group: Id | None = None  # tag_share: the tag group
    values: list[OptionId] | None = None  # tag_share: the options that count; count: only these
    days: tuple[int, int] | None = None  # date: valid from/to this many days after the workshop
    needs: list[Id] = []  # count on notes: only notes carrying these attributes
    when: Condition | None = None
    cap: Id | None = None

    @model_validator(mode="after")
    def _args(self) -> Item:
        if (self.method == "metric") != (self.metric is not None) or (
            self.field is None and self.metric is None
        ):
            raise ValueError("method 'metric' takes metric:, every other method takes field:")
        need = {"count": ["target"], "piecewise": ["points"], "tag_share": ["group", "values"], "date": ["days"]}
        for arg in need.get(self.method, []):
            if getattr(self, arg) is None:
                raise ValueError(f"method {self.method!r} needs {arg}:")
        if self.points is not None:
            xs = [x for x, _ in self.points]
            if len(xs) < 2 or xs != sorted(xs) or any(not 0 <= y <= 100 for _, y in self.points):
                raise ValueError("points: two or more (value, score) pairs, values rising, scores 0-100")
        if self.days is not None and self.days[0] > self.days[1]:
            raise ValueError("days: [from, to] with from <= to")
        return self


class Dimension(Model):
    id: Id
    label: Text
    description: Text | None = None
    weight: float = Field(default=1, gt=0)
    items: Annotated[list[Item], Field(min_length=1)]


class Band(Model):
    """A band from `min` upwards; with `requires`, only when that also holds (a band whose
    label claims clear owners requires them), else the next band down applies."""

    id: Id
    min: float = Field(ge=0, le=100)
    label: Text
    summary: Text
    requires: Condition | None = None


class Cap(Model):
    """A ceiling on items that lack support: an item naming this cap scores at most `at`
    unless the answer it scores is backed (`backed_by`: a backing metric) or `unless` holds.

    `explain` is the one sentence the report shows when the cap lowered something; it may
    use {items} (the labels of the capped answers) and {count}.
    """

    id: Id
    at: float = Field(ge=0, le=100)
    backed_by: Id | None = None
    unless: Condition | None = None
    explain: Text

    @model_validator(mode="after")
    def _one(self) -> Cap:
        if (self.backed_by is None) == (self.unless is None):
            raise ValueError("a cap needs either backed_by: (a backing metric) or unless: (a condition)")
        return self


class Rubric(Model):
    """`min_answered`: below this share of the rubric answered, or when `incomplete_when`
    holds (the answers rest on assumptions, say), the result gets the `incomplete` band
    instead of a band from the score: too little is known to judge."""

    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    bands: Annotated[list[Band], Field(min_length=2)]
    gap_below: float = Field(default=50, ge=0, le=100)
    min_answered: float = Field(default=0, ge=0, le=100)
    incomplete: Band | None = None
    incomplete_when: Condition | None = None
    caps: list[Cap] = []

    @model_validator(mode="after")
    def _checks(self) -> Rubric:
        unique_ids(self.dimensions, "dimension")
        unique_ids(self.bands, "band")
        unique_ids(self.caps, "cap")
        if (self.min_answered > 0 or self.incomplete_when is not None) and self.incomplete is None:
            raise ValueError("min_answered and incomplete_when need an incomplete: band to show")
        if self.incomplete is not None and self.incomplete.id in {b.id for b in self.bands}:
            raise ValueError(f"the incomplete band's id {self.incomplete.id!r} is already a band's")
        return self

    @field_validator("bands")
    @classmethod
    def _ordered(cls, bands: list[Band]) -> list[Band]:
        mins = [b.min for b in bands]
        if mins != sorted(mins) or mins[0] != 0 or len(set(mins)) != len(mins):
            raise ValueError("list the bands from min 0 upwards, each min higher than the last")
        return bands
