"""Answers -> results: scores, band, metrics, flags, recommendation, completeness.

Pure functions over validated answers. The definition says what to compute; this module
only knows the methods and metric kinds that `playbook.model.exercises` declares.

Blank is unknown, not zero: an unanswered item is left out of its dimension and of the
overall score, and the share of the rubric that was answered is reported beside them. Each
item weighs its dimension's weight times its share of that dimension, so a half-answered
dimension counts half. Evidence is different from an answer: a list of evidence that holds
nothing is no evidence (a known zero), which is why evidence counts are 0, not blank, when
empty. Ratings that need support (a note heard or observed, with a source) are capped
until they have it, and the report says so in one sentence per cap.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from playbook.errors import DefinitionError
from playbook.model.exercises import Band, Cap, Condition, Exercise, FieldRef, Item, Metric, Operand, Rule, SettingRef

Severity = Literal["knockout", "warning", "notice"]


@dataclass(frozen=True)
class Context:
    """What scoring needs beyond the answers: the workshop's date (evidence windows, due
    dates) and its settings for this exercise (thresholds such as the revenue ceiling)."""

    as_of: dt.date | None = None
    settings: Mapping[str, float] = field(default_factory=dict)


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class DimensionResult(_Result):
    id: str
    label: str
    weight: float
    score: float | None  # 0-100 over the answered items; None: nothing answered
    answered: float  # share of the dimension's weight that had an answer, 0-100
    gap: bool  # answered and below the rubric's gap_below


class MetricResult(_Result):
    id: str
    label: str
    unit: Literal["percent", "points", "count"]
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
    questions: list[str] = []  # what to find out first, from the definition's probes


class CapResult(_Result):
    """A cap that lowered at least one answer, with the sentence that explains it."""

    id: str
    text: str
    items: list[str]


class SectionCompleteness(_Result):
    id: str
    title: str
    answered: int
    total: int
    percent: float
    optional: bool  # every field optional (filled later, say): left out of the overall


class Result(_Result):
    exercise: str
    overall: float | None  # None: nothing in the rubric was answered
    answered: float  # share of the rubric's weight answered, 0-100
    band: Band
    dimensions: list[DimensionResult]
    gaps: list[str]
    metrics: dict[str, MetricResult]
    caps: list[CapResult]
    flags: list[FlagResult]
    recommendation: RuleResult
    base_recommendation: str  # the recommendation before any override (a stretch, say)
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


def words(text: str) -> int:
    return len(text.split())


def _norm(text: str) -> str:
    """Texts that differ only in case, spacing or punctuation are the same item."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


# An owner or source written as "TBD", "?" or "n/a" is no owner or source.
_PLACEHOLDER = re.compile(
    r"^\W*(tbd|tbc|to be (decided|confirmed|defined|named)|n/?a|none|nobody|no one|unknown|someone|\?+|-+|x+)\W*$",
    re.IGNORECASE,
)


def given(value: Any) -> bool:
    """An attribute is given when it holds something other than blanks or a placeholder."""
    return value is not None and bool(str(value).strip()) and not _PLACEHOLDER.match(str(value))


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


class _Formatter(string.Formatter):
    """Formats reason templates; a value that refuses a format spec is shown as text, and
    fixed-point numbers round halves up (78.5 -> "79"), as everywhere else in the kit."""

    def format_field(self, value: Any, format_spec: str) -> str:
        spec = re.fullmatch(r"(.*)\.(\d+)f", format_spec)
        if spec and isinstance(value, int | float) and not isinstance(value, bool):
            n = int(spec.group(2))
            value = math.floor(value * 10**n + 0.5 + 1e-9) / 10**n
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_FMT = _Formatter()


