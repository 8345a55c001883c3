"""Every user-facing string has a stable key; translations are data, checked by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.errors import TranslationError
from playbook.model import exercises, i18n


def test_keys_follow_ids(mini: exercises.Exercise) -> None:
    keys = i18n.strings(mini)
    assert keys["mini.title"] == "Mini exercise"
    assert keys["mini.steps.solo.facilitator_notes"] == "Keep the room quiet."
    assert keys["mini.sections.basics.fields.level.options.b.label"] == "B"
    assert keys["mini.sections.basics.fields.rating.points.5"] == "all"
    assert keys["mini.sections.lists.fields.notes.tag_groups.evidence.options.heard.label"] == "Heard"
    assert keys["mini.rubric.bands.mid.label"] == "Middle"
    assert keys["mini.flags.over.reason"] == "gap of {value:.0f} points"
    assert keys["mini.statistics.s1.note"] == "quoted second hand"
    # ids, patterns and other data are not text to translate
    assert not any(k.endswith((".id", ".pattern", ".type")) for k in keys)


@pytest.mark.parametrize("ex", exercises.all_exercises(), ids=lambda e: e.id)
def test_bundled_definitions_round_trip(ex: exercises.Exercise) -> None:
    keys = i18n.strings(ex)
    assert len(keys) > 100  # a full exercise has many texts; all are reachable by key
    assert i18n.localise(ex, keys) == ex  # the English catalog changes nothing


def test_localise_replaces_only_what_it_names(mini: exercises.Exercise) -> None:
    out = i18n.localise(mini, {
        "mini.title": "Mini exercício",
        "mini.sections.basics.fields.rating.points.1": "nada",
    })
    assert out.title == "Mini exercício"
    assert out.field("rating").points == ["nada", "little", "some", "much", "all"]
    assert out.purpose == mini.purpose and out.field("level") == mini.field("level")


def test_localise_refuses_a_key_that_names_no_text(mini: exercises.Exercise) -> None:
    with pytest.raises(TranslationError) as info:
        i18n.localise(mini, {"mini.titel": "typo"}, file="x.yml", lines={"mini.titel": 7})
    assert info.value.line == 7 and "mini.titel" in info.value.what


def _catalogue(folder: Path, language: str, body: str) -> Path:
    path = folder / language / "mini.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def test_translated_shows_only_usable_entries(tmp_path: Path, mini: exercises.Exercise) -> None:
    """Filled in, of today's English, same placeholders: shown. Empty, stale, placeholders
    changed or a key that no longer exists: English (the completeness check lists them)."""
    _catalogue(tmp_path, "pt_BR", """\
# a comment a translator keeps
mini.title:
  en: Mini exercise
  text: Mini exercício
mini.steps.solo.title:
  en: Alone
  text: ''
mini.steps.solo.facilitator_notes:
  en: Keep the room quiet!
  text: Silêncio!
mini.flags.over.reason:
  en: gap of {value:.0f} points
  text: diferença de {valor:.0f} pontos
mini.gone.title:
  en: Retired
  text: Aposentado
""")
    out = i18n.translated(mini, "pt-BR", tmp_path)
    assert out.title == "Mini exercício"  # the folder pt_BR is the language pt-BR
    assert out.steps[0].title == mini.steps[0].title  # empty: English
    assert out.steps[0].facilitator_notes == "Keep the room quiet."  # stale: the English changed since
    assert next(f for f in out.flags if f.id == "over").reason == "gap of {value:.0f} points"  # a placeholder renamed would break scoring
    assert i18n.translated(mini, "pt-BR", tmp_path) is out  # cached until the file changes
    assert i18n.translated(mini, "fr", tmp_path) is mini  # no catalogue: English
    assert i18n.translated(mini, "en", tmp_path) is mini


@pytest.mark.parametrize(("body", "line", "what"), [
    ("- a list\n", 1, "maps keys"),
    ("mini.title: Mini\n", 1, "must hold 'en'"),
    ("mini.title:\n  en: Mini exercise\n  text: x\n  note: y\n", 1, "must hold 'en'"),
    ("mini.title:\n  en: Mini exercise\n  text: x\nmini.summary:\n  text: y\n", 4, "mini.summary"),
    ("mini.title:\n  en: Mini exercise\n  text: [a, b]\n", 3, "must be text"),
])
def test_a_malformed_catalogue_names_file_and_line(tmp_path: Path, mini: exercises.Exercise, body: str, line: int,
                                                   what: str) -> None:
    path = _catalogue(tmp_path, "fr", body)
    with pytest.raises(TranslationError) as info:
        i18n.translated(mini, "fr", tmp_path)
    assert info.value.file == str(path) and info.value.line == line and what in info.value.what, info.value.message


@pytest.mark.parametrize(("en", "text", "same"), [
    ("gap of {value:.0f} points", "écart de {value:.0f} points", True),
    ("{a} and {b}", "{b} et {a}", True),  # order may change
    ("gap of {value:.0f} points", "écart de {value} points", False),  # the format too is the English's
    ("{items}", "", False),
    ("no fields", "aucun {champ}", False),
    ("{{literal}} braces", "{{littéral}}", True),
    ("one } alone", "un } seul", True),  # unpaired in both: compared as they are
])
def test_placeholders(en: str, text: str, same: bool) -> None:
    assert (i18n.placeholders(en) == i18n.placeholders(text)) is same
