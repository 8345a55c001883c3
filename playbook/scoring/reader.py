"""One team's answers to one exercise, read the way scoring needs them: an unanswered field
is None, a number may come from a setting or another answer, a note's attribute counts only
when given, and a date after the workshop is a typo, not evidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook.errors import DefinitionError
from playbook.model.conditions import FieldRef, Number
from playbook.model.exercise import Exercise
from playbook.model.fields import Matrix, Notes, as_type
from playbook.model.rubric import Cap
from playbook.scoring.language import english_words
from playbook.scoring.results import Context
from playbook.scoring.text import given
from playbook.scoring.values import is_answered, iso


class Reader:
    """The answers of one team, with the definition and context they are read against."""

    def __init__(self, ex: Exercise, answers: Mapping[str, Any], context: Context | None = None) -> None:
        context = context or Context()
        self.ex = ex
        self.fields = ex.fields
        self.answers = {k: v for k, v in answers.items() if k in self.fields}
        self.as_of = context.as_of
        self.language = context.language
        covered = ex.text_languages
        if covered is not None and self.language not in covered:
            # Read with rules written for another language, every question would pass.
            raise DefinitionError(
                f"the {ex.id} definition has no question check or text patterns for the language "
                f"{self.language!r} (it has them for {', '.join(sorted(covered))})",
                file=f"{ex.id}.yml", field="lint",
                fix=f"add languages: {{{self.language}: {{pattern: ...}}}} to each lint rule and pattern metric, "
                    f"or run the workshop in one of: {', '.join(sorted(covered))}",
            )
        self.settings = {s.id: s.default for s in ex.settings} | dict(context.settings)
        self.caps: dict[str, Cap] = {c.id: c for c in ex.rubric.caps}
        self._busy: set[str] = set()
        # A team that answered nothing has no score at all, not the zero of its empty
        # evidence lists (those are known zeros only beside other answers).
        self.blank = not any(is_answered(f, self.answers.get(fid)) for fid, f in self.fields.items())

    def length(self, text: str) -> float:
        """A text's length in English words, in whatever language it is written."""
        return english_words(text, self.language)

    def value(self, field_id: str) -> Any:
        v = self.answers.get(field_id)
        return v if is_answered(self.fields[field_id], v) else None

    def notes(self, field_id: str) -> Notes:
        return as_type(self.fields[field_id], Notes)

    def matrix(self, field_id: str) -> Matrix:
        return as_type(self.fields[field_id], Matrix)

    def guard(self, key: str) -> None:
        """Mark `key` (a metric or score) as being computed; computing it again inside is a cycle."""
        if key in self._busy:
            raise DefinitionError(
                f"{key} depends on itself through metrics and scores",
                file=f"{self.ex.id}.yml",
                fix="break the cycle: a metric used in a dimension cannot refer to that score",
            )
        self._busy.add(key)

    def release(self, key: str) -> None:
        self._busy.discard(key)

    def number(self, ref: Number) -> float | None:
        """A literal, a setting, or another field's number (None when unanswered)."""
        if isinstance(ref, FieldRef):
            v = self.value(ref.field)
            return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
        if isinstance(ref, float | int):
            return float(ref)
        return float(self.settings[ref.setting])

    def future(self, note: Mapping[str, Any], field_id: str) -> bool:
        """A note dated after the workshop: a typo or a guess, never evidence."""
        if self.as_of is None:
            return False
        dates = [a.id for a in self.notes(field_id).attributes if a.kind == "date"]
        return any((day := iso(note.get(a))) is not None and day > self.as_of for a in dates if note.get(a))

    def has(self, note: Mapping[str, Any], attr: str, field_id: str) -> bool:
        """A note carries `attr`; a date after the workshop is a typo, not evidence."""
        value = note.get(attr)
        if not given(value):
            return False
        kinds = {a.id: a.kind for a in self.notes(field_id).attributes}
        if kinds.get(attr) == "date" and self.as_of is not None:
            day = iso(value)
            return day is not None and day <= self.as_of
        return True

    def attr_label(self, field_id: str, attr: str) -> str:
        return next(a.label for a in self.notes(field_id).attributes if a.id == attr).lower()
