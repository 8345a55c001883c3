"""Every user-facing string of a definition under a stable key, and its translations as data.

Keys follow ids, not positions: ``empathy_audit.sections.contact.fields.last_contact.label``.
A translation is a YAML file ``content/<language>/<exercise>.yml`` that maps each key to the
English it was translated from and the translation::

    empathy_audit.title:
      en: Customer-empathy audit
      text: Audit d'empathie client

At run time a key's `text` replaces the English when it is filled in, its `en` is still the
definition's English (else the English changed since: the entry is stale) and its
placeholders (`{value:.0f}`) are the English ones; anything else shows the English, as
gettext does for a fuzzy or empty message. `playbook translations` lists each such entry.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook import yamlio
from playbook.errors import TranslationError
from playbook.i18n import languages
from playbook.model.exercise import Exercise

TRANSLATABLE = frozenset({
    "title", "summary", "purpose", "label", "help", "intro", "instructions",
    "facilitator_notes", "description", "text", "reason", "claim", "figure", "note", "message",
    "unit", "points",
    # shown too: a field's reveal and probe question, a cap's explanation, where a figure and a
    # reference come from (a translator keeps a name or a title as it is published)
    "reveal", "probe", "explain", "source", "author",
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
    """Every user-facing string of `ex`, by key, in the definition's order."""
    return {key: box[slot] for key, box, slot in _slots(_dump(ex), ex.id)}


def localise(ex: Exercise, catalog: Mapping[str, str], *, file: str | None = None,
             lines: Mapping[str, int] | None = None) -> Exercise:
    """A copy of `ex` with the catalog's texts in place of the English ones; a key that names
    no text is an error (a typo would otherwise silently leave English in place)."""
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


# --- the catalogue files ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One key of a catalogue file: the English it was translated from, and the translation
    ("" while there is none)."""

    key: str
    en: str
    text: str
    line: int


def read_catalogue(path: str | Path) -> dict[str, Entry]:
    """A catalogue file's entries by key; a malformed entry is a `TranslationError` with its line."""
    doc = yamlio.load(path, TranslationError)
    return _entries(doc)


def _entries(doc: yamlio.Located) -> dict[str, Entry]:
    data, file = doc.data, doc.file
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TranslationError("a translation file maps keys to {en, text}", file=file, line=1,
                               fix="start each entry with its key, e.g. 'empathy_audit.title:'")
    out: dict[str, Entry] = {}
    for key, value in data.items():
        line = doc.line_of((key,)) or 1
        if not isinstance(value, dict) or set(value) - {"en", "text"} or not isinstance(value.get("en"), str):
            raise TranslationError(
                f"the entry {key!r} must hold 'en' (the English) and 'text' (the translation)", file=file,
                line=line, fix="write it as two lines under the key: 'en: <English>' and 'text: <translation>'",
            )
        text = value.get("text")
        if text is not None and not isinstance(text, str):
            raise TranslationError(f"the translation of {key!r} must be text", file=file,
                                   line=doc.line_of((key, "text")) or line, field="text",
                                   fix="quote it, e.g. text: '42'")
        out[str(key)] = Entry(str(key), value["en"], text if text and text.strip() else "", line)
    return out


def placeholders(text: str) -> list[str]:
    """The `{name:spec}` fields of a text, sorted (`{{` is a brace, not a field); ["{"] when its
    braces do not pair, which never matches a translation that pairs them."""
    try:
        fields = [f"{{{name}{':' + spec if spec else ''}}}" for _, name, spec, _ in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return ["{"]
    return sorted(fields)


def usable(entry: Entry, english: str | None) -> bool:
    """Whether an entry's translation shows: filled in, of the English the definition has now,
    with the English's placeholders."""
    return bool(entry.text.strip()) and english is not None and entry.en == english and \
        placeholders(entry.text) == placeholders(english)


def catalogue_path(exercise_id: str, language: str, root: Path | None = None) -> Path | None:
    """The catalogue file of an exercise in `language` (a folder named `pt-BR` or `pt_BR`), if any."""
    folder = languages.content_folders(root).get(language)
    path = folder / f"{exercise_id}.yml" if folder is not None else None
    return path if path is not None and path.is_file() else None


_cache: dict[tuple[int, str, int], tuple[Exercise, Exercise]] = {}


def translated(ex: Exercise, language: str, root: Path | None = None) -> Exercise:
    """`ex` in `language` (a tag `playbook.i18n.resolve` gave): every usable entry of its
    catalogue under `root` (default: the kit's `content/`) in place of the English; `ex` itself
    when there is no catalogue. Cached per definition and catalogue file version."""
    path = catalogue_path(ex.id, language, root) if language != languages.SOURCE else None
    if path is None:
        return ex
    key = (id(ex), str(path), path.stat().st_mtime_ns)
    hit = _cache.get(key)
    if hit is not None and hit[0] is ex:
        return hit[1]
    english = strings(ex)
    entries = read_catalogue(path)
    catalog = {k: e.text for k, e in entries.items() if usable(e, english.get(k))}
    out = localise(ex, catalog, file=str(path))
    _cache[key] = (ex, out)
    return out
