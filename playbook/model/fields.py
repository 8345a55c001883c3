"""Worksheet field types and the validation of the values teams give them.

A field knows what a valid answer looks like, so the answers loader, the store and the
widgets all share one rule book. `check()` returns the value in canonical form or raises
`ValueError` with a message a participant can act on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
OptionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,62}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Model):
    """A choice, checklist item, ranking entry, matrix row, column or cell value.

    Ids may be capitals too, so a RACI grid can use its usual letters A, R, C, I.
    """

    id: OptionId
    label: Text
    help: Text | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    severity: Literal["knockout", "warning", "notice"] | None = None


class HasId(Protocol):
    """Anything a definition lists by id (fields, options, metrics, rules...)."""

    @property
    def id(self) -> str: ...


def unique_ids(items: Sequence[HasId], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"{what} id {item.id!r} is used twice")
        seen.add(item.id)


class FieldBase(Model):
    """`probe` is the question whose answer would back this answer with evidence (used when a
    recommendation sends a team to find out); `reveal` is a text participants see only after
    they answer, such as reference definitions to compare with their own (never printed on
    participant handouts)."""

    id: Id
    label: Text
    help: Text | None = None
    optional: bool = False
    probe: Text | None = None
    reveal: Text | None = None

    def check(self, value: Any) -> Any:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


def _choice_id(field: Choices, value: Any) -> str:
    allowed = [o.id for o in field.options]
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{value!r} is not one of the options: {', '.join(allowed)}")
    return value


def _choice_ids(field: Choices, value: Any) -> list[str]:
    allowed = [o.id for o in field.options]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of option ids from: {', '.join(allowed)}")
    bad = [v for v in value if v not in allowed]
    if bad:
        raise ValueError(f"{', '.join(map(repr, bad))} not among the options: {', '.join(allowed)}")
    if len(set(value)) != len(value):
        raise ValueError("an option is listed twice")
    return [str(v) for v in value]


class _Text(FieldBase):
    max_length: int = Field(default=0, ge=0)

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {type(value).__name__}")
        if len(value) > self.max_length:
            raise ValueError(f"{len(value)} characters; at most {self.max_length} fit here")
        return value


class ShortText(_Text):
    type: Literal["short_text"]
    max_length: int = Field(default=300, ge=1, le=2000)


class LongText(_Text):
    type: Literal["long_text"]
    max_length: int = Field(default=8000, ge=1, le=50000)


class Scale(FieldBase):
    """A 1-5 rating with a label for every point."""

    type: Literal["scale"]
    points: Annotated[list[Text], Field(min_length=5, max_length=5)]

    def check(self, value: Any) -> int:
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or (isinstance(value, float) and not math.isfinite(value)) or value != int(value)):
            raise ValueError(f"expected a whole number from 1 to 5, got {value!r}")
        if not 1 <= value <= 5:
            raise ValueError(f"{value} is out of range: rate from 1 to 5")
        return int(value)

    def percent(self, value: int) -> float:
        return (value - 1) * 25.0


class Choices(FieldBase):
    options: Annotated[list[Option], Field(min_length=2, max_length=60)]

    @model_validator(mode="after")
    def _ids(self) -> Choices:
        unique_ids(self.options, "option")
        return self

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)


class SingleChoice(Choices):
    type: Literal["single_choice"]

    def check(self, value: Any) -> str:
        return _choice_id(self, value)


class MultiChoice(Choices):
    type: Literal["multi_choice"]
    max_selected: int | None = Field(default=None, ge=1)

    def check(self, value: Any) -> list[str]:
        ids = _choice_ids(self, value)
        if self.max_selected and len(ids) > self.max_selected:
            raise ValueError(f"{len(ids)} chosen; choose at most {self.max_selected}")
        return ids


class Checklist(Choices):
    """Items a team ticks; the value lists the ticked item ids."""

    type: Literal["checklist"]

    def check(self, value: Any) -> list[str]:
        return _choice_ids(self, value)


class Ranking(Choices):
    """Options put in order, most important first; ranking only some of them is allowed."""

    type: Literal["ranking"]
    rank_all: bool = False

    def check(self, value: Any) -> list[str]:
        ids = _choice_ids(self, value)
        if self.rank_all and ids and len(ids) != len(self.options):
            raise ValueError(f"rank all {len(self.options)} options, not {len(ids)}")
        return ids


class Number(FieldBase):
    type: Literal["number"]
    min: float = 0
    max: float = 1_000_000
    integer: bool = True
    unit: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> Number:
        if self.min > self.max:
            raise ValueError("min is greater than max")
        return self

    def check(self, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float) or (
            isinstance(value, float) and not math.isfinite(value)
        ):
            raise ValueError(f"expected a number, got {value!r}")
        if self.integer and value != int(value):
            raise ValueError(f"expected a whole number, got {value}")
        if not self.min <= value <= self.max:
            shown = str(value) if len(str(value)) <= 20 else f"{str(value)[:17]}..."
            raise ValueError(f"{shown} is out of range: from {_num(self.min)} to {_num(self.max)}")
        return int(value) if self.integer else float(value)


def _num(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


class TagGroup(Model):
    """One way of tagging notes, such as evidence: heard / observed / imagined."""

    id: Id
    label: Text
    options: Annotated[list[Option], Field(min_length=2, max_length=30)]
    required: bool = False


class Attribute(Model):
    """A free value carried by every note: a source, a date, an owner, a due date."""

    id: Id
    label: Text
    kind: Literal["text", "date"] = "text"
    required: bool = False


_NOTE_KEYS = {"id", "text", "tags"}
_ITEM_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


class Notes(FieldBase):
    """A list of notes, each with text, tags from the field's tag groups and attributes."""

    type: Literal["notes"]
    tag_groups: list[TagGroup] = []
    attributes: list[Attribute] = []
    max_items: int = Field(default=200, ge=1, le=1000)
    max_length: int = Field(default=2000, ge=1, le=20000)

    @model_validator(mode="after")
    def _ids(self) -> Notes:
        unique_ids(self.tag_groups, "tag group")
        unique_ids(self.attributes, "attribute")
        clash = _NOTE_KEYS & {a.id for a in self.attributes}
        if clash:
            raise ValueError(f"attribute id {clash.pop()!r} is reserved")
        return self

    def check(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise ValueError("expected a list of notes")
        if len(value) > self.max_items:
            raise ValueError(f"{len(value)} notes; at most {self.max_items} fit here")
        notes = [self._check_note(i + 1, note) for i, note in enumerate(value)]
        ids = [n["id"] for n in notes if "id" in n]
        if len(ids) != len(set(ids)):
            twice = next(i for i in ids if ids.count(i) > 1)
            raise ValueError(f"two notes have the id {twice!r}; an id names one note")
        return notes

    def _check_note(self, n: int, note: Any) -> dict[str, Any]:
        if isinstance(note, str):
            note = {"text": note}
        if not isinstance(note, dict):
            raise ValueError(f"note {n}: expected text or a mapping with 'text'")
        allowed = _NOTE_KEYS | {a.id for a in self.attributes}
        unknown = sorted(set(map(str, note)) - allowed)
        if unknown:
            raise ValueError(f"note {n}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
        text = note.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"note {n}: 'text' is required")
        if len(text) > self.max_length:
            raise ValueError(f"note {n}: {len(text)} characters; at most {self.max_length}")
        out: dict[str, Any] = {"text": text, "tags": self._check_tags(n, note.get("tags") or {})}
        if "id" in note:  # the item id that lets laptops merge their lists (answers.merge)
            if not isinstance(note["id"], str) or not _ITEM_ID.fullmatch(note["id"]):
                raise ValueError(f"note {n}: id {note['id']!r} is not 1-40 letters, digits, - or _")
            out = {"id": note["id"], **out}
        for attr in self.attributes:
            raw = note.get(attr.id)
            if raw in (None, ""):
                if attr.required:
                    raise ValueError(f"note {n}: {attr.id!r} is required")
                continue
            out[attr.id] = _check_attribute(n, attr, raw)
        return out

    def _check_tags(self, n: int, tags: Any) -> dict[str, str]:
        if not isinstance(tags, dict):
            raise ValueError(f"note {n}: 'tags' must map a tag group to an option")
        groups = {g.id: g for g in self.tag_groups}
        out: dict[str, str] = {}
        for gid, opt in tags.items():
            group = groups.get(gid)
            if group is None:
                raise ValueError(f"note {n}: unknown tag group {gid!r}; allowed: {', '.join(groups) or 'none'}")
            ids = [o.id for o in group.options]
            if opt not in ids:
                raise ValueError(f"note {n}: {gid} {opt!r} is not one of: {', '.join(ids)}")
            out[gid] = opt
        for group in self.tag_groups:
            if group.required and group.id not in out:
                raise ValueError(f"note {n}: tag {group.id!r} is required ({', '.join(o.id for o in group.options)})")
        return out


def _check_attribute(n: int, attr: Attribute, raw: Any) -> str:
    if attr.kind == "date":
        if isinstance(raw, dt.date):
            return raw.isoformat()
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ValueError(f"note {n}: {attr.id} {raw!r} is not a date like 2026-03-31") from None
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise ValueError(f"note {n}: {attr.id} must be text")
    text = str(raw)
    if len(text) > 300:
        raise ValueError(f"note {n}: {attr.id} has {len(text)} characters; at most 300")
    return text


class Matrix(FieldBase):
    """Rows by columns, each cell one value from `values` or empty (a RACI grid)."""

    type: Literal["matrix"]
    rows: Annotated[list[Option], Field(min_length=1, max_length=60)]
    columns: Annotated[list[Option], Field(min_length=1, max_length=30)]
    values: Annotated[list[Option], Field(min_length=1, max_length=30)]

    @model_validator(mode="after")
    def _ids(self) -> Matrix:
        unique_ids(self.rows, "row")
        unique_ids(self.columns, "column")
        unique_ids(self.values, "value")
        return self

    def value_id(self, cell: Any) -> str | None:
        """The id of the value a cell holds: its id, or what people write on paper (the
        label, or the label's first word: "A" for "A: Accountable", 3 for "3"), any case."""
        if isinstance(cell, bool) or not isinstance(cell, str | int):
            return None
        text = str(cell).strip().casefold()
        for v in self.values:
            short = v.label.split(":")[0].strip().casefold()
            if text in (v.id.casefold(), v.label.casefold(), short):
                return v.id
        return None

    def check(self, value: Any) -> dict[str, dict[str, str]]:
        if not isinstance(value, dict):
            raise ValueError("expected a mapping of row -> column -> value")
        rows = [r.id for r in self.rows]
        cols = [c.id for c in self.columns]
        vals = [v.id for v in self.values]
        out: dict[str, dict[str, str]] = {}
        for row, cells in value.items():
            if row not in rows:
                raise ValueError(f"unknown row {row!r}; rows: {', '.join(rows)}")
            if cells in (None, {}):
                continue
            if not isinstance(cells, dict):
                raise ValueError(f"row {row!r}: expected a mapping of column -> value")
            kept: dict[str, str] = {}
            for col, cell in cells.items():
                if col not in cols:
                    raise ValueError(f"row {row!r}: unknown column {col!r}; columns: {', '.join(cols)}")
                if cell in (None, ""):
                    continue
                found = self.value_id(cell)
                if found is None:
                    raise ValueError(f"row {row!r}, column {col!r}: {cell!r} is not one of: {', '.join(vals)}")
                kept[col] = found
            if kept:
                out[row] = kept
        return out


FieldDef = Annotated[
    ShortText | LongText | Scale | SingleChoice | MultiChoice | Checklist | Notes | Ranking
    | Number | Matrix,
    Field(discriminator="type"),
]

FIELD_TYPES = (
    "short_text", "long_text", "scale", "single_choice", "multi_choice", "checklist", "notes",
    "ranking", "number", "matrix",
)

F = TypeVar("F", bound=FieldBase)


def as_type(f: FieldDef, kind: type[F]) -> F:
    """`f` as the field type its use needs (a matrix for a heatmap, notes for evidence); the
    definition's cross-checks make sure of it, so a mismatch is a bug, not a user's error."""
    if not isinstance(f, kind):
        raise TypeError(f"field {f.id!r} is a {f.type}, not a {kind.__name__}: the definition checks missed it")
    return f
