"""The languages the kit speaks: found from its catalogues, never listed in code.

A language is there when it has a catalogue: a folder of definition translations
(`playbook/content/<tag>/*.yml`) or of interface messages
(`playbook/locale/<tag>/LC_MESSAGES/messages.po`). English, the source language, is always
there. `$PLAYBOOK_CATALOGUES` may name one more folder holding `content/` and `locale/` the same
way: languages a translator is trying out (or a test's), which take precedence over the kit's.

Tags are BCP 47 as people write them (`pt-BR`, `zh-Hans`); `pt_br` or `PT-br` read the same
(Babel parses them), and `resolve` also maps a system locale such as `zh_CN.UTF-8` or `fr_FR`
to the language the kit has (`zh-Hans`, `fr`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from babel import Locale, UnknownLocaleError

SOURCE = "en"  # the language definitions and interface strings are written in
DOMAIN = "messages"  # the gettext catalogue's name: locale/<tag>/LC_MESSAGES/messages.po
ENV_CATALOGUES = "PLAYBOOK_CATALOGUES"  # a folder of extra catalogues: content/<tag>/, locale/<tag>/


def content_root() -> Path:
    """Definitions (`*.yml`) and, one folder per language, their translations."""
    return Path(str(resources.files("playbook") / "content"))


def locale_root() -> Path:
    """The gettext catalogues: `messages.pot` and `<tag>/LC_MESSAGES/messages.po`."""
    return Path(str(resources.files("playbook") / "locale"))


def parse(text: str) -> Locale | None:
    """The Babel locale a tag names (`pt-BR`, `pt_br`, `zh_CN.UTF-8`); None when it names none."""
    raw = text.strip().split(".")[0].split("@")[0].replace("-", "_")
    if not raw or raw.upper() in ("C", "POSIX"):
        return None
    try:
        return Locale.parse(raw)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def tag(locale: Locale) -> str:
    """The BCP 47 tag of a locale: language, then script and region when it has them (`zh-Hans`)."""
    return "-".join(p for p in (locale.language, locale.script, locale.territory) if p)


def normalise(text: str) -> str | None:
    """`text` as a BCP 47 tag (`pt_br` -> `pt-BR`), or None when Babel knows no such locale."""
    found = parse(text)
    return tag(found) if found is not None else None


def _folders(root: Path, pattern: str) -> dict[str, Path]:
    out: dict[str, Path] = {}
    if not root.is_dir():
        return out
    for folder in sorted(root.iterdir()):
        name = normalise(folder.name) if folder.is_dir() else None
        if name is not None and name != SOURCE and any(folder.glob(pattern)):
            out.setdefault(name, folder)
    return out


def _extra(kind: str) -> list[Path]:
    """`$PLAYBOOK_CATALOGUES/<kind>` when set: searched before the kit's own."""
    extra = os.environ.get(ENV_CATALOGUES, "").strip()
    return [Path(extra) / kind] if extra else []


def content_folders(root: Path | None = None) -> dict[str, Path]:
    """Each translated language's folder of definition catalogues under `root` (default:
    `$PLAYBOOK_CATALOGUES/content`, then the kit's `content/`), by tag."""
    found: dict[str, Path] = {}
    for base in [root] if root is not None else [*_extra("content"), content_root()]:
        found = {**_folders(base, "*.yml"), **found}
    return found


def message_files(root: Path | None = None) -> dict[str, Path]:
    """Each translated language's gettext catalogue (`.po`) under `root` (default:
    `$PLAYBOOK_CATALOGUES/locale`, then the kit's `locale/`), by tag."""
    found: dict[str, Path] = {}
    for base in [root] if root is not None else [*_extra("locale"), locale_root()]:
        found = {**_folders(base, f"LC_MESSAGES/{DOMAIN}.po"), **found}
    return {t: f / "LC_MESSAGES" / f"{DOMAIN}.po" for t, f in found.items()}


def available() -> tuple[str, ...]:
    """Every language there is a catalogue for: English first, then by tag."""
    return (SOURCE, *sorted(set(content_folders()) | set(message_files())))


def shipped() -> tuple[str, ...]:
    """The translated languages the kit itself has catalogues for (not `$PLAYBOOK_CATALOGUES`'s)."""
    return tuple(sorted(set(content_folders(content_root())) | set(message_files(locale_root()))))


def resolve(text: str, among: Iterable[str] | None = None) -> str | None:
    """The language of `among` (default: `available()`) that `text` names, or None.

    Exact after normalising (`pt_br` is `pt-BR`); else the closest one that asks no more than
    `text` says: `fr_FR` finds `fr`, `zh_CN` finds `zh-Hans` (Babel knows China writes Hans),
    but `pt` alone does not pick `pt-BR` for a Portuguese reader."""
    wanted = parse(text)
    if wanted is None:
        return None
    best: tuple[int, str] | None = None
    for candidate in among if among is not None else available():
        have = parse(candidate)
        if have is None or have.language != wanted.language:
            continue
        parts = [(have.script, wanted.script), (have.territory, wanted.territory)]
        if all(h is None or h == w for h, w in parts):
            rank = sum(h is not None for h, _ in parts)
            if best is None or rank > best[0]:
                best = (rank, candidate)
    return best[1] if best else None


def from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """The language of the user's system that the kit has (gettext's order: LANGUAGE, a list
    separated by colons, then LC_ALL, LC_MESSAGES, LANG), else English: what the `playbook`
    command's own messages are written in."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in environ.get(name, "").split(":"):
            found = resolve(part) if part.strip() else None
            if found is not None:
                return found
    return SOURCE


def native_name(language: str) -> str:
    """The language's name in itself (`français`, `português (Brasil)`), as Babel knows it."""
    found = parse(language)
    return (found.get_display_name(found) or language) if found is not None else language


def listing(languages: Iterable[str] | None = None) -> str:
    """`en (English), fr (français)`: what an error's fix offers."""
    return ", ".join(f"{t} ({native_name(t)})" for t in (available() if languages is None else languages))
