"""Which language a text is written in, cheaply enough to ask for every note.

Scoring reads a text with the rules of the language it is written in: a team in a French
workshop that types its questions in English is checked by the English rules, and a
Chinese question in any workshop by the Chinese ones, so switching language never slips a
weak question past the check. The guess is deliberately cautious: the script first (Han,
kana, Hangul against Latin words), then, for Latin script, counts of each language's most
common short words; the workshop's language wins every tie and every text too short to
tell, so a text is read as another language only on positive evidence.

Languages the kit has no rules for are known here too (Spanish, German, Italian, Dutch,
Japanese, Korean), so that such a text is recognised as unreadable rather than read with
rules that cannot see it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from playbook.scoring.text import HAN, HAN_PER_WORD, HANGUL, KANA, KANA_TEXT_PER_WORD, words

# Words a language uses for what English says in one, for scripts that separate words with
# spaces: translators measure French and Spanish at 15-25% more words than the English
# source and Dutch at about 10% fewer. The example answers written in the kit's languages
# (tests/data/languages) came to 1.21 French, 1.20 Portuguese and 0.98 Indonesian words for
# each English word. Without this a French note met a minimum of words its English original
# missed, and a French definition ran over a maximum the English one kept. Chinese and
# Japanese are counted by character in `text.words` already.
WORDS_PER_ENGLISH_WORD = {"en": 1.0, "pt-BR": 1.2, "fr": 1.2, "es": 1.2, "it": 1.15, "nl": 0.9}

def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown (metrics._name)."""
    return message


NAMES = {
    "en": N_("English"), "pt-BR": N_("Brazilian Portuguese"), "fr": N_("French"), "zh-Hans": N_("Simplified Chinese"),
    "zh-Hant": N_("Traditional Chinese"), "id": N_("Indonesian"),
    "es": N_("Spanish"), "de": N_("German"), "it": N_("Italian"), "nl": N_("Dutch"), "ja": N_("Japanese"),
    "ko": N_("Korean"),
}

# The short words that make up much of any sentence, by language (lower case; elided French
# articles keep their apostrophe). A word common to two languages counts for both.
_COMMON = {
    "en": "the a an and or but of to in on at for with about from by is are was were be been do does did have has "
          "had will would could should can may might i you your we our us they their them he she his her it its this "
          "that these those what which who whom when where why how there not me my last time tell walk through "
          "happened any some more than then so if",
    "pt-BR": "o os as um uma uns umas de do da dos das em no na nos nas ao aos à às pelo pela pelos pelas por para "
             "pra com sem que quê qual quais quando como onde quem porque porquê você vocês voce voces vc senhor "
             "senhora eu ele ela eles elas nós nosso nossa nossos nossas seu sua seus suas isso isto esse essa este "
             "esta não nao sim é foi era são estão está estava tem têm tinha teve vai vão já ja também tambem mais "
             "muito muita mas então entao depois última ultima último ultimo vez conta conte fale aconteceu equipe "
             "sobre até ate a e me te se pode dar ter fazer ser estar bem hoje ontem agora sempre alguém ninguém "
             "nada tudo aqui",
    "fr": "le la les l' un une des du de d' au aux à et ou mais donc que qu' qui quoi quel quelle quels quelles quand "
          "comment où pourquoi combien est sont était été être avez avons ont ai vous votre vos nous notre nos je j' "
          "il elle ils elles on ce cet cette ces c' ça cela ne n' pas plus dans sur pour avec sans par chez y en se "
          "s' dernière dernier fois racontez parlez moi passé déjà très trop beaucoup bien temps non fait faire "
          "si aussi encore",
    "id": "yang dan di ke dari untuk dengan pada oleh anda kamu kalian kami kita saya mereka dia apa apakah siapa "
          "kapan bagaimana gimana mengapa kenapa berapa mana ini itu tidak tak nggak gak belum sudah akan bisa ada "
          "adalah tim saat waktu terakhir kali lalu pernah juga atau saja tersebut karena seperti lebih sangat "
          "ceritakan jelaskan tolong bapak ibu pak bu kalau jika seandainya biasanya pakai buat jadi lagi sama "
          "sudah udah aja nya kan terlalu",
    "es": "el la los las un una unos unas de del al a en y o pero que qué cual cuál cuales cuando cuándo como cómo "
          "donde dónde quien quién por para con sin es son fue era está están usted ustedes su sus nuestro nuestra "
          "nuestros vez más muy también ya hay tiene tienen ha han lo le les se mi yo",
    "de": "der die das den dem des ein eine einen und oder aber ist sind war waren sie ihr ihre ihnen wir unser "
          "unsere uns ich es wie was wann wer warum wo nicht mit für auf zu im in von bei haben hat hatte würden "
          "würde können kann letzte mal",
    "it": "il lo la i gli le un una di da del della dei delle che chi cosa come quando dove perché è sono era voi "
          "vostro vostra noi nostro nostra non con per su anche più molto ultima volta avete ha hanno",
    "nl": "de het een en of maar van je jij u jullie wij we ons onze wat hoe wanneer wie waarom waar niet met voor "
          "op aan is zijn was waren heeft hebben laatste keer",
}
COMMON: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _COMMON.items()}

