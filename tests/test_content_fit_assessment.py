"""Client-fit assessment: the definition, the Acme example answers and hand-computed cases.

Scales count as 0-100: 1 = 0, 2 = 25, 3 = 50, 4 = 75, 5 = 100. The rubric (see the YAML):

    motivation    (w2) = (2*shared_motivation + culture_fit) / 3
    commercial    (w2) = (budget_clarity + timeline_realism + decision_access
                          + stakeholders_met count/3) / 4
    communication (w2) = (communication_quality + boundary_respect + 2*good_signals share/7) / 4
    partnership   (w1) = (win_win + negotiation_style option score + win_win_signs share/5) / 3
    risk_growth   (w1) = (growth_potential + 2*(100 - red_flags share/7)
                          + revenue_share piecewise 0-10%:100, 25%:50, 50%:0) / 4
    overall = (2*motivation + 2*commercial + 2*communication + partnership + risk_growth) / 8

Each dimension score is rounded to 0.1 before the overall is computed (as the engine does).
Unanswered items score 0, and `invert` does not apply to an unanswered item.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from playbook import answers as answers_mod
from playbook import exercises, scoring, workshop
from playbook.exercises import Condition, Exercise
from playbook.scoring import Result

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "playbook" / "content" / "fit_assessment.yml"
EXAMPLE = ROOT / "examples" / "acme"
ID = "fit_assessment"


@pytest.fixture(scope="module")
def ex() -> Exercise:
    return exercises.load_file(DEFINITION)


@pytest.fixture(scope="module")
def example() -> dict[str, dict[str, Any]]:
    teams = [t.id for t in workshop.load(EXAMPLE / "workshop.yml").teams]
    loaded = answers_mod.load_file(EXAMPLE / "answers" / f"{ID}.yml", teams=teams)
    return {team: per_ex[ID] for team, per_ex in loaded.items()}


def run(ex: Exercise, raw: dict[str, Any]) -> Result:
    """Validate like the loader does, then score."""
    return scoring.score(ex, answers_mod.check(ex, raw))


def flag_ids(result: Result) -> list[str]:
    return [f.id for f in result.flags]


def flag(result: Result, flag_id: str) -> scoring.FlagResult:
    return next(f for f in result.flags if f.id == flag_id)


def dims(result: Result) -> dict[str, float]:
    return {d.id: d.score for d in result.dimensions}


# -- the definition ---------------------------------------------------------------------


def test_definition_loads_and_is_bundled(ex: Exercise) -> None:
    bundled = exercises.get(ID)
    assert bundled == ex
    assert ex.id == ID
    assert [b.min for b in ex.rubric.bands] == [0, 40, 70]
    assert [b.id for b in ex.rubric.bands] == ["poor_fit", "conditional_fit", "strong_fit"]
    assert 4 <= len(ex.rubric.dimensions) <= 6
    assert ex.step_minutes <= ex.run_minutes
    assert ex.recommendations[-1].when is None
    assert [r.id for r in ex.recommendations] == [
        "stretch", "decline_knockout", "pursue", "pursue_with_boundaries", "decline",
    ]


def test_flow_is_gut_first_then_silent_criteria_then_discussion(ex: Exercise) -> None:
    order = [s.id for s in ex.steps]
    assert order.index("first_reaction") < order.index("rate_criteria") < order.index("ask_and_reconsider")
    modes = {s.id: s.mode for s in ex.steps}
    assert modes["first_reaction"] == modes["rate_criteria"] == "silent"
    for step in ex.steps:
        assert step.facilitator_notes, step.id
        # facilitator-only material stays out of what participants read
        assert "facilitator" not in step.instructions.lower(), step.id
        assert "7 seconds" not in step.instructions, step.id
    gut_step = next(s for s in ex.steps if s.id == "first_reaction")
    assert "within seconds" in gut_step.facilitator_notes
    assert "Willis and Todorov" in gut_step.facilitator_notes


def test_field_types_used(ex: Exercise) -> None:
    types = {f.type for f in ex.fields.values()}
    assert types == {"short_text", "long_text", "scale", "single_choice", "multi_choice",
                     "checklist", "notes", "number"}


def _referenced_fields(ex: Exercise) -> set[str]:
    """Every field id that a rubric item, metric, flag, recommendation or advice reads."""
    names: set[str] = set()
    for dim in ex.rubric.dimensions:
        names |= {i.field for i in dim.items if i.field}
    for m in ex.metrics:
        names |= {x for x in (m.field, m.other) if x} | set(m.fields or [])
        names |= {op.field for op in (m.a, m.b) if op is not None and op.field}
    conds: list[Condition] = [f.when for f in ex.flags if f.when]
    conds += [r.when for r in (*ex.recommendations, *ex.advice) if r.when]
    for cond in conds:
        names |= {c.field for c in cond.walk() if c.field}
    names |= {f.each_selected for f in ex.flags if f.each_selected}
    return names


@pytest.mark.parametrize("field_id", ["client_breed", "seller_breed"])
def test_sales_dogs_tags_are_optional_and_never_scored(ex: Exercise, field_id: str) -> None:
    f = ex.field(field_id)
    assert f.optional
    assert [o.label for o in f.options] == [
        "Pit Bull", "Golden Retriever", "Poodle", "Chihuahua", "Basset Hound",
    ]
    assert all(o.score is None and o.severity is None for o in f.options)
    assert field_id not in _referenced_fields(ex)


def test_outcome_fields_are_optional_and_unscored(ex: Exercise) -> None:
    outcome = next(s for s in ex.sections if s.id == "outcome")
    assert all(f.optional for f in outcome.fields)
    scored = {i.field for d in ex.rubric.dimensions for i in d.items}
    assert not scored & {f.id for f in outcome.fields}


@pytest.mark.parametrize(
    ("option", "severity"),
    [
        ("evasive_budget", "warning"),
        ("shifting_decision_makers", "warning"),
        ("early_scope_creep", "warning"),
        ("vague_communication", "warning"),
        ("blames_partners", "warning"),
        ("ignored_boundary", "knockout"),
        ("revenue_concentration", "knockout"),
    ],
)
def test_each_red_flag_raises_a_flag_with_its_severity(ex: Exercise, option: str, severity: str) -> None:
    r = run(ex, {"red_flags": [option]})
    f = flag(r, f"red_flag.{option}")
    assert f.severity == severity
    assert f.label == ex.field("red_flags").option(option).label
    assert f.reason.startswith(f"Red flag: {f.label}. ")
    # one of seven ticked: risk_growth = (0 + 2*(100 - 100/7) + 0)/4 = 171.43/4 = 42.9
    assert dims(r)["risk_growth"] == 42.9
    expected = "decline_knockout" if severity == "knockout" else "decline"
    assert r.recommendation.id == expected


@pytest.mark.parametrize(
    ("style", "partnership"),
    [
        # only this item is answered: partnership = score / 3
        ("collaborating", 33.3),   # 100/3
        ("compromising", 25.0),    # 75/3
        ("accommodating", 16.7),   # 50/3
        ("competing", 8.3),        # 25/3
        ("avoiding", 0.0),         # 0/3
    ],
)
def test_negotiation_style_scores_collaborating_highest(ex: Exercise, style: str, partnership: float) -> None:
    assert dims(run(ex, {"negotiation_style": style}))["partnership"] == partnership


# -- the Acme example -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("team", "band", "recommendation"),
    [
        ("north", "strong_fit", "pursue"),
        ("harbour", "conditional_fit", "stretch"),
        ("summit", "poor_fit", "decline_knockout"),
        ("delta", "poor_fit", "decline"),
    ],
)
def test_example_bands_and_recommendations(
    ex: Exercise, example: dict[str, dict[str, Any]], team: str, band: str, recommendation: str
) -> None:
    r = scoring.score(ex, example[team])
    assert r.band.id == band
    assert r.recommendation.id == recommendation


def test_example_north_by_hand(ex: Exercise, example: dict[str, dict[str, Any]]) -> None:
    r = scoring.score(ex, example["north"])
    assert dims(r) == {
        # (2*100 [motivation 5] + 75 [culture 4]) / 3 = 275/3 = 91.67
        "motivation": 91.7,
        # (75 [budget 4] + 75 [timeline 4] + 100 [access 5] + 100 [4 people met >= 3]) / 4 = 87.5
        "commercial": 87.5,
        # (100 [communication 5] + 75 [boundaries 4] + 2*85.71 [6 of 7 signals]) / 4 = 86.61
        "communication": 86.6,
        # (75 [win-win 4] + 100 [collaborating] + 80 [4 of 5 signs]) / 3 = 255/3 = 85.0
        "partnership": 85.0,
        # (75 [growth 4] + 2*100 [no red flags] + 93.33 [12%: 100 - 50*2/15]) / 4 = 92.08
        "risk_growth": 92.1,
    }
    # (2*91.7 + 2*87.5 + 2*86.6 + 85.0 + 92.1) / 8 = 708.7/8 = 88.59
    assert r.overall == 88.6
    values = {k: m.value for k, m in r.metrics.items()}
    assert values == {
        "gut_vs_evidence": -13.6,        # 75 [gut 4] - 88.6
        "considered_vs_gut": 25.0,       # 100 [considered 5] - 75
        "considered_vs_evidence": 11.4,  # 100 - 88.6
        "criteria_rated": 100.0,         # 9 of 9
        "evidence_share": 80.0,          # 4 of 5 notes observed or heard
        "gut_vs_outcome": 0.0,           # 75 - 75 [satisfaction 4]
        "evidence_vs_outcome": 13.6,     # 88.6 - 75
    }
    assert r.flags == []
    assert r.advice == []
    assert r.completeness_overall == 100.0


def test_example_harbour_by_hand(ex: Exercise, example: dict[str, dict[str, Any]]) -> None:
    r = scoring.score(ex, example["harbour"])
    assert dims(r) == {
        # (2*75 [motivation 4] + 50 [culture 3]) / 3 = 200/3 = 66.67
        "motivation": 66.7,
        # (50 [budget 3] + 25 [timeline 2] + 50 [access 3] + 66.67 [2 of 3 people]) / 4 = 47.92
        "commercial": 47.9,
        # (50 [communication 3] + 25 [boundaries 2] + 2*57.14 [4 of 7 signals]) / 4 = 47.32
        "communication": 47.3,
        # (50 [win-win 3] + 75 [compromising] + 40 [2 of 5 signs]) / 3 = 55.0
        "partnership": 55.0,
        # (100 [growth 5] + 2*71.43 [2 of 7 red flags] + 100 [4%]) / 4 = 85.71
        "risk_growth": 85.7,
    }
    # (2*66.7 + 2*47.9 + 2*47.3 + 55.0 + 85.7) / 8 = 464.5/8 = 58.06
    assert r.overall == 58.1
    assert r.metrics["gut_vs_evidence"].value == -8.1  # 50 - 58.1
    # a valid stretch wins over the knockout, and the knockout is still reported
    assert flag_ids(r) == ["red_flag.ignored_boundary", "red_flag.early_scope_creep"]
    assert [f.id for f in r.knockouts] == ["red_flag.ignored_boundary"]
    assert [a.id for a in r.advice] == ["stretch_review", "record_outcome"]


def test_example_summit_by_hand(ex: Exercise, example: dict[str, dict[str, Any]]) -> None:
    r = scoring.score(ex, example["summit"])
    assert dims(r) == {
        "motivation": 25.0,     # (2*25 + 25) / 3
        "commercial": 16.7,     # (0 + 0 + 0 + 66.67 [2 of 3 people]) / 4 = 16.67
        "communication": 13.4,  # (25 + 0 + 2*14.29 [1 of 7 signals]) / 4 = 13.39
        "partnership": 8.3,     # (0 + 25 [competing] + 0 [no signs ticked]) / 3 = 8.33
        # (75 [growth 4] + 2*28.57 [5 of 7 red flags] + 40 [30%: 50 - 50*5/25]) / 4 = 43.04
        "risk_growth": 43.0,
    }
    # (2*25.0 + 2*16.7 + 2*13.4 + 8.3 + 43.0) / 8 = 161.5/8 = 20.19
    assert r.overall == 20.2
    assert r.metrics["gut_vs_evidence"].value == 79.8    # 100 [gut 5] - 20.2
    assert r.metrics["considered_vs_gut"].value == -75.0  # 25 [considered 2] - 100
    assert r.metrics["evidence_share"].value == 40.0      # 2 of 5 notes
    assert flag_ids(r) == [
        "red_flag.ignored_boundary", "red_flag.revenue_concentration", "revenue_over_quarter",
        "red_flag.evasive_budget", "red_flag.shifting_decision_makers",
        "red_flag.early_scope_creep", "gut_evidence_gap", "thin_evidence",
    ]
    assert "80 points" in flag(r, "gut_evidence_gap").reason
    assert "about 30% of our revenue" in flag(r, "revenue_over_quarter").reason
    assert "(2 of 5 notes)" in flag(r, "thin_evidence").reason


def test_example_delta_is_incomplete_and_its_stretch_is_ignored(
    ex: Exercise, example: dict[str, dict[str, Any]]
) -> None:
    r = scoring.score(ex, example["delta"])
    # motivation (2*75 + 75)/3 = 75; communication 50/4 = 12.5; risk_growth 50/4 = 12.5
    # overall (2*75 + 0 + 2*12.5 + 0 + 12.5) / 8 = 187.5/8 = 23.44
    assert r.overall == 23.4
    assert flag_ids(r) == ["gut_evidence_gap", "stretch_unsupported", "criteria_missing"]
    assert r.metrics["criteria_rated"].value == 44.4  # 4 of 9
    untouched = {c.id for c in r.completeness if c.answered == 0}
    assert {"evidence", "discussion", "agreements", "outcome"} <= untouched
    assert r.completeness_overall < 50


def test_example_fills_every_field_and_type(ex: Exercise, example: dict[str, dict[str, Any]]) -> None:
    filled = {fid for values in example.values() for fid, v in values.items()
              if scoring.is_answered(ex.field(fid), v)}
    assert filled == set(ex.fields)
    assert example["harbour"]["stretch"] == "yes" and example["delta"]["stretch"] == "yes"


# -- hand-built cases -------------------------------------------------------------------

RATIONALE = "We have never run a retail pilot; this one teaches us how retailers buy."
CONDITIONS = [{"text": "Stop after the pilot if a second boundary is crossed.", "owner": "Priya"}]
ALL_FIVES = {fid: 5 for fid in (
    "shared_motivation", "culture_fit", "decision_access", "budget_clarity", "timeline_realism",
    "communication_quality", "boundary_respect", "win_win", "growth_potential",
)}
PERFECT = {
    **ALL_FIVES,
    "good_signals": ["respects_boundaries", "professional_polite", "asks_for_help",
                     "raises_doubts_openly", "we_attitude", "constructive_feedback",
                     "sense_of_humour"],
    "red_flags": [],
    "revenue_share": 5,
    "stakeholders_met": ["budget_holder", "champion", "end_users"],
    "negotiation_style": "collaborating",
    "win_win_signs": ["asked_our_success", "traded_concessions", "shared_success_criteria",
                      "committed_own_people", "accepted_phased_start"],
}

# (case id, answers, expected): expected keys are overall, dims (a subset), metrics (a
# subset), flags (exact ids), reasons (flag id -> text it contains), recommendation,
# advice (ids that must be among the advice).
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "gut_gap_by_hand",
        # motivation (2*100 + 100)/3 = 100; overall 2*100/8 = 25.0; gap 100 [gut 5] - 25 = 75
        {"gut_call": 5, "shared_motivation": 5, "culture_fit": 5},
        {"overall": 25.0, "metrics": {"gut_vs_evidence": 75.0}, "reasons": {"gut_evidence_gap": "is 75 points"},
         "recommendation": "decline", "advice": ["test_gut", "finish_criteria"]},
    ),
    (
        "gut_pessimistic",
        # motivation 100, communication (100 + 100 + 2*100)/4 = 100; overall (200 + 200)/8 = 50
        # gap 0 [gut 1] - 50 = -50; >= 40 and no knockout: pursue with boundaries
        {"gut_call": 1, "shared_motivation": 5, "culture_fit": 5, "communication_quality": 5,
         "boundary_respect": 5, "good_signals": PERFECT["good_signals"]},
        {"overall": 50.0, "dims": {"communication": 100.0}, "metrics": {"gut_vs_evidence": -50.0},
         "reasons": {"gut_evidence_gap": "is -50 points"},
         "recommendation": "pursue_with_boundaries", "advice": ["trust_evidence"]},
    ),
    (
        "gut_matches_evidence",
        # overall 25 (as above); gap 25 [gut 2] - 25 = 0: no flag
        {"gut_call": 2, "shared_motivation": 5, "culture_fit": 5},
        {"overall": 25.0, "metrics": {"gut_vs_evidence": 0.0}, "flags": ["criteria_missing"],
         "recommendation": "decline"},
    ),
    (
        "gap_exactly_25",
        # overall 25; gap 50 [gut 3] - 25 = 25: "ge 25" holds
        {"gut_call": 3, "shared_motivation": 5, "culture_fit": 5},
        {"metrics": {"gut_vs_evidence": 25.0}, "flags": ["gut_evidence_gap", "criteria_missing"]},
    ),
    (
        "considered_metrics",
        # motivation (2*75 + 0)/3 = 50; overall 2*50/8 = 12.5
        # considered_vs_gut 75 - 25 = 50; considered_vs_evidence 75 - 12.5 = 62.5;
        # gut_vs_evidence 25 - 12.5 = 12.5 (no flag)
        {"gut_call": 2, "considered_rating": 4, "shared_motivation": 4, "culture_fit": 1},
        {"overall": 12.5, "metrics": {"considered_vs_gut": 50.0, "considered_vs_evidence": 62.5,
                                      "gut_vs_evidence": 12.5},
         "flags": ["criteria_missing"]},
    ),
    (
        "discussion_did_not_move",
        # overall 25; gut and considered both 5: gap 75, considered_vs_gut 0
        {"gut_call": 5, "considered_rating": 5, "shared_motivation": 5, "culture_fit": 5},
        {"metrics": {"considered_vs_gut": 0.0}, "advice": ["discussion_stuck", "test_gut"]},
    ),
    (
        "outcome_metrics",
        # overall 25; gut_vs_outcome 100 - 25 [satisfaction 2] = 75; evidence_vs_outcome 25 - 25 = 0
        {"gut_call": 5, "outcome_satisfaction": 2, "shared_motivation": 5, "culture_fit": 5},
        {"metrics": {"gut_vs_outcome": 75.0, "evidence_vs_outcome": 0.0}},
    ),
    (
        "revenue_share_30_is_a_knockout",
        # risk_growth (0 + 0 [red flags unanswered] + 40 [50 - 50*5/25]) / 4 = 10.0
        {"revenue_share": 30},
        {"dims": {"risk_growth": 10.0}, "flags": ["revenue_over_quarter", "criteria_missing"],
         "reasons": {"revenue_over_quarter": "about 30% of our revenue"},
         "recommendation": "decline_knockout", "advice": ["limit_dependence"]},
    ),
    (
        "revenue_share_25_is_not",
        # piecewise at 25 = 50: risk_growth 50/4 = 12.5; "gt 25" does not hold
        {"revenue_share": 25},
        {"dims": {"risk_growth": 12.5}, "flags": ["criteria_missing"], "recommendation": "decline"},
    ),
    (
        "revenue_concentration_ticked_without_a_number",
        {"red_flags": ["revenue_concentration"]},
        {"flags": ["red_flag.revenue_concentration", "criteria_missing"],
         "recommendation": "decline_knockout"},
    ),
    (
        "stretch_overrides_knockouts",
        {"red_flags": ["ignored_boundary"], "revenue_share": 40, "stretch": "yes",
         "stretch_rationale": RATIONALE, "stretch_conditions": CONDITIONS},
        {"flags": ["red_flag.ignored_boundary", "revenue_over_quarter", "criteria_missing"],
         "recommendation": "stretch", "advice": ["stretch_review"]},
    ),
    (
        "stretch_without_rationale_is_ignored",
        {"red_flags": ["ignored_boundary"], "stretch": "yes", "stretch_conditions": CONDITIONS},
        {"flags": ["red_flag.ignored_boundary", "stretch_unsupported", "criteria_missing"],
         "reasons": {"stretch_unsupported": "chose \"Yes: we take it on deliberately"},
         "recommendation": "decline_knockout"},
    ),
    (
        "stretch_without_conditions_is_ignored",
        {"red_flags": ["ignored_boundary"], "stretch": "yes", "stretch_rationale": RATIONALE},
        {"flags": ["red_flag.ignored_boundary", "stretch_unsupported", "criteria_missing"],
         "recommendation": "decline_knockout"},
    ),
    (
        "stretch_alone_falls_to_the_evidence",
        {"stretch": "yes"},
        {"overall": 0.0, "flags": ["stretch_unsupported", "criteria_missing"], "recommendation": "decline"},
    ),
    (
        "no_stretch_with_a_knockout_declines",
        {"red_flags": ["ignored_boundary"], "stretch": "no", "stretch_rationale": RATIONALE,
         "stretch_conditions": CONDITIONS},
        {"flags": ["red_flag.ignored_boundary", "criteria_missing"], "recommendation": "decline_knockout"},
    ),
    (
        "perfect_client_pursue",
        # every item 100: overall 100; the conditions and advice stay quiet
        PERFECT,
        {"overall": 100.0, "flags": [], "recommendation": "pursue",
         "metrics": {"criteria_rated": 100.0}},
    ),
    (
        "a_warning_blocks_pursue",
        # risk_growth (100 + 2*(100 - 14.29) + 100)/4 = 371.43/4 = 92.86
        # overall (200 + 200 + 200 + 100 + 92.9)/8 = 792.9/8 = 99.11
        {**PERFECT, "red_flags": ["vague_communication"]},
        {"overall": 99.1, "dims": {"risk_growth": 92.9}, "flags": ["red_flag.vague_communication"],
         "recommendation": "pursue_with_boundaries"},
    ),
    (
        "red_flags_not_checked_blocks_pursue",
        # risk_growth (100 + 0 [unanswered] + 100)/4 = 50.0
        {k: v for k, v in PERFECT.items() if k != "red_flags"},
        {"dims": {"risk_growth": 50.0}, "recommendation": "pursue_with_boundaries"},
    ),
    (
        "no_first_reaction",
        {"considered_rating": 4},
        {"flags": ["criteria_missing", "no_first_reaction"],
         "metrics": {"considered_vs_gut": None, "considered_vs_evidence": 75.0}},
    ),
    (
        "thin_evidence",
        {**ALL_FIVES, "evidence_notes": [
            {"text": "Their COO joined the second call", "tags": {"basis": "observed"}},
            {"text": "Budget is probably approved", "tags": {"basis": "assumed"}},
            {"text": "They will renew", "tags": {"basis": "assumed"}},
        ]},
        {"metrics": {"evidence_share": 33.3}, "flags": ["thin_evidence"],
         "reasons": {"thin_evidence": "Only 33% of the evidence notes were observed or heard (1 of 3 notes)"},
         "advice": ["check_assumptions"]},
    ),
    (
        "criteria_missing_lists_the_blanks",
        {k: v for k, v in ALL_FIVES.items() if k not in ("budget_clarity", "win_win")},
        {"metrics": {"criteria_rated": 77.8}, "flags": ["criteria_missing"],
         "reasons": {"criteria_missing": "78% of the nine criteria were rated (missing: Budget clarity; missing: Win-win attitude)"}},
    ),
    (
        "low_access_and_budget_advice",
        {"decision_access": 1, "budget_clarity": 2},
        {"advice": ["reach_decision_maker", "name_budget", "write_boundaries", "record_outcome"]},
    ),
]


@pytest.mark.parametrize(("answers", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hand_built_cases(ex: Exercise, answers: dict[str, Any], expected: dict[str, Any]) -> None:
    r = run(ex, answers)
    if "overall" in expected:
        assert r.overall == expected["overall"]
    for dim_id, value in expected.get("dims", {}).items():
        assert dims(r)[dim_id] == value, dim_id
    for metric_id, value in expected.get("metrics", {}).items():
        assert r.metrics[metric_id].value == value, metric_id
    if "flags" in expected:
        assert sorted(flag_ids(r)) == sorted(expected["flags"])
    for flag_id, text in expected.get("reasons", {}).items():
        assert text in flag(r, flag_id).reason, flag(r, flag_id).reason
    if "recommendation" in expected:
        assert r.recommendation.id == expected["recommendation"]
    advice = [a.id for a in r.advice]
    for advice_id in expected.get("advice", []):
        assert advice_id in advice


def test_cases_cover_every_metric_flag_and_recommendation(ex: Exercise) -> None:
    results = [run(ex, answers) for _, answers, _ in CASES]
    metrics = {m for r in results for m, v in r.metrics.items() if v.value is not None}
    flags = {f.id.split(".")[0] for r in results for f in r.flags}
    recommendations = {r.recommendation.id for r in results}
    assert metrics == {m.id for m in ex.metrics}
    assert flags == {f.id for f in ex.flags}
    assert recommendations == {r.id for r in ex.recommendations}


@pytest.mark.parametrize("breed", ["pit_bull", "golden_retriever", "poodle", "chihuahua", "basset_hound"])
def test_persona_tags_change_nothing(ex: Exercise, breed: str) -> None:
    base = {"gut_call": 4, "shared_motivation": 4, "red_flags": ["blames_partners"]}
    plain = run(ex, base)
    tagged = run(ex, {**base, "client_breed": breed, "seller_breed": breed})
    assert tagged.overall == plain.overall
    assert tagged.dimensions == plain.dimensions
    assert tagged.metrics == plain.metrics
    assert tagged.flags == plain.flags
    assert tagged.recommendation == plain.recommendation
    assert tagged.advice == plain.advice


def test_empty_answers(ex: Exercise) -> None:
    r = scoring.score(ex, {})
    assert r.overall == 0.0
    assert r.band.id == "poor_fit"
    assert all(d.score == 0.0 and d.answered == 0.0 for d in r.dimensions)
    assert r.completeness_overall == 0.0
    assert r.recommendation.id == "decline"
    assert flag_ids(r) == ["criteria_missing"]
    assert r.metrics["criteria_rated"].value == 0.0
    assert all(m.value is None for k, m in r.metrics.items() if k != "criteria_rated")
