"""The two example workshops together show every judgement the kit can make (issue 9, item 12).

examples/acme is the demo's workshop: four teams, all three exercises, and it stays as it is.
examples/casebook adds one team per remaining case, each answering only the exercise of its
case. Between them, every bundled exercise shows every band (its incomplete band too), every
recommendation and every flag, a flag raised for each selected option counting once per
option. Each workshop is scored in its own context (date and settings), as `playbook score`
does; only teams that answered an exercise count towards its coverage.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook import answers as answers_mod
from playbook.answers.results import TeamResult, load_answers, score_folder
from playbook.answers.store import ENV_URL
from playbook.cli import main
from playbook.model.exercises import Exercise, all_exercises
from playbook.workshop import Folder

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ACME = EXAMPLES / "acme"
CASEBOOK = EXAMPLES / "casebook"

# What each casebook team shows: team -> exercise -> (band, recommendation). The comment above
# the team's answers in examples/casebook/answers/<exercise>.yml says why.
CASES: dict[str, dict[str, tuple[str, str]]] = {
    "empathy-sharpen": {"empathy_audit": ("partial", "sharpen_and_repeat")},
    "fit-find-out": {"fit_assessment": ("too_early", "find_out")},
    "fit-finish-knockout": {"fit_assessment": ("too_early", "finish_knockout")},
    "fit-decline": {"fit_assessment": ("poor_fit", "decline")},
    "fit-decline-boundary": {"fit_assessment": ("conditional_fit", "decline_boundary")},
    "fit-boundaries": {"fit_assessment": ("conditional_fit", "pursue_with_boundaries")},
    "enable-finish-session": {"enablement": ("too_early", "finish_session")},
    "enable-align-first": {"enablement": ("taking_shape", "align_first")},
    "enable-finish-definition": {"enablement": ("taking_shape", "finish_definition")},
}

# The flags each casebook team raises, so that a flag lost or gained shows here by name.
FLAGS: dict[str, set[str]] = {
    "empathy-sharpen": {"counts_contradict", "several_personas"},
    "fit-find-out": {"no_contact", "gut_evidence_gap", "thin_evidence", "unbacked_ratings"},
    "fit-finish-knockout": {"red_flag.revenue_concentration", "revenue_over_ceiling", "no_first_reaction",
                            "unbacked_ratings", "criteria_missing"},
    "fit-decline": {"red_flag.evasive_budget", "stage_contradiction"},
    "fit-decline-boundary": {"red_flag.ignored_boundary", "red_flag.blames_partners", "unbacked_ratings",
                             "wide_spread"},
    "fit-boundaries": {"red_flag.vague_communication", "spread_contradiction", "stretch_set_aside",
                       "unbacked_ratings", "wide_spread"},
    "enable-finish-session": {"owner_gaps", "views_disagree"},
    "enable-align-first": {"owner_gaps", "views_disagree", "plan_gaps", "content_unfindable", "parked_rows"},
    "enable-finish-definition": {"views_disagree", "no_customer", "plan_gaps"},
}

WORKSHOP_DAY = dt.date(2026, 11, 18)


def snapshot(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")}


@pytest.fixture(scope="module")
def scored() -> Iterator[dict[str, list[TeamResult]]]:
    """Every answered (team, exercise) of both workshops, scored in its own workshop's context."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ENV_URL, raising=False)  # read the answers files, never a shared store
        out = {}
        for path in (ACME, CASEBOOK):
            folder = Folder(path)
            given = load_answers(folder)
            out[path.name] = [r for r in score_folder(folder) if given.get(r.team, {}).get(r.exercise)]
        yield out


def by_team(results: list[TeamResult]) -> dict[tuple[str, str], TeamResult]:
    return {(r.team, r.exercise): r for r in results}


