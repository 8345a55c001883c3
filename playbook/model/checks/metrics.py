"""Cross-checks of metrics and lint rules: what each metric kind reads exists and fits."""

from __future__ import annotations

import re
from collections.abc import Iterator

from playbook.model.checks.common import Path, Problem, need_field, tag_problems, unknown
from playbook.model.exercise import Exercise
from playbook.model.fields import Matrix, Notes
from playbook.model.metrics import LintRule, Metric

# The field types a metric kind's `field` must have (kinds not listed check their own).
KIND_TYPES: dict[str, tuple[str, ...]] = {
    "tag_share": ("notes",), "lint_clean": ("notes",), "matrix_single": ("matrix",), "matrix_agreement": ("matrix",),
}


# A language tag as the kit writes them: en, fr, pt-BR, zh-Hans (language, script, region).
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?")


def problems(ex: Exercise) -> Iterator[Problem]:
    yield from _metrics(ex)
    yield from _lint(ex)
    yield from _languages(ex)


def _metrics(ex: Exercise) -> Iterator[Problem]:
    fields = ex.fields
    metric_ids = {m.id for m in ex.metrics}
    dim_ids = {d.id for d in ex.rubric.dimensions} | {"overall"}
    for mi, m in enumerate(ex.metrics):
        path: Path = ("metrics", mi)
        yield from need_field(fields, (*path, "field"), m.field, KIND_TYPES.get(m.kind, ()))
        yield from need_field(fields, (*path, "other"), m.other, ("matrix",))
        for k, fid in enumerate(m.fields or []):
            yield from need_field(fields, (*path, "fields", k), fid, ())
        f = fields.get(m.field) if m.field is not None else None
        if m.kind == "tag_share" and isinstance(f, Notes):
            yield from tag_problems(path, f, m.group, m.values)
        if m.kind == "lint_clean" and not ex.lint:
            yield (*path, "kind"), "a lint_clean metric needs lint rules at the top level"
        if m.kind == "matrix_single" and isinstance(f, Matrix):
            vals = [v.id for v in f.values]
            if m.value not in vals:
                yield (*path, "value"), unknown("matrix value", m.value, vals)
        other = fields.get(m.other) if m.other is not None else None
        if (m.kind == "matrix_agreement" and isinstance(f, Matrix) and isinstance(other, Matrix)
                and [r.id for r in f.rows] != [r.id for r in other.rows]):
            yield (*path, "other"), f"matrices {m.field!r} and {m.other!r} must have the same rows"
        for side, op in (("a", m.a), ("b", m.b)):
            if op is None:
                continue
            yield from need_field(fields, (*path, side, "field"), op.field, ("scale", "number"))
            if op.metric and op.metric not in metric_ids:
                yield (*path, side, "metric"), unknown("metric", op.metric, metric_ids)
            if op.score and op.score not in dim_ids:
                yield (*path, side, "score"), unknown("score", op.score, dim_ids)
        for part in m.parts or {}:
            if part not in metric_ids:
                yield (*path, "parts", part), unknown("metric", part, metric_ids)
        yield from _arguments(ex, path, m)


def _arguments(ex: Exercise, path: Path, m: Metric) -> Iterator[Problem]:
    """The arguments of the evidence, action, spread, mean and pattern metric kinds."""
    fields = ex.fields
    f = fields.get(m.field or "")
    if m.kind in ("backing", "evidence", "actionable") and f is not None:
        if not isinstance(f, Notes):
            yield (*path, "field"), f"field {f.id!r} is a {f.type}; a {m.kind} metric reads notes"
            return
        yield from _notes_arguments(path, m, f)
    if m.kind == "spread" and f is not None:
        if not isinstance(f, Matrix):
            yield (*path, "field"), f"field {f.id!r} is a {f.type}; a spread reads a matrix"
            return
        cols = [c.id for c in f.columns]
        for key, col in (("low", m.low), ("high", m.high)):
            if col not in cols:
                yield (*path, key), unknown("column", col, cols)
        if any(v.score is None for v in f.values):
            yield (*path, "field"), f"every value of {f.id!r} needs a score for a spread"
    if m.kind == "matrix_single" and m.parked is not None and isinstance(f, Matrix):
        cols = [c.id for c in f.columns]
        if m.parked not in cols:
            yield (*path, "parked"), unknown("column", m.parked, cols)
    if m.kind == "mean":
        for k, fid in enumerate(m.fields or []):
            if fid in fields and fields[fid].type not in ("scale", "number"):
                yield (*path, "fields", k), f"field {fid!r} is a {fields[fid].type}; a mean takes scales and numbers"
    if m.kind == "pattern" and f is not None:
        if f.type not in ("short_text", "long_text"):
            yield (*path, "field"), f"field {f.id!r} is a {f.type}; a pattern metric reads text"
        yield from _regex((*path, "pattern"), m.pattern or "")
    if m.kind == "lint_clean" and isinstance(f, Notes):
        attrs = [a.id for a in f.attributes]
        for k, a in enumerate(m.also):
            if a not in attrs:
                yield (*path, "also", k), unknown("attribute", a, attrs)