# Letters and endings each language has and the others hardly do; each one found counts as
# one more word of that language (migração, cœur, señor, laporannya, bisakah).
MARKS: dict[str, re.Pattern[str]] = {
    "pt-BR": re.compile(r"[ãõ]"),
    "fr": re.compile(r"[œùûîïëè]"),
    "es": re.compile(r"[ñ¿¡]"),
    "de": re.compile(r"[ßäö]"),
    "it": re.compile(r"[èòì]"),
    "id": re.compile(r"\w(nya|kah)\b"),
}

_TOKEN = re.compile(r"[^\W\d_]+'?")
_HAN = re.compile(f"[{HAN}]")
_KANA = re.compile(f"[{KANA}]")
_HANGUL_WORD = re.compile(f"[{HANGUL}]+")
_CJK = re.compile(f"[{HAN}{KANA}{HANGUL}]")
_CLAUSE = re.compile(r"[?!.;:,()\u3002\u3001]+")
# Common characters written one way in Traditional Chinese and another in Simplified: a
# Traditional text (嗎, 會, 們...) is not read with rules written for 吗, 会, 们.
_TRADITIONAL = re.compile("[們會嗎這個說過還對應麼為沒來時問題發現與關電話讓買賣錢費願覺認歡將後試購準備議報導]")
_SIMPLIFIED = re.compile("[们会吗这个说过还对应么为没来时问题发现与关电话让买卖钱费愿觉认欢将后试购准备议报导]")
_PUNCTUATION_ONLY = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")


def english_words(text: str, default: str) -> float:
    """The length of `text` in English words, whatever language it is written in (the
    workshop's, `default`, unless it shows otherwise): what `min_words` and `max_words` mean.

    English is counted exactly as it always was (every whitespace-separated token); in other
    languages a token of punctuation alone is no word: French sets ; : ? ! and « » apart
    with spaces, which would otherwise count a word each."""
    language = detect(text, default)
    if language != "en":
        text = _PUNCTUATION_ONLY.sub(" ", text)
    return words(text) / WORDS_PER_ENGLISH_WORD.get(language, 1.0)


@lru_cache(maxsize=4096)
def detect(text: str, default: str) -> str:
    """The language `text` is written in; `default` (the workshop's) unless the text shows otherwise."""
    text = _plain(text)
    script = _script(text)
    if script is not None:
        return script
    counts = _common_words(text)
    ranked = sorted(counts, key=lambda lang: -counts[lang])
    best, runner_up = ranked[0], ranked[1]
    own = counts.get(default, 0)
    # Another language on positive evidence only: more of its words than of the workshop's,
    # more than of any other, and two of them, or one where the workshop's has none.
    if counts[best] > own and counts[best] > counts[runner_up] and (counts[best] >= 2 or own == 0):
        return best
    return default


def also_written_in(text: str, language: str) -> list[str]:
    """Other languages a part of `text` is plainly written in: a clause of three words or more
    read as another language, or three words' worth of Chinese. A weak French question padded
    with English until the whole reads as English ("Vous utilisez la fonction ? the of to and
    a in is") is still checked by the French rules."""
    text = _plain(text)
    found = [detect(clause, language) for clause in _CLAUSE.split(text) if len(_TOKEN.findall(clause)) >= 3]
    han_words = len(_HAN.findall(text)) / HAN_PER_WORD
    if han_words >= 3:
        found.append(_script(text) or "zh-Hans")
    return [lang for lang in dict.fromkeys(found) if lang != language]


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'")


def _script(text: str) -> str | None:
    """The language a text's script gives away (Chinese, Japanese, Korean), or None for Latin."""
    latin = sum(1 for t in _TOKEN.findall(text) if not _CJK.search(t))
    han, kana = len(_HAN.findall(text)), len(_KANA.findall(text))
    if kana and (han + kana) / KANA_TEXT_PER_WORD >= latin:
        return "ja"
    hangul = len(_HANGUL_WORD.findall(text))
    if hangul and hangul >= latin:
        return "ko"
    if han and han / HAN_PER_WORD >= latin:
        return "zh-Hant" if len(_TRADITIONAL.findall(text)) > len(_SIMPLIFIED.findall(text)) else "zh-Hans"
    return None


def _common_words(text: str) -> dict[str, int]:
    """How many of each Latin-script language's common words and marks `text` holds."""
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    counts = {lang: sum(1 for t in tokens if t in common) for lang, common in COMMON.items()}
    for lang, marks in MARKS.items():
        counts[lang] += len(marks.findall(text.casefold()))
    return counts
