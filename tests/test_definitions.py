"""Loading definitions: every field type, every error path, with file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from playbook.answers import check_value
from playbook.errors import AnswersError, DefinitionError
from playbook.model import exercises

MINI = (Path(__file__).parent / "data" / "mini.yml").read_text(encoding="utf-8")


def _line(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _load(tmp_path: Path, text: str, name: str = "mini.yml") -> exercises.Exercise:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return exercises.load_file(path)


def test_every_field_type_loads(mini: exercises.Exercise) -> None:
    types = {f.type for f in mini.fields.values()}
    from playbook.model.fields import FIELD_TYPES

    assert types == set(FIELD_TYPES)
    assert mini.field("rating").points[4] == "all"
    assert mini.field("grid_a").values[0].id == "A"
    assert mini.section_of("grid_b").id == "lists"
    assert mini.step_minutes == 25


# (replace this, with that, expected message part, the line's marker in the new text)
CASES: list[tuple[str, str, str, str]] = [
    ("title: Mini exercise", "title: Mini exercise\ntitle: again", "appears twice", "title: again"),
    # the parser notices on the next line, and says where the list began
    ("purpose: Exercise the engine.", "purpose: [unclosed",
     "parsing a flow sequence, which starts on line 7", "people:"),
    ("difficulty: easy", "difficulty: easy\ntitel: typo", "unknown key", "titel:"),
    ("difficulty: easy", "difficulty: hard", "'easy', 'moderate' or 'advanced'", "difficulty:"),
    ("points: [none, little, some, much, all]", "points: [none, little, some, much]",
     "at least 5 items", "points:"),
    ("{id: talks, type: number", "{id: talks, type: slider", "does not match any of the expected tags",
     "type: slider"),
    ("{id: b, label: B, score: 50}", "{id: b, label: B}", "needs a score on every option", "field: level, method: option_score"),
    ("{id: b, label: B, score: 50}", "{id: a, label: B, score: 50}", "id 'a' is used twice", "{id: a, label: B"),
    ("sections: [lists]", "sections: [listz]", "unknown section 'listz'", "sections: [listz]"),
    ("    sections: [lists]\n", "", "section 'lists' belongs to no step", "steps:"),
    ("minutes: 15", "minutes: 25", "more than run_minutes 30", "run_minutes: 30"),
    ("kind: tag_share, field: notes,", "kind: tag_share, field: notez,", "unknown field 'notez'", "field: notez"),
    ("kind: lint_clean, field: questions}", "kind: lint_clean, field: name}", "is a short_text", "field: name}"),
    ("when: {metric: gap, ge: 25}", "when: {metric: gap, field: talks, ge: 25}", "exactly one of", "when: {metric: gap, field"),
    ("when: {metric: gap, ge: 25}", "when: {metric: gap}", "add a test", "when: {metric: gap}"),
    ('reason: "gap of {value:.0f} points"', 'reason: "gap of {gap} points"', "unknown placeholder {gap}", "gap of {gap}"),
    ("- {id: look, label: Look, text: Look closer.}", "- {id: look, label: Look, text: Look closer., when: {score: overall, ge: 0}}",
     "the last recommendation without overrides: is the default", "id: look"),
    ("{id: mid, min: 40", "{id: mid, min: 80", "from min 0 upwards", "  bands:"),
    ('pattern: "\\\\bour product\\\\b"', 'pattern: "(unclosed"', "not a valid regular expression", "(unclosed"),
    ("{field: talks, method: piecewise", "{field: rating, method: piecewise", "is a scale", "field: rating, method: piecewise"),
    ("{field: notes, method: count, target: 4}", "{field: notes, method: count}", "needs target", "{field: notes, method: count}"),
    ("{metric: single_owner, method: metric}", "{metric: gap, method: metric}", "depends on itself", ""),
    ("{id: align, label: Alignment, kind: combine, parts: {single_owner: 1, agree: 3}}",
     "{id: align, label: Alignment, kind: combine, parts: {single_owner: 1, nothing: 3}}", "unknown metric 'nothing'", "parts:"),
    ("{id: c1, label: Col one}, {id: c2, label: Col two}]\n        values",
     "{id: c1, label: Col one}]\n        values", "", ""),  # fine by itself: grids may differ in columns
]


EVIDENCE = (Path(__file__).parent / "data" / "evidence.yml").read_text(encoding="utf-8")

# The judgement features (tests/data/evidence.yml): (replace this, with that, message, marker)
EVIDENCE_CASES: list[tuple[str, str, str, str]] = [
    ("weight: 2, cap: unbacked}", "weight: 2, cap: unbaked}", "unknown cap 'unbaked'", "cap: unbaked"),
    ("backed_by: backing", "backed_by: share", "'share' is not a backing metric", "backed_by: share"),
    ('explain: "Unbacked ({count}): {items}."', 'explain: "Unbacked ({counts})."', "unknown placeholder {counts}",
     "Unbacked ({counts})"),
    ("gt: {setting: ceiling}}, reason", "gt: {setting: cieling}}, reason", "unknown setting 'cieling'", "cieling"),
    ("- {id: drop, label: Drop,", "- {id: so, label: So, text: So., when: {recommendation: final, eq: go}}\n"
     "  - {id: drop, label: Drop,", "only flags and advice may test the recommendation", "{id: so, label: So"),
    ("overrides: [drop]", "overrides: [dorp]", "unknown recommendation 'dorp'", "overrides: [dorp]"),
    ("questions: {metric: backing, limit: 2}", "questions: {metric: depth, limit: 2}", "unknown backing metric 'depth'",
     "questions: {metric: depth"),
    ("fields: [b, a, c]", "fields: [b, a, met]", "has no option 'met'", "fields: [b, a, met]"),
    ("needs: [source, date]\n    date: date\n    window_days: 90\n  - id: depth",
     "needs: [source, when]\n    date: date\n    window_days: 90\n  - id: depth", "unknown attribute 'when'",
     "needs: [source, when]"),
    ("field: spread, low: low, high: high, check: wide", "field: spread, low: lo, high: high, check: wide",
     "unknown column 'lo'", "low: lo,"),
    ("days: {h1: 30, h2: 60}", "days: {h1: 30, h3: 60}", "unknown tag 'h3'", "h3: 60"),
    ("pattern: '\\band\\b'", "pattern: '(and'", "not a valid regular expression", "pattern: '(and'"),
    ("{field: review, method: date", "{field: a, method: date", "is a scale", "{field: a, method: date"),
    ("  incomplete: {id: unknown, min: 0, label: Unknown yet, summary: Too little answered.}\n", "",
     "need an incomplete: band", "rubric:"),
    ("kind: matrix_single, unit: count, check: parked", "kind: matrix_single, check: parked",
     "check: parked counts the parked rows", "check: parked"),
    ("needs: [instead]", "needs: [insted]", "unknown attribute 'insted'", "needs: [insted]"),
    ("- {id: wide, label: Wide, kind: spread, unit: count,", "- {id: wide, label: Wide, kind: spread,",
     "a spread counts rows", "id: wide"),
]


@pytest.mark.parametrize(("old", "new", "message", "marker"), EVIDENCE_CASES)
def test_judgement_feature_errors(tmp_path: Path, old: str, new: str, message: str, marker: str) -> None:
    assert old in EVIDENCE, old
    text = EVIDENCE.replace(old, new, 1)
    with pytest.raises(DefinitionError) as info:
        _load(tmp_path, text, "evidence.yml")
    err = info.value
    assert message in err.message, err.message
    if marker:
        assert err.line == _line(text, marker), err.message


@pytest.mark.parametrize(("old", "new", "message", "marker"), CASES)
def test_definition_errors(tmp_path: Path, old: str, new: str, message: str, marker: str) -> None:
    assert old in MINI, old
    text = MINI.replace(old, new, 1)
    if not message:
        _load(tmp_path, text)
        return
    with pytest.raises(DefinitionError) as info:
        _load(tmp_path, text)
    err = info.value
    assert message in err.message
    assert err.file and err.file.endswith("mini.yml")
    if marker:
        assert err.line == _line(text, marker), err.message


def test_error_names_the_field_path(tmp_path: Path) -> None:
    text = MINI.replace("{id: talks, type: number, label: Talks", "{id: talks, type: number, lable: Talks")
    with pytest.raises(DefinitionError) as info:
        _load(tmp_path, text)
    assert info.value.field == "sections[0].fields[4].lable"
    assert "unknown key" in info.value.what
    assert info.value.fix == "did you mean 'label'?"
    assert info.value.message.startswith(f"{tmp_path / 'mini.yml'}, line {_line(text, 'lable:')}, field")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must be a mapping"),
        ("- a\n- b\n", "must be a mapping"),
        ("id: [", "not valid YAML"),
        ("a: &x 1\nb: *x\n<<: {c: 1}\n", "merge keys"),
        ("id: mini\nversion: !!int abc\n", "line 2, field 'version': cannot read 'abc'"),
        ("id: mini\nwhen: 2026-13-45\n", "write a real calendar date"),
        ("id: mini\nsteps: &s [*s]\n", "refers to the block that contains it"),
        ("a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcde", "bcdef", strict=True)
        ), "more than 200,000 values"),
    ],
)
def test_not_a_definition(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        _load(tmp_path, text)


def test_file_name_must_match_id(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="does not match the file name") as info:
        _load(tmp_path, MINI, name="other.yml")
    assert info.value.line == _line(MINI, "id: mini")


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="file not found"):
        exercises.load_file(tmp_path / "nope.yml")
    bad = tmp_path / "mini.yml"
    bad.write_bytes(b"id: mini\ntitle: \xff\xfe\n")
    with pytest.raises(DefinitionError, match="not UTF-8"):
        exercises.load_file(bad)


def test_unknown_bundled_exercise() -> None:
    with pytest.raises(DefinitionError, match="no exercise called 'nope'"):
        exercises.get("nope")


# -- values against field definitions -----------------------------------------------------

VALUES: list[tuple[str, Any, Any]] = [
    # field, given, canonical value or the error text expected
    ("rating", 3, 3),
    ("rating", 3.0, 3),
    ("rating", 6, "out of range"),
    ("rating", True, "whole number"),
    ("rating", "4", "whole number"),
    ("level", "b", "b"),
    ("level", "d", "not one of the options"),
    ("topics", ["x", "z"], ["x", "z"]),
    ("topics", ["x", "x"], "listed twice"),
    ("topics", "x", "expected a list"),
    ("ticks", [], []),
    ("ticks", ["t9"], "not among the options"),
    ("talks", 7, 7),
    ("talks", 7.5, "whole number"),
    ("talks", -1, "out of range: from 0 to 100"),
    ("talks", float("nan"), "expected a number"),
    ("name", "Ada", "Ada"),
    ("name", "x" * 301, "at most 300"),
    ("name", 12, "expected text"),
    ("order", ["r", "p"], ["r", "p"]),
    ("notes", ["just text"], [{"text": "just text", "tags": {}}]),  # evidence tag is required...
    ("notes", [{"text": "t", "tags": {"evidence": "heard"}, "date": "2026-03-01", "source": "Ana"}],
     [{"text": "t", "tags": {"evidence": "heard"}, "source": "Ana", "date": "2026-03-01"}]),
    ("notes", [{"text": "t", "tags": {"evidence": "guessed"}}], "is not one of: heard, observed, imagined"),
    ("notes", [{"text": "t", "tags": {"mood": "x"}}], "unknown tag group 'mood'"),
    ("notes", [{"text": "t", "tags": {"evidence": "heard"}, "date": "March"}], "not a date"),
    ("notes", [{"text": "t", "tags": {"evidence": "heard"}, "owner": "x"}], "unknown key 'owner'"),
    ("notes", [{"text": " "}], "'text' is required"),
    ("grid_a", {"r1": {"c1": "A"}, "r2": {}}, {"r1": {"c1": "A"}}),
    ("grid_a", {"r9": {"c1": "A"}}, "unknown row 'r9'"),
    ("grid_a", {"r1": {"c9": "A"}}, "unknown column 'c9'"),
    ("grid_a", {"r1": {"c1": "X"}}, "is not one of: A, R"),
]


@pytest.mark.parametrize(("field", "given", "expected"), VALUES)
def test_values(mini: exercises.Exercise, field: str, given: Any, expected: Any) -> None:
    if field == "notes" and given == ["just text"]:
        expected = "tag 'evidence' is required"
    if (isinstance(expected, str) and not isinstance(given, str)) or (
        isinstance(expected, str) and expected != given
    ):
        with pytest.raises(AnswersError) as info:
            check_value(mini, field, given, team="north")
        assert expected in info.value.what
        assert info.value.field == field and info.value.team == "north"
    else:
        assert check_value(mini, field, given) == expected


def test_unknown_field_suggests_the_closest(mini: exercises.Exercise) -> None:
    with pytest.raises(AnswersError) as info:
        check_value(mini, "ratng", 3)
    assert info.value.fix == "did you mean 'rating'?"


@pytest.mark.parametrize(("cell", "stored"), [
    ("three", "three"), ("Three", "three"), ("3", "three"), (3, "three"), (" 5 ", "five"),
    ("nine", None), (True, None), (3.5, None),
])
def test_a_rating_grid_takes_what_people_write_on_paper(cell: Any, stored: str | None) -> None:
    """Typed up from a handout that says "write 1 to 5": 3 is the value labelled "3"."""
    fit = exercises.get("fit_assessment")
    value = {"culture_fit": {"lowest": cell}}
    if stored is None:
        with pytest.raises(AnswersError):
            check_value(fit, "criteria_spread", value)
    else:
        assert check_value(fit, "criteria_spread", value) == {"culture_fit": {"lowest": stored}}


@pytest.mark.parametrize(("cell", "stored"), [("A", "a"), ("a", "a"), ("R: Responsible", "r"), ("i", "i"), ("X", None)])
def test_a_raci_grid_takes_its_letters_in_any_case(cell: str, stored: str | None) -> None:
    ex = exercises.get("enablement")
    if stored is None:
        with pytest.raises(AnswersError):
            check_value(ex, "raci", {"email": {"sales": cell}})
    else:
        assert check_value(ex, "raci", {"email": {"sales": cell}}) == {"email": {"sales": stored}}
