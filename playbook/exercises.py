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
from playbook.fields import FieldDef, Id, Model, Option, OptionId, Text, _unique_ids

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
    sections: list[Id] = []


# --- conditions -----------------------------------------------------------------------

_OPS = ("lt", "le", "gt", "ge", "eq", "ne", "in_", "includes", "filled")


class Condition(Model):
    """A test on one subject (a field, metric or score) or a combination of conditions.

    ``{metric: overconfidence_gap, ge: 25}``; ``{field: red_flags, includes: evasive}``;
    ``{all: [...]}``. A subject with no value (unanswered) fails every test but
    ``filled: false``.
    """

    field: Id | None = None
    metric: Id | None = None
    score: Id | None = None  # "overall" or a dimension id
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    lt: float | None = None
    le: float | None = None
    gt: float | None = None
    ge: float | None = None
    eq: str | float | None = None
    ne: str | float | None = None
    in_: list[str | float] | None = Field(default=None, alias="in")
    includes: str | None = None
    filled: bool | None = None

    @model_validator(mode="after")
    def _shape(self) -> Condition:
        subjects = [k for k in ("field", "metric", "score") if getattr(self, k) is not None]
        groups = [k for k in ("all", "any", "not_") if getattr(self, k) is not None]
        ops = [k for k in _OPS if getattr(self, k) is not None]
        if len(subjects) + len(groups) != 1:
            raise ValueError("a condition needs exactly one of field, metric, score, all, any, not")
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
    "scale", "option_score", "share", "count", "piecewise", "filled", "tag_share", "metric"
]


class Item(Model):
    """How one answer contributes to a dimension, scored 0-100 (unanswered scores 0)."""

    field: Id | None = None
    metric: Id | None = None
    method: ItemMethod
    weight: float = Field(default=1, gt=0)
    invert: bool = False
    target: int | None = Field(default=None, ge=1)  # count: how many make 100
    points: list[tuple[float, float]] | None = None  # piecewise: (value, score) pairs
    min_words: int | None = Field(default=None, ge=1)  # filled: words that make 100
    group: Id | None = None  # tag_share: the tag group
    values: list[OptionId] | None = None  # tag_share: the options that count

    @model_validator(mode="after")
    def _args(self) -> Item:
        if (self.method == "metric") != (self.metric is not None) or (
            self.field is None and self.metric is None
        ):
            raise ValueError("method 'metric' takes metric:, every other method takes field:")
        need = {"count": ["target"], "piecewise": ["points"], "tag_share": ["group", "values"]}
        for arg in need.get(self.method, []):
            if getattr(self, arg) is None:
                raise ValueError(f"method {self.method!r} needs {arg}:")
        if self.points is not None:
            xs = [x for x, _ in self.points]
            if len(xs) < 2 or xs != sorted(xs) or any(not 0 <= y <= 100 for _, y in self.points):
                raise ValueError("points: two or more (value, score) pairs, values rising, scores 0-100")
        return self


class Dimension(Model):
    id: Id
    label: Text
    description: Text | None = None
    weight: float = Field(default=1, gt=0)
    items: Annotated[list[Item], Field(min_length=1)]


class Band(Model):
    id: Id
    min: float = Field(ge=0, le=100)
    label: Text
    summary: Text


class Rubric(Model):
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    bands: Annotated[list[Band], Field(min_length=2)]
    gap_below: float = Field(default=50, ge=0, le=100)

    @model_validator(mode="after")
    def _checks(self) -> Rubric:
        _unique_ids(self.dimensions, "dimension")
        _unique_ids(self.bands, "band")
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
    "combine",
]


