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


def test_unknown_key_names_file_and_line(tmp_path: Path, mini: exercises.Exercise) -> None:
    path = tmp_path / "pt" / "mini.yml"
    path.parent.mkdir()
    path.write_text('mini.title: "Mini"\nmini.titel: "typo"\n', encoding="utf-8")
    with pytest.raises(TranslationError) as info:
        i18n.translated(mini, "pt", tmp_path)
    assert info.value.line == 2 and "mini.titel" in info.value.what


def test_translated_from_a_catalog_file(tmp_path: Path, mini: exercises.Exercise) -> None:
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "mini.yml").write_text("mini.steps.solo.title: Seul\n", encoding="utf-8")
    assert i18n.translated(mini, "fr", tmp_path).steps[0].title == "Seul"
    assert i18n.translated(mini, "id", tmp_path) is mini  # no catalog: English
