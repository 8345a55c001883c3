"""The `playbook` command: help everywhere, tables, JSON, and errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from playbook.cli import cli, main

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
    import shutil

    work = tmp_path / "acme"
    shutil.copytree(EXAMPLE, work)
    bad = work / "answers" / "zz_typo.yml"
    bad.write_text("format: playbook-answers/1\nteams:\n  north:\n    fit_assessment:\n      gut_call: 9\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "score", str(work)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert f"{bad}, line 5, team 'north', field 'fit_assessment.gut_call'" in proc.stderr
    assert "out of range" in proc.stderr


def test_usage_errors_exit_2() -> None:
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "score"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Missing argument" in proc.stderr
