"""Report content: every block of the definitions' report sections, escaped, in three modes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from playbook import report_view as rv
from playbook.errors import PlaybookError, WorkshopError
from playbook.paths import example

IGNORE = shutil.ignore_patterns("out", "*.db", "*.db-*", ".playbook")  # the answers files are the truth here


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    dest = tmp_path / "acme"
    shutil.copytree(example("acme"), dest, ignore=IGNORE)
    return dest


@pytest.fixture
def hostile(acme: Path) -> Path:
    """The example workshop with markup in a team name and in typed answers."""
    dest = acme
    cfg = dest / "workshop.yml"
    cfg.write_text(cfg.read_text().replace("name: Customer Success", 'name: "<script>alert(1)</script> & Co"'))
    ans = dest / "answers" / "fit_assessment.yml"
    ans.write_text(ans.read_text().replace("client_name: Halden Grid", 'client_name: "<b>Halden</b> Grid"'))
    return dest


@pytest.mark.parametrize("exercise", ["empathy_audit", "fit_assessment", "enablement"])
def test_report_shows_every_section(exercise: str, acme: Path) -> None:
    from playbook.exercises import get

    html = rv.exercise_html(acme, exercise, "north")
    ex = get(exercise)
    for sec in ex.report:
        assert f'<section id="{sec.id}">' in html and rv.e(sec.title) in html
    assert "Customer Success" in html and "Recommendation" in html
    for s in ex.statistics:
        assert rv.e(s.source) in html and s.traced in html
    n_charts = sum(len(s.charts) for s in ex.report)
    assert html.count("<img ") == n_charts and html.count('alt="') == n_charts


def test_user_text_is_escaped(hostile: Path) -> None:
    html = "".join(rv.team_html(hostile, "north"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "<b>Halden</b>" not in html and "&lt;b&gt;Halden&lt;/b&gt; Grid" in html
    summary = "".join(rv.summary_html(hostile))
    assert "<script>" not in summary and "&lt;script&gt;" in summary


def test_blank_and_worksheet_modes(acme: Path) -> None:
    blank = rv.exercise_html(acme, "enablement", "north", mode="blank")
    assert "\u2610" in blank and "Overall" not in blank and "Customer Success" not in blank
    assert "Agreed map: who owns each stage and channel?" in blank
    sheet = rv.exercise_html(acme, "enablement", "north", mode="worksheet")
    assert "playbook serve" in sheet
    with pytest.raises(PlaybookError, match="unknown mode 'print'"):
        rv.exercise_html(acme, "enablement", "north", mode="print")


def test_unknown_team_and_exercise(acme: Path) -> None:
    with pytest.raises(WorkshopError, match="no team 'west'"):
        rv.exercise_html(acme, "enablement", "west")
    with pytest.raises(WorkshopError, match="not part of this workshop"):
        rv.exercise_html(acme, "nope", "north")


def test_team_without_answers(hostile: Path) -> None:
    doc = yaml.safe_load((hostile / "workshop.yml").read_text())
    doc["teams"].append({"id": "west", "name": "Late Team"})
    (hostile / "workshop.yml").write_text(yaml.safe_dump(doc, sort_keys=False))
    html = "".join(rv.team_html(hostile, "west"))
    assert html.count("No answers recorded yet") == 3


def test_summary_compares_teams(acme: Path) -> None:
    html = "".join(rv.summary_html(acme))
    for part in ("All 4 teams", "Spread of scores", "Red flags shared by several teams",
                 "Where teams disagree", "Customer Success", "Partner Team"):
        assert part in html
    assert "Dot plot of gut call against evidence score" in html  # the fit chart shows every team


def test_answers_are_rendered_readably() -> None:
    from playbook.exercises import get

    ex = get("fit_assessment")
    assert rv.answer_html(ex.field("gut_call"), 4) == "4 of 5: Good feeling"
    assert "not answered" in rv.answer_html(ex.field("gut_reason"), "  ")
    notes = rv.answer_html(ex.field("evidence_notes"), [{"text": "a<b", "tags": {"basis": "heard"}}])
    assert "a&lt;b" in notes and "heard" in notes.lower()


def test_batch_answers_cache_follows_the_files(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook.workshop import Folder

    folder = Folder(hostile)
    assert rv.answers_of(folder) is not rv.answers_of(folder)  # by hand: always read afresh
    monkeypatch.setattr(rv, "_caching", True)
    monkeypatch.setattr(rv, "_CACHE", {})
    first = rv.answers_of(folder)
    assert rv.answers_of(folder) is first
    ans = hostile / "answers" / "fit_assessment.yml"
    ans.write_text(ans.read_text().replace("meetings_held: 14", "meetings_held: 15"))
    assert rv.answers_of(folder)["north"]["fit_assessment"]["meetings_held"] == 15