def _notes_arguments(path: Path, m: Metric, f: Notes) -> Iterator[Problem]:
    """backing, evidence and actionable: attributes, tag groups and horizons of notes field `f`."""
    attrs = {a.id: a for a in f.attributes}
    for k, a in enumerate(m.needs):
        if a not in attrs:
            yield (*path, "needs", k), unknown("attribute", a, attrs)
    for key, name in (("date", m.date), ("due", m.due)):
        if name is not None and (name not in attrs or attrs[name].kind != "date"):
            yield (*path, key), f"{name!r} is not a date attribute of {f.id!r}"
    groups = {g.id: [o.id for o in g.options] for g in f.tag_groups}
    if m.kind == "backing":
        yield from tag_problems(path, f, m.group, m.values)
        if m.link not in groups:
            yield (*path, "link"), unknown("tag group", m.link, groups)
        else:
            for k, fid in enumerate(m.fields or []):
                if fid not in groups[m.link or ""]:
                    yield (*path, "fields", k), f"tag group {m.link!r} has no option {fid!r} to link notes to it"
    if m.kind == "evidence":
        yield from tag_problems(path, f, m.group, list(m.weights or {}))
        for gid, opts in (m.only or {}).items():
            yield from tag_problems(path, f, gid, opts)
    if m.cover is not None:
        if m.cover.group not in groups:
            yield (*path, "cover", "group"), unknown("tag group", m.cover.group, groups)
        else:
            for key in m.cover.days:
                if key not in groups[m.cover.group]:
                    yield (*path, "cover", "days", key), unknown("tag", key, groups[m.cover.group])


def _regex(path: Path, pattern: str) -> Iterator[Problem]:
    try:
        re.compile(pattern)
    except re.error as exc:
        yield path, f"not a valid regular expression: {exc}"


def _lint(ex: Exercise) -> Iterator[Problem]:
    for li, rule in enumerate(ex.lint):
        yield from _regex(("lint", li, "pattern"), rule.pattern)
        if rule.unless is not None:
            yield from _regex(("lint", li, "unless"), rule.unless)


def _languages(ex: Exercise) -> Iterator[Problem]:
    """Each text rule's other languages: well-formed tags, valid patterns, and the same
    languages for every rule, so that no question in a language escapes one rule."""
    where: list[tuple[Path, LintRule | Metric]] = [(("lint", i), r) for i, r in enumerate(ex.lint)]
    where += [(("metrics", i), m) for i, m in enumerate(ex.metrics) if m.kind == "pattern"]
    for path, rule in where:
        for lang, p in rule.languages.items():
            at = (*path, "languages", lang)
            if lang == "en":
                yield at, "English is the rule's own pattern: (and unless:); list only other languages here"
            elif not LANGUAGE_TAG.fullmatch(lang):
                yield at, f"{lang!r} is not a language tag; write them as en, fr, pt-BR, zh-Hans"
            yield from _regex((*at, "pattern"), p.pattern)
            if p.unless is not None:
                yield from _regex((*at, "unless"), p.unless)
    every = sorted({lang for _, rule in where for lang in rule.languages})
    for path, rule in where:
        missing = [lang for lang in every if lang not in rule.languages]
        if missing:
            kind, escape = (("lint rule", "a question in that language would escape it") if isinstance(rule, LintRule)
                            else ("pattern metric", "a text in that language would go unread"))
            yield ((*path, "languages"),
                   f"{kind} {rule.id!r} has no pattern for {', '.join(missing)}, which other text rules of this "
                   f"definition have: {escape}; add languages: {{{missing[0]}: {{pattern: ...}}}}")
