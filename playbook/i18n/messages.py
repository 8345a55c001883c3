"""Interface strings through gettext: the language in use, and `_`, `ngettext`, `N_`.

Messages are marked in code with `_("...")` (`ngettext` for plurals, `N_` for a constant
translated where it is shown) and in templates with Jinja's i18n extension, extracted by Babel
into `playbook/locale/messages.pot`, and translated in one `.po` file per language. The `.po`
is compiled with Babel when first used (nothing to build, nothing to forget); fuzzy and empty
entries fall back to the English text, as gettext's do.

The language in use is a context variable: `use(language)` sets it for a block (a report, a
handout), `activate(language)` for the whole process (a served page's kernel, which shows one
workshop). Placeholders are `%(name)s`, filled by the caller after translation.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from playbook.errors import LanguageError
from playbook.i18n import languages


@dataclass(frozen=True)
class Language:
    """A language in use: its BCP 47 tag, its Babel locale and its compiled messages."""

    tag: str
    locale: Locale
    translations: _gettext.NullTranslations = field(compare=False)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    @property
    def name(self) -> str:
        """Its name in itself: `français`."""
        return languages.native_name(self.tag)


def compile_po(path: Path) -> _gettext.NullTranslations:
    """A `.po` file compiled with Babel into gettext's translations (fuzzy and empty entries left out)."""
    try:
        with path.open("rb") as f:
            catalog = read_po(f, abort_invalid=False)
    except (OSError, ValueError) as exc:
        raise LanguageError(f"cannot read the message catalogue: {exc}", file=path,
                            fix="check the file with 'playbook translations', or restore it from git") from None
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


@cache
def _compiled(path: Path, mtime: int) -> _gettext.NullTranslations:
    return compile_po(path)


@cache
def _source() -> Language:
    return Language(languages.SOURCE, Locale.parse(languages.SOURCE), _gettext.NullTranslations())


def language(text: str | Language) -> Language:
    """The language `text` names (`fr`, `pt_br`, `zh-Hans`); a `LanguageError` listing the
    languages found when the kit has no catalogue for it."""
    if isinstance(text, Language):
        return text
    found = languages.resolve(text) if text.strip() else languages.SOURCE
    if found is None:
        raise LanguageError(f"language {text!r} has no catalogue", field="language",
                            fix=f"use one of: {languages.listing()}")
    if found == languages.SOURCE:
        return _source()
    po = languages.message_files().get(found)
    translations = _compiled(po, po.stat().st_mtime_ns) if po is not None else _gettext.NullTranslations()
    locale = languages.parse(found)
    assert locale is not None  # resolve() only returns tags Babel parses
    return Language(found, locale, translations)


_active: ContextVar[Language | None] = ContextVar("playbook_language", default=None)
_process: list[Language] = []  # `activate`d: what the process speaks outside any `use` block


def current() -> Language:
    """The language in use: the innermost `use`, else the process's (`activate`), else English."""
    return _active.get() or (_process[-1] if _process else _source())


@contextmanager
def use(text: str | Language) -> Iterator[Language]:
    """Speak `text` (a tag or a Language) for the block: messages, locale formats, definitions."""
    lang = language(text)
    token = _active.set(lang)
    try:
        yield lang
    finally:
        _active.reset(token)


def activate(text: str | Language) -> Language:
    """Speak `text` for the rest of the process: a served page's kernel, whose widgets answer
    clicks and timers long after the page was built."""
    lang = language(text)
    _process[:] = [lang]
    return lang


def gettext(message: str) -> str:
    return current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return current().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for extraction only; it is translated with `_` where it is shown."""
    return message


_ = gettext
