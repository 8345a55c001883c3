"""How scoring reads free text in any language: its length, when two notes are the same,
and when an owner or a source is only a placeholder.

`words` counts a text's length in English-word equivalents: scripts that put spaces between
words (Latin, Hangul...) count whitespace-separated tokens, exactly as before; Chinese counts
its characters at 1.8 a word and Japanese (kanji and kana together) at 2.5. Without this a
Chinese note of any length counted as one word. (`language.english_words` then allows for
languages that need more words than English for the same thing, such as French.)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# Chinese characters per English word. Translation agencies quote 1,000 English words as
# 1,300-1,800 Chinese characters, most often 1,500-1,700, for whole documents; the short
# notes of a workshop run longer in Chinese (English notes are terse): the Chinese of the
# example answers (tests/data/languages/zh-Hans.yml) has 1.93 characters for each English
# word it does not keep in Latin letters. 1.8, the top of the quoted range, counts those
# answers within 4% of their English length; a lower rate would let a Chinese note pass a
# minimum its English original misses.
HAN_PER_WORD = 1.8
# Japanese characters (kanji and kana together) per English word: the 2.5 translators divide
# Japanese character counts by to estimate English words.
KANA_TEXT_PER_WORD = 2.5

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
KANA = "\u3040-\u30ff\u31f0-\u31ff"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_IDEOGRAPHIC = re.compile(f"[{HAN}{KANA}]")
_KANA = re.compile(f"[{KANA}]")
_WORDLIKE = re.compile(r"[^\W_]+")
_CJK_SPACE = re.compile(f"(?<=[{HAN}{KANA}]) | (?=[{HAN}{KANA}])")
_LATIN_ACCENT = re.compile("(?<=[A-Za-z])[\u0300-\u036f]+")  # combining accents on a Latin letter


def words(text: str) -> float:
    """The length of `text` in English-word equivalents (see the module's docstring)."""
    tokens = text.split()
    if not _IDEOGRAPHIC.search(text):
        return len(tokens)
    per = KANA_TEXT_PER_WORD if _KANA.search(text) else HAN_PER_WORD
    n = 0.0
    for token in tokens:
        chars = len(_IDEOGRAPHIC.findall(token))
        # Latin words and numbers inside ideographic text ("用CRM管理", "2026年") count as words.
        n += chars / per + len(_WORDLIKE.findall(_IDEOGRAPHIC.sub(" ", token))) if chars else 1
    return n


def compat(text: str) -> str:
    """`text` with compatibility forms unified, as patterns read it: full-width ＣＲＭ and ？
    become CRM and ? (Chinese input methods type both), ligatures their letters, and the
    typographic apostrophe (qu’est-ce) the plain one."""
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'")


def fold(text: str) -> str:
    """`text` with compatibility forms unified (full-width ＣＲＭ and ？ become CRM and ?) and
    the accents of Latin letters dropped: "à définir" and "a definir" are typed for the same."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _LATIN_ACCENT.sub("", unicodedata.normalize("NFKD", text)))


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Texts that differ only in case, spacing, punctuation (full-width too) or accents are
    the same item; in Chinese and Japanese, where spaces mean nothing, spacing never counts."""
    plain = " ".join(re.sub(r"[^\w\s]", " ", fold(text).casefold()).split())
    return _CJK_SPACE.sub("", plain)


# An owner or source written as "TBD", "?" or "n/a" is no owner or source, in any of the
# kit's languages whatever the workshop's (a French team may type "TBD", an English one
# "à définir"). Alternatives are matched on the folded text: lower case, no accents.
PLACEHOLDERS: dict[str, str] = {
    "en": r"tbd|tbc|to be (decided|confirmed|defined|named)|n/?a|none|nobody|no one|unknown|someone|\?+|-+|x+",
    "pt-BR": r"a (definir|confirmar|decidir|determinar|designar|ver)|nao (definido|definida|sei|se aplica)"
             r"|indefinido|pendente|ninguem|nenhum|nenhuma|desconhecido|alguem|sem (dono|responsavel)|n\W?d",
    "fr": r"a (definir|confirmer|determiner|preciser|designer|voir|venir)|non (defini|definie|connu|applicable)"
          r"|indefini|inconnu|personne|aucun|aucune|quelqu\W?un|n\W?c|n\W?d|neant|pas encore",
    "zh-Hans": r"待定|待确定|待确认|待指定|待分配|待补充|待议|未定|未确定|未指定|未知|不详|不明|不确定|无|没有|暂无"
               r"|无人|没人|无人负责|没人负责|负责人待定|某人|有人|某某|再说",
    "id": r"belum( (ditentukan|ditetapkan|dipastikan|diputuskan|ditunjuk|ada|jelas|tahu))?|akan ditentukan"
          r"|(tidak|tak|nggak|gak|ga) (ada|tahu|diketahui)|siapa saja|seseorang|nanti|kosong",
}
_PLACEHOLDER = re.compile(r"^\W*(" + "|".join(PLACEHOLDERS.values()) + r")\W*$", re.IGNORECASE)


def given(value: Any) -> bool:
    """An attribute is given when it holds a letter or digit and is not a placeholder."""
    if value is None:
        return False
    text = _CJK_SPACE.sub("", fold(str(value)).strip())  # 待 定 is 待定
    return any(ch.isalnum() for ch in text) and not _PLACEHOLDER.match(text)
