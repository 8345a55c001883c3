"""Bring every catalogue in step with the English, losing no translation; add a language.

`update` extracts the messages into the template (`locale/messages.pot`), merges it into each
language's `.po` with Babel (new messages empty, changed ones fuzzy with the old translation
as a suggestion, removed ones kept as obsolete until a translator deletes them), and adds to
each language's definition catalogues the keys they lack (`en` and an empty `text`, at the end
of the file). An entry with a translation is never rewritten; one without is given today's
English. `add` makes the catalogues of a new language. Both say what they changed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from playbook.errors import LanguageError
from playbook.fsio import write_atomic
from playbook.i18n import languages
from playbook.model import exercises
from playbook.model import i18n as definitions
from playbook.translations import extract
from playbook.translations.check import TEMPLATE, read_catalog

HEADER = """\
# {title}: the {name} ({tag}) translation of playbook/content/{id}.yml.
# Each entry: `en` is the English text it was translated from (leave it as it is: when the
# English changes, the completeness check flags the entry as stale), `text` is the translation.
# Keep placeholders such as {{value:.0f}} exactly as they are in `en`.
"""
NEW_KEYS = "# New in the English since the last update: translate each `text`.\n"
TEMPLATE_HEADER = """\
# The interface messages of Workshop Playbook: the template of every language's messages.po.
# Made from the code by 'playbook translations update' (make catalogues); do not edit it by hand.
#"""
PO_HEADER = """\
# The interface messages of Workshop Playbook in {name} ({tag}).
# Translate each msgstr; keep placeholders such as %(name)s as msgid has them (%% is a percent sign).
# Check this file with: playbook translations check {tag}
#"""
PO_OPTIONS: dict[str, Any] = {"width": 100, "include_lineno": False, "sort_by_file": True}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _str)


def entries_yaml(entries: dict[str, str]) -> str:
    """Catalogue entries `{key: {en, text: ''}}` as a translator's file writes them."""
    body = {key: {"en": en, "text": ""} for key, en in entries.items()}
    return yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100) if body else ""


def _po_bytes(catalog: Catalog, *, template: bool = False) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, ignore_obsolete=template, **PO_OPTIONS)
    return buf.getvalue()


def _shape(catalog: Catalog) -> list[tuple[Any, ...]]:
    """What a template says, dates left out: whether writing it again changes anything."""
    return sorted(((m.id, m.context, sorted({loc[0] for loc in m.locations}), m.auto_comments, sorted(m.flags))
                   for m in catalog if m.id), key=repr)


def write_template() -> tuple[Catalog, bool]:
    """The template extracted from the code, written when it changed; (it, whether written)."""
    fresh = extract.template()
    fresh.header_comment = TEMPLATE_HEADER
    path = languages.locale_root() / TEMPLATE
    if path.is_file():
        old = read_catalog(path)
        if _shape(old) == _shape(fresh):
            fresh.creation_date = old.creation_date
            return fresh, False
    write_atomic(path, _po_bytes(fresh, template=True))
    return fresh, True


def update_messages(language: str, template: Catalog) -> str | None:
    """Merge the template into `language`'s `.po` (made when missing); what changed, or None."""
    root = languages.locale_root()
    path = languages.message_files(root).get(language) or root / language / "LC_MESSAGES" / "messages.po"
    locale = languages.parse(language)
    if path.is_file():
        po = read_catalog(path, language)
        before = path.read_bytes()
    else:
        po = Catalog(locale=locale, project=extract.PROJECT, version=template.version, fuzzy=False,
                     header_comment=PO_HEADER.format(name=locale.get_display_name("en") if locale else language,
                                                     tag=language))
        before = b""
    po.update(template, no_fuzzy_matching=False, update_header_comment=False)
    after = _po_bytes(po)
    if after == before:
        return None
    write_atomic(path, after)
    messages = [m for m in po if m.id]
    empty = sum(1 for m in messages if not all(m.string if isinstance(m.string, tuple | list) else (m.string,)))
    fuzzy = sum(1 for m in messages if m.fuzzy)
    return f"{_rel(path)}: {len(messages)} messages, {empty} untranslated, {fuzzy} fuzzy, {len(po.obsolete)} obsolete"


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(languages.content_root().parent.resolve()).as_posix()
    except ValueError:
        return str(path)


def _blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Each top-level key of a catalogue file -> (first line, line after its block), 0-based."""
    starts = [(n, line.split(":", 1)[0]) for n, line in enumerate(lines) if line[:1] not in ("", " ", "#", "\n")]
    out: dict[str, tuple[int, int]] = {}
    for i, (n, key) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines)
        while end > n + 1 and lines[end - 1].startswith("#"):  # a comment above the next key is the next key's
            end -= 1
        out[key.strip().strip("'\"")] = (n, end)
    return out


def update_definitions(language: str, folder: Path | None = None) -> list[str]:
    """Add to `language`'s definition catalogues every key they lack (made when missing), and
    today's English to entries that have no translation yet; what changed, per file."""
    root = languages.content_root()
    folder = folder or languages.content_folders(root).get(language) or root / language
    changed = []
    for ex in exercises.all_exercises():
        english = definitions.strings(ex)
        path = folder / f"{ex.id}.yml"
        if not path.is_file():
            name = languages.parse(language)
            head = HEADER.format(title=ex.title, name=name.get_display_name("en") if name else language,
                                 tag=language, id=ex.id)
            write_atomic(path, head + entries_yaml(english))
            changed.append(f"{_rel(path)}: made, {len(english)} texts to translate")
            continue
        entries = definitions.read_catalogue(path)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        blocks = _blocks(lines)
        renewed = [k for k, e in entries.items() if k in english and not e.text.strip() and e.en != english[k]
                   and k in blocks]
        for key in sorted(renewed, key=lambda k: blocks[k][0], reverse=True):
            start, end = blocks[key]
            lines[start:end] = [entries_yaml({key: english[key]})]
        added = {k: en for k, en in english.items() if k not in entries}
        out = "".join(lines)
        if added:
            out = out + ("" if out.endswith("\n") or not out else "\n") + NEW_KEYS + entries_yaml(added)
        if out != text:
            write_atomic(path, out)
            changed.append(f"{_rel(path)}: {len(added)} texts added, {len(renewed)} untranslated texts given "
                           "today's English")
    return changed


def update(among: Iterable[str] | None = None) -> list[str]:
    """The template from the code, then every catalogue of `among` (default: every language
    there is) in step with it and with the definitions; one line per file changed."""
    template, written = write_template()
    count = sum(1 for m in template if m.id)
    out = [f"{_rel(languages.locale_root() / TEMPLATE)}: {count} messages"] if written else []
    for tag in (t for t in (among if among is not None else languages.shipped()) if t != languages.SOURCE):
        line = update_messages(tag, template)
        out += [line] if line else []
        out += update_definitions(tag)
    return out


def add(text: str) -> tuple[str, list[str]]:
    """Catalogues for a new language (a tag Babel knows: `de`, `es-MX`); (its tag, the files made)."""
    tag = languages.normalise(text)
    if tag is None or tag == languages.SOURCE:
        raise LanguageError(f"{text!r} is not a language tag Babel knows", field="language",
                            fix="use a BCP 47 tag such as de, es-MX or zh-Hant")
    if tag in languages.available():
        raise LanguageError(f"{tag} has catalogues already", field="language",
                            fix="run 'playbook translations update' to bring them up to date")
    template, _written = write_template()
    return tag, [line for line in [update_messages(tag, template), *update_definitions(tag)] if line]