def expected(ex: Exercise) -> dict[str, set[str]]:
    """Every band, recommendation and flag id an exercise can produce."""
    bands = {b.id for b in ex.rubric.bands}
    if ex.rubric.incomplete is not None:
        bands.add(ex.rubric.incomplete.id)
    flags: set[str] = set()
    for flag in ex.flags:
        if flag.each_selected:
            flags |= {f"{flag.id}.{o.id}" for o in ex.fields[flag.each_selected].options}
        else:
            flags.add(flag.id)
    return {"bands": bands, "recommendations": {r.id for r in ex.recommendations}, "flags": flags}


# -- the casebook loads ---------------------------------------------------------------------


def test_casebook_workshop_loads() -> None:
    config = Folder(CASEBOOK).config
    assert config.client == "Casebook"
    assert config.date == WORKSHOP_DAY
    assert config.language == "en"
    assert config.facilitator.strip()
    assert sorted(config.exercises) == sorted(e.id for e in all_exercises())
    assert config.settings == {}, "the casebook uses the default settings (revenue ceiling 25%)"
    assert [t.id for t in config.teams] == list(CASES), "workshop.yml lists the teams of the case table, in order"
    assert all(t.members for t in config.teams)


def test_casebook_answers_load_and_each_team_answers_only_its_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    folder = Folder(CASEBOOK)
    teams = [t.id for t in folder.config.teams]
    for path in sorted(folder.answers_dir.glob("*.yml")):
        answers_mod.load_file(path, teams)  # raises with file, line, team and field on any mistake
    given = load_answers(folder)
    answered = {team: sorted(ex for ex, values in per.items() if values) for team, per in given.items()}
    assert answered == {team: sorted(cases) for team, cases in CASES.items()}
    assert not folder.db_path.exists(), "the casebook ships answers files, not a response store"


def test_casebook_evidence_is_dated_before_the_workshop_and_recent() -> None:
    """Evidence dates (an attribute `date`) fall in the 90 days up to the workshop: no stale
    or future evidence unless a case is about it, and none of these cases is."""
    given = answers_mod.load_dir(CASEBOOK / "answers")
    exercises = {e.id: e for e in all_exercises()}
    checked = 0
    for team, per in given.items():
        for ex_id, values in per.items():
            for field_id, value in values.items():
                field = exercises[ex_id].fields[field_id]
                if field.type != "notes" or not any(a.id == "date" for a in field.attributes):
                    continue
                for note in value:
                    if note.get("date") is None:
                        continue
                    day = dt.date.fromisoformat(str(note["date"]))
                    checked += 1
                    assert WORKSHOP_DAY - dt.timedelta(days=90) <= day <= WORKSHOP_DAY, (team, field_id, note)
    assert checked > 30


# -- each case is judged as its comment says ------------------------------------------------


@pytest.mark.parametrize(
    ("team", "exercise"), [(t, e) for t, cases in CASES.items() for e in cases], ids=lambda v: v
)
def test_each_case_gets_its_band_recommendation_and_flags(
    scored: dict[str, list[TeamResult]], team: str, exercise: str
) -> None:
    res = by_team(scored["casebook"])[(team, exercise)].result
    band, recommendation = CASES[team][exercise]
    assert (res.band.id, res.recommendation.id) == (band, recommendation), (
        f"{team}: band {res.band.id}, recommendation {res.recommendation.id} (overall {res.overall}, "
        f"answered {res.answered}%), but its comment promises {band}, {recommendation}"
    )
    assert {f.id for f in res.flags} == FLAGS[team]