class _Scorer:
    """Evaluates one team's answers lazily, so metrics and scores may refer to each other."""

    def __init__(self, ex: Exercise, answers: Mapping[str, Any], context: Context | None = None) -> None:
        context = context or Context()
        self.ex = ex
        self.fields = ex.fields
        self.answers = {k: v for k, v in answers.items() if k in self.fields}
        self.as_of = context.as_of
        self.settings = {s.id: s.default for s in ex.settings} | dict(context.settings)
        self.metric_defs = {m.id: m for m in ex.metrics}
        self.caps = {c.id: c for c in ex.rubric.caps}
        self._metrics: dict[str, MetricResult] = {}
        self._backed: dict[str, set[str]] = {}  # backing metric -> field ids backed
        self._capped: dict[str, list[str]] = {}  # cap id -> labels of what it lowered
        self._items: dict[tuple[int, int], tuple[float | None, bool]] = {}
        self._dims: dict[str, DimensionResult] = {}
        self._busy: set[str] = set()
        self._recs: tuple[Rule, Rule] | None = None
        # A team that answered nothing has no score at all, not the zero of its empty
        # evidence lists (those are known zeros only beside other answers).
        self.blank = not any(is_answered(f, self.answers.get(fid)) for fid, f in self.fields.items())
        self._lint = [
            (r, re.compile(r.pattern, re.IGNORECASE), re.compile(r.unless, re.IGNORECASE) if r.unless else None)
            for r in ex.lint
        ]

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

    def number(self, ref: float | SettingRef | FieldRef) -> float | None:
        """A literal, a setting, or another field's number (None when unanswered)."""
        if isinstance(ref, SettingRef):
            return float(self.settings[ref.setting])
        if isinstance(ref, FieldRef):
            v = self.value(ref.field)
            return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
        return float(ref)

    def future(self, note: Mapping[str, Any], field_id: str) -> bool:
        """A note dated after the workshop: a typo or a guess, never evidence."""
        if self.as_of is None:
            return False
        dates = [a.id for a in self.fields[field_id].attributes if a.kind == "date"]
        return any((day := _iso(note.get(a))) is not None and day > self.as_of for a in dates if note.get(a))

    def has(self, note: Mapping[str, Any], attr: str, field_id: str) -> bool:
        """A note carries `attr`; a date after the workshop is a typo, not evidence."""
        value = note.get(attr)
        if not given(value):
            return False
        kinds = {a.id: a.kind for a in self.fields[field_id].attributes}
        if kinds.get(attr) == "date" and self.as_of is not None:
            day = _iso(value)
            return day is not None and day <= self.as_of
        return True

    # -- items and dimensions ----------------------------------------------------------

    def item(self, di: int, ii: int) -> tuple[float | None, bool]:
        """(score 0-100 or None when unanswered, applies) of one rubric item, capped."""
        key = (di, ii)
        if key not in self._items:
            item = self.ex.rubric.dimensions[di].items[ii]
            applies = item.when is None or self.holds(item.when)
            s = self._raw_item(item) if applies else None
            if s is not None and item.cap is not None:
                s = self._cap(self.caps[item.cap], item, s)
            self._items[key] = (s, applies)
        return self._items[key]

    def _cap(self, cap: Cap, item: Item, s: float) -> float:
        if s <= cap.at:
            return s
        if cap.backed_by is not None:
            self.metric(cap.backed_by)
            supported = item.field in self._backed.get(cap.backed_by, set())
        else:
            supported = cap.unless is not None and self.holds(cap.unless)
        if supported:
            return s
        label = self.fields[item.field].label if item.field else self.metric_defs[item.metric or ""].label
        self._capped.setdefault(cap.id, []).append(label)
        return cap.at

    def _raw_item(self, item: Item) -> float | None:
        if item.method == "metric":
            m = self.metric(item.metric or "")
            if m.value is None:
                return None
            s = _clamp(m.value)
            return 100 - s if item.invert else s
        f = self.fields[item.field or ""]
        v = self.value(f.id)
        if v is None:
            return None
        match item.method:
            case "scale":
                s = f.percent(v)
            case "option_score":
                picked = [v] if isinstance(v, str) else v
                s = sum(f.option(o).score for o in picked) / len(picked) if picked else 0.0
            case "share":
                s = 100 * len(v) / len(f.options)
            case "count":
                n = self._count(item, v) if f.type == "notes" else len(
                    [x for x in v if x in item.values] if item.values else v)
                s = 100 * min(n / (item.target or 1), 1)
            case "piecewise":
                s = _interpolate(item.points or [], float(v))
            case "filled":
                n = words(v)
                s = 100 * min(n / item.min_words, 1) if item.min_words else 100.0
                if item.max_words and n > item.max_words:
                    s = 50.0  # too long to repeat: half credit
            case "tag_share":
                s = self._tag_share(v, item.group or "", item.values or [])[0]
            case "date":
                s = 100.0 if self._date_ok(v, item.days or (0, 0)) else 0.0
            case _:  # pragma: no cover - the model forbids other methods
                raise AssertionError(item.method)
        s = _clamp(s)
        return 100 - s if item.invert else s

    def _count(self, item: Item, notes: list[dict[str, Any]]) -> int:
        """Distinct notes with enough words and every attribute the item needs."""
        keys = {_norm(n["text"]) for n in notes
                if words(n["text"]) >= (item.min_words or 0) and all(given(n.get(a)) for a in item.needs)}
        return len(keys)

    def _date_ok(self, text: str, days: tuple[int, int]) -> bool:
        day = _iso(text)
        if day is None:
            return False
        if self.as_of is None:
            return True
        return self.as_of + dt.timedelta(days=days[0]) <= day <= self.as_of + dt.timedelta(days=days[1])

    def _weights(self) -> list[tuple[int, int, float]]:
        """(dimension, item, weight in the overall) of every item that applies."""
        out = []
        for di, dim in enumerate(self.ex.rubric.dimensions):
            applying = [(ii, it.weight) for ii, it in enumerate(dim.items) if self.item(di, ii)[1]]
            total = sum(w for _, w in applying)
            out += [(di, ii, dim.weight * w / total) for ii, w in applying]
        return out

    def dimension(self, dim_id: str) -> DimensionResult:
        if dim_id in self._dims:
            return self._dims[dim_id]
        self._guard(f"score {dim_id!r}")
        di, dim = next((i, d) for i, d in enumerate(self.ex.rubric.dimensions) if d.id == dim_id)
        scored = [(self.item(di, ii), it.weight) for ii, it in enumerate(dim.items)]
        applying = [(s, w) for (s, applies), w in scored if applies]
        known = [] if self.blank else [(s, w) for s, w in applying if s is not None]
        total = sum(w for _, w in applying)
        score = sum(s * w for s, w in known) / sum(w for _, w in known) if known else None
        res = DimensionResult(
            id=dim.id, label=dim.label, weight=dim.weight,
            score=None if score is None else _r(score),
            answered=_r(100 * sum(w for _, w in known) / total) if total else 0.0,
            gap=score is not None and score < self.ex.rubric.gap_below,
        )
        self._busy.discard(f"score {dim_id!r}")
        self._dims[dim_id] = res
        return res

    def overall(self) -> float | None:
        """Weighted mean over the answered items, each weighing its share of the overall."""
        self._guard("score 'overall'")
        known = [(s, w) for di, ii, w in self._weights() if (s := self.item(di, ii)[0]) is not None]
        self._busy.discard("score 'overall'")
        if not known or self.blank:
            return None
        return _r(sum(s * w for s, w in known) / sum(w for _, w in known))

    def answered(self) -> float:
        if self.blank:
            return 0.0
        weights = self._weights()
        total = sum(w for *_, w in weights)
        done = sum(w for di, ii, w in weights if self.item(di, ii)[0] is not None)
        return _r(100 * done / total) if total else 0.0

    def score(self, score_id: str) -> float | None:
        return self.overall() if score_id == "overall" else self.dimension(score_id).score

    # -- metrics -----------------------------------------------------------------------

    def _tag_share(self, notes: list[dict[str, Any]], group: str, values: list[str]) -> tuple[float, int, int]:
        """(share, hits, notes) over distinct notes: a repeated note counts once."""
        distinct = list({_norm(n["text"]): n for n in reversed(notes)}.values())
        hits = sum(1 for n in distinct if n.get("tags", {}).get(group) in values)
        return 100 * hits / len(distinct), hits, len(distinct)

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
                share, hits, n = self._tag_share(notes, m.group or "", m.values or [])
                return share, [f"{hits} of {n} notes"]
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
            case "backing":
                return self._backing(m)
            case "evidence":
                return self._evidence(m)
            case "actionable":
                return self._actionable(m)
            case "spread":
                return self._spread(m)
            case "answered":
                return self.answered(), []
            case "mean":
                known = [self.operand(Operand(field=f)) for f in m.fields or []]
                rated = [v for v in known if v is not None]
                return (sum(rated) / len(rated), []) if rated else (None, [])
            case "pattern":
                text = self.value(m.field or "")
                if text is None:
                    return None, []
                hit = re.search(m.pattern or "", text, re.IGNORECASE) is not None
                return (100.0 if m.unit == "percent" else 1.0) * hit, [text] if hit else []
        raise AssertionError(m.kind)  # pragma: no cover

    def _lint_clean(self, m: Metric) -> tuple[float | None, list[str]]:
        notes = self.value(m.field or "")
        if not notes:
            return None, []
        attrs = {a.id: a.label for a in self.fields[m.field or ""].attributes}
        details = []
        checked = clean = 0
        seen: set[str] = set()  # a question asked twice is one question
        for note in notes:
            texts = [(note["text"], "")] + [(note[a], f" ({attrs[a].lower()})") for a in m.also if note.get(a)]
            for text, what in texts:
                if _norm(text) in seen:
                    continue
                seen.add(_norm(text))
                checked += 1
                hits = [rule.message for rule, rx, unless in self._lint
                        if rx.search(text) and not (unless and unless.search(text))]
                if hits:
                    details.append(f"\u201c{text}\u201d{what}: {'; '.join(hits)}")
                else:
                    clean += 1
        return 100 * clean / checked, details

    def _matrix_single(self, m: Metric) -> tuple[float | None, list[str]]:
        grid = self.value(m.field or "")
        if grid is None:
            return None, []
        f = self.fields[m.field or ""]
        cols = {c.id: c.label for c in f.columns}
        ok = 0
        details, parked = [], []
        for row in f.rows:
            holders = [c for c, v in grid.get(row.id, {}).items() if v == m.value]
            if holders == [m.parked] and m.parked is not None:
                parked.append(row.label)
            elif len(holders) == 1:
                ok += 1
            elif not holders:
                details.append(f"{row.label}: nobody")
            else:
                details.append(f"{row.label}: {len(holders)} ({', '.join(cols[c] for c in holders)})")
        if m.check == "parked":
            return float(len(parked)), parked
        if parked:
            details.append(f"parked with {cols[m.parked or '']} for now: {', '.join(parked)}")
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
        if m.value:  # two views that both name no owner do not agree on one
            both = [r for r in both if view(a, r.id) or view(b, r.id)]
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

    # -- evidence and action metrics ------------------------------------------------------

    def _backing(self, m: Metric) -> tuple[float | None, list[str]]:
        fid = m.field or ""
        # One piece of evidence backs one answer: a text pasted under several counts once,
        # for the answer of its first copy.
        notes = list({_norm(n["text"]): n for n in reversed(self.value(fid) or [])}.values())
        backed = {
            n["tags"].get(m.link) for n in notes
            if n.get("tags", {}).get(m.group) in (m.values or [])
            and all(self.has(n, a, fid) for a in m.needs) and not self.future(n, fid)
        }
        wanted = m.fields or []
        self._backed[m.id] = {f for f in wanted if f in backed}
        rated = [f for f in wanted if self.value(f) is not None]
        if not rated:
            return None, []
        bare = [self.fields[f].label for f in rated if f not in backed]
        return 100 * (len(rated) - len(bare)) / len(rated), ([f"not backed: {', '.join(bare)}"] if bare else [])

    def _evidence(self, m: Metric) -> tuple[float | None, list[str]]:
        fid = m.field or ""
        group = next(g for g in self.fields[fid].tag_groups if g.id == m.group)
        labels = {o.id: o.label for o in group.options}
        weights = m.weights or {}
        notes = [n for n in self.value(fid) or []
                 if all(n.get("tags", {}).get(g) in opts for g, opts in (m.only or {}).items())]
        seen: set[str] = set()
        total, counted = 0.0, 0
        bare = stale = repeated = future = 0
        bare_tags: set[str] = set()
        for note in notes:
            key = _norm(note["text"])
            if key in seen:
                repeated += 1
                continue
            seen.add(key)
            counted += 1
            w = weights.get(note.get("tags", {}).get(m.group, ""), 0.0)
            if w > 0 and self.future(note, fid):
                future += 1
                w = 0.0
            if w > 0 and not all(self.has(note, a, fid) for a in m.needs):
                bare += 1
                bare_tags.add(note["tags"][m.group])
                w = 0.0
            if w > 0 and m.window_days and self.as_of is not None:
                day = _iso(note.get(m.date or ""))
                if day is not None and (self.as_of - day).days > m.window_days:
                    stale += 1
                    w *= m.stale_weight
            total += w
        details = [f"{_r(total):g} of {counted} notes' worth counts as evidence"] if counted else []
        if bare:
            full = _join([labels[k] for k in weights if k in bare_tags], "or").lower()
            zero = _join([labels[k] for k, w in weights.items() if w == 0] or ["no evidence"], "or").lower()
            needs = _join([self._attr_label(fid, a).split(" (")[0] for a in m.needs], "or")
            details.append(f"{bare} {full} note{'s' * (bare != 1)} without a {needs} count{'s' * (bare == 1)} "
                           f"as {zero}")
        if future:
            details.append(f"{future} dated after the workshop count{'s' * (future == 1)} as nothing")
        if stale:
            weight = "as nothing" if m.stale_weight == 0 else f"{m.stale_weight:g} as much"
            details.append(f"{stale} older than {m.window_days} days count{'s' * (stale == 1)} {weight}")
        part = [f"{labels[k].lower()} notes count {w:g}" for k, w in weights.items() if 0 < w < 1]
        if part and counted:
            details.append("; ".join(part))
        if repeated:
            details.append(f"{repeated} repeated note{'s' * (repeated != 1)} counted once")
        if m.unit == "count":
            return total, details
        if m.target is not None:
            return 100 * min(total / m.target, 1.0), details
        return (100 * total / counted, details) if counted else (None, [])

    def _attr_label(self, field_id: str, attr: str) -> str:
        return next(a.label for a in self.fields[field_id].attributes if a.id == attr).lower()

    def _actionable(self, m: Metric) -> tuple[float | None, list[str]]:
        fid = m.field or ""
        notes = self.value(fid)
        if not notes:
            return None, []
        seen: set[str] = set()
        counted: list[dict[str, Any]] = []
        problems: list[str] = []
        for note in notes:
            why = self._not_actionable(m, note, seen)
            if why:
                problems.append(f"\u201c{note['text']}\u201d: {why}")
            else:
                counted.append(note)
        if m.cover is not None:
            group = next(g for g in self.fields[fid].tag_groups if g.id == m.cover.group)
            have = {n["tags"].get(group.id) for n in counted}
            missing = [o.label for o in group.options if o.id in m.cover.days and o.id not in have]
            details = [f"{len(counted)} of {len(notes)} items count", *problems]
            if missing:
                details.insert(1, f"nothing that counts for: {', '.join(missing)}")
            return 100 * (len(m.cover.days) - len(missing)) / len(m.cover.days), details
        return 100 * min(len(counted) / (m.target or 1), 1.0), [f"{len(counted)} of {len(notes)} count", *problems]

    def _not_actionable(self, m: Metric, note: Mapping[str, Any], seen: set[str]) -> str:
        """Why a note does not count as an action ('' when it does)."""
        fid = m.field or ""
        key = _norm(note["text"])
        if key in seen:
            return "repeats an earlier item"
        seen.add(key)
        if m.min_words and words(note["text"]) < m.min_words:
            return f"too vague (fewer than {m.min_words} words)"
        missing = [self._attr_label(fid, a) for a in m.needs if not given(note.get(a))]
        if missing:
            return f"no {' or '.join(missing)}"
        due = _iso(note.get(m.due or ""))
        if due is None:
            return f"no {self._attr_label(fid, m.due or '')}"
        if m.cover is not None:
            tag = note.get("tags", {}).get(m.cover.group)
            if tag not in m.cover.days:
                return "no horizon"
            start, limit = m.cover.window(tag)
        else:
            start, limit = 0, m.within_days
        if self.as_of is not None:
            days = (due - self.as_of).days
            if days < 0:
                return "due before the workshop"
            if days < start:
                return f"due before its horizon starts (day {start})"
            if limit is not None and days > limit:
                return f"due more than {limit} days after the workshop"
        return ""

    def _spread(self, m: Metric) -> tuple[float | None, list[str]]:
        grid = self.value(m.field or "")
        if grid is None:
            return None, []
        f = self.fields[m.field or ""]
        score = {v.id: v.score or 0.0 for v in f.values}
        label = {v.id: v.label for v in f.values}
        hits = []
        for row in f.rows:
            cells = grid.get(row.id, {})
            lo, hi = cells.get(m.low or ""), cells.get(m.high or "")
            if lo is None or hi is None:
                continue
            span = f"{label[lo]} to {label[hi]}"
            if m.check == "wide" and score[hi] - score[lo] >= m.threshold:
                hits.append(f"{row.label}: {span}")
            if m.check == "outside":
                own = self.value(row.id) if row.id in self.fields else None
                own_score = self.fields[row.id].percent(own) if own is not None else None
                if score[lo] > score[hi]:
                    hits.append(f"{row.label}: lowest above highest ({span})")
                elif own_score is not None and not score[lo] <= own_score <= score[hi]:
                    hits.append(f"{row.label}: agreed {own} outside {span}")
        return float(len(hits)), hits

    # -- conditions, flags, rules ------------------------------------------------------

    def subject(self, c: Condition) -> tuple[bool, Any, list[str]]:
        """(answered, value, details) of a condition's subject."""
        if c.field:
            v = self.value(c.field)
            return v is not None, v, []
        if c.metric:
            m = self.metric(c.metric)
            return m.value is not None, m.value, m.details
        if c.recommendation:
            base, final = self.recommendations()
            return True, (base if c.recommendation == "base" else final).id, []
        s = self.score(c.score or "overall")
        return s is not None, s, []

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
        for op in ("lt", "le", "gt", "ge"):
            ref = getattr(c, op)
            if ref is None:
                continue
            if num is None:
                return False
            x = self.number(ref)
            if x is None or not {"lt": num < x, "le": num <= x, "gt": num > x, "ge": num >= x}[op]:
                return False
        eq, ne = self._ref(c.eq), self._ref(c.ne)
        if c.eq is not None and (eq is None or not _same(v, eq)):
            return False
        if c.ne is not None and (ne is None or _same(v, ne)):
            return False
        if c.in_ is not None and not any(_same(v, x) for x in c.in_):
            return False
        return not (c.includes is not None and not (isinstance(v, list) and c.includes in v))

    def _ref(self, ref: Any) -> Any:
        """A literal, or another field's answer (None when that field is unanswered)."""
        return self.value(ref.field) if isinstance(ref, FieldRef) else ref

    def first_leaf(self, c: Condition) -> tuple[Any, list[str]]:
        for leaf in c.walk():
            if leaf.field or leaf.metric or leaf.score or leaf.recommendation:
                _, v, details = self.subject(leaf)
                if leaf.field and v is not None:
                    v = _readable(self.fields[leaf.field], v)
                if leaf.recommendation:
                    v = next(r.label for r in self.ex.recommendations if r.id == v)
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
                        reason=_FMT.format(flag.reason, value=opt.label, label=opt.label, details=opt.help or "",
                                           **self.settings),
                    ))
            elif flag.when is not None and self.holds(flag.when):
                value, details = self.first_leaf(flag.when)
                out.append(FlagResult(
                    id=flag.id, label=flag.label, severity=flag.severity,
                    reason=_FMT.format(flag.reason, value=value, label=flag.label, details="; ".join(details),
                                       **self.settings),
                ))
        order = {"knockout": 0, "warning": 1, "notice": 2}
        return sorted(out, key=lambda f: order[f.severity])

    def recommendations(self) -> tuple[Rule, Rule]:
        """(base, final): the first plain rule that matches, then any override of it."""
        if self._recs is None:
            recs = self.ex.recommendations
            base = next(r for r in recs if not r.overrides and (r.when is None or self.holds(r.when)))
            final = next((r for r in recs if base.id in r.overrides and r.when is not None and self.holds(r.when)),
                         base)
            self._recs = (base, final)
        return self._recs

    def rule_result(self, r: Rule) -> RuleResult:
        questions: list[str] = []
        if r.questions is not None:
            m = self.metric_defs[r.questions.metric]
            self.metric(m.id)
            backed = self._backed.get(m.id, set())
            probes = [self.fields[f].probe for f in m.fields or [] if self.fields[f].probe]
            unbacked = [self.fields[f].probe for f in m.fields or [] if f not in backed and self.fields[f].probe]
            # every answer backed yet sent to find out (no contact, say): the first questions still apply
            questions = (unbacked or probes)[: r.questions.limit]
        return RuleResult(id=r.id, label=r.label, text=r.text, questions=questions)

    def rules(self, rules: Iterable[Rule]) -> list[RuleResult]:
        return [self.rule_result(r) for r in rules if r.when is None or self.holds(r.when)]

    def cap_results(self) -> list[CapResult]:
        out = []
        for cap in self.ex.rubric.caps:
            items = list(dict.fromkeys(self._capped.get(cap.id, [])))
            if items:
                text = _FMT.format(cap.explain, items=", ".join(f"\u201c{i}\u201d" for i in items),
                                   count=len(items))
                out.append(CapResult(id=cap.id, text=text, items=items))
        return out

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


