"""Three-way merge of one field's value, for saves from several laptops of one team.

A page saves against the value it last saw (the base); when a teammate saved the field since
(theirs), the store merges the page's value (mine) with theirs instead of replacing it:

- notes merge item by item, an item known by its `id`: an item added on either side stays,
  an item deleted on one side and left alone on the other stays deleted, an item edited on
  one side takes the edit, and an item edited on both sides merges key by key (text, each tag
  group, each attribute); where both changed the same key differently both versions stay, as
  two notes, so no edit is dropped silently. An edit beats a delete: nothing typed is lost.
- multiple choice and checklist values merge as sets of option ids (added here and there,
  removed where removed).
- every other value (text, scale, choice, number, ranking, matrix) is one choice: when both
  sides changed it differently, `Unmergeable` is raised and the user chooses.
"""

from __future__ import annotations

import uuid
from typing import Any

ITEMS = frozenset({"notes"})  # lists of mappings, each with an item id
SETS = frozenset({"multi_choice", "checklist"})  # lists of option ids
MERGED = ITEMS | SETS

Item = dict[str, Any]


class Unmergeable(Exception):
    """Both sides changed a value that is one choice: a person decides."""


def new_id() -> str:
    """A fresh item id: 12 hex digits, unique enough within one field's list."""
    return uuid.uuid4().hex[:12]


def with_ids(kind: str, value: Any, revision: int) -> Any:
    """`value` with an id on every note. Notes stored without one (imported files, answers
    saved before ids existed) get `r<revision>-<position>`: derived from the revision that
    holds them, so every laptop names them alike and they keep that name once saved."""
    if kind not in ITEMS or not isinstance(value, list):
        return value
    return [n if not isinstance(n, dict) or "id" in n else {"id": f"r{revision}-{i}", **n}
            for i, n in enumerate(value, start=1)]


def merge(kind: str, base: Any, theirs: Any, mine: Any) -> Any:
    """The value that keeps both sides' changes to `base`; `Unmergeable` when it cannot."""
    if theirs == base or mine == theirs:
        return mine
    if mine == base:
        return theirs
    if kind in SETS:
        return _merge_sets(base or [], theirs or [], mine or [])
    if kind in ITEMS:
        merged = _merge_items(_listed(base), _listed(theirs), adopt_ids(_listed(base), _listed(mine)))
        return merged or None
    raise Unmergeable(kind)


def _listed(value: Any) -> list[Item]:
    return [n for n in value or [] if isinstance(n, dict)]


def adopt_ids(base: list[Item], mine: list[Item]) -> list[Item]:
    """Give each of mine's notes without an id the id of an unclaimed base note with the same
    content (a script that saves plain notes against a base), or a new id."""
    claimed = {n["id"] for n in mine if "id" in n}
    out = []
    for note in mine:
        if "id" not in note:
            body = note
            match = next((b["id"] for b in base if b.get("id") not in claimed
                          and {k: v for k, v in b.items() if k != "id"} == body), None)
            note = {"id": match or new_id(), **note}
            claimed.add(note["id"])
        out.append(note)
    return out


def _merge_sets(base: list[Any], theirs: list[Any], mine: list[Any]) -> list[Any]:
    removed = set(base) - set(mine)
    out = [x for x in theirs if x not in removed]
    return out + [x for x in mine if x not in base and x not in out]


def _merge_items(base: list[Item], theirs: list[Item], mine: list[Item]) -> list[Item]:
    b = {n["id"]: n for n in base}
    t = {n["id"]: n for n in theirs}
    m = {n["id"]: n for n in mine}
    out: list[Item] = []
    for note in theirs:
        key = note["id"]
        if key in m:
            out.extend(_merge_item(b.get(key), note, m[key]))
        elif key not in b or note != b[key]:
            out.append(note)  # added there, or edited there while deleted here: the edit stays
    for i, note in enumerate(mine):
        key = note["id"]
        if key in t or (key in b and note == b[key]):
            continue  # merged above, or deleted there and untouched here
        out.insert(_place(out, mine, i, known=b.keys() | m.keys()), note)
    return out


def _place(out: list[Item], mine: list[Item], i: int, known: set[str]) -> int:
    """Where mine's i-th note goes: after its nearest earlier neighbour already placed and
    the notes the other side added there (the later save comes later), else before its
    nearest later neighbour, else at the end."""
    placed = {n["id"]: pos for pos, n in enumerate(out)}
    for prev in reversed(mine[:i]):
        if prev["id"] in placed:
            pos = placed[prev["id"]] + 1
            while pos < len(out) and out[pos]["id"] not in known:
                pos += 1
            return pos
    for nxt in mine[i + 1:]:
        if nxt["id"] in placed:
            return placed[nxt["id"]]
    return len(out)


def _merge_item(base: Item | None, theirs: Item, mine: Item) -> list[Item]:
    if base is None:  # the same id added on both sides: keep both unless they agree
        return [theirs] if theirs == mine else [theirs, {**mine, "id": new_id()}]
    merged = _merge_dict(base, theirs, mine)
    if merged is None:  # the same key changed differently on both sides: keep both notes
        return [theirs, {**mine, "id": new_id()}]
    return [merged]


def _merge_dict(base: Item, theirs: Item, mine: Item) -> Item | None:
    out: Item = {}
    for key in [*theirs, *(k for k in mine if k not in theirs)]:
        b, t, m = base.get(key), theirs.get(key), mine.get(key)
        if t == b or m == t:
            value = m
        elif m == b:
            value = t
        elif isinstance(b, dict | None) and isinstance(t, dict) and isinstance(m, dict):
            value = _merge_dict(b or {}, t, m)  # tags: group by group
            if value is None:
                return None
        else:
            return None
        if value is not None:
            out[key] = value
    return out
