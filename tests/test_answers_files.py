"""Answers files in JSON: read by the json module (a 1,000-team file in about two seconds,
without the YAML reader's line map of every value, and beyond its limit of values), with the
same answers as the YAML reader gives, and errors that still name their line, team and field."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from playbook import answers, paths, yamlio
from playbook.errors import AnswersError


@functools.cache
def _example() -> dict[str, Any]:
    """The example's answers, read when a test needs them: not at collection, which every test process does."""
    return answers.load_dir(paths.example("acme") / "answers")


def _teams() -> list[str]:
    return sorted(_example())


def _write(path: Path, teams: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"format": answers.FORMAT, "teams": teams}, indent=1, ensure_ascii=False,
                               default=str), encoding="utf-8")
    return path


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_json_file_says_what_the_yaml_reader_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "all.json", _example())
    by_yaml = answers.parse(yamlio.load(path, AnswersError), _teams())

    def no_yaml(*_: object) -> None:
        raise AssertionError("a valid JSON file went through the YAML reader")

    monkeypatch.setattr(yamlio, "load", no_yaml)
    assert answers.load_file(path, _teams()) == by_yaml == _example()


@pytest.mark.parametrize(("text", "replace", "message", "located"), [
    ('"self_rating": 4', '"self_rating": 4, "self_ratin": 4', "has no field 'self_ratin'", '"self_ratin"'),
    ('"self_rating": 4', '"self_rating": 4, "self_rating": 4', "appears twice", '"self_rating": 4, "self'),
    ('"self_rating": 4', '"self_rating": 9', "self_rating", '"self_rating": 9'),
    ('"persona": "', '"persona": "\\ud83d ', "broken character escape", '"persona": "\\ud83d'),
])
def test_an_error_in_a_json_file_names_its_line(tmp_path: Path, text: str, replace: str, message: str,
                                               located: str) -> None:
    path = _write(tmp_path / "all.json", {"north": {"empathy_audit": {"self_rating": 4, "persona": "Ana"}}})
    path.write_text(path.read_text(encoding="utf-8").replace(text, replace, 1), encoding="utf-8")
    with pytest.raises(AnswersError, match=message) as caught:
        answers.load_file(path, _teams())
    assert (caught.value.file, caught.value.line) == (str(path), _line(path, located))


def test_a_file_beyond_the_yaml_readers_limit_loads_and_its_errors_name_team_and_field(tmp_path: Path) -> None:
    known = _teams()
    teams = {f"t{i:03d}": _example()[known[i % len(known)]] for i in range(300)}  # about 250,000 values
    path = _write(tmp_path / "all.json", teams)
    assert answers.load_file(path, list(teams)) == teams  # the YAML reader refuses it (yamlio.MAX_NODES)
    teams["t299"] = {"empathy_audit": {"self_rating": 9}}
    _write(path, teams)
    with pytest.raises(AnswersError, match="self_rating") as caught:
        answers.load_file(path, list(teams))
    assert (caught.value.team, caught.value.field, caught.value.file) == ("t299", "empathy_audit.self_rating",
                                                                          str(path))
