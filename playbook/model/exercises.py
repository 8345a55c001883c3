"""Exercise definitions: load the content YAML into typed, cross-checked models.

One definition drives the worksheet, the handout, the scoring and the report. Everything
that decides a result (weights, thresholds, rules) is data here; `playbook.scoring` only
knows how to apply the handful of methods and metric kinds declared below.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from playbook import yamlio
from playbook.errors import DefinitionError
from playbook.model import concealment
from playbook.model.fields import FieldDef, Id, Model, Option, OptionId, Text, _unique_ids

Difficulty = Literal["easy", "moderate", "advanced"]


class People(Model):
    min: int = Field(ge=1, le=100)
    max: int = Field(ge=1, le=100)

    @model_validator(mode="after")
    def _order(self) -> People:
        if self.min > self.max:
            raise ValueError("min is greater than max")
        return self

    def __str__(self) -> str:
        return f"{self.min}-{self.max}" if self.min != self.max else str(self.min)


class Section(Model):
    id: Id
    title: Text
    intro: Text | None = None
    fields: Annotated[list[FieldDef], Field(min_length=1)]

    @model_validator(mode="after")
    def _ids(self) -> Section:
        _unique_ids(self.fields, "field")
        return self


class Step(Model):
    """A timed step of the session. `facilitator_notes` never reach a participant."""

    id: Id
    title: Text
    minutes: int = Field(ge=1, le=240)
    mode: Literal["silent", "pairs", "group", "plenary"]
    instructions: Text
    facilitator_notes: Text | None = None
    # Words participants must not read up to and including this step (what the notes say
    # stays hidden, such as how a rating will be used): checked against every participant text.
    conceal: list[Text] = []
    sections: list[Id] = []


# --- settings -------------------------------------------------------------------------


class Setting(Model):
    """A threshold a workshop may change in workshop.yml (`settings: {exercise: {id: value}}`)."""

    id: Id
    label: Text
    description: Text | None = None
    default: float
    min: float
    max: float
    unit: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> Setting:
        if not self.min <= self.default <= self.max:
            raise ValueError("default must lie between min and max")
        return self


class SettingRef(Model):
    """A number taken from a setting: ``{field: revenue_share, gt: {setting: revenue_ceiling}}``."""

    setting: Id


class FieldRef(Model):
    """Another field's answer, to compare two answers: ``{field: ours, ne: {field: theirs}}``."""

    field: Id


Number = float | SettingRef | FieldRef

# --- conditions -----------------------------------------------------------------------

_OPS = ("lt", "le", "gt", "ge", "eq", "ne", "in_", "includes", "filled")


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
        ops = [k for k in _OPS if getattr(self, k) is not None]
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


# --- operands, rubric and metrics -----------------------------------------------------


class Operand(Model):
    """One side of a gap: a field's value (a scale as 0-100), a score or a metric."""

    field: Id | None = None
    score: Id | None = None
    metric: Id | None = None

    @model_validator(mode="after")
    def _one(self) -> Operand:
        if sum(v is not None for v in (self.field, self.score, self.metric)) != 1:
            raise ValueError("name exactly one of field, score, metric")
        return self


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
        _unique_ids(self.dimensions, "dimension")
        _unique_ids(self.bands, "band")
        _unique_ids(self.caps, "cap")
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


MetricKind = Literal[
    "tag_share", "lint_clean", "gap", "matrix_single", "matrix_agreement", "completeness",
    "combine", "backing", "evidence", "actionable", "spread", "answered", "pattern", "mean",
]


class LintRule(Model):
    """A pattern that marks a weak interview question (a hypothetical, a pitch, yes/no),
    unless the `unless` pattern also matches (a request for a story is not a yes/no
    question: "Could you walk me through...")."""

    id: Id
    pattern: Text  # a case-insensitive regular expression
    unless: Text | None = None
    message: Text


class Cover(Model):
    """actionable metrics: the tag group whose options must each hold a counted item, and
    the days after the workshop within which each option's items fall due: ``[from, to]``
    (an item of days 61-90 due next week does not cover that horizon), or ``to`` alone."""

    group: Id
    days: dict[OptionId, int | tuple[int, int]]

    def window(self, option: str) -> tuple[int, int]:
        days = self.days[option]
        return (0, days) if isinstance(days, int) else days


