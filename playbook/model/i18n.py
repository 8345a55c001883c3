"""Every user-facing string of a definition under a stable key, and translations as data.

Keys follow ids, not positions: ``empathy_audit.sections.contact.fields.last_contact.label``.
A translation is a flat YAML file ``content/<language>/<exercise>.yml`` mapping keys to
text; keys it leaves out fall back to English, and a key that does not exist is an error
(a typo would otherwise silently leave English in a translated handout).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playbook import yamlio
from playbook.errors import TranslationError
from playbook.model.exercise import Exercise

TRANSLATABLE = frozenset({
    "title", "summary", "purpose", "label", "help", "intro", "instructions",
    "facilitator_notes", "description", "text", "reason", "claim", "figure", "note", "message",
    "unit", "points",
})


def _slots(node: Any, prefix: str) -> Iterator[tuple[str, Any, str | int]]:
    """(key, container, slot) for every translatable string in a dumped definition."""
    if isinstance(node, dict):
        for name, value in node.items():
            key = f"{prefix}.{name}"
            if name == "points" and isinstance(value, list):
                for i in range(len(value)):
                    yield f"{key}.{i + 1}", value, i
            elif name == "unit" and "kind" in node:
                continue  # a metric's unit is a keyword (percent, points), not text
            elif name in TRANSLATABLE and isinstance(value, str):
                yield key, node, name
            elif isinstance(value, dict):
                yield from _slots(value, key)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and "id" in item:
                        yield from _slots(item, f"{key}.{item['id']}")


def _dump(ex: Exercise) -> dict[str, Any]:
    return ex.model_dump(by_alias=True, exclude_none=True)


def strings(ex: Exercise) -> dict[str, str]:
    """Every user-facing string of `ex`, by key."""
    return {key: box[slot] for key, box, slot in _slots(_dump(ex), ex.id)}


def localise(ex: Exercise, catalog: dict[str, str], *, file: str | None = None,
             lines: dict[str, int] | None = None) -> Exercise:
    """A copy of `ex` with the catalog's texts in place of the English ones."""
    data = _dump(ex)
    slots = {key: (box, slot) for key, box, slot in _slots(data, ex.id)}
    for key, text in catalog.items():
        line = (lines or {}).get(key)
        if key not in slots:
            raise TranslationError(
                f"no text has the key {key!r}", file=file, line=line,
                fix="check the key against 'playbook.model.i18n.strings' (keys follow ids)",
            )
        if not isinstance(text, str) or not text.strip():
            raise TranslationError(f"the text for {key!r} must be non-empty text", file=file, line=line)
        box, slot = slots[key]
        box[slot] = text
    return Exercise.model_validate(data)


def load_catalog(path: str | Path) -> tuple[dict[str, str], dict[str, int]]:
    """A translation file's keys and texts, with each key's line for error messages."""
    doc = yamlio.load(path, TranslationError)
    if doc.data is None:
        return {}, {}
    if not isinstance(doc.data, dict):
        raise TranslationError("a translation file maps keys to texts", file=doc.file, line=1)
    lines = {str(k): doc.line_of((k,)) or 1 for k in doc.data}
    return {str(k): v for k, v in doc.data.items()}, lines


def translated(ex: Exercise, language: str, content: Path) -> Exercise:
    """`ex` in `language` when a catalog exists under `content/<language>/`, else as is."""
    path = content / language / f"{ex.id}.yml"
    if language == "en" or not path.is_file():
        return ex
    catalog, lines = load_catalog(path)
    return localise(ex, catalog, file=str(path), lines=lines)
