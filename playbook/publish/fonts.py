"""Fonts for Chinese, Japanese and Korean (CJK) text in charts (matplotlib) and PDFs (Chromium).

Both look fonts up through fontconfig (`fc-list`), the way Chromium does, so a chart and a PDF
agree on whether a CJK font is there: Debian's `fonts-noto-cjk` ("Noto Sans CJK SC") first,
any other font covering Chinese after it. Without one, CJK text prints as empty boxes
("tofu"); the first chart or PDF that would show them warns once (`MissingFontWarning`,
naming the package to install) instead of one warning per glyph or silent boxes.

The font set is fontconfig's: `FONTCONFIG_FILE` picks it as it does for Chromium, so a
configuration with no font folders is a machine without fonts (the tests' seam). Where
fontconfig is missing (not Linux), matplotlib's own font list answers instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playbook.errors import MissingFontWarning

PACKAGE = "fonts-noto-cjk"
SANS, SERIF = "Noto Sans CJK SC", "Noto Serif CJK SC"  # the families the print stylesheet names
# Sans families for Chinese, best first; other platforms' names count where fontconfig is absent.
PREFERRED = (
    SANS, "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "Droid Sans Fallback", "Noto Sans CJK TC", "Noto Sans CJK JP", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "SimHei",
)
FIX = (f"install Debian's {PACKAGE} (sudo apt-get install {PACKAGE}; make demo and make test install it), "
       "then build again")
# Han (with extensions and compatibility forms), kana, hangul, bopomofo, CJK symbols and
# punctuation, full-width forms: the scripts a Latin font such as DejaVu Sans has no glyphs for.
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)
CJK_LANGUAGES = ("zh", "ja", "ko")
_FIELDS = "%{family}\t%{style}\t%{file}\n"


@dataclass(frozen=True)
class Font:
    """An installed font: its family (as CSS and matplotlib ask for it) and its file."""

    family: str
    file: Path


@dataclass
class FontSet:
    """What one font configuration offers CJK text, and whether it has warned yet."""

    cjk: Font | None
    warned: bool = False


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def current() -> FontSet:
    """The font set of this process's fontconfig configuration (looked up once per configuration)."""
    return _fontset(os.environ.get("FONTCONFIG_FILE"), os.environ.get("FONTCONFIG_PATH"))


def cjk_font() -> Font | None:
    """The font CJK text is drawn with here, or None when there is none (boxes, then)."""
    return current().cjk


def is_cjk_language(language: str) -> bool:
    """A language tag ("zh-Hans", "ja") whose content is written in CJK characters."""
    return language.split("-")[0].split("_")[0].lower() in CJK_LANGUAGES


def check(texts: Iterable[str], where: str, language: str = "") -> bool:
    """True when `texts` (or content in `language`) will show as written. False when they hold
    CJK text and no CJK font is installed; the first such call of a font set warns
    (`MissingFontWarning`), naming `where` (the chart or document) and the package to install."""
    fonts = current()
    if fonts.cjk is not None or not (is_cjk_language(language) or any(has_cjk(t) for t in texts)):
        return True
    if not fonts.warned:
        fonts.warned = True
        warnings.warn(MissingFontWarning(
            f"Chinese, Japanese or Korean text in {where} would show as empty boxes: no font for it is installed",
            fix=FIX,
        ), stacklevel=2)
    return False


@cache
def _fontset(config: str | None, path: str | None) -> FontSet:
    listed = _fontconfig()
    return FontSet(_best(listed) if listed is not None else _from_matplotlib())


def _fontconfig() -> list[tuple[list[str], list[str], Path]] | None:
    """Every font fontconfig says covers simplified Chinese: (families, styles, file); None
    without a working fc-list."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--format", _FIELDS, ":lang=zh-cn"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = []
    for line in out.splitlines():
        family, style, file = [*line.split("\t"), "", ""][:3]
        if family and file:
            found.append(([f.strip() for f in family.split(",")], [s.strip() for s in style.split(",")], Path(file)))
    return found


def _best(listed: list[tuple[list[str], list[str], Path]]) -> Font | None:
    """The sans regular face of the most preferred family; serif and monospace ones last."""
    def rank(item: tuple[list[str], list[str], Path]) -> tuple[int, bool, bool, str]:
        families, styles, _ = item
        known = min((PREFERRED.index(f) for f in families if f in PREFERRED), default=len(PREFERRED))
        odd = any(w in f for f in families for w in ("Serif", "Mono", "Song", "Ming"))
        return known, odd, not ({"Regular", "Book", "Normal"} & set(styles)), families[0]

    if not listed:
        return None
    families, _, file = min(listed, key=rank)
    latin = [f for f in families if f.isascii()]  # a family's English name, not its localised ones
    return Font(next((f for f in families if f in PREFERRED), (latin or families)[0]), file)


def _from_matplotlib() -> Font | None:
    """Without fontconfig: the most preferred family matplotlib knows."""
    from matplotlib import font_manager

    known = {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist}
    family = next((f for f in PREFERRED if f in known), None)
    return Font(family, known[family]) if family is not None else None