class Metric(Model):
    """An exercise-specific result; which arguments apply depends on `kind`.

    - tag_share: share (0-100) of notes in `field` tagged `group` in `values`.
    - lint_clean: share of notes in `field` that break none of the exercise's lint rules.
    - gap: `a` minus `b`, in points (a scale counts as 0-100).
    - matrix_single: share of rows of matrix `field` holding `value` exactly once.
    - matrix_agreement: share of rows where matrices `field` and `other` agree.
    - completeness: share of `fields` answered.
    - combine: weighted mean of other metrics (`parts`: metric id -> weight); parts with no
      value are left out, or count as 0 with `missing: zero` (no evidence, no credit).
    - backing: share of the answered `fields` backed by a note in `field` whose `link` tag
      names the field, whose `group` tag is one of `values` and which has every attribute in
      `needs`. `fields` are listed in the order their probe questions should be asked.
    - evidence: how much of notes field `field` is evidence. Each note weighs `weights` of
      its `group` tag (heard 1, second-hand 0.5, imagined 0); a note missing an attribute in
      `needs`, or dated after the workshop, weighs 0; one dated more than `window_days`
      before the workshop weighs `stale_weight` times as much. `only` keeps notes with these
      tags. `target` unset: the weighted share of the notes (None with no notes); set: the
      weighted count against the target, 0 with no notes (nothing written is no evidence).
      Repeated texts count once.
    - actionable: notes that are actions: distinct, with every attribute in `needs`, at
      least `min_words` words, due (attribute `due`) from the workshop date to `within_days`
      after it, or to its `cover` option's days after it. With `cover`: the share of the
      cover group's options holding a counted action; else the count against `target`.
    - spread: rows of matrix `field` rated in columns `low` and `high` (values carry
      scores). `check: wide` counts rows spread `threshold` points or more apart (on the
      values' 0-100 scores); `check: outside` counts rows whose own answer (the field with
      the row's id) lies outside its range.
    - answered: the share of the rubric's weight answered.
    - mean: the mean of the answered `fields` as the team gave them (scales as 0-100), caps
      not applied: what the team itself rated, whatever ticked checklists add.
    - pattern: whether text field `field` matches the case-insensitive regular expression
      `pattern` (a persona naming several people, a definition naming the customer): 1 or 0
      with unit count, 100 or 0 with unit percent.
    - matrix_single with `parked`: rows whose only `value` sits in that column count as
      parked, not as owned ("leadership is A for now"); with `check: parked` and unit count,
      the metric counts the parked rows instead.
    - lint_clean with `also`: attributes of each note (follow-up questions) checked too.
    """

    id: Id
    label: Text
    kind: MetricKind
    unit: Literal["percent", "points", "count"] = "percent"
    description: Text | None = None
    field: Id | None = None
    other: Id | None = None
    group: Id | None = None
    values: list[OptionId] | None = None
    value: OptionId | None = None
    fields: list[Id] | None = None
    a: Operand | None = None
    b: Operand | None = None
    parts: dict[Id, float] | None = None
    missing: Literal["skip", "zero"] = "skip"
    link: Id | None = None
    needs: list[Id] = []
    weights: dict[OptionId, float] | None = None
    date: Id | None = None
    window_days: int | None = Field(default=None, ge=1)
    stale_weight: float = Field(default=0.5, ge=0, le=1)
    only: dict[Id, list[OptionId]] | None = None
    target: float | None = Field(default=None, gt=0)
    due: Id | None = None
    within_days: int | None = Field(default=None, ge=0)
    cover: Cover | None = None
    min_words: int = Field(default=0, ge=0)
    low: OptionId | None = None
    high: OptionId | None = None
    check: Literal["wide", "outside", "parked"] | None = None
    threshold: float = Field(default=50, gt=0, le=100)
    parked: OptionId | None = None
    also: list[Id] = []
    pattern: Text | None = None

    @model_validator(mode="after")
    def _args(self) -> Metric:
        need = {
            "tag_share": ["field", "group", "values"],
            "lint_clean": ["field"],
            "gap": ["a", "b"],
            "matrix_single": ["field", "value"],
            "matrix_agreement": ["field", "other"],
            "completeness": ["fields"],
            "combine": ["parts"],
            "backing": ["field", "link", "group", "values", "fields"],
            "evidence": ["field", "group", "weights"],
            "actionable": ["field", "due"],
            "spread": ["field", "low", "high", "check"],
            "answered": [],
            "pattern": ["field", "pattern"],
            "mean": ["fields"],
        }[self.kind]
        missing = [arg for arg in need if getattr(self, arg) is None]
        if missing:
            raise ValueError(f"a {self.kind} metric needs {', '.join(missing)}")
        if self.kind == "gap" and self.unit != "points":
            raise ValueError("a gap is measured in points: set unit: points")
        if self.check == "parked" and (self.kind != "matrix_single" or self.parked is None or self.unit != "count"):
            raise ValueError("check: parked counts the parked rows of a matrix_single metric "
                             "with parked: and unit: count")
        if self.kind == "spread" and self.unit != "count":
            raise ValueError("a spread counts rows: set unit: count")
        if self.kind == "pattern" and self.unit == "points":
            raise ValueError("a pattern metric is a count (1 or 0) or a percent (100 or 0)")
        if self.kind == "actionable" and (self.cover is None) == (self.target is None):
            raise ValueError("an actionable metric needs either cover: or target:")
        if self.window_days is not None and self.date is None:
            raise ValueError("window_days needs date: (the attribute holding each note's date)")
        if self.weights is not None and any(not 0 <= w <= 1 for w in self.weights.values()):
            raise ValueError("weights lie between 0 and 1")
        return self


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


