"""The exceptions and warnings users see.

Every error a user can cause is a `PlaybookError`. Each carries structured fields (file,
line, field, team) so callers can catch precisely and the CLI can print one consistent
message: what went wrong, where, and how to fix it. Something that will come out wrong
although nothing failed (Chinese text with no font to draw it) is a `PlaybookWarning`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict


class Where(TypedDict, total=False):
    """Where an error is, to pass on as keywords: ``raise WorkshopError(what, **where)``."""

    file: str | Path | None
    line: int | None
    field: str | None


class PlaybookError(Exception):
    """Base class of every user-facing error; the CLI prints it and exits 2."""

    def __init__(
        self,
        what: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        team: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.what = what
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.team = team
        self.fix = fix
        super().__init__(self.message)

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}, line {self.line}")
        if self.team:
            parts.append(f"team {self.team!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


class DefinitionError(PlaybookError):
    """An exercise definition (content YAML) is invalid."""


class AnswersError(PlaybookError):
    """A team's answers do not fit the exercise definition."""


class WorkshopError(PlaybookError):
    """workshop.yml, a roster or a workshop folder is invalid or missing."""


class TranslationError(PlaybookError):
    """A translation catalog names a key that does not exist or is malformed."""


class LanguageError(PlaybookError):
    """A language the kit has no catalogue for, or a message catalogue it cannot read."""


class StoreError(PlaybookError):
    """The response store cannot be opened, read or written."""


class PlaybookWarning(UserWarning):
    """Base class of the warnings users see: what will come out wrong, and how to fix it.

    Raised with `warnings.warn`; the CLI prints each as one `warning:` line with its fix.
    """

    def __init__(self, what: str, *, fix: str | None = None) -> None:
        self.what = what
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.what}\n  fix: {self.fix}" if self.fix else self.what


class MissingFontWarning(PlaybookWarning):
    """Text in a script no installed font covers: charts and PDFs would show it as empty boxes."""
