"""The `playbook` command: help everywhere, tables, JSON, and errors without tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from playbook import answers, startup
from playbook.answers.results import TeamResult
from playbook.cli import cli, main, results_table
from playbook.model import exercises
from playbook.paths import copy_example
from playbook.scoring import Context, score, share

EXAMPLE = Path(__file__).parents[1] / "examples" / "acme"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, cmd in group.commands.items():
        out += _commands(cmd, (*prefix, name)) if isinstance(cmd, click.Group) else [(*prefix, name)]
    return out


@pytest.mark.parametrize("path", _commands(cli), ids=lambda p: " ".join(p) or "playbook")
def test_every_command_has_help_with_an_example(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage: playbook" in out
    assert "Example:" in out and "playbook " in out.split("Example:")[1]


def test_exercises_lists_the_three(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises"]) == 0
    out = capsys.readouterr().out
    for name in ("empathy_audit", "fit_assessment", "enablement", "people", "difficulty"):
        assert name in out
    assert main(["exercises", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["empathy_audit", "fit_assessment", "enablement"]
    assert all(r["run_minutes"] >= r["prep_minutes"] * 0 and r["steps"] > 0 for r in rows)


def test_score_prints_every_team(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    for team in ("Customer Success", "Product Marketing", "Enterprise Sales", "Partner Team"):
        assert out.count(team) == 3  # one row per exercise


def test_score_json_for_one_team(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(EXAMPLE), "--team", "north", "--exercise", "fit_assessment", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and rows[0]["team"] == "north" and rows[0]["exercise"] == "fit_assessment"
    assert 0 <= rows[0]["overall"] <= 100 and rows[0]["band"]["label"]


def _row(table: str, team: str) -> list[str]:
    line = next(line for line in table.splitlines() if line.startswith(team))
    return [c.strip() for c in line.removeprefix(team).split("  ") if c.strip()]


@pytest.mark.parametrize(
    ("given", "shown", "answered"),
    [
        ({}, "\u2013", "0%"),  # nothing answered: no score, not 0.0
        ({"client_name": "Globex"}, "\u2013", "0%"),  # answered, but nothing the rubric scores
        ({"culture_fit": 5, "decision_access": 5}, None, None),  # a score over part of the rubric
    ],
    ids=["blank", "unscored", "partial"],
)
def test_results_table_shows_the_score_and_the_share_it_rests_on(given: dict, shown: str | None,
                                                               answered: str | None) -> None:
    ex = exercises.get("fit_assessment")
    res = score(ex, answers.check(ex, given), Context())
    table = results_table([TeamResult("t", "Tiger team", ex.id, res)])
    head = table.splitlines()[2].split()
    assert head == ["team", "score", "answered", "band", "flags", "recommendation", "complete"]
    row = _row(table, "Tiger team")
    assert row[0] == (shown or f"{res.overall:.1f}") and row[1] == (answered or share(res.answered))
    assert row[2] == res.band.label and row[4] == res.recommendation.label
    if shown is None:
        assert res.overall is not None and 0 < res.answered < 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "/nonexistent/folder"], "no workshop.yml"),
        (["score", str(EXAMPLE), "--team", "nobody"], "no team 'nobody'"),
        (["score", str(EXAMPLE), "--exercise", "nope"], "exercise 'nope' is not part of this workshop"),
    ],
)
def test_user_errors_exit_2_without_traceback(args: list[str], message: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert message in proc.stderr and proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) <= 2


def test_bad_answers_file_names_file_line_team_and_field(tmp_path: Path) -> None:
    work = copy_example(tmp_path / "acme")
    bad = work / "answers" / "zz_typo.yml"
    bad.write_text("format: playbook-answers/1\nteams:\n  north:\n    fit_assessment:\n      gut_call: 9\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "score", str(work)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert f"{bad}, line 5, team 'north', field 'fit_assessment.gut_call'" in proc.stderr
    assert "out of range" in proc.stderr


def test_every_command_skips_jsonschemas_iri_grammar_and_calms_the_collector() -> None:
    """The `playbook` process is the kit's own (`playbook.startup`): importing nbformat there (PDFs,
    reports) must not build jsonschema's IRI grammars (1-3 s), and its collector runs at the kit's
    thresholds; a process that only imports the kit keeps jsonschema and its collector as they are."""
    probe = ("import sys, contextlib, gc\n"
             "import playbook.cli, playbook.batch.runner, widgets.worksheet\n"
             "before = 'rfc3987_syntax' in sys.modules, gc.get_threshold()\n"
             "with contextlib.suppress(SystemExit):\n"
             "    playbook.cli.main(['exercises'])\n"
             "import nbformat\n"
             "print(repr((before, sys.modules['rfc3987_syntax'] is None, gc.get_threshold())))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    default = (700, 10, 10)  # CPython's
    assert proc.stdout.splitlines()[-1] == repr(((False, default), True, startup.THRESHOLDS))
    assert default != startup.THRESHOLDS


def test_usage_errors_exit_2() -> None:
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "score"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Missing argument" in proc.stderr


def test_store_round_trip_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """init, teams import, import, export, score: the commands a facilitator chains."""
    work = copy_example(tmp_path / "acme")
    files = sorted(str(p) for p in (work / "answers").glob("*.yml"))
    assert main(["import", str(work), *files]) == 0
    assert (work / "responses.db").is_file()
    capsys.readouterr()
    shutil.rmtree(work / "answers")  # scoring now reads the store, not the files
    assert main(["score", str(work), "--json"]) == 0
    from_store = {(r["team"], r["exercise"]): r["overall"] for r in json.loads(capsys.readouterr().out)}
    assert main(["score", str(EXAMPLE), "--json"]) == 0
    from_files = {(r["team"], r["exercise"]): r["overall"] for r in json.loads(capsys.readouterr().out)}
    assert from_store == from_files and len(from_store) == 12

    out = tmp_path / "answers.csv"
    assert main(["export", str(work), "--format", "csv", "-o", str(out)]) == 0
    fresh = tmp_path / "fresh"
    assert main(["init", str(fresh), "--client", "Acme", "--facilitator", "M", "--date", "2026-11-18"]) == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffid;team;members\nnorth;Customer Success;A, B\nharbour;Product Marketing;C\n"
                      "summit;Enterprise Sales;D\ndelta;Partner Team;E\n", encoding="utf-8")
    assert main(["teams", "import", str(fresh), str(roster)]) == 0
    assert main(["import", str(fresh), str(out)]) == 0
    capsys.readouterr()
    assert main(["export", str(fresh)]) == 0
    again = json.loads(capsys.readouterr().out)
    assert main(["export", str(work)]) == 0
    assert again["teams"] == json.loads(capsys.readouterr().out)["teams"]


def test_a_rejected_import_lists_every_bad_row_and_saves_nothing(tmp_path: Path) -> None:
    work = copy_example(tmp_path / "acme")
    bad = tmp_path / "paper.csv"
    bad.write_text("team,exercise,field,value\nnorth,fit_assessment,gut_call,4\n"
                   "north,fit_assessment,gut_call,9\nnobody,fit_assessment,gut_call,3\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "import", str(work), str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "line 3: team 'north', field 'fit_assessment.gut_call': 9 is out of range" in proc.stderr
    assert "line 4: team 'nobody'" in proc.stderr
    from playbook.answers.store import Store
    from playbook.workshop import Folder

    with Store.for_folder(Folder(work)) as store:
        assert store.revision() == 0  # the good row on line 2 was not saved either


def test_an_empty_store_does_not_hide_the_answer_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from playbook.answers.store import Store
    from playbook.workshop import Folder

    work = copy_example(tmp_path / "acme")
    with Store.for_folder(Folder(work)) as store:
        assert store.revision() == 0  # opened, never written: what a viewer leaves behind
    assert main(["score", str(work), "--team", "north", "--json"]) == 0
    assert all(r["overall"] > 80 for r in json.loads(capsys.readouterr().out))


@pytest.mark.parametrize(("args", "message", "fix"), [
    (["-o", "answers.xlsx"], "cannot write an export to 'answers.xlsx'", "name the file .json, .yml or .csv"),
    (["-o", "answers"], "cannot write an export to 'answers'", "name the file .json, .yml or .csv"),
    (["--format", "json", "-o", "answers.csv"], "cannot write json to 'answers.csv'", "name the file .json"),
])
def test_export_never_writes_another_file_than_the_one_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str, fix: str
) -> None:
    """An output name whose suffix is no export format, or another than --format, is refused
    before anything is written (it used to write answers.json beside an asked-for .xlsx)."""
    work = copy_example(tmp_path / "acme")
    args = [a if not a.startswith("answers") else str(tmp_path / a) for a in args]
    assert main(["export", str(work), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and fix in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme"]


@pytest.mark.parametrize(("name", "first"), [("a.csv", "\ufeffteam,exercise,field,value"), ("a.yaml", "format:"),
                                             ("a.JSON", "{")])
def test_export_takes_the_format_from_the_file_name(tmp_path: Path, name: str, first: str) -> None:
    work = copy_example(tmp_path / "acme")
    assert main(["export", str(work), "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(first)