@pytest.mark.parametrize(
    ("team", "exercise"), [(t, e) for t, cases in CASES.items() for e in cases], ids=lambda v: v
)
def test_each_case_comment_names_its_recommendation_and_band(team: str, exercise: str) -> None:
    """The comment above a team's answers opens with "Case: ... (<recommendation id>)" and
    names the band's label, so the comment, the table above and the kit agree."""
    lines = (CASEBOOK / "answers" / f"{exercise}.yml").read_text(encoding="utf-8").splitlines()
    at = lines.index(f"  {team}:")
    start = at
    while lines[start - 1].startswith("  #"):
        start -= 1
    comment = " ".join(line.strip("# ") for line in lines[start:at])
    band, recommendation = CASES[team][exercise]
    ex = next(e for e in all_exercises() if e.id == exercise)
    labels = {b.id: b.label for b in [*ex.rubric.bands, *filter(None, [ex.rubric.incomplete])]}
    assert comment.startswith("Case: "), f"{team}: no comment saying its case"
    assert f"({recommendation})" in comment, f"{team}: the comment does not name {recommendation}"
    assert labels[band].lower() in comment.lower(), f"{team}: the comment does not name the band {labels[band]!r}"


# -- together the examples show every judgement ---------------------------------------------


@pytest.mark.parametrize("ex", all_exercises(), ids=lambda e: e.id)
def test_the_examples_together_show_every_band_recommendation_and_flag(
    scored: dict[str, list[TeamResult]], ex: Exercise
) -> None:
    results = [r.result for rs in scored.values() for r in rs if r.exercise == ex.id]
    seen = {
        "bands": {r.band.id for r in results},
        "recommendations": {r.recommendation.id for r in results},
        "flags": {f.id for r in results for f in r.flags},
    }
    missing = {kind: sorted(ids - seen[kind]) for kind, ids in expected(ex).items() if ids - seen[kind]}
    assert not missing, f"{ex.id}: no example team shows {missing}"


@pytest.mark.parametrize("ex", all_exercises(), ids=lambda e: e.id)
def test_every_override_is_shown_overriding(scored: dict[str, list[TeamResult]], ex: Exercise) -> None:
    """A recommendation that only ever overrides another (the deliberate stretch) is shown
    doing so, not merely listed."""
    results = [r.result for rs in scored.values() for r in rs if r.exercise == ex.id]
    for rule in (r for r in ex.recommendations if r.overrides):
        shown = [r for r in results if r.recommendation.id == rule.id]
        assert shown, f"{ex.id}: no example shows {rule.id}"
        assert all(r.base_recommendation in rule.overrides for r in shown)


def test_decline_on_a_boundary_is_shown_without_a_stretch(scored: dict[str, list[TeamResult]]) -> None:
    """The stretch can override "decline: a boundary was already ignored" (acme harbour); the
    casebook shows the decline itself, from a team that wrote no stretch case."""
    given = answers_mod.load_dir(CASEBOOK / "answers")
    shown = [r for r in scored["casebook"] if r.exercise == "fit_assessment"
             and r.result.recommendation.id == "decline_boundary"]
    assert [r.team for r in shown] == ["fit-decline-boundary"]
    fit = given["fit-decline-boundary"]["fit_assessment"]
    assert fit["stretch"] == "no"
    assert "stretch_rationale" not in fit and "stretch_conditions" not in fit
    assert shown[0].result.base_recommendation == "decline_boundary"
    harbour = by_team(scored["acme"])[("harbour", "fit_assessment")].result
    assert (harbour.base_recommendation, harbour.recommendation.id) == ("decline_boundary", "stretch")


# -- the command ---------------------------------------------------------------------------


def test_playbook_score_runs_on_the_casebook(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    before = snapshot(EXAMPLES)
    assert main(["score", str(CASEBOOK)]) == 0
    out = capsys.readouterr().out
    for ex in all_exercises():
        assert ex.title in out
    for team in Folder(CASEBOOK).config.teams:
        assert team.name in out
    assert snapshot(EXAMPLES) == before, "playbook score wrote into the bundled examples"


def test_playbook_score_json_for_one_case(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    assert main(["score", str(CASEBOOK), "--team", "fit-find-out", "--exercise", "fit_assessment", "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["recommendation"]["id"] == "find_out"
    assert len(result["recommendation"]["questions"]) == 3, "find out lists the first questions to answer"
