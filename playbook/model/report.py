"""What the report shows: its sections, their blocks and charts, and the first-page digest."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field, model_validator

from playbook.model.fields import Id, Model, OptionId, Text

Block = Literal[
    "summary", "dimensions", "flags", "recommendation", "advice", "metrics", "completeness",
    "statistics", "answers", "chart", "ranked",
]
BLOCKS: tuple[str, ...] = get_args(Block)
ChartKind = Literal["radar", "self_vs_evidence", "gut_vs_evidence", "raci_heatmap", "bars"]


class Ranked(Model):
    """The `ranked` report block: notes of `field` grouped by the options of tag group `by`
    listed in `among` (jobs, pains, gains), each group in the order of tag group `rank`'s
    options (most important first, unranked last)."""

    field: Id
    rank: Id
    by: Id
    among: list[OptionId]


class ReportSection(Model):
    """A part of the report: what it shows, in order (`answers` of sections, `metrics`...)."""

    id: Id
    title: Text
    intro: Text | None = None
    shows: Annotated[list[Block], Field(min_length=1)]
    sections: list[Id] = []
    metrics: list[Id] = []
    charts: list[ChartKind] = []
    ranked: Ranked | None = None

    @model_validator(mode="after")
    def _ranked(self) -> ReportSection:
        if ("ranked" in self.shows) != (self.ranked is not None):
            raise ValueError("show 'ranked' together with a ranked: block, or neither")
        return self


class Digest(Model):
    """What the first page of a team report takes from this exercise.

    `actions`: a notes field whose items (with an owner and a date) are the next actions;
    `evidence`: the metric saying how much of the result rests on evidence; `subject`: the
    field naming what a team assesses when teams assess different things (a client), so the
    workshop summary compares each subject on its own instead of spreading scores across teams.
    """

    actions: Id | None = None
    evidence: Id | None = None
    subject: Id | None = None
