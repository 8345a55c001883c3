"""What English is left in a page, in a language that should have none.

Two ways to find it. In the throwaway language of tests/pseudo.py every text is in accented
look-alikes, so any run of plain ASCII letters is English that escaped translation
(`english`, `leftover`). In a real language, where English words may well stay (a name, a
title kept beside its translation), `english_left` looks for the English texts the language
translates: definition texts and the words around each message's placeholders.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from playbook import i18n
from playbook.i18n import languages
from playbook.model import exercises
from playbook.model import i18n as definitions
from playbook.translations import check

ENGLISH = re.compile(r"[A-Za-z]{2,}")
SHIPPED = list(languages.shipped())


@functools.cache
def shipped_report(language: str) -> check.Report:
    """`check.check_language` for a shipped language, once per test process: it reads every
    catalogue with line numbers (about a second), and several tests ask. Called when a test
    runs, not when tests are collected, which every test process does."""
    return check.check_language(language)


def complete_or_skip(language: str) -> None:
    """Skip a test of `language`'s output while the language is incomplete, naming the test that lists why."""
    report = shipped_report(language)
    if not report.complete:
        pytest.skip(f"{report.summary()}: test_shipped_language_is_complete[{language}] fails and lists them")

_DROP = re.compile(r"<(style|script|svg)\b.*?</\1>", re.S | re.I)
_BODY = re.compile(r"<body\b[^>]*>", re.I)
_URL = re.compile(r"https?://\S+")
_ATTRS = re.compile(r"""\b(?:alt|title|placeholder|aria-label)=(?:"([^"]*)"|'([^']*)')""", re.I)
_TAGS = re.compile(r"<[^>]+>")


def visible(page: str) -> str:
    """What a reader of `page` (HTML) sees or hears: its text and its alt, title and
    placeholder attributes, unescaped; no styles, scripts or pictures' code."""
    start = _BODY.search(page)
    body = _DROP.sub(" ", page[start.end():] if start else page)
    attrs = " ".join(a or b for a, b in _ATTRS.findall(body))
    return html.unescape(_TAGS.sub(" ", body) + " " + attrs)


def ascii_words(texts: Iterable[str], allowed: Iterable[str] = ()) -> list[str]:
    """The runs of two ASCII letters or more in `texts`, but for the `allowed` phrases."""
    keep = sorted(allowed, key=len, reverse=True)
    found: list[str] = []
    for text in texts:
        text = " ".join(_URL.sub(" ", text).split())  # a link is an address, in no language
        for phrase in keep:
            text = text.replace(phrase, " ")
        found += [f"{m.group(0)} (in: ...{text[max(0, m.start() - 50):m.end() + 50]}...)" for m in ENGLISH.finditer(text)]
    return found


def iter_texts(widget: Any) -> Iterator[str]:
    """Every text a widget tree shows: HTML values, labels, descriptions, placeholders,
    tooltips, options and tab or accordion titles."""
    for name in ("value", "description", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and (name != "value" or type(widget).__name__ in ("HTML", "Label")):
            yield visible(value) if name == "value" else value
    for name in ("options", "_options_labels"):
        for option in getattr(widget, name, ()) or ():
            yield option[0] if isinstance(option, tuple) else str(option)
    for name in ("titles", "tooltips"):
        yield from (t for t in getattr(widget, name, ()) or () if isinstance(t, str))
    for child in getattr(widget, "children", ()):
        yield from iter_texts(child)


# English a page may hold whatever its language, and why.
ALLOWED = [
    "HTML", "PDF",  # the index page's links name the file formats
    "playbook serve",  # a command to type, in the blank worksheet's notebook mode
]
# A date with the month in the language's words ("3 décembre 2026") is no English left.
FORMATTED = [re.compile(r"\b\d{1,2}(?:er)? [^\s\d]+ \d{4}\b")]


def english(texts: list[str]) -> list[str]:
    """The English left in `texts` (what a reader sees), but for ALLOWED and formatted dates."""
    out = []
    for text in texts:
        for pattern in FORMATTED:
            text = pattern.sub(" ", text)
        out.append(text)
    return ascii_words(out, ALLOWED)


def leftover(page: str) -> list[str]:
    return english([visible(page)])


def english_left(language: str, pages: dict[str, str]) -> dict[str, list[str]]:
    """Per page, the English texts (of two words or more) that `language` translates and that
    are in it nonetheless: definition texts, and the words around a message's placeholders."""
    wanted: set[str] = set()
    translations: list[str] = []  # a translation may keep an English name: "《妈妈测试》(The Mom Test)"
    for ex in exercises.all_exercises():
        theirs = definitions.strings(definitions.translated(ex, language))
        translations += theirs.values()  # what the language shows, English kept where a translator kept it
        wanted |= {en for key, en in definitions.strings(ex).items() if theirs.get(key) != en}
    with i18n.use(language) as lang:
        for m in check.read_catalog(languages.locale_root() / check.TEMPLATE):
            ids = m.id if isinstance(m.id, tuple | list) else (m.id,)
            if m.id and lang.gettext(ids[0]) != ids[0]:
                wanted |= {part.strip() for text in ids for part in re.split(r"%\(\w+\)\w|%%", text)}
                translations += [lang.gettext(ids[0]), *([lang.ngettext(ids[0], ids[1], 2)] if len(ids) > 1 else [])]
    kept = " | ".join(translations)
    phrases = sorted((w for w in wanted if len(re.findall(r"[A-Za-z]{2,}", w)) >= 2 and w not in kept),
                     key=len, reverse=True)
    # Each phrase compiled once (a thousand of them overflow re's cache of 512: every page
    # compiled them all again), and looked for as plain text first, which most are not.
    looked = [(p, flat, re.compile(rf"(?<!\w){re.escape(flat)}(?!\w)")) for p in phrases if (flat := " ".join(p.split()))]
    out = {}
    for name, page in pages.items():
        text = " ".join(visible(page).split())
        hits = [p for p, flat, pattern in looked if flat in text and pattern.search(text)]
        if hits:
            out[name] = hits
    return out