def _join(items: list[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


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


def band_for(ex: Exercise, overall: float | None, answered: float = 100.0,
             holds: Callable[[Condition], bool] = lambda _c: True) -> Band:
    """The band of a score: the highest whose minimum it reaches and whose requirement
    holds; the incomplete band when too little is answered to judge."""
    rubric = ex.rubric
    if rubric.incomplete is not None and (
        overall is None or answered < rubric.min_answered
        or (rubric.incomplete_when is not None and holds(rubric.incomplete_when))
    ):
        return rubric.incomplete
    if overall is None:
        return rubric.bands[0]
    fits = [b for b in rubric.bands if b.min <= overall and (b.requires is None or holds(b.requires))]
    return fits[-1] if fits else rubric.bands[0]


def score(ex: Exercise, answers: Mapping[str, Any], context: Context | None = None) -> Result:
    """Score one team's validated answers to one exercise (see `playbook.answers.check`)."""
    sc = _Scorer(ex, answers, context or Context())
    overall = sc.overall()
    answered = sc.answered()
    dims = [sc.dimension(d.id) for d in ex.rubric.dimensions]
    metrics = {m.id: sc.metric(m.id) for m in ex.metrics}
    base, final = sc.recommendations()
    completeness = sc.completeness()
    counted = [c for c in completeness if not c.optional] or completeness
    total = sum(c.total for c in counted)
    return Result(
        exercise=ex.id,
        overall=overall,
        answered=answered,
        band=band_for(ex, overall, answered, sc.holds),
        dimensions=dims,
        gaps=[d.id for d in dims if d.gap],
        metrics=metrics,
        caps=sc.cap_results(),
        flags=sc.flags(),
        recommendation=sc.rule_result(final),
        base_recommendation=base.id,
        advice=sc.rules(ex.advice),
        completeness=completeness,
        completeness_overall=_r(100 * sum(c.answered for c in counted) / total),
    )
