"""Answers -> results: scores, band, metrics, flags, recommendation, completeness.

Pure functions over validated answers. The definition says what to compute; this package
only knows the methods and metric kinds that `playbook.model` declares.

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
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from playbook.model.conditions import COMPARISONS, Condition, FieldRef
from playbook.model.exercise import Exercise
from playbook.model.fields import Choices, Notes, Scale, as_type
from playbook.model.rubric import Band, Cap, Item
from playbook.model.rules import Rule
from playbook.scoring.metrics import Metrics, NoteList
from playbook.scoring.results import (
    CapResult,
    Context,
    DimensionResult,
    FlagResult,
    Result,
    RuleResult,
    SectionCompleteness,
)
from playbook.scoring.text import given, norm
from playbook.scoring.values import FMT, clamp, interpolate, iso, only_filled, readable, round1, same


class Scorer(Metrics):
    """Evaluates one team's answers lazily, so metrics and scores may refer to each other."""

    def __init__(self, ex: Exercise, answers: Mapping[str, Any], context: Context | None = None) -> None:
        super().__init__(ex, answers, context)
        self._capped: dict[str, list[str]] = {}  # cap id -> labels of what it lowered
        self._items: dict[tuple[int, int], tuple[float | None, bool]] = {}
        self._dims: dict[str, DimensionResult] = {}
        self._recs: tuple[Rule, Rule] | None = None

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
            supported = item.field in self.backed(cap.backed_by)
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
            s = clamp(m.value)
            return 100 - s if item.invert else s
        f = self.fields[item.field or ""]
        v = self.value(f.id)
        if v is None:
            return None
        match item.method:
            case "scale":
                s = as_type(f, Scale).percent(v)
            case "option_score":
                choices = as_type(f, Choices)
                picked = [v] if isinstance(v, str) else v
                s = sum(choices.option(o).score or 0.0 for o in picked) / len(picked) if picked else 0.0
            case "share":
                s = 100 * len(v) / len(as_type(f, Choices).options)
            case "count":
                n = self._count(item, v) if isinstance(f, Notes) else len(
                    [x for x in v if x in item.values] if item.values else v)
                s = 100 * min(n / (item.target or 1), 1)
            case "piecewise":
                s = interpolate(item.points or [], float(v))
            case "filled":
                length = self.length(v)
                s = 100 * min(length / item.min_words, 1) if item.min_words else 100.0
                if item.max_words and length > item.max_words:
                    s = 50.0  # too long to repeat: half credit
            case "tag_share":
                s = self.tag_share(v, item.group or "", item.values or [])[0]
            case "date":
                s = 100.0 if self._date_ok(v, item.days or (0, 0)) else 0.0
            case _:  # pragma: no cover - the model forbids other methods
                raise AssertionError(item.method)
        s = clamp(s)
        return 100 - s if item.invert else s

    def _count(self, item: Item, notes: NoteList) -> int:
        """Distinct notes with enough words and every attribute the item needs."""
        keys = {norm(n["text"]) for n in notes
                if self.length(n["text"]) >= (item.min_words or 0) and all(given(n.get(a)) for a in item.needs)}
        return len(keys)

    def _date_ok(self, text: str, days: tuple[int, int]) -> bool:
        day = iso(text)
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
        self.guard(f"score {dim_id!r}")
        di, dim = next((i, d) for i, d in enumerate(self.ex.rubric.dimensions) if d.id == dim_id)
        scored = [(self.item(di, ii), it.weight) for ii, it in enumerate(dim.items)]
        applying = [(s, w) for (s, applies), w in scored if applies]
        known = [] if self.blank else [(s, w) for s, w in applying if s is not None]
        total = sum(w for _, w in applying)
        score = sum(s * w for s, w in known) / sum(w for _, w in known) if known else None
        res = DimensionResult(
            id=dim.id, label=dim.label, weight=dim.weight,
            score=None if score is None else round1(score),
            answered=round1(100 * sum(w for _, w in known) / total) if total else 0.0,
            gap=score is not None and score < self.ex.rubric.gap_below,
        )
        self.release(f"score {dim_id!r}")
        self._dims[dim_id] = res
        return res

    def overall(self) -> float | None:
        """Weighted mean over the answered items, each weighing its share of the overall."""
        self.guard("score 'overall'")
        known = [(s, w) for di, ii, w in self._weights() if (s := self.item(di, ii)[0]) is not None]
        self.release("score 'overall'")
        if not known or self.blank:
            return None
        return round1(sum(s * w for s, w in known) / sum(w for _, w in known))

    def answered(self) -> float:
        if self.blank:
            return 0.0
        weights = self._weights()
        total = sum(w for *_, w in weights)
        done = sum(w for di, ii, w in weights if self.item(di, ii)[0] is not None)
        return round1(100 * done / total) if total else 0.0

    def score(self, score_id: str) -> float | None:
        return self.overall() if score_id == "overall" else self.dimension(score_id).score

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
            return c.filled is False and only_filled(c)
        num = v if isinstance(v, int | float) and not isinstance(v, bool) else None
        for op in COMPARISONS:
            ref = c.bound(op)
            if ref is None:
                continue
            if num is None:
                return False
            x = self.number(ref)
            if x is None or not {"lt": num < x, "le": num <= x, "gt": num > x, "ge": num >= x}[op]:
                return False
        eq, ne = self._ref(c.eq), self._ref(c.ne)
        if c.eq is not None and (eq is None or not same(v, eq)):
            return False
        if c.ne is not None and (ne is None or same(v, ne)):
            return False
        if c.in_ is not None and not any(same(v, x) for x in c.in_):
            return False
        return not (c.includes is not None and not (isinstance(v, list) and c.includes in v))

    def _ref(self, ref: str | float | FieldRef | None) -> Any:
        """A literal, or another field's answer (None when that field is unanswered)."""
        return self.value(ref.field) if isinstance(ref, FieldRef) else ref

    def first_leaf(self, c: Condition) -> tuple[Any, list[str]]:
        for leaf in c.walk():
            if leaf.field or leaf.metric or leaf.score or leaf.recommendation:
                _, v, details = self.subject(leaf)
                if leaf.field and v is not None:
                    v = readable(self.fields[leaf.field], v)
                if leaf.recommendation:
                    v = next(r.label for r in self.ex.recommendations if r.id == v)
                return v, details
        return None, []  # pragma: no cover - a condition always has a leaf

    def flags(self) -> list[FlagResult]:
        out: list[FlagResult] = []
        for flag in self.ex.flags:
            if flag.each_selected:
                f = as_type(self.fields[flag.each_selected], Choices)
                for oid in self.value(f.id) or []:
                    opt = f.option(oid)
                    out.append(FlagResult(
                        id=f"{flag.id}.{opt.id}", label=opt.label,
                        severity=opt.severity or flag.severity,
                        reason=FMT.format(flag.reason, value=opt.label, label=opt.label, details=opt.help or "",
                                          **self.settings),
                    ))
            elif flag.when is not None and self.holds(flag.when):
                value, details = self.first_leaf(flag.when)
                out.append(FlagResult(
                    id=flag.id, label=flag.label, severity=flag.severity,
                    reason=FMT.format(flag.reason, value=value, label=flag.label, details="; ".join(details),
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
            backed = self.backed(m.id)
            probes = [p for f in m.fields or [] if (p := self.fields[f].probe)]
            unbacked = [p for f in m.fields or [] if f not in backed and (p := self.fields[f].probe)]
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
                text = FMT.format(cap.explain, items=", ".join(f"\u201c{i}\u201d" for i in items),
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
                percent=round1(100 * done / len(counted)), optional=not required,
            ))
        return out


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
    sc = Scorer(ex, answers, context or Context())
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
        completeness_overall=round1(100 * sum(c.answered for c in counted) / total),
    )