BLOCKS = (
    "summary", "dimensions", "flags", "recommendation", "advice", "metrics", "completeness",
    "statistics", "answers", "chart", "ranked",
)


class Ranked(Model):
    """The `ranked` report block: notes of `field` grouped by the options of tag group `by`
    listed in `among` (jobs, pains, gains), each group in the order of tag group `rank`'s
    options (most important first, unranked last)."""

    field: Id
    rank: Id
    by: Id
    among: list[OptionId]


# --- report specifications: charts and the workshop summary (read by playbook.publish) --------

ChartKind = Literal["radar", "self_vs_evidence", "gut_vs_evidence", "raci_heatmap", "bars"]
_CHART_NEEDS: dict[str, tuple[str, ...]] = {
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
        need = _CHART_NEEDS[self.kind]
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


def rating_gaps(ex: Exercise) -> list[Metric]:
    """Gap metrics comparing a team's own scale rating with the evidence score (`a` a scale
    field, `b` the overall score): the gut call, the self-rating. A rating chart names one."""
    fields = ex.fields
    return [m for m in ex.metrics if m.kind == "gap" and m.a is not None and m.a.field in fields
            and fields[m.a.field].type == "scale" and m.b is not None and m.b.score == "overall"]


def _report_problems(ex: Exercise) -> Iterator[Problem]:
    """Every chart names a metric, field and value of the right kind (cross-checks)."""
    charts = [(("report", ri, "charts", k), c) for ri, rep in enumerate(ex.report) for k, c in enumerate(rep.charts)]
    charts.append((("workshop_summary", "chart"), ex.workshop_summary.chart))
    metrics, fields = {m.id: m for m in ex.metrics}, ex.fields
    for path, c in charts:
        if c.metric is not None:
            if c.metric not in metrics:
                yield (*path, "metric"), _unknown("metric", c.metric, metrics)
            elif c.metric not in {m.id for m in rating_gaps(ex)}:
                yield ((*path, "metric"), f"metric {c.metric!r} does not compare a rating with the evidence score; "
                       "a rating chart needs a gap metric with a: a scale field and b: {score: overall}")
        if c.field is not None:
            f = fields.get(c.field)
            if f is None:
                yield (*path, "field"), _unknown("field", c.field, fields)
            elif f.type != "matrix":
                yield (*path, "field"), f"field {c.field!r} is a {f.type}; a {c.kind} chart needs a matrix"
            elif c.value not in [v.id for v in f.values]:
                yield (*path, "value"), _unknown("value", c.value, [v.id for v in f.values])
    for ri, rep in enumerate(ex.report):
        if "chart" in rep.shows and not rep.charts:
            yield ("report", ri, "shows"), "show 'chart' with the charts to draw under charts:"
        for k, c in enumerate(rep.charts):
            if c.kind == "bars" and not rep.metrics:
                yield ("report", ri, "charts", k), "a bars chart draws the section's metrics: list them under metrics:"
    if ex.workshop_summary.chart.kind not in ("bars", "gut_vs_evidence"):
        yield (("workshop_summary", "chart", "kind"),
               "the workshop summary compares teams with bars or gut_vs_evidence")


# --- end of the report specifications ---------------------------------------------------------


class ReportSection(Model):
    """A part of the report: what it shows, in order (`answers` of sections, `metrics`...)."""

    id: Id
    title: Text
    intro: Text | None = None
    shows: Annotated[list[Literal[BLOCKS]], Field(min_length=1)]  # type: ignore[valid-type]
    sections: list[Id] = []
    metrics: list[Id] = []
    charts: list[Chart] = []
    ranked: Ranked | None = None

    @model_validator(mode="after")
    def _ranked(self) -> ReportSection:
        if ("ranked" in self.shows) != (self.ranked is not None):
            raise ValueError("show 'ranked' together with a ranked: block, or neither")
        return self


class Statistic(Model):
    """A figure the kit quotes, always with where it comes from and how well it is traced."""

    id: Id
    claim: Text  # the claim with its figure in it: "57% of email recipients..."
    figure: Text
    source: Text
    year: int | None = Field(default=None, ge=1900, le=2100)  # of the study; None: unknown
    quoted_year: int | None = Field(default=None, ge=1900, le=2100)  # of the article quoting it
    traced: Literal["verified", "secondary", "disputed", "untraced"]
    note: Text | None = None


class Reference(Model):
    id: Id
    title: Text
    author: Text
    note: Text | None = None


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


class Exercise(Model):
    id: Id
    version: int = Field(ge=1)
    title: Text
    summary: Text
    purpose: Text
    people: People
    prep_minutes: int = Field(ge=0, le=600)
    run_minutes: int = Field(ge=5, le=600)
    difficulty: Difficulty
    steps: Annotated[list[Step], Field(min_length=1)]
    sections: Annotated[list[Section], Field(min_length=1)]
    settings: list[Setting] = []
    conceal: list[Text] = []  # never in participant material (knockout rules, say)
    retired: list[Id] = []  # field ids of earlier versions: answers to them are ignored on load
    lint: list[LintRule] = []
    rubric: Rubric
    metrics: list[Metric] = []
    flags: list[Flag] = []
    recommendations: Annotated[list[Rule], Field(min_length=1)]
    advice: list[Rule] = []
    report: Annotated[list[ReportSection], Field(min_length=1)]
    statistics: list[Statistic] = []
    references: list[Reference] = []
    digest: Digest = Digest()
    workshop_summary: WorkshopSummary = WorkshopSummary()

    def __repr__(self) -> str:  # the full model is pages long in test reports
        return f"Exercise(id={self.id!r}, version={self.version})"

    @property
    def fields(self) -> dict[str, Any]:
        return {f.id: f for s in self.sections for f in s.fields}

    def field(self, field_id: str) -> Any:
        return self.fields[field_id]

    def section_of(self, field_id: str) -> Section:
        return next(s for s in self.sections if any(f.id == field_id for f in s.fields))

    @property
    def step_minutes(self) -> int:
        return sum(s.minutes for s in self.steps)


# --- cross-references -----------------------------------------------------------------

Problem = tuple[tuple[str | int, ...], str]


def _cross_check(ex: Exercise) -> Iterator[Problem]:
    """Every id a definition names must exist and have the right type."""
    fields = ex.fields
    seen: dict[str, str] = {}
    for si, sec in enumerate(ex.sections):
        for fi, f in enumerate(sec.fields):
            if f.id in seen:
                yield (("sections", si, "fields", fi, "id"),
                       f"field id {f.id!r} is already used in section {seen[f.id]!r}")
            seen[f.id] = sec.id
    for kind, items in (("section", ex.sections), ("step", ex.steps), ("metric", ex.metrics),
                        ("flag", ex.flags), ("recommendation", ex.recommendations),
                        ("advice", ex.advice), ("report section", ex.report),
                        ("statistic", ex.statistics), ("lint rule", ex.lint)):
        ids = [i.id for i in items]
        for n, i in enumerate(ids):
            if i in ids[:n]:
                yield (f"{kind.replace(' ', '_')}s", n, "id"), f"{kind} id {i!r} is used twice"
    section_ids = {s.id for s in ex.sections}
    covered = set()
    for si, step in enumerate(ex.steps):
        for k, sid in enumerate(step.sections):
            if sid not in section_ids:
                yield ("steps", si, "sections", k), _unknown("section", sid, section_ids)
            covered.add(sid)
    for sid in sorted(section_ids - covered):
        yield ("steps",), f"section {sid!r} belongs to no step; add it to a step's sections"
    if sum(s.minutes for s in ex.steps) > ex.run_minutes:
        yield ("run_minutes",), f"the steps take {ex.step_minutes} minutes, more than run_minutes {ex.run_minutes}"
    metric_ids = {m.id for m in ex.metrics}
    dim_ids = {d.id for d in ex.rubric.dimensions} | {"overall"}

    def need_field(path: tuple[str | int, ...], fid: str | None, types: tuple[str, ...]) -> Iterator[Problem]:
        if fid is None:
            return
        if fid not in fields:
            yield path, _unknown("field", fid, fields)
        elif types and fields[fid].type not in types:
            yield path, f"field {fid!r} is a {fields[fid].type}; this needs one of: {', '.join(types)}"

    method_types = {
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
    cap_ids = {c.id for c in ex.rubric.caps}
    conds: list[tuple[tuple[str | int, ...], Condition]] = []
    for di, dim in enumerate(ex.rubric.dimensions):
        for ii, item in enumerate(dim.items):
            path = ("rubric", "dimensions", di, "items", ii)
            yield from need_field((*path, "field"), item.field, method_types[item.method])
            if item.metric and item.metric not in metric_ids:
                yield (*path, "metric"), _unknown("metric", item.metric, metric_ids)
            if item.method == "option_score" and item.field in fields:
                unscored = [o.id for o in fields[item.field].options if o.score is None]
                if unscored:
                    yield ((*path, "field"), f"option_score needs a score on every option of {item.field!r}; "
                           f"missing: {', '.join(unscored)}")
            if item.method == "tag_share" and item.field in fields:
                yield from _tag_problems((*path,), fields[item.field], item.group, item.values)
            if item.method == "count" and item.values and item.field in fields:
                opts = [o.id for o in getattr(fields[item.field], "options", [])]
                for k, v in enumerate(item.values):
                    if v not in opts:
                        yield (*path, "values", k), _unknown("option", v, opts)
            if item.needs and item.field in fields:
                attrs = [a.id for a in getattr(fields[item.field], "attributes", [])]
                for k, a in enumerate(item.needs):
                    if a not in attrs:
                        yield (*path, "needs", k), _unknown("attribute", a, attrs)
            if item.cap is not None and item.cap not in cap_ids:
                yield (*path, "cap"), _unknown("cap", item.cap, cap_ids)
            if item.when is not None:
                conds.append(((*path, "when"), item.when))
    for bi, band in enumerate(ex.rubric.bands):
        if band.requires is not None:
            conds.append((("rubric", "bands", bi, "requires"), band.requires))
    if ex.rubric.incomplete_when is not None:
        conds.append((("rubric", "incomplete_when"), ex.rubric.incomplete_when))
    for ci, cap in enumerate(ex.rubric.caps):
        if cap.unless is not None:
            conds.append((("rubric", "caps", ci, "unless"), cap.unless))
        kinds = {m.id: m.kind for m in ex.metrics}
        if cap.backed_by is not None and kinds.get(cap.backed_by) != "backing":
            yield (("rubric", "caps", ci, "backed_by"),
                   f"{cap.backed_by!r} is not a backing metric; backing metrics: "
                   f"{', '.join(k for k, v in kinds.items() if v == 'backing') or 'none'}")
        yield from _template_problems(("rubric", "caps", ci, "explain"), cap.explain, {"items", "count"})
    for mi, m in enumerate(ex.metrics):
        path = ("metrics", mi)
        types = {
            "tag_share": ("notes",), "lint_clean": ("notes",), "matrix_single": ("matrix",),
            "matrix_agreement": ("matrix",),
        }.get(m.kind, ())
        yield from need_field((*path, "field"), m.field, types)
        yield from need_field((*path, "other"), m.other, ("matrix",))
        for k, fid in enumerate(m.fields or []):
            yield from need_field((*path, "fields", k), fid, ())
        if m.kind == "tag_share" and m.field in fields:
            yield from _tag_problems(path, fields[m.field], m.group, m.values)
        if m.kind == "lint_clean" and not ex.lint:
            yield (*path, "kind"), "a lint_clean metric needs lint rules at the top level"
        if m.kind == "matrix_single" and m.field in fields:
            vals = [v.id for v in fields[m.field].values]
            if m.value not in vals:
                yield (*path, "value"), _unknown("matrix value", m.value, vals)
        if m.kind == "matrix_agreement" and m.field in fields and m.other in fields:
            a, b = fields[m.field], fields[m.other]
            if [r.id for r in a.rows] != [r.id for r in b.rows]:
                yield (*path, "other"), f"matrices {m.field!r} and {m.other!r} must have the same rows"
        for side in ("a", "b"):
            op: Operand | None = getattr(m, side)
            if op is None:
                continue
            yield from need_field((*path, side, "field"), op.field, ("scale", "number"))
            if op.metric and op.metric not in metric_ids:
                yield (*path, side, "metric"), _unknown("metric", op.metric, metric_ids)
            if op.score and op.score not in dim_ids:
                yield (*path, side, "score"), _unknown("score", op.score, dim_ids)
        for part in m.parts or {}:
            if part not in metric_ids:
                yield (*path, "parts", part), _unknown("metric", part, metric_ids)
        yield from _metric_problems(ex, path, m)
    for li, rule in enumerate(ex.lint):
        try:
            re.compile(rule.pattern)
        except re.error as exc:
            yield ("lint", li, "pattern"), f"not a valid regular expression: {exc}"
        if rule.unless is not None:
            try:
                re.compile(rule.unless)
            except re.error as exc:
                yield ("lint", li, "unless"), f"not a valid regular expression: {exc}"
    setting_ids = {st.id for st in ex.settings}
    for fi, flag in enumerate(ex.flags):
        if flag.when:
            conds.append((("flags", fi, "when"), flag.when))
        if flag.each_selected:
            yield from need_field(("flags", fi, "each_selected"), flag.each_selected, ("multi_choice", "checklist"))
        yield from _template_problems(("flags", fi, "reason"), flag.reason,
                                      {"value", "details", "label", *setting_ids})
    for key in ("recommendations", "advice"):
        rules: list[Rule] = getattr(ex, key)
        for ri, rule in enumerate(rules):
            if rule.when:
                conds.append(((key, ri, "when"), rule.when))
    yield from _recommendation_problems(ex)
    for path, cond in conds:
        for c in cond.walk():
            yield from need_field((*path, "field"), c.field, ())
            if c.metric and c.metric not in metric_ids:
                yield (*path, "metric"), _unknown("metric", c.metric, metric_ids)
            if c.score and c.score not in dim_ids:
                yield (*path, "score"), _unknown("score", c.score, dim_ids)
            if c.recommendation and path[0] in ("recommendations", "rubric"):
                yield (*path, "recommendation"), "only flags and advice may test the recommendation"
            for op in ("lt", "le", "gt", "ge"):
                ref = getattr(c, op)
                if isinstance(ref, SettingRef) and ref.setting not in setting_ids:
                    yield (*path, op, "setting"), _unknown("setting", ref.setting, setting_ids)
            for op in ("lt", "le", "gt", "ge", "eq", "ne"):
                ref = getattr(c, op)
                if isinstance(ref, FieldRef):
                    yield from need_field((*path, op, "field"), ref.field, ())
    for key in ("actions", "evidence", "subject"):
        ref = getattr(ex.digest, key)
        if ref is None:
            continue
        if key == "evidence" and ref not in metric_ids:
            yield ("digest", key), _unknown("metric", ref, metric_ids)
        if key != "evidence":
            yield from need_field(("digest", key), ref, ("notes",) if key == "actions" else ("short_text",))
    for ri, rep in enumerate(ex.report):
        for k, sid in enumerate(rep.sections):
            if sid not in section_ids:
                yield ("report", ri, "sections", k), _unknown("section", sid, section_ids)
        for k, mid in enumerate(rep.metrics):
            if mid not in metric_ids:
                yield ("report", ri, "metrics", k), _unknown("metric", mid, metric_ids)
        if rep.ranked is not None:
            yield from need_field(("report", ri, "ranked", "field"), rep.ranked.field, ("notes",))
            f = fields.get(rep.ranked.field)
            if f is not None and f.type == "notes":
                path = ("report", ri, "ranked")
                yield from _tag_problems(path, f, rep.ranked.by, rep.ranked.among)
                yield from _tag_problems(path, f, rep.ranked.rank, [])
    yield from _report_problems(ex)


def _tag_problems(
    path: tuple[str | int, ...], f: Any, group: str | None, values: list[str] | None
) -> Iterator[Problem]:
    groups = {g.id: g for g in f.tag_groups}
    if group not in groups:
        yield (*path, "group"), _unknown("tag group", group, groups)
        return
    opts = [o.id for o in groups[group].options]
    for k, v in enumerate(values or []):
        if v not in opts:
            yield (*path, "values", k), _unknown("tag", v, opts)


def _template_problems(path: tuple[str | int, ...], template: str, allowed: set[str]) -> Iterator[Problem]:
    known = ", ".join(f"{{{a}}}" for a in sorted(allowed))
    try:
        names = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as exc:
        yield path, f"not a valid template: {exc}; write {known}"
        return
    bad = names - allowed
    if bad:
        yield path, f"unknown placeholder {{{sorted(bad)[0]}}}; use {known}"


def _recommendation_problems(ex: Exercise) -> Iterator[Problem]:
    recs = ex.recommendations
    plain = [r for r in recs if not r.overrides]
    if not plain or plain[-1].when is not None:
        last = recs.index(plain[-1]) if plain else len(recs) - 1
        yield (("recommendations", last, "when"),
               "the last recommendation without overrides: is the default: give it no when:")
    plain_ids = {r.id for r in plain}
    backing = {m.id for m in ex.metrics if m.kind == "backing"}
    for ri, rule in enumerate(recs):
        for k, rid in enumerate(rule.overrides):
            if rid not in plain_ids:
                yield ("recommendations", ri, "overrides", k), _unknown("recommendation", rid, plain_ids)
        if rule.overrides and rule.when is None:
            yield ("recommendations", ri, "when"), "an overriding recommendation needs a when:"
    for key in ("recommendations", "advice"):
        for ri, rule in enumerate(getattr(ex, key)):
            if rule.questions and rule.questions.metric not in backing:
                yield (key, ri, "questions", "metric"), _unknown("backing metric", rule.questions.metric, backing)


def _metric_problems(ex: Exercise, path: tuple[str | int, ...], m: Metric) -> Iterator[Problem]:
    """The arguments of the evidence, action and spread metric kinds."""
    fields = ex.fields
    f = fields.get(m.field or "")
    if m.kind in ("backing", "evidence", "actionable") and f is not None:
        if f.type != "notes":
            yield (*path, "field"), f"field {f.id!r} is a {f.type}; a {m.kind} metric reads notes"
            return
        attrs = {a.id: a for a in f.attributes}
        for k, a in enumerate(m.needs):
            if a not in attrs:
                yield (*path, "needs", k), _unknown("attribute", a, attrs)
        for key in ("date", "due"):
            a = getattr(m, key)
            if a is not None and (a not in attrs or attrs[a].kind != "date"):
                yield (*path, key), f"{a!r} is not a date attribute of {f.id!r}"
        groups = {g.id: [o.id for o in g.options] for g in f.tag_groups}
        if m.kind == "backing":
            yield from _tag_problems(path, f, m.group, m.values)
            if m.link not in groups:
                yield (*path, "link"), _unknown("tag group", m.link, groups)
            else:
                for k, fid in enumerate(m.fields or []):
                    if fid not in groups[m.link or ""]:
                        yield (*path, "fields", k), f"tag group {m.link!r} has no option {fid!r} to link notes to it"
        if m.kind == "evidence":
            yield from _tag_problems(path, f, m.group, list(m.weights or {}))
            for gid, opts in (m.only or {}).items():
                yield from _tag_problems(path, f, gid, opts)
        if m.cover is not None:
            if m.cover.group not in groups:
                yield (*path, "cover", "group"), _unknown("tag group", m.cover.group, groups)
            else:
                for key in m.cover.days:
                    if key not in groups[m.cover.group]:
                        yield (*path, "cover", "days", key), _unknown("tag", key, groups[m.cover.group])
    if m.kind == "spread" and f is not None:
        if f.type != "matrix":
            yield (*path, "field"), f"field {f.id!r} is a {f.type}; a spread reads a matrix"
            return
        cols = [c.id for c in f.columns]
        for key in ("low", "high"):
            if getattr(m, key) not in cols:
                yield (*path, key), _unknown("column", getattr(m, key), cols)
        if any(v.score is None for v in f.values):
            yield (*path, "field"), f"every value of {f.id!r} needs a score for a spread"
    if m.kind == "matrix_single" and m.parked is not None and f is not None and f.type == "matrix":
        cols = [c.id for c in f.columns]
        if m.parked not in cols:
            yield (*path, "parked"), _unknown("column", m.parked, cols)
    if m.kind == "mean":
        for k, fid in enumerate(m.fields or []):
            if fid in fields and fields[fid].type not in ("scale", "number"):
                yield (*path, "fields", k), f"field {fid!r} is a {fields[fid].type}; a mean takes scales and numbers"
    if m.kind == "pattern" and f is not None:
        if f.type not in ("short_text", "long_text"):
            yield (*path, "field"), f"field {f.id!r} is a {f.type}; a pattern metric reads text"
        try:
            re.compile(m.pattern or "")
        except re.error as exc:
            yield (*path, "pattern"), f"not a valid regular expression: {exc}"
    if m.kind == "lint_clean" and f is not None and f.type == "notes":
        attrs = [a.id for a in f.attributes]
        for k, a in enumerate(m.also):
            if a not in attrs:
                yield (*path, "also", k), _unknown("attribute", a, attrs)


def _unknown(what: str, name: Any, known: Any) -> str:
    listed = ", ".join(sorted(map(str, known)))
    return f"unknown {what} {name!r}; known: {listed}"


# --- loading --------------------------------------------------------------------------


def content_dir() -> Path:
    return Path(str(resources.files("playbook") / "content"))


def load_file(path: str | Path) -> Exercise:
    """Load one definition file; any problem is a `DefinitionError` with file and line."""
    doc = yamlio.load(path, DefinitionError)
    if not isinstance(doc.data, dict):
        raise DefinitionError("an exercise definition must be a mapping of keys", file=doc.file, line=1)
    dup = yamlio.duplicate_ids(doc.data)
    if dup:
        path_, name = dup
        raise DefinitionError(
            f"id {name!r} is used twice in the same list", file=doc.file,
            line=doc.line_of(path_), field=yamlio.dotted(path_), fix="give each entry its own id",
        )
    try:
        ex = Exercise.model_validate(doc.data)
    except ValidationError as exc:
        raise yamlio.from_validation(exc, doc, DefinitionError) from None
    for path_, message in _cross_check(ex):
        raise DefinitionError(
            message, file=doc.file, line=doc.line_of(path_), field=yamlio.dotted(path_)
        )
    for path_, message in concealment.problems(ex):
        raise DefinitionError(
            message, file=doc.file, line=doc.line_of(path_), field=yamlio.dotted(path_),
            fix="move these words to facilitator_notes or to the field's reveal, or reword them",
        )
    if Path(path).stem != ex.id:
        raise DefinitionError(
            f"the id {ex.id!r} does not match the file name",
            file=doc.file, line=doc.line_of(("id",)), field="id",
            fix=f"rename the file to {ex.id}.yml or change the id",
        )
    from playbook.scoring import score  # scoring imports this module

    try:
        score(ex, {})  # a dry run finds cycles between metrics and scores
    except DefinitionError as exc:
        raise DefinitionError(exc.what, file=doc.file, fix=exc.fix) from None
    return ex


@cache
def _all() -> dict[str, Exercise]:
    out: dict[str, Exercise] = {}
    for path in sorted(content_dir().glob("*.yml")):
        ex = load_file(path)
        out[ex.id] = ex
    return out


def all_exercises() -> list[Exercise]:
    """The bundled definitions, in a stable order (the order of ORDER, then by id)."""
    found = _all()
    return sorted(found.values(), key=lambda e: (ORDER.index(e.id) if e.id in ORDER else 99, e.id))


ORDER = ("empathy_audit", "fit_assessment", "enablement")


def get(exercise_id: str) -> Exercise:
    found = _all()
    if exercise_id not in found:
        raise DefinitionError(
            f"no exercise called {exercise_id!r}",
            fix=f"use one of: {', '.join(e.id for e in all_exercises())}",
        )
    return found[exercise_id]


__all__ = [
    "Band", "Chart", "Condition", "Dimension", "Exercise", "Flag", "Item", "Metric", "Option",
    "ReportSection", "Rule", "Section", "Statistic", "Step", "WorkshopSummary", "all_exercises", "get",
    "load_file", "rating_gaps",
]
