"""The metric kinds the model declares, computed over one team's answers.

`Metrics` is the middle of the scorer: it reads answers (`Reader`) and leaves the rubric's
scores to the engine (`score`, `answered`), which metrics such as gaps refer to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from playbook.i18n import formats, ngettext
from playbook.i18n import gettext as _
from playbook.model.exercise import Exercise
from playbook.model.fields import Scale
from playbook.model.metrics import Metric, Operand
from playbook.scoring.language import NAMES, also_written_in, detect
from playbook.scoring.reader import Reader
from playbook.scoring.results import Context, MetricResult
from playbook.scoring.text import compat, given, norm
from playbook.scoring.values import clamp, iso, join, names, round1

NoteList = list[dict[str, Any]]  # the answer of a notes field
Rule = tuple[str, re.Pattern[str], re.Pattern[str] | None]  # a lint rule's message, pattern, unless


class Metrics(Reader):
    def __init__(self, ex: Exercise, answers: Mapping[str, Any], context: Context | None = None) -> None:
        super().__init__(ex, answers, context)
        self.metric_defs = {m.id: m for m in ex.metrics}
        self._metrics: dict[str, MetricResult] = {}
        self._backed: dict[str, set[str]] = {}  # backing metric -> field ids backed
        self._lint: dict[str, list[Rule] | None] = {}  # language -> its lint rules, compiled

    # -- what the engine provides ------------------------------------------------------

    def score(self, score_id: str) -> float | None:  # pragma: no cover - the engine's
        raise NotImplementedError

    def answered(self) -> float:  # pragma: no cover - the engine's
        raise NotImplementedError

    # -- metrics -------------------------------------------------------------------------

    def metric(self, metric_id: str) -> MetricResult:
        if metric_id in self._metrics:
            return self._metrics[metric_id]
        self.guard(f"metric {metric_id!r}")
        m = self.metric_defs[metric_id]
        value, details = self._compute(m)
        res = MetricResult(
            id=m.id, label=m.label, unit=m.unit,
            value=None if value is None else round1(value), details=details,
        )
        self.release(f"metric {metric_id!r}")
        self._metrics[metric_id] = res
        return res

    def backed(self, metric_id: str) -> set[str]:
        """The field ids a backing metric found backed by evidence."""
        self.metric(metric_id)
        return self._backed.get(metric_id, set())

    def operand(self, op: Operand) -> float | None:
        if op.field:
            v = self.value(op.field)
            if v is None:
                return None
            f = self.fields[op.field]
            return f.percent(v) if isinstance(f, Scale) else float(v)
        if op.score:
            return self.score(op.score)
        return self.metric(op.metric or "").value

    def tag_share(self, notes: NoteList, group: str, values: list[str]) -> tuple[float, int, int]:
        """(share, hits, notes) over distinct notes: a repeated note counts once."""
        distinct = list({norm(n["text"]): n for n in reversed(notes)}.values())
        hits = sum(1 for n in distinct if n.get("tags", {}).get(group) in values)
        return 100 * hits / len(distinct), hits, len(distinct)

    def _compute(self, m: Metric) -> tuple[float | None, list[str]]:
        match m.kind:
            case "tag_share":
                notes = self.value(m.field or "")
                if not notes:
                    return None, []
                share, hits, n = self.tag_share(notes, m.group or "", m.values or [])
                return share, [_("%(hits)s of %(n)s notes") % {"hits": hits, "n": n}]
            case "lint_clean":
                return self._lint_clean(m)
            case "gap":
                a = self.operand(m.a) if m.a is not None else None
                b = self.operand(m.b) if m.b is not None else None
                return (None, []) if a is None or b is None else (a - b, [])
            case "matrix_single":
                return self._matrix_single(m)
            case "matrix_agreement":
                return self._matrix_agreement(m)
            case "completeness":
                ids = m.fields or []
                missing = [self.fields[f].label for f in ids if self.value(f) is None]
                return 100 * (len(ids) - len(missing)) / len(ids), [_("missing: %(what)s") % {"what": x}
                                                                     for x in missing]
            case "combine":
                parts = [(self.metric(k).value, w) for k, w in (m.parts or {}).items()]
                if m.missing == "zero":
                    parts = [(0.0 if v is None else v, w) for v, w in parts]
                known = [(v, w) for v, w in parts if v is not None]
                if not known:
                    return None, []
                return sum(clamp(v) * w for v, w in known) / sum(w for _, w in known), []
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
                known_values = [self.operand(Operand(field=f)) for f in m.fields or []]
                rated = [v for v in known_values if v is not None]
                return (sum(rated) / len(rated), []) if rated else (None, [])
            case "pattern":
                text = self.value(m.field or "")
                if text is None:
                    return None, []
                lang = detect(text, self.language)
                pattern = m.rule(lang)
                if pattern is None:  # unknown, not a match nor a miss: no rule can see it
                    return None, ["\u201c{}\u201d: {}".format(text, _(
                        "%(unreadable)s: write it in %(language)s to have it checked") % {
                        "unreadable": self.unreadable(lang), "language": _name(self.language)})]
                hit = re.search(pattern, compat(text), re.IGNORECASE) is not None
                return (100.0 if m.unit == "percent" else 1.0) * hit, [text] if hit else []
        raise AssertionError(m.kind)  # pragma: no cover

    def _lint_clean(self, m: Metric) -> tuple[float | None, list[str]]:
        notes = self.value(m.field or "")
        if not notes:
            return None, []
        attrs = {a.id: a.label for a in self.notes(m.field or "").attributes}
        details = []
        checked = clean = 0
        seen: set[str] = set()  # a question asked twice is one question
        for note in notes:
            texts = [(note["text"], "")] + [(note[a], f" ({attrs[a].lower()})") for a in m.also if note.get(a)]
            for text, what in texts:
                if norm(text) in seen:
                    continue
                seen.add(norm(text))
                checked += 1
                lang = detect(text, self.language)
                rules = self.lint_rules(lang)
                if rules is None:  # a question no rule can read is not known to be clean
                    details.append("\u201c{}\u201d{}: {}".format(text, what, _(
                        "%(unreadable)s, so it does not count as clean: write it in %(language)s") % {
                        "unreadable": self.unreadable(lang), "language": _name(self.language)}))
                    continue
                for other in also_written_in(text, lang):  # padded with another language's words
                    rules = rules + (self.lint_rules(other) or [])
                plain = compat(text)
                hits = list(dict.fromkeys(message for message, rx, unless in rules
                                          if rx.search(plain) and not (unless and unless.search(plain))))
                if hits:
                    read_as = ""
                    if lang != self.language:
                        read_as = " " + _("(read as %(language)s)") % {"language": _name(lang)}
                    details.append(f"\u201c{text}\u201d{what}{read_as}: {'; '.join(hits)}")
                else:
                    clean += 1
        return 100 * clean / checked, details

    def lint_rules(self, language: str) -> list[Rule] | None:
        """The lint rules for `language`, compiled once; None when the definition has none."""
        if language not in self._lint:
            found = [(r.message, r.rule(language)) for r in self.ex.lint]
            self._lint[language] = None if any(p is None for _, p in found) else [
                (message, re.compile(p[0], re.I), re.compile(p[1], re.I) if p[1] else None)
                for message, p in found if p is not None
            ]
        return self._lint[language]

    def unreadable(self, language: str) -> str:
        """Why a text in `language` is not checked: the definition has no rules for it."""
        return _("written in %(language)s, which this check cannot read") % {"language": _name(language)}

    def _matrix_single(self, m: Metric) -> tuple[float | None, list[str]]:
        grid = self.value(m.field or "")
        if grid is None:
            return None, []
        f = self.matrix(m.field or "")
        cols = {c.id: c.label for c in f.columns}
        ok = 0
        details: list[str] = []
        parked: list[str] = []
        for row in f.rows:
            holders = [c for c, v in grid.get(row.id, {}).items() if v == m.value]
            if holders == [m.parked] and m.parked is not None:
                parked.append(row.label)
            elif len(holders) == 1:
                ok += 1
            elif not holders:
                details.append(row.label + ": " + _("nobody"))
            else:
                details.append(f"{row.label}: {len(holders)} ({', '.join(cols[c] for c in holders)})")
        if m.check == "parked":
            return float(len(parked)), parked
        if parked:
            details.append(_("parked with %(owner)s for now: %(rows)s") % {"owner": cols[m.parked or ""],
                                                                             "rows": ", ".join(parked)})
        return 100 * ok / len(f.rows), details

    def _matrix_agreement(self, m: Metric) -> tuple[float | None, list[str]]:
        a, b = self.value(m.field or ""), self.value(m.other or "")
        if a is None or b is None:
            return None, []
        f = self.matrix(m.field or "")
        cols = {c.id: c.label for c in f.columns}

        def view(grid: dict[str, dict[str, str]], row: str) -> list[str] | dict[str, str]:
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
                details.append(f"{row.label}: {names(va, cols)} / {names(vb, cols)}")
        return 100 * agree / len(both), details

    # -- evidence and action metrics ------------------------------------------------------

    def _backing(self, m: Metric) -> tuple[float | None, list[str]]:
        fid = m.field or ""
        # One piece of evidence backs one answer: a text pasted under several counts once,
        # for the answer of its first copy.
        notes = list({norm(n["text"]): n for n in reversed(self.value(fid) or [])}.values())
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
        backing = [_("not backed: %(what)s") % {"what": ", ".join(bare)}] if bare else []
        return 100 * (len(rated) - len(bare)) / len(rated), backing

    def _evidence(self, m: Metric) -> tuple[float | None, list[str]]:
        fid = m.field or ""
        group = next(g for g in self.notes(fid).tag_groups if g.id == m.group)
        labels = {o.id: o.label for o in group.options}
        weights = m.weights or {}
        notes = [n for n in self.value(fid) or []
                 if all(n.get("tags", {}).get(g) in opts for g, opts in (m.only or {}).items())]
        seen: set[str] = set()
        total, counted = 0.0, 0
        bare = stale = repeated = future = 0
        bare_tags: set[str] = set()
        for note in notes:
            key = norm(note["text"])
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
                day = iso(note.get(m.date or ""))
                if day is not None and (self.as_of - day).days > m.window_days:
                    stale += 1
                    w *= m.stale_weight
            total += w
        worth = {"worth": _g(round1(total)), "n": counted}
        details = [_("%(worth)s of %(n)s notes' worth counts as evidence") % worth] if counted else []
        if bare:
            full = join([labels[k] for k in weights if k in bare_tags], _("or")).lower()
            zero = join([labels[k] for k, w in weights.items() if w == 0] or [_("no evidence")], _("or")).lower()
            needs = join([self.attr_label(fid, a).split(" (")[0] for a in m.needs], _("or"))
            details.append(ngettext("%(n)s %(kind)s note without a %(needs)s counts as %(zero)s",
                                    "%(n)s %(kind)s notes without a %(needs)s count as %(zero)s", bare)
                           % {"n": bare, "kind": full, "needs": needs, "zero": zero})
        if future:
            details.append(ngettext("%(n)s dated after the workshop counts as nothing",
                                    "%(n)s dated after the workshop count as nothing", future) % {"n": future})
        if stale:
            if m.stale_weight == 0:
                details.append(ngettext("%(n)s older than %(days)s days counts as nothing",
                                        "%(n)s older than %(days)s days count as nothing", stale)
                               % {"n": stale, "days": m.window_days})
            else:
                details.append(ngettext("%(n)s older than %(days)s days counts %(weight)s as much",
                                        "%(n)s older than %(days)s days count %(weight)s as much", stale)
                               % {"n": stale, "days": m.window_days, "weight": _g(m.stale_weight)})
        part = [_("%(kind)s notes count %(weight)s") % {"kind": labels[k].lower(), "weight": _g(w)}
                for k, w in weights.items() if 0 < w < 1]
        if part and counted:
            details.append("; ".join(part))
        if repeated:
            details.append(ngettext("%(n)s repeated note counted once", "%(n)s repeated notes counted once", repeated)
                           % {"n": repeated})
        if m.unit == "count":
            return total, details
        if m.target is not None:
            return 100 * min(total / m.target, 1.0), details
        return (100 * total / counted, details) if counted else (None, [])

    def _actionable(self, m: Metric) -> tuple[float | None, list[str]]:
        fid = m.field or ""
        notes = self.value(fid)
        if not notes:
            return None, []
        seen: set[str] = set()
        counted: NoteList = []
        problems: list[str] = []
        for note in notes:
            why = self._not_actionable(m, note, seen)
            if why:
                problems.append(f"\u201c{note['text']}\u201d: {why}")
            else:
                counted.append(note)
        if m.cover is not None:
            group = next(g for g in self.notes(fid).tag_groups if g.id == m.cover.group)
            have = {n["tags"].get(group.id) for n in counted}
            missing = [o.label for o in group.options if o.id in m.cover.days and o.id not in have]
            details = [_("%(n)s of %(all)s items count") % {"n": len(counted), "all": len(notes)}, *problems]
            if missing:
                details.insert(1, _("nothing that counts for: %(what)s") % {"what": ", ".join(missing)})
            return 100 * (len(m.cover.days) - len(missing)) / len(m.cover.days), details
        tally = _("%(n)s of %(all)s count") % {"n": len(counted), "all": len(notes)}
        return 100 * min(len(counted) / (m.target or 1), 1.0), [tally, *problems]

    def _not_actionable(self, m: Metric, note: Mapping[str, Any], seen: set[str]) -> str:
        """Why a note does not count as an action ('' when it does)."""
        fid = m.field or ""
        key = norm(note["text"])
        if key in seen:
            return _("repeats an earlier item")
        seen.add(key)
        if m.min_words and self.length(note["text"]) < m.min_words:
            return _("too vague (fewer than %(n)s words)") % {"n": m.min_words}
        missing = [self.attr_label(fid, a) for a in m.needs if not given(note.get(a))]
        if missing:
            return _("no %(what)s") % {"what": (" " + _("or") + " ").join(missing)}
        due = iso(note.get(m.due or ""))
        if due is None:
            return _("no %(what)s") % {"what": self.attr_label(fid, m.due or "")}
        limit: int | None
        if m.cover is not None:
            tag = note.get("tags", {}).get(m.cover.group)
            if tag not in m.cover.days:
                return _("no horizon")
            start, limit = m.cover.window(tag)
        else:
            start, limit = 0, m.within_days
        if self.as_of is not None:
            days = (due - self.as_of).days
            if days < 0:
                return _("due before the workshop")
            if days < start:
                return _("due before its horizon starts (day %(day)s)") % {"day": start}
            if limit is not None and days > limit:
                return _("due more than %(n)s days after the workshop") % {"n": limit}
        return ""

    def _spread(self, m: Metric) -> tuple[float | None, list[str]]:
        grid = self.value(m.field or "")
        if grid is None:
            return None, []
        f = self.matrix(m.field or "")
        score = {v.id: v.score or 0.0 for v in f.values}
        label = {v.id: v.label for v in f.values}
        hits = []
        for row in f.rows:
            cells = grid.get(row.id, {})
            lo, hi = cells.get(m.low or ""), cells.get(m.high or "")
            if lo is None or hi is None:
                continue
            span = _("%(low)s to %(high)s") % {"low": label[lo], "high": label[hi]}
            if m.check == "wide" and score[hi] - score[lo] >= m.threshold:
                hits.append(f"{row.label}: {span}")
            if m.check == "outside":
                own_field = self.fields.get(row.id)
                own = self.value(row.id) if own_field is not None else None
                own_score = own_field.percent(own) if isinstance(own_field, Scale) and own is not None else None
                if score[lo] > score[hi]:
                    hits.append(f"{row.label}: " + _("lowest above highest (%(span)s)") % {"span": span})
                elif own_score is not None and not score[lo] <= own_score <= score[hi]:
                    hits.append(f"{row.label}: " + _("agreed %(own)s outside %(span)s") % {"own": own, "span": span})
        return float(len(hits)), hits


def _name(language: str) -> str:
    """A language's name in the language of the page (NAMES holds the English, marked for translation)."""
    return _(NAMES[language]) if language in NAMES else language


def _g(x: float) -> str:
    """`x` as `:g` writes it (1.3, 0.5, 2), with the decimal mark of the page's language (1,3 in French)."""
    text = f"{x:g}"
    return formats.number(x, len(text.split(".")[1]) if "." in text and "e" not in text else 0)
