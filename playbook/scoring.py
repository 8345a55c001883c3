"""Answers -> results: scores, band, metrics, flags, recommendation, completeness.

Pure functions over validated answers. The definition says what to compute; this module
only knows the methods and metric kinds that `playbook.exercises` declares. Unanswered
items score 0: the audit rewards evidence, and no answer is no evidence.
"""

from __future__ import annotations

import itertools
import math
import re
import string
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from playbook.errors import DefinitionError
from playbook.exercises import Band, Condition, Exercise, Item, Metric, Operand

Severity = Literal["knockout", "warning", "notice"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class DimensionResult(_Result):
    id: str
    label: str
    weight: float
    score: float  # 0-100
    answered: float  # share of the dimension's weight that had an answer, 0-100
    gap: bool  # below the rubric's gap_below


class MetricResult(_Result):
    id: str
    label: str
    unit: Literal["percent", "points"]
    value: float | None  # None: nothing to measure yet
    details: list[str]


class FlagResult(_Result):
    id: str
    label: str
    severity: Severity
    reason: str


class RuleResult(_Result):
    id: str
    label: str
    text: str


class SectionCompleteness(_Result):
    id: str
    title: str
    answered: int
    total: int
    percent: float
    optional: bool  # every field optional (filled later, say): left out of the overall


class Result(_Result):
    exercise: str
    overall: float
    band: Band
    dimensions: list[DimensionResult]
    gaps: list[str]
    metrics: dict[str, MetricResult]
    flags: list[FlagResult]
    recommendation: RuleResult
    advice: list[RuleResult]
    completeness: list[SectionCompleteness]
    completeness_overall: float

    @property
    def knockouts(self) -> list[FlagResult]:
        return [f for f in self.flags if f.severity == "knockout"]


def is_answered(field: Any, value: Any) -> bool:
    """A checklist with nothing ticked is an answer ("none apply"); other empties are not."""
    if value is None:
        return False
    if field.type == "checklist":
        return isinstance(value, list)
    if isinstance(value, str):
        return bool(value.strip())
    return value not in ([], {})


def _clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def _r(x: float) -> float:
    """One decimal, halves rounded up (56.25 -> 56.3), as a person rounds by hand."""
    return math.floor(x * 10 + 0.5 + 1e-9) / 10


def _interpolate(points: list[tuple[float, float]], x: float) -> float:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 != x0 else y1
    return points[-1][1]


class _Formatter(string.Formatter):
    """Formats reason templates; a value that refuses a format spec is shown as text."""

    def format_field(self, value: Any, format_spec: str) -> str:
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_FMT = _Formatter()


class _Scorer:
    """Evaluates one team's answers lazily, so metrics and scores may refer to each other."""

    def __init__(self, ex: Exercise, answers: Mapping[str, Any]) -> None:
        self.ex = ex
        self.fields = ex.fields
        self.answers = {k: v for k, v in answers.items() if k in self.fields}
        self.metric_defs = {m.id: m for m in ex.metrics}
        self._metrics: dict[str, MetricResult] = {}
        self._dims: dict[str, DimensionResult] = {}
        self._raw: dict[str, float] = {}  # unrounded dimension scores, for the overall
        self._busy: set[str] = set()
        self._lint = [(r, re.compile(r.pattern, re.IGNORECASE)) for r in ex.lint]

    # -- values ------------------------------------------------------------------------

    def value(self, field_id: str) -> Any:
        v = self.answers.get(field_id)
        return v if is_answered(self.fields[field_id], v) else None

    def _guard(self, key: str) -> None:
        if key in self._busy:
            raise DefinitionError(
                f"{key} depends on itself through metrics and scores",
                file=f"{self.ex.id}.yml",
                fix="break the cycle: a metric used in a dimension cannot refer to that score",
            )
        self._busy.add(key)

    # -- items and dimensions ----------------------------------------------------------

    def item(self, item: Item) -> tuple[float, bool]:
        """(score 0-100, answered) of one rubric item."""
        if item.method == "metric":
            m = self.metric(item.metric or "")
            if m.value is None:
                return 0.0, False
            s = _clamp(m.value)
            return (100 - s if item.invert else s), True
        f = self.fields[item.field or ""]
        v = self.value(f.id)
        if v is None:
            return 0.0, False
        match item.method:
            case "scale":
                s = f.percent(v)
            case "option_score":
                picked = [v] if isinstance(v, str) else v
                s = sum(f.option(o).score for o in picked) / len(picked) if picked else 0.0
            case "share":
                s = 100 * len(v) / len(f.options)
            case "count":
                s = 100 * min(len(v) / (item.target or 1), 1)
            case "piecewise":
                s = _interpolate(item.points or [], float(v))
            case "filled":
                words = len(v.split())
                s = 100 * min(words / item.min_words, 1) if item.min_words else 100.0
            case "tag_share":
                s = self._tag_share(v, item.group or "", item.values or [])[0]
            case _:  # pragma: no cover - the model forbids other methods
                raise AssertionError(item.method)
        s = _clamp(s)
        return (100 - s if item.invert else s), True

    def dimension(self, dim_id: str) -> DimensionResult:
        if dim_id in self._dims:
            return self._dims[dim_id]
        self._guard(f"score {dim_id!r}")
        dim = next(d for d in self.ex.rubric.dimensions if d.id == dim_id)
        total = sum(i.weight for i in dim.items)
        scored = [(self.item(i), i.weight) for i in dim.items]
        score = sum(s * w for (s, _), w in scored) / total
        answered = 100 * sum(w for (_, a), w in scored if a) / total
        res = DimensionResult(
            id=dim.id, label=dim.label, weight=dim.weight, score=_r(score),
            answered=_r(answered), gap=score < self.ex.rubric.gap_below,
        )
        self._busy.discard(f"score {dim_id!r}")
        self._dims[dim_id] = res
        self._raw[dim_id] = score
        return res

    def overall(self) -> float:
        """Weighted mean of the unrounded dimension scores, rounded once."""
        dims = self.ex.rubric.dimensions
        for d in dims:
            self.dimension(d.id)
        return _r(sum(self._raw[d.id] * d.weight for d in dims) / sum(d.weight for d in dims))

    def score(self, score_id: str) -> float:
        return self.overall() if score_id == "overall" else self.dimension(score_id).score

    # -- metrics -----------------------------------------------------------------------

    def _tag_share(self, notes: list[dict[str, Any]], group: str, values: list[str]) -> tuple[float, int]:
        hits = sum(1 for n in notes if n.get("tags", {}).get(group) in values)
        return 100 * hits / len(notes), hits

    def operand(self, op: Operand) -> float | None:
        if op.field:
            v = self.value(op.field)
            if v is None:
                return None
            f = self.fields[op.field]
            return f.percent(v) if f.type == "scale" else float(v)
        if op.score:
            return self.score(op.score)
        return self.metric(op.metric or "").value

    def metric(self, metric_id: str) -> MetricResult:
        if metric_id in self._metrics:
            return self._metrics[metric_id]
        self._guard(f"metric {metric_id!r}")
        m = self.metric_defs[metric_id]
        value, details = self._compute(m)
        res = MetricResult(
            id=m.id, label=m.label, unit=m.unit,
            value=None if value is None else _r(value), details=details,
        )
        self._busy.discard(f"metric {metric_id!r}")
        self._metrics[metric_id] = res
        return res

    def _compute(self, m: Metric) -> tuple[float | None, list[str]]:
        match m.kind:
            case "tag_share":
                notes = self.value(m.field or "")
                if not notes:
                    return None, []
                share, hits = self._tag_share(notes, m.group or "", m.values or [])
                return share, [f"{hits} of {len(notes)} notes"]
            case "lint_clean":
                return self._lint_clean(m)
            case "gap":
                a, b = self.operand(m.a), self.operand(m.b)  # type: ignore[arg-type]
                return (None, []) if a is None or b is None else (a - b, [])
            case "matrix_single":
                return self._matrix_single(m)
            case "matrix_agreement":
                return self._matrix_agreement(m)
            case "completeness":
                ids = m.fields or []
                missing = [self.fields[f].label for f in ids if self.value(f) is None]
                return 100 * (len(ids) - len(missing)) / len(ids), [f"missing: {x}" for x in missing]
            case "combine":
                parts = [(self.metric(k).value, w) for k, w in (m.parts or {}).items()]
                if m.missing == "zero":
                    parts = [(0.0 if v is None else v, w) for v, w in parts]
                known = [(v, w) for v, w in parts if v is not None]
                if not known:
                    return None, []
                return sum(_clamp(v) * w for v, w in known) / sum(w for _, w in known), []
        raise AssertionError(m.kind)  # pragma: no cover

    def _lint_clean(self, m: Metric) -> tuple[float | None, list[str]]:
        notes = self.value(m.field or "")
        if not notes:
            return None, []
        details = []
        clean = 0
        for note in notes:
            hits = [rule.message for rule, rx in self._lint if rx.search(note["text"])]
            if hits:
                details.append(f"\u201c{note['text']}\u201d: {'; '.join(hits)}")
            else:
                clean += 1
        return 100 * clean / len(notes), details

    def _matrix_single(self, m: Metric) -> tuple[float | None, list[str]]:
        grid = self.value(m.field or "")
        if grid is None:
            return None, []
        f = self.fields[m.field or ""]
        cols = {c.id: c.label for c in f.columns}
        ok = 0
        details = []
        for row in f.rows:
            holders = [cols[c] for c, v in grid.get(row.id, {}).items() if v == m.value]
            if len(holders) == 1:
                ok += 1
            elif not holders:
                details.append(f"{row.label}: nobody")
            else:
                details.append(f"{row.label}: {len(holders)} ({', '.join(holders)})")
        return 100 * ok / len(f.rows), details

    def _matrix_agreement(self, m: Metric) -> tuple[float | None, list[str]]:
        a, b = self.value(m.field or ""), self.value(m.other or "")
        if a is None or b is None:
            return None, []
        f = self.fields[m.field or ""]
        cols = {c.id: c.label for c in f.columns}

        def view(grid: dict[str, dict[str, str]], row: str) -> Any:
            cells = grid.get(row, {})
            if m.value:
                return sorted(c for c, v in cells.items() if v == m.value)
            return cells

        both = [r for r in f.rows if r.id in a and r.id in b]
        if not both:
            return None, []
        agree = 0
        details = []
        for row in both:
            va, vb = view(a, row.id), view(b, row.id)
            if va == vb:
                agree += 1
            else:
                details.append(f"{row.label}: {_names(va, cols)} / {_names(vb, cols)}")
        return 100 * agree / len(both), details

    # -- conditions, flags, rules ------------------------------------------------------

    def subject(self, c: Condition) -> tuple[bool, Any, list[str]]:
        """(answered, value, details) of a condition's subject."""
        if c.field:
            v = self.value(c.field)
            return v is not None, v, []
        if c.metric:
            m = self.metric(c.metric)
            return m.value is not None, m.value, m.details
        s = self.score(c.score or "overall")
        return True, s, []

    def holds(self, c: Condition) -> bool:
        if c.all is not None:
            return all(self.holds(x) for x in c.all)
        if c.any is not None:
            return any(self.holds(x) for x in c.any)
        if c.not_ is not None:
            return not self.holds(c.not_)
        answered, v, _ = self.subject(c)
        if c.filled is not None and answered != c.filled:
            return False
        if not answered:
            return c.filled is False and _only_filled(c)
        num = v if isinstance(v, int | float) and not isinstance(v, bool) else None
        for op, ref in (("lt", c.lt), ("le", c.le), ("gt", c.gt), ("ge", c.ge)):
            if ref is None:
                continue
            if num is None:
                return False
            if not {"lt": num < ref, "le": num <= ref, "gt": num > ref, "ge": num >= ref}[op]:
                return False
        if c.eq is not None and not _same(v, c.eq):
            return False
        if c.ne is not None and _same(v, c.ne):
            return False
        if c.in_ is not None and not any(_same(v, x) for x in c.in_):
            return False
        return not (c.includes is not None and not (isinstance(v, list) and c.includes in v))

    def first_leaf(self, c: Condition) -> tuple[Any, list[str]]:
        for leaf in c.walk():
            if leaf.field or leaf.metric or leaf.score:
                _, v, details = self.subject(leaf)
                if leaf.field and v is not None:
                    v = _readable(self.fields[leaf.field], v)
                return v, details
        return None, []  # pragma: no cover - a condition always has a leaf

    def flags(self) -> list[FlagResult]:
        out: list[FlagResult] = []
        for flag in self.ex.flags:
            if flag.each_selected:
                f = self.fields[flag.each_selected]
                for oid in self.value(f.id) or []:
                    opt = f.option(oid)
                    out.append(FlagResult(
                        id=f"{flag.id}.{opt.id}", label=opt.label,
                        severity=opt.severity or flag.severity,
                        reason=_FMT.format(flag.reason, value=opt.label, label=opt.label, details=opt.help or ""),
                    ))
            elif flag.when is not None and self.holds(flag.when):
                value, details = self.first_leaf(flag.when)
                out.append(FlagResult(
                    id=flag.id, label=flag.label, severity=flag.severity,
                    reason=_FMT.format(flag.reason, value=value, label=flag.label, details="; ".join(details)),
                ))
        order = {"knockout": 0, "warning": 1, "notice": 2}
        return sorted(out, key=lambda f: order[f.severity])

    def rules(self, rules: list[Any]) -> list[RuleResult]:
        return [
            RuleResult(id=r.id, label=r.label, text=r.text)
            for r in rules if r.when is None or self.holds(r.when)
        ]

    def completeness(self) -> list[SectionCompleteness]:
        out = []
        for sec in self.ex.sections:
            required = [f for f in sec.fields if not f.optional]
            counted = required or list(sec.fields)
            done = sum(1 for f in counted if self.value(f.id) is not None)
            out.append(SectionCompleteness(
                id=sec.id, title=sec.title, answered=done, total=len(counted),
                percent=_r(100 * done / len(counted)), optional=not required,
            ))
        return out


def _only_filled(c: Condition) -> bool:
    return all(getattr(c, op) is None for op in ("lt", "le", "gt", "ge", "eq", "ne", "in_", "includes"))


def _same(v: Any, ref: Any) -> bool:
    if isinstance(v, int | float) and isinstance(ref, int | float):
        return float(v) == float(ref)
    return v == ref


def _names(ids: Any, cols: dict[str, str]) -> str:
    if isinstance(ids, list):
        return ", ".join(cols.get(i, i) for i in ids) or "nobody"
    return ", ".join(f"{cols.get(k, k)}={v}" for k, v in ids.items()) or "empty"


def _readable(field: Any, v: Any) -> Any:
    """Option ids become their labels in flag reasons."""
    if field.type == "single_choice":
        return field.option(v).label
    if field.type in ("multi_choice", "checklist", "ranking"):
        return ", ".join(field.option(o).label for o in v)
    return v


def band_for(ex: Exercise, overall: float) -> Band:
    return [b for b in ex.rubric.bands if b.min <= overall][-1]


def score(ex: Exercise, answers: Mapping[str, Any]) -> Result:
    """Score one team's validated answers to one exercise (see `playbook.answers.check`)."""
    sc = _Scorer(ex, answers)
    overall = sc.overall()
    dims = [sc.dimension(d.id) for d in ex.rubric.dimensions]
    metrics = {m.id: sc.metric(m.id) for m in ex.metrics}
    recommendation = sc.rules(ex.recommendations)[0]
    completeness = sc.completeness()
    counted = [c for c in completeness if not c.optional] or completeness
    total = sum(c.total for c in counted)
    return Result(
        exercise=ex.id,
        overall=overall,
        band=band_for(ex, overall),
        dimensions=dims,
        gaps=[d.id for d in dims if d.gap],
        metrics=metrics,
        flags=sc.flags(),
        recommendation=recommendation,
        advice=sc.rules(ex.advice),
        completeness=completeness,
        completeness_overall=_r(100 * sum(c.answered for c in counted) / total),
    )