class LintRule(Model):
    """A pattern that marks a weak interview question (a hypothetical, a pitch, yes/no)."""

    id: Id
    pattern: Text  # a case-insensitive regular expression
    message: Text


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
    """

    id: Id
    label: Text
    kind: MetricKind
    unit: Literal["percent", "points"] = "percent"
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
        }[self.kind]
        missing = [arg for arg in need if getattr(self, arg) is None]
        if missing:
            raise ValueError(f"a {self.kind} metric needs {', '.join(missing)}")
        if self.kind == "gap" and self.unit != "points":
            raise ValueError("a gap is measured in points: set unit: points")
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


class Rule(Model):
    """A recommendation (first match wins) or a piece of advice (every match applies)."""

    id: Id
    label: Text
    text: Text
    when: Condition | None = None


BLOCKS = (
    "summary", "dimensions", "flags", "recommendation", "advice", "metrics", "completeness",
    "statistics", "answers", "chart",
)


class ReportSection(Model):
    """A part of the report: what it shows, in order (`answers` of sections, `metrics`...)."""

    id: Id
    title: Text
    intro: Text | None = None
    shows: Annotated[list[Literal[BLOCKS]], Field(min_length=1)]  # type: ignore[valid-type]
    sections: list[Id] = []
    metrics: list[Id] = []
    charts: list[Literal["radar", "self_vs_evidence", "gut_vs_evidence", "raci_heatmap", "bars"]] = []


class Statistic(Model):
    """A figure the kit quotes, always with where it comes from and how well it is traced."""

    id: Id
    claim: Text
    figure: Text
    source: Text
    year: int | None = Field(default=None, ge=1900, le=2100)
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
    lint: list[LintRule] = []
    rubric: Rubric
    metrics: list[Metric] = []
    flags: list[Flag] = []
    recommendations: Annotated[list[Rule], Field(min_length=1)]
    advice: list[Rule] = []
    report: Annotated[list[ReportSection], Field(min_length=1)]
    statistics: list[Statistic] = []
    references: list[Reference] = []

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
    }
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
    for li, rule in enumerate(ex.lint):
        try:
            re.compile(rule.pattern)
        except re.error as exc:
            yield ("lint", li, "pattern"), f"not a valid regular expression: {exc}"
    conds: list[tuple[tuple[str | int, ...], Condition]] = []
    for fi, flag in enumerate(ex.flags):
        if flag.when:
            conds.append((("flags", fi, "when"), flag.when))
        if flag.each_selected:
            yield from need_field(("flags", fi, "each_selected"), flag.each_selected, ("multi_choice", "checklist"))
        yield from _template_problems(("flags", fi, "reason"), flag.reason)
    for key in ("recommendations", "advice"):
        rules: list[Rule] = getattr(ex, key)
        for ri, rule in enumerate(rules):
            if rule.when:
                conds.append(((key, ri, "when"), rule.when))
    if ex.recommendations[-1].when is not None:
        yield (("recommendations", len(ex.recommendations) - 1, "when"),
               "the last recommendation is the default: give it no when:")
    for path, cond in conds:
        for c in cond.walk():
            yield from need_field((*path, "field"), c.field, ())
            if c.metric and c.metric not in metric_ids:
                yield (*path, "metric"), _unknown("metric", c.metric, metric_ids)
            if c.score and c.score not in dim_ids:
                yield (*path, "score"), _unknown("score", c.score, dim_ids)
    for ri, rep in enumerate(ex.report):
        for k, sid in enumerate(rep.sections):
            if sid not in section_ids:
                yield ("report", ri, "sections", k), _unknown("section", sid, section_ids)
        for k, mid in enumerate(rep.metrics):
            if mid not in metric_ids:
                yield ("report", ri, "metrics", k), _unknown("metric", mid, metric_ids)


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


def _template_problems(path: tuple[str | int, ...], template: str) -> Iterator[Problem]:
    try:
        names = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as exc:
        yield path, f"not a valid template: {exc}; write {{value}}, {{details}} or {{label}}"
        return
    bad = names - {"value", "details", "label"}
    if bad:
        yield path, f"unknown placeholder {{{sorted(bad)[0]}}}; use {{value}}, {{details}} or {{label}}"


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
    "Band", "Condition", "Dimension", "Exercise", "Flag", "Item", "Metric", "Option",
    "ReportSection", "Rule", "Section", "Statistic", "Step", "all_exercises", "get",
    "load_file",
]
