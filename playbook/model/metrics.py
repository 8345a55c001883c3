"""Metrics: exercise-specific results (shares, gaps, evidence, actions) and the lint rules
that mark weak interview questions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from playbook.model.fields import Id, Model, OptionId, Text


def _alternatives(value: Any) -> Any:
    """A list of patterns is their alternatives, one a line: joined with |."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "|".join(value)
    return value


# A case-insensitive regular expression, or a list of them (its alternatives, easier to read).
Regex = Annotated[str, BeforeValidator(_alternatives), StringConstraints(min_length=1, max_length=8000)]


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


MetricKind = Literal[
    "tag_share", "lint_clean", "gap", "matrix_single", "matrix_agreement", "completeness",
    "combine", "backing", "evidence", "actionable", "spread", "answered", "pattern", "mean",
]


class Pattern(Model):
    """A rule's regular expressions for one language other than English."""

    pattern: Regex
    unless: Regex | None = None


class LintRule(Model):
    """A pattern that marks a weak interview question (a hypothetical, a pitch, yes/no),
    unless the `unless` pattern also matches (a request for a story is not a yes/no
    question: "Could you walk me through...").

    `pattern` and `unless` read English; `languages` holds the rule for each other language
    (``fr: {pattern: ..., unless: ...}``), written for that language's grammar, not
    translated word for word. Each text is read with the rules of the language it is
    written in (`playbook.scoring.language`); every rule of a definition covers the same
    languages, and scoring refuses a workshop language they do not cover.
    """

    id: Id
    pattern: Text  # a case-insensitive regular expression
    unless: Text | None = None
    message: Text
    languages: dict[str, Pattern] = {}

    def rule(self, language: str) -> tuple[str, str | None] | None:
        """The rule's (pattern, unless) for `language`; None when it has none."""
        if language == "en":
            return self.pattern, self.unless
        found = self.languages.get(language)
        return None if found is None else (found.pattern, found.unless)


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
      with unit count, 100 or 0 with unit percent. `pattern` reads English, `languages`
      holds one per other language (``fr: {pattern: ...}``), as for lint rules.
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
    languages: dict[str, Pattern] = {}

    def rule(self, language: str) -> str | None:
        """A pattern metric's pattern for `language`; None when it has none."""
        if language == "en":
            return self.pattern
        found = self.languages.get(language)
        return None if found is None else found.pattern

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
        if self.languages and self.kind != "pattern":
            raise ValueError("languages: holds a pattern metric's pattern in other languages; this is a "
                             f"{self.kind} metric")
        if any(p.unless is not None for p in self.languages.values()):
            raise ValueError("a pattern metric's languages take pattern: only")
        if self.kind == "pattern" and self.unit == "points":
            raise ValueError("a pattern metric is a count (1 or 0) or a percent (100 or 0)")
        if self.kind == "actionable" and (self.cover is None) == (self.target is None):
            raise ValueError("an actionable metric needs either cover: or target:")
        if self.window_days is not None and self.date is None:
            raise ValueError("window_days needs date: (the attribute holding each note's date)")
        if self.weights is not None and any(not 0 <= w <= 1 for w in self.weights.values()):
            raise ValueError("weights lie between 0 and 1")
        return self
