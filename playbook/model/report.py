"""What the report shows: its sections, their blocks and charts, the first-page digest and the
workshop summary."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field, model_validator

from playbook.model.fields import Id, Model, OptionId, Text

Block = Literal[
    "summary", "dimensions", "flags", "recommendation", "advice", "metrics", "completeness",
    "statistics", "answers", "chart", "ranked",
]
BLOCKS: tuple[str, ...] = get_args(Block)
ChartKind = Literal["radar", "self_vs_evidence", "gut_vs_evidence", "raci_heatmap", "bars"]
CHART_NEEDS: dict[str, tuple[str, ...]] = {
    "radar": (), "bars": (), "self_vs_evidence": ("metric",), "gut_vs_evidence": ("metric",),
    "raci_heatmap": ("field", "value"),
}


class Chart(Model):
    """A chart, drawn from what the definition names here, never from ids in code.

    - radar: the rubric's dimension scores.
    - bars: in a report section, the section's `metrics`; in the workshop summary, each
      team's overall score.
    - self_vs_evidence, gut_vs_evidence: a team's own rating against its evidence score;
      `metric` is the gap metric comparing them (`a` a scale field, `b` the overall score).
    - raci_heatmap: matrix `field`, its rows without exactly one `value` (one accountable
      owner) marked.

    A kind that needs nothing may be written alone: `charts: [radar]`.
    """

    kind: ChartKind
    metric: Id | None = None
    field: Id | None = None
    value: OptionId | None = None

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"kind": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _args(self) -> Chart:
        need = CHART_NEEDS[self.kind]
        missing = [arg for arg in need if getattr(self, arg) is None]
        if missing:
            raise ValueError(f"a {self.kind} chart needs {', '.join(missing)}")
        extra = [arg for arg in ("metric", "field", "value") if arg not in need and getattr(self, arg) is not None]
        if extra:
            raise ValueError(f"a {self.kind} chart takes no {', '.join(extra)}")
        return self


class WorkshopSummary(Model):
    """How the workshop summary compares the teams on this exercise: its chart (bars of the
    overall score per team, or gut_vs_evidence) and the spread of a dimension's team scores,
    in points, from which the teams are said to disagree."""

    chart: Chart = Chart(kind="bars")
    disagree_points: float = Field(default=30, gt=0, le=100)


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
    charts: list[Chart] = []
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
