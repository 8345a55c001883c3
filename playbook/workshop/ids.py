"""Team ids derived from display names: safe in file names and URLs, and stable.

An id ends up in output paths (``out/<team>.html``), links and the store, so it is
restricted to ``[a-z0-9-]``: no dots, slashes or spaces can ever reach a path. The same
name always gives the same id; only a collision with an id already taken adds ``-2``, ``-3``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection

TEAM_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
MAX_READABLE = 40  # long names make unwieldy file names; the hash keeps them apart anyway

# Letters NFKD does not decompose into ASCII but that have a conventional spelling.
_FOLD = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
})


def is_team_id(value: str) -> bool:
    return re.fullmatch(TEAM_ID_PATTERN, value) is not None


def short_hash(name: str) -> str:
    """8 hex digits of the NFC form, so that composed and decomposed input agree."""
    return hashlib.sha256(unicodedata.normalize("NFC", name).encode()).hexdigest()[:8]


def slug(name: str) -> tuple[str, bool]:
    """ASCII slug of `name` and whether a letter or digit was lost on the way.

    ``"Équipe Nord"`` -> ``("equipe-nord", False)``; ``"Team 北京"`` -> ``("team", True)``.
    """
    out: list[str] = []
    lost = False
    for ch in unicodedata.normalize("NFC", name).translate(_FOLD):
        ascii_ = "".join(
            c for c in unicodedata.normalize("NFKD", ch)
            if not unicodedata.combining(c) and c.isascii()
        )
        if not ascii_ and unicodedata.category(ch)[0] in "LN":
            lost = True
        out.append(ascii_)
    text = re.sub(r"[^a-z0-9]+", "-", "".join(out).lower()).strip("-")
    if len(text) > MAX_READABLE:
        cut = text[:MAX_READABLE]
        # end on a word boundary when that still leaves a readable stem
        text = cut.rsplit("-", 1)[0] if cut.rfind("-") >= MAX_READABLE // 2 else cut
        text = text.strip("-")
    return text, lost


def base_id(name: str) -> str:
    """The id a name gets when nothing collides with it."""
    name = name.strip()
    if not name:
        return "team"
    text, lost = slug(name)
    if not text:
        return f"team-{short_hash(name)}"  # Chinese, emoji, punctuation only
    # Letters that could not be spelt in ASCII still tell names apart: "Team 北京" and
    # "Team 上海" must not depend on import order to get their ids.
    return f"{text}-{short_hash(name)}" if lost else text


def team_id(name: str, taken: Collection[str] = ()) -> str:
    """A valid, deterministic team id for `name` not in `taken`."""
    base = base_id(name)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
