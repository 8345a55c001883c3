"""Export and import of answers: lossless round trips through JSON, YAML and CSV, the
spreadsheet conveniences of CSV, and imports that check every row before writing any.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_store import count_rows

from playbook import answers
from playbook.answers import transfer
from playbook.answers.store import Store
from playbook.errors import AnswersError
from playbook.model import exercises
from playbook.workshop import Folder

TEAMS = ["north", "south", "east"]
BUNDLED = ["empathy_audit", "fit_assessment", "enablement"]


def sample(field: Any, rng: random.Random) -> Any:
    """A valid, awkward value for any field: commas, quotes, newlines, accents, emoji."""
    ids = [o.id for o in getattr(field, "options", [])]
    match field.type:
        case "short_text":
            return 'Ana\'s "best", ñ 🎉; done'[: field.max_length]
        case "long_text":
            return "line one, with a comma\nline \"two\"\r\n\ttabbed — 你好"
        case "scale":
            return rng.randint(1, 5)
        case "single_choice":
            return rng.choice(ids)
        case "multi_choice":
            return rng.sample(ids, min(len(ids), field.max_selected or 3, 3))
        case "checklist":
            return rng.sample(ids, rng.randint(0, min(3, len(ids))))  # [] is an answer here
        case "ranking":
            return rng.sample(ids, len(ids) if field.rank_all else min(2, len(ids)))
        case "number":
            value = rng.uniform(field.min, field.max)
            return int(value) if field.integer else round(value, 3)
        case "notes":
            return [_note(field, rng, n) for n in range(2)]
        case "matrix":
            return {r.id: {c.id: rng.choice(field.values).id for c in field.columns[:2]} for r in field.rows[:2]}
    raise AssertionError(field.type)


def _note(field: Any, rng: random.Random, n: int) -> dict[str, Any]:
    note: dict[str, Any] = {"text": f"note {n}, \"quoted\"; ümlaut",
                            "tags": {g.id: rng.choice(g.options).id for g in field.tag_groups}}
    for attr in field.attributes:
        note[attr.id] = "2026-10-02" if attr.kind == "date" else "Ana, buyer"
    return note


def fill(store: Store, seed: int = 1) -> None:
    rng = random.Random(seed)
    store.save_many(
        (team, ex.id, f.id, sample(f, rng))
        for team in store.teams for ex in store.exercises.values() for f in ex.fields.values()
    )


@pytest.fixture
def stores(new_store_url: Callable[..., str]) -> Iterator[tuple[Store, Store]]:
    """A filled store and an empty one of the same workshop."""
    made = [
        Store(new_store_url(name), workshop="acme", teams=TEAMS, exercises=BUNDLED)
        for name in ("full", "empty")
    ]
    fill(made[0])
    yield made[0], made[1]
    for s in made:
        s.close()


@pytest.fixture
def empty_url(new_store_url: Callable[..., str]) -> str:
    return new_store_url("empty")


# --- round trips ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".yml", ".csv"])
def test_export_then_import_is_lossless(stores: tuple[Store, Store], tmp_path: Path, suffix: str) -> None:
    full, empty = stores
    path = transfer.export_file(full, tmp_path / f"answers{suffix}")
    written = transfer.import_file(empty, path)
    assert written == sum(len(v) for per_ex in full.latest_all().values() for v in per_ex.values())
    assert empty.latest_all() == full.latest_all()
    assert transfer.export_json(empty)["teams"] == transfer.export_json(full)["teams"]
    assert transfer.export_csv(empty) == transfer.export_csv(full)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".answers")) == []


def test_the_json_export_is_an_answers_document(stores: tuple[Store, Store], tmp_path: Path) -> None:
    full, _ = stores
    doc = transfer.export_json(full)
    assert list(doc) == ["format", "workshop", "exported", "teams"]
    assert (doc["format"], doc["workshop"]) == (answers.FORMAT, "acme")
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert answers.load_file(path, TEAMS) == doc["teams"]


def test_json_with_escaped_emoji_imports(stores: tuple[Store, Store], tmp_path: Path) -> None:
    full, empty = stores
    path = tmp_path / "a.json"
    path.write_text(json.dumps(transfer.export_json(full)), encoding="ascii")  # \ud83c\udf89
    transfer.import_file(empty, path)
    assert empty.latest_all() == full.latest_all()


def test_exports_leave_out_unanswered_fields(tmp_path: Path, empty_url: str) -> None:
    with Store(empty_url, workshop="w", teams=TEAMS, exercises=BUNDLED) as store:
        store.save_many([
            ("north", "empathy_audit", "persona", "   "),  # blank text: not an answer
            ("north", "empathy_audit", "segments", []),  # an empty checklist: "none apply"
            ("north", "empathy_audit", "asked_who", []),  # an empty multi choice: no answer
            ("south", "empathy_audit", "self_rating", 3),
            ("south", "empathy_audit", "self_rating", None),  # cleared
        ])
        assert transfer.export_json(store)["teams"] == {"north": {"empathy_audit": {"segments": []}}}
        assert transfer.export_csv(store) == "team,exercise,field,value\nnorth,empathy_audit,segments,[]\n"


def test_the_example_workshop_answers_import(
    tmp_path: Path, example_readonly: Path, empty_url: str, new_store_url: Callable[..., str]
) -> None:
    folder = Folder(example_readonly)
    teams = [t.id for t in folder.config.teams]
    expected = answers.load_dir(folder.answers_dir, teams)
    with Store(empty_url, workshop=folder.workshop_id, teams=teams,
               exercises=folder.config.exercises) as store:
        for path in sorted(folder.answers_dir.glob("*.yml")):
            transfer.import_file(store, path)
        imported = store.latest_all()
        assert imported == {t: expected[t] for t in teams if t in expected}
        csv_path = transfer.export_file(store, tmp_path / "acme.csv")
    with Store(new_store_url("again"), workshop="x", teams=teams,
               exercises=folder.config.exercises) as again:
        transfer.import_file(again, csv_path)
        assert again.latest_all() == imported  # read while the first store was open: a closed one is not read


# --- CSV as typed into a spreadsheet --------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "typed.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_typed_by_hand(tmp_path: Path, empty_url: str) -> None:
    typed = (
        "\ufeffTeam;Exercise;Field;Value;Comment\r\n"
        "north;empathy_audit;self_rating; 4 ;typed from paper\r\n"
        "north;empathy_audit;conversations_30;12;\r\n"
        'north;empathy_audit;asked_who;"procurement; users";\r\n'
        "north;empathy_audit;segments;[];\r\n"
        'south;fit_assessment;open_questions;"Who signs?\nWhen?";\r\n'
        "north;empathy_audit;persona;;left blank on paper\r\n"
        ";;;;\r\n"
        "south;fit_assessment;revenue_share;12,5;\r\n"
        "south ; fit_assessment ; stage ; proposal ;;;\r\n"
    )
    with Store(empty_url, workshop="w", teams=TEAMS, exercises=BUNDLED) as store:
        ex = store.exercises
        asked = [o.id for o in ex["empathy_audit"].fields["asked_who"].options][:2]
        stage = ex["fit_assessment"].fields["stage"].options[0].id
        typed = typed.replace("procurement; users", "; ".join(asked)).replace("proposal", stage)
        assert transfer.import_file(store, write(tmp_path, typed)) == 7
        got = store.latest_all()
    assert got["north"]["empathy_audit"] == {  # the blank persona was skipped
        "self_rating": 4, "conversations_30": 12, "asked_who": asked, "segments": [],
    }
    assert got["south"]["fit_assessment"] == {
        "stage": stage, "revenue_share": 12.5,
        "open_questions": [{"text": "Who signs?", "tags": {}}, {"text": "When?", "tags": {}}],
    }


def test_csv_reports_every_bad_row_and_writes_nothing(tmp_path: Path, empty_url: str) -> None:
    typed = (
        "team,exercise,field,value\n"
        "north,empathy_audit,self_rating,3\n"  # fine
        "nroth,empathy_audit,self_rating,3\n"  # line 3: unknown team
        "north,empathy_audit,self_rating,9\n"  # line 4: out of range; also a repeat of line 2
        "north,empathy_audit,last_contact,yesterday\n"  # line 5: not an option
        'north,empathy_audit,contact_log,"[{""text"": 1"\n'  # line 6: broken JSON
        "north,empathy_audit,conversations_30,twelve\n"  # line 7: not a number
        "north,empathy_audit,reflection,one, two\n"  # line 8: unquoted comma
        "north,empathy,self_rating,3\n"  # line 9: unknown exercise
        ",empathy_audit,self_rating,3\n"  # line 10: no team
    )
    with Store(empty_url, workshop="w", teams=TEAMS, exercises=BUNDLED) as store:
        store.save("south", "empathy_audit", "self_rating", 2)
        with pytest.raises(AnswersError) as caught:
            transfer.import_file(store, write(tmp_path, typed))
        assert count_rows(empty_url) == 1
    err = caught.value
    assert err.file == str(tmp_path / "typed.csv") and err.line == 3
    assert "8 rows cannot be imported, so nothing was imported" in err.what
    lines = err.what.splitlines()[1:]
    assert [int(x.split(":")[0].split()[1]) for x in lines] == [3, 4, 5, 6, 7, 8, 9, 10]
    for words in ("team 'nroth' is not in this workshop", "did you mean 'north'",
                  "out of range", "'yesterday' is not one of the options", "not valid JSON",
                  "expected a number, got 'twelve'", "5 cells, more than the 4 columns",
                  "exercise 'empathy' is not part of this workshop", "the team cell is empty"):
        assert words in err.what
    assert "line 4" in err.what and "first on line 2" not in err.what


def test_csv_repeated_field_is_an_error(tmp_path: Path, empty_url: str) -> None:
    typed = "team,exercise,field,value\nnorth,empathy_audit,self_rating,3\nnorth,empathy_audit,self_rating,4\n"
    with Store(empty_url, workshop="w", teams=TEAMS, exercises=BUNDLED) as store, \
            pytest.raises(AnswersError, match=r"line 3: .*appears again \(first on line 2\)"):
        transfer.import_file(store, write(tmp_path, typed))


@pytest.mark.parametrize(("content", "encoding", "words"), [
    ("", "utf-8", "the first line must name the columns"),
    ("name,score\nnorth,3\n", "utf-8", "the first line must name the columns"),
    ("team,exercise,field,value\nnorth,empathy_audit,persona,Café\n", "cp1252", "not UTF-8"),
])
def test_csv_file_problems(tmp_path: Path, content: str, encoding: str, words: str, empty_url: str) -> None:
    with Store(empty_url, workshop="w", teams=TEAMS, exercises=BUNDLED) as store:
        with pytest.raises(AnswersError, match=words) as caught:
            transfer.import_file(store, write(tmp_path, content, encoding=encoding))
        assert caught.value.fix


# --- JSON and YAML --------------------------------------------------------------------


def test_a_bad_answers_file_names_file_and_line(tmp_path: Path, empty_url: str) -> None:
    path = tmp_path / "a.yml"
    path.write_text(
        "format: playbook-answers/1\nteams:\n  north:\n    empathy_audit:\n"
        "      self_rating: 3\n      last_contact: yesterday\n", encoding="utf-8")
    with Store(empty_url, workshop="w", teams=TEAMS, exercises=BUNDLED) as store:
        with pytest.raises(AnswersError) as caught:
            transfer.import_file(store, path)
        assert count_rows(empty_url) == 0
    assert (caught.value.file, caught.value.line, caught.value.team) == (str(path), 6, "north")


def test_an_exercise_outside_the_workshop_is_refused(tmp_path: Path, empty_url: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"format": answers.FORMAT, "teams": {"north": {"enablement": {"selling_ease": 3}}}}))
    with Store(empty_url, workshop="w", teams=TEAMS, exercises=["empathy_audit"]) as store, \
            pytest.raises(AnswersError, match="not part of this workshop") as caught:
        transfer.import_file(store, path)
    assert caught.value.file == str(path)


def test_an_unknown_export_format_is_refused(tmp_path: Path, empty_url: str) -> None:
    with Store(empty_url, workshop="w", teams=TEAMS, exercises=BUNDLED) as store, \
            pytest.raises(AnswersError, match=r"name the file \.json, \.yml or \.csv"):
        transfer.export_file(store, tmp_path / "answers.xlsx")


def test_yaml_export_quotes_what_yaml_would_misread(tmp_path: Path, empty_url: str) -> None:
    teams = ["yes", "null", "123"]
    with Store(empty_url, workshop="w", teams=teams, exercises=BUNDLED) as store:
        for team in teams:
            store.save(team, "empathy_audit", "persona", "2026-10-02")
        path = transfer.export_file(store, tmp_path / "a.yml")
        assert set(yaml.safe_load(path.read_text(encoding="utf-8"))["teams"]) == set(teams)
        assert transfer.import_file(store, path) == 3


def test_bundled_exercise_ids_are_what_the_tests_use() -> None:
    assert [e.id for e in exercises.all_exercises()] == BUNDLED
