"""Hypothesis strategies for valid answers to any exercise definition."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from playbook.model.exercises import Exercise

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60
)


def _ids(options: list[Any]) -> list[str]:
    return [o.id for o in options]


def _note(field: Any) -> st.SearchStrategy[dict[str, Any]]:
    tags = {g.id: st.sampled_from(_ids(g.options)) for g in field.tag_groups if g.required}
    optional = {g.id: st.sampled_from(_ids(g.options)) for g in field.tag_groups if not g.required}
    required: dict[str, st.SearchStrategy[Any]] = {
        "text": _text.filter(str.strip),
        "tags": st.fixed_dictionaries(tags, optional=optional),
    }
    attrs: dict[str, st.SearchStrategy[Any]] = {}
    for a in field.attributes:
        value = (
            st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat)
            if a.kind == "date" else _text.filter(str.strip)
        )
        (required if a.required else attrs)[a.id] = value
    return st.fixed_dictionaries(required, optional=attrs)


def value_for(field: Any) -> st.SearchStrategy[Any]:
    """Any value `field.check` accepts."""
    t = field.type
    if t in ("short_text", "long_text"):
        return st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=min(60, field.max_length))
    if t == "scale":
        return st.integers(1, 5)
    if t == "single_choice":
        return st.sampled_from(_ids(field.options))
    if t in ("multi_choice", "checklist"):
        most = field.max_selected if t == "multi_choice" and field.max_selected else len(field.options)
        return st.lists(st.sampled_from(_ids(field.options)), unique=True, max_size=most)
    if t == "ranking":
        n = len(field.options)
        return st.permutations(_ids(field.options)).flatmap(
            lambda p: st.just(p) if field.rank_all else st.integers(0, n).map(lambda k: p[:k])
        )
    if t == "number":
        if field.integer:
            return st.integers(int(field.min), int(field.max))
        return st.floats(field.min, field.max, allow_nan=False)
    if t == "notes":
        return st.lists(_note(field), max_size=6)
    if t == "matrix":
        cell = st.sampled_from(_ids(field.values))
        row = st.dictionaries(st.sampled_from(_ids(field.columns)), cell, max_size=len(field.columns))
        return st.dictionaries(st.sampled_from(_ids(field.rows)), row, max_size=len(field.rows))
    raise AssertionError(t)


_built: dict[int, tuple[Exercise, st.SearchStrategy[dict[str, Any]]]] = {}


def answers_for(ex: Exercise) -> st.SearchStrategy[dict[str, Any]]:
    """Valid answers to `ex`, any subset of its fields. One strategy per definition: tests draw
    it inside every example, and Hypothesis checks a new strategy object before its first draw
    (a third of the time of the judgement properties went to that)."""
    held = _built.get(id(ex))
    if held is None or held[0] is not ex:
        held = _built[id(ex)] = (ex, st.fixed_dictionaries({}, optional={fid: value_for(f) for fid, f in ex.fields.items()}))
    return held[1]
