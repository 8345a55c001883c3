"""The exercise: its sections of fields, timed steps, settings, sources, and the parts that
judge the answers (rubric, metrics, flags, recommendations) and report them.

One definition drives the worksheet, the handout, the scoring and the report. Everything
that decides a result (weights, thresholds, rules) is data here; `playbook.scoring` only
knows how to apply the methods and metric kinds the model declares.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from playbook.model.fields import F, FieldDef, Id, Model, Text, as_type, unique_ids
from playbook.model.metrics import LintRule, Metric
from playbook.model.report import Digest, ReportSection, WorkshopSummary
from playbook.model.rubric import Rubric
from playbook.model.rules import Flag, Rule

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
        unique_ids(self.fields, "field")
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
    def fields(self) -> dict[str, FieldDef]:
        return {f.id: f for s in self.sections for f in s.fields}

    def field(self, field_id: str) -> FieldDef:
        return self.fields[field_id]

    def field_as(self, field_id: str, kind: type[F]) -> F:
        """A field as the type its use needs: ``ex.field_as("raci", Matrix).rows``."""
        return as_type(self.fields[field_id], kind)

    def section_of(self, field_id: str) -> Section:
        return next(s for s in self.sections if any(f.id == field_id for f in s.fields))

    @property
    def step_minutes(self) -> int:
        return sum(s.minutes for s in self.steps)

    @property
    def text_rules(self) -> list[LintRule | Metric]:
        """The rules that read free text with patterns: lint rules and pattern metrics."""
        return [*self.lint, *(m for m in self.metrics if m.kind == "pattern")]

    @property
    def text_languages(self) -> frozenset[str] | None:
        """The languages every text rule is written for (English and each `languages` key);
        None when the definition reads no text with patterns, so any language scores."""
        rules = self.text_rules
        if not rules:
            return None
        return frozenset.intersection(*(frozenset({"en", *r.languages}) for r in rules))


def rating_gaps(ex: Exercise) -> list[Metric]:
    """Gap metrics comparing a team's own scale rating with the evidence score (`a` a scale
    field, `b` the overall score): the gut call, the self-rating. A rating chart names one."""
    fields = ex.fields
    return [m for m in ex.metrics if m.kind == "gap" and m.a is not None and m.a.field in fields
            and fields[m.a.field].type == "scale" and m.b is not None and m.b.score == "overall"]
