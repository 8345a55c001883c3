"""Is a language complete? Every problem of its catalogues against today's English.

Per language, for the definitions (`content/<tag>/<exercise>.yml`) and the interface messages
(`locale/<tag>/LC_MESSAGES/messages.po` against the template `messages.pot`):

- missing: a key or message with no translation (an empty `text`, an empty `msgstr`);
- extra: a key or message the English no longer has;
- stale: a translation of English that has changed since (a key's `en` differs from the
  definition's text; a fuzzy message), or an obsolete message left in the `.po`;
- placeholders: a translation whose `{value:.0f}` or `%(name)s` differ from the English's, or
  with a lone `%` where the message is formatted.

And, for every language at once, whether the template still holds what the code marks
(`template_problems`). A language with no problem is complete; `playbook translations check`
prints these, and the test suite fails on any of them for a shipped language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from playbook.errors import PlaybookError
from playbook.i18n import languages
from playbook.model import exercises
from playbook.model import i18n as definitions

Kind = Literal["missing", "extra", "stale", "placeholders", "template"]
KINDS: tuple[Kind, ...] = ("missing", "extra", "stale", "placeholders", "template")
TEMPLATE = "messages.pot"
_FORMAT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?([a-zA-Z%])")


@dataclass(frozen=True)
class Problem:
    kind: Kind
    file: str  # relative to the kit's package folder: content/fr/empathy_audit.yml
    key: str  # the definition key, or the message
    line: int | None = None
    detail: str = ""  # what to do about it, with the English where it helps
    count: int = 1  # how many texts it stands for (a whole file missing: all of its texts)

    def text(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.kind}: {where}: {self.key}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Report:
    """What one language still lacks; complete when there is no problem."""

    language: str
    definitions: int = 0  # keys the definitions have
    messages: int = 0  # messages the template has
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems

    def counts(self) -> Counter[str]:
        """Texts per kind of problem (a missing file counts each text it lacks)."""
        out: Counter[str] = Counter()
        for p in self.problems:
            out[p.kind] += p.count
        return out

    def summary(self) -> str:
        name = f"{self.language} ({languages.native_name(self.language)})"
        if self.complete:
            return f"{name}: complete ({self.definitions} definition texts, {self.messages} messages)"
        counts = ", ".join(f"{n} {kind}" for kind in KINDS if (n := self.counts()[kind]))
        return f"{name}: INCOMPLETE: {counts} (of {self.definitions} definition texts, {self.messages} messages)"

    def text(self, limit: int | None = None) -> str:
        lines = [self.summary()]
        shown = self.problems if limit is None else self.problems[:limit]
        lines += [f"  {p.text()}" for p in shown]
        if len(shown) < len(self.problems):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more (playbook translations check "
                         f"{self.language})")
        return "\n".join(lines)


def _rel(path: Path) -> str:
    base = languages.content_root().parent
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)


def _short(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- definitions ------------------------------------------------------------------------------


def definition_problems(language: str, content: Path | None = None) -> tuple[int, list[Problem]]:
    """(how many keys the definitions have, the problems of `language`'s definition catalogues)."""
    content = content or languages.content_root()  # the kit's own catalogues, never $PLAYBOOK_CATALOGUES
    folder = languages.content_folders(content).get(language)
    total = 0
    problems: list[Problem] = []
    for ex in exercises.all_exercises():
        english = definitions.strings(ex)
        total += len(english)
        path = (folder / f"{ex.id}.yml") if folder is not None else content / language / f"{ex.id}.yml"
        where = _rel(path)
        if not path.is_file():
            problems.append(Problem("missing", where, f"{ex.id}.*", None,
                                    f"no file: {len(english)} texts to translate; run 'playbook translations update'",
                                    count=len(english)))
            continue
        try:
            entries = definitions.read_catalogue(path)
        except PlaybookError as exc:
            problems.append(Problem("missing", where, exc.what, exc.line, exc.fix or ""))
            continue
        for key, en in english.items():
            entry = entries.get(key)
            if entry is None:
                problems.append(Problem("missing", where, key, None,
                                        "not in the file; run 'playbook translations update'"))
            elif not entry.text.strip():
                stale = "" if entry.en == en else "; the English is now: " + _short(en)
                problems.append(Problem("missing", where, key, entry.line, "no text yet" + stale))
            elif entry.en != en:
                problems.append(Problem("stale", where, key, entry.line,
                                        f"the English is now: {_short(en)}; update 'text', then copy it to 'en'"))
            elif definitions.placeholders(entry.text) != definitions.placeholders(en):
                problems.append(Problem("placeholders", where, key, entry.line,
                                        f"the English has {' '.join(definitions.placeholders(en)) or 'none'}"))
        problems += [Problem("extra", where, key, entry.line, "the English has no such text: delete the entry")
                     for key, entry in entries.items() if key not in english]
    return total, problems


# --- interface messages ------------------------------------------------------------------------


def _fields(text: str) -> tuple[set[str], bool]:
    """(the `%(name)s` names of a message, whether it has a `%` that is no placeholder)."""
    names: set[str] = set()
    rest = text
    for m in _FORMAT.finditer(text):
        if m.group(2) != "%" and m.group(1):
            names.add(m.group(1))
        rest = rest.replace(m.group(0), "", 1)
    return names, "%" in rest


def _formatted(message: Message) -> bool:
    """A message filled with values (`%` formatting): marked python-format, or shown by a
    template (Jinja formats every message there)."""
    return message.python_format or any(str(loc[0]).endswith(".j2") for loc in message.locations)


def _placeholder_problem(message: Message, translated: Message) -> str | None:
    if not _formatted(message):
        return None
    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
    strings = translated.string if isinstance(translated.string, tuple | list) else (translated.string,)
    wanted = _fields(ids[-1])[0]
    for n, text in enumerate(strings):
        names, lone = _fields(text or "")
        if lone:
            return "a '%' that is no placeholder: write '%%' for a percent sign"
        plural = len(ids) > 1
        allowed = names <= wanted and (wanted - names <= {"num"} if plural else names == wanted)
        if not allowed:
            form = f"form {n}: " if plural else ""
            return f"{form}the English has {', '.join(f'%({w})s' for w in sorted(wanted)) or 'none'}"
    return None


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    try:
        with path.open("rb") as f:
            return read_po(f, locale=locale.replace("-", "_") if locale else None, abort_invalid=True)
    except (OSError, ValueError) as exc:
        raise PlaybookError(f"cannot read the catalogue: {exc}", file=path,
                            fix="check its syntax (msgid, msgstr, quotes), or restore it from git") from None


def message_problems(language: str, locale_dir: Path | None = None) -> tuple[int, list[Problem]]:
    """(how many messages the kit's template has, the problems against it of `language`'s `.po`
    under `locale_dir`, by default the kit's `locale/`)."""
    root = locale_dir or languages.locale_root()
    template = read_catalog(languages.locale_root() / TEMPLATE)
    wanted = [m for m in template if m.id]
    po_path = languages.message_files(root).get(language) or root / language / "LC_MESSAGES" / "messages.po"
    where = _rel(po_path)
    if not po_path.is_file():
        fix = f"no file: {len(wanted)} messages to translate; run 'playbook translations update'"
        return len(wanted), [Problem("missing", where, "*", None, fix, count=len(wanted))]
    try:
        po = read_catalog(po_path, language)
    except PlaybookError as exc:
        return len(wanted), [Problem("missing", where, exc.what, None, exc.fix or "")]
    problems: list[Problem] = []
    for m in wanted:
        t = po.get(m.id, m.context)
        key = _short(m.id[0] if isinstance(m.id, tuple | list) else m.id)
        line = t.lineno if t is not None else None
        strings = (t.string if isinstance(t.string, tuple | list) else (t.string,)) if t is not None else ("",)
        if t is None or not all(s and s.strip() for s in strings):
            problems.append(Problem("missing", where, key, line, "no msgstr yet"))
        elif t.fuzzy:
            problems.append(Problem("stale", where, key, line, "fuzzy: check the translation, then remove the flag"))
        elif isinstance(m.id, tuple | list) and len(strings) != po.num_plurals:
            problems.append(Problem("placeholders", where, key, line,
                                    f"{len(strings)} plural forms; {language} has {po.num_plurals}"))
        elif (why := _placeholder_problem(m, t)) is not None:
            problems.append(Problem("placeholders", where, key, line, why))
    known = {(m.id if not isinstance(m.id, list) else tuple(m.id), m.context) for m in wanted}
    for t in po:
        if t.id and (t.id if not isinstance(t.id, list) else tuple(t.id), t.context) not in known:
            problems.append(Problem("extra", where, _short(str(t.id)), t.lineno,
                                    "the English has no such message: run 'playbook translations update'"))
    problems += [Problem("stale", where, _short(str(t.id)), t.lineno, "obsolete: delete it")
                 for t in po.obsolete.values()]
    return len(wanted), problems


# --- everything --------------------------------------------------------------------------------


def check_language(language: str) -> Report:
    """`language`'s report (a tag as `playbook.i18n.resolve` gives it)."""
    report = Report(language)
    report.definitions, problems = definition_problems(language)
    report.messages, more = message_problems(language)
    report.problems = problems + more
    return report


def check(among: Iterable[str] | None = None) -> list[Report]:
    """The report of each language (default: every translated language the kit ships)."""
    tags = [t for t in (among if among is not None else languages.shipped()) if t != languages.SOURCE]
    return [check_language(t) for t in tags]


def template_problems() -> list[Problem]:
    """Messages the code marks that the template lacks, and messages it holds that the code no
    longer marks: the template is out of date ('playbook translations update' makes it again)."""
    from playbook.translations import extract

    fresh = {(m.id if not isinstance(m.id, list) else tuple(m.id), m.context) for m in extract.template() if m.id}
    path = languages.locale_root() / TEMPLATE
    held = {(m.id if not isinstance(m.id, list) else tuple(m.id), m.context) for m in read_catalog(path) if m.id} \
        if path.is_file() else set()
    fix = "run 'playbook translations update' (make catalogues)"
    return [Problem("template", _rel(path), _short(str(k[0])), None, f"marked in the code, not in the template: {fix}")
            for k in sorted(fresh - held, key=str)] + \
        [Problem("template", _rel(path), _short(str(k[0])), None, f"no longer in the code: {fix}")
         for k in sorted(held - fresh, key=str)]
