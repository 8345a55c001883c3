"""Client-fit assessment (version 2): the definition, the Acme example and hand-worked cases.

Every number below was worked out by hand from playbook/content/fit_assessment.yml, not
read back from the engine. Scales count 0-100 (1 = 0, 2 = 25, 3 = 50, 4 = 75, 5 = 100).
Blank is unknown: an unanswered item is left out. Each item weighs (dimension weight / 8)
x (item weight / the dimension's item weights); in 96ths of the overall:

    motivation     shared_motivation 16, culture_fit 8
    commercial     budget_clarity 6, timeline_realism 6, decision_access 6, stakeholders_met 6
    communication  communication_quality 6, boundary_respect 6, good_signals 12
    partnership    win_win 4, negotiation_style 4, win_win_signs 4
    risk_growth    growth_potential 3, red_flags 6, revenue_share 3

The nine criteria weigh 61, the rest ("ticks") 35. overall = sum(weight x score) / (sum of
the answered weights), rounded once to 0.1 (halves up); answered = answered weights / 96.

    stakeholders_met   budget holder, champion, end users met, out of 3
    good_signals       share of 7; win_win_signs share of 5; red_flags 100 - share of 7
    negotiation_style  collaborating 100, compromising 75, accommodating 50, competing 25
    revenue_share      0-10% 100, then straight to 25% = 50 and 50% = 0

Caps: a criterion without a heard or observed note with a source behind it (dated no later
than the workshop, 2026-11-18) counts at most 50 ("unbacked"); without real contact (a
meeting held and a stage other than prospect) stakeholders, signals, style, win-win signs
and red flags count at most 50 ("no_contact"). The revenue share is never capped.

Recommendations, first match: finish_knockout, finish (fewer than 6 of 9 criteria rated, or
under 60% answered), decline_dependence, find_out (no sourced note, no backed rating, or no
contact with a score of 40 or more), decline_boundary, pursue, pursue_with_boundaries,
decline; then a stretch may replace decline or decline_boundary only.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from playbook import answers as answers_mod
from playbook import scoring, workshop
from playbook.model import exercises
from playbook.model.exercises import Condition, Exercise
from playbook.scoring import Result

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "playbook" / "content" / "fit_assessment.yml"
EXAMPLE = ROOT / "examples" / "acme"
ID = "fit_assessment"
WORKSHOP_DAY = dt.date(2026, 11, 18)


@pytest.fixture(scope="module")
def ex() -> Exercise:
    return exercises.load_file(DEFINITION)


@pytest.fixture(scope="module")
def example() -> dict[str, dict[str, Any]]:
    teams = [t.id for t in workshop.load(EXAMPLE / "workshop.yml").teams]
    loaded = answers_mod.load_file(EXAMPLE / "answers" / f"{ID}.yml", teams=teams)
    return {team: per_ex[ID] for team, per_ex in loaded.items()}


@pytest.fixture(scope="module")
def acme_context() -> scoring.Context:
    return workshop.Folder(EXAMPLE).scoring_context(ID)


def run(ex: Exercise, raw: dict[str, Any], settings: dict[str, float] | None = None) -> Result:
    """Validate like the loader does, then score as on the workshop day."""
    context = scoring.Context(as_of=WORKSHOP_DAY, settings=settings or {})
    return scoring.score(ex, answers_mod.check(ex, raw), context)


def flag_ids(result: Result) -> list[str]:
    return [f.id for f in result.flags]


def flag(result: Result, flag_id: str) -> scoring.FlagResult:
    return next(f for f in result.flags if f.id == flag_id)


def dims(result: Result) -> dict[str, float | None]:
    return {d.id: d.score for d in result.dimensions}


def advice_ids(result: Result) -> list[str]:
    return [a.id for a in result.advice]


def probes(ex: Exercise, *criteria: str) -> list[str]:
    return [ex.field(c).probe or "" for c in criteria]


# -- the definition ---------------------------------------------------------------------


def test_definition_loads_and_is_bundled(ex: Exercise) -> None:
    assert exercises.get(ID) == ex
    assert ex.id == ID and ex.version == 2
    assert [b.min for b in ex.rubric.bands] == [0, 40, 70]
    assert [b.id for b in ex.rubric.bands] == ["poor_fit", "conditional_fit", "strong_fit"]
    assert ex.rubric.incomplete is not None and ex.rubric.incomplete.id == "too_early"
    assert ex.rubric.min_answered == 60
    assert 4 <= len(ex.rubric.dimensions) <= 6
    assert ex.step_minutes <= ex.run_minutes
    assert [r.id for r in ex.recommendations] == [
        "finish_knockout", "finish", "decline_dependence", "find_out", "decline_boundary",
        "pursue", "pursue_with_boundaries", "decline", "stretch",
    ]
    plain = [r for r in ex.recommendations if not r.overrides]
    assert plain[-1].id == "decline" and plain[-1].when is None
    stretch = next(r for r in ex.recommendations if r.id == "stretch")
    assert stretch.overrides == ["decline", "decline_boundary"]
    assert [s.id for s in ex.settings] == ["revenue_ceiling"]
    assert ex.settings[0].default == 25


def test_flow_is_gut_first_then_silent_criteria_then_discussion(ex: Exercise) -> None:
    order = [s.id for s in ex.steps]
    assert order.index("first_reaction") < order.index("rate_criteria") < order.index("ask_and_reconsider")
    assert order.index("ask_and_reconsider") < order.index("close")
    modes = {s.id: s.mode for s in ex.steps}
    assert modes["first_reaction"] == modes["rate_criteria"] == "silent"
    for step in ex.steps:
        assert step.facilitator_notes, step.id
        assert "facilitator" not in step.instructions.lower(), step.id
        assert "7 seconds" not in step.instructions, step.id
    steps = {s.id: s for s in ex.steps}
    assert "within seconds" in steps["first_reaction"].facilitator_notes
    assert "Willis and Todorov" in steps["first_reaction"].facilitator_notes
    # the gut call stays sealed until the close; spreads are recorded, not averaged
    assert "keep it folded until the end" in steps["first_reaction"].instructions
    assert "open the folded gut-call cards" in steps["close"].instructions
    assert "lowest and the highest" in steps["rate_criteria"].instructions
    assert "Do not average" in steps["rate_criteria"].instructions
    assert "leave it blank rather than guess" in steps["rate_criteria"].instructions


def test_field_types_used(ex: Exercise) -> None:
    types = {f.type for f in ex.fields.values()}
    assert types == {"short_text", "long_text", "scale", "single_choice", "multi_choice",
                     "checklist", "notes", "number", "matrix"}


def _referenced_fields(ex: Exercise) -> set[str]:
    """Every field id that a rubric item, cap, metric, flag, recommendation or advice reads."""
    names: set[str] = set()
    for dim in ex.rubric.dimensions:
        names |= {i.field for i in dim.items if i.field}
    for m in ex.metrics:
        names |= {x for x in (m.field, m.other) if x} | set(m.fields or [])
        names |= {op.field for op in (m.a, m.b) if op is not None and op.field}
    conds: list[Condition] = [f.when for f in ex.flags if f.when]
    conds += [r.when for r in (*ex.recommendations, *ex.advice) if r.when]
    conds += [c.unless for c in ex.rubric.caps if c.unless]
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
    r = run(ex, {**MET, "red_flags": [option]})
    f = flag(r, f"red_flag.{option}")
    assert f.severity == severity
    assert f.label == ex.field("red_flags").option(option).label
    assert f.reason.startswith(f"Red flag: {f.label}. ")
    # only the red flags are answered in risk_growth: 100 - 100/7 = 85.71
    assert dims(r)["risk_growth"] == 85.7
    # nothing rated: finish the assessment, never decline; a knockout is named
    assert r.recommendation.id == ("finish_knockout" if severity == "knockout" else "finish")


@pytest.mark.parametrize(
    ("style", "partnership"),
    [("collaborating", 100.0), ("compromising", 75.0), ("accommodating", 50.0), ("competing", 25.0),
     ("avoiding", 0.0)],
)
def test_negotiation_style_scores_collaborating_highest(ex: Exercise, style: str, partnership: float) -> None:
    # the only answered partnership item, after a meeting (so the no-contact cap stays off)
    assert dims(run(ex, {**MET, "negotiation_style": style}))["partnership"] == partnership


def test_negotiation_style_without_contact_counts_half(ex: Exercise) -> None:
    r = run(ex, {"negotiation_style": "collaborating"})  # meetings unknown: capped at 50
    assert dims(r)["partnership"] == 50.0
    assert [c.id for c in r.caps] == ["no_contact"]


def test_bands_never_say_pursue_or_decline(ex: Exercise) -> None:
    """The band describes what was rated; only the recommendation says what to do."""
    assert ex.rubric.incomplete is not None
    for band in (*ex.rubric.bands, ex.rubric.incomplete):
        text = f"{band.label} {band.summary}".lower()
        assert not re.search(r"\b(pursu|declin)", text), band.id


# -- the Acme example, scored with the workshop's context (2026-11-18) -----------------------


@pytest.mark.parametrize(
    ("team", "band", "base", "recommendation"),
    [
        ("north", "strong_fit", "pursue", "pursue"),
        ("harbour", "conditional_fit", "decline_boundary", "stretch"),
        ("summit", "poor_fit", "decline_dependence", "decline_dependence"),
        ("delta", "too_early", "finish", "finish"),
    ],
)
def test_example_bands_and_recommendations(
    ex: Exercise, example: dict[str, dict[str, Any]], acme_context: scoring.Context,
    team: str, band: str, base: str, recommendation: str,
) -> None:
    r = scoring.score(ex, example[team], acme_context)
    assert (r.band.id, r.base_recommendation, r.recommendation.id) == (band, base, recommendation)


def test_example_context_is_the_workshop_day(acme_context: scoring.Context) -> None:
    assert acme_context.as_of == WORKSHOP_DAY
    assert dict(acme_context.settings) == {}  # the default ceiling, 25%


def test_example_north_by_hand(ex: Exercise, example: dict[str, dict[str, Any]],
                               acme_context: scoring.Context) -> None:
    r = scoring.score(ex, example["north"], acme_context)
    # Eight notes heard or observed, with a source and dated before the workshop, back
    # eight criteria; growth potential rests on an assumed note, so its 4 counts as 50.
    assert dims(r) == {
        "motivation": 91.7,      # (16*100 [5] + 8*75 [4]) / 24 = 2200/24 = 91.67
        # (6*75 [budget 4] + 6*75 [timeline 4] + 6*100 [access 5] + 6*100 [3 of 3 roles]) / 24
        # = 2100/24 = 87.5
        "commercial": 87.5,
        # (6*100 [communication 5] + 6*75 [boundaries 4] + 12*85.71 [6 of 7 signals]) / 24
        # = 2078.57/24 = 86.61
        "communication": 86.6,
        "partnership": 85.0,     # (4*75 [win-win 4] + 4*100 [collaborating] + 4*80 [4 of 5]) / 12
        # (3*50 [growth 4, capped] + 6*100 [no red flags] + 3*93.33 [12%: 100 - 50*2/15]) / 12
        # = 1030/12 = 85.83
        "risk_growth": 85.8,
    }
    # 2200 + 2100 + 2078.57 + 1020 + 1030 = 8428.57; / 96 = 87.80
    assert r.overall == 87.8
    assert r.answered == 100.0
    assert {k: m.value for k, m in r.metrics.items()} == {
        "gut_vs_evidence": -12.8,        # 75 [gut 4] - 87.8
        "considered_vs_gut": 25.0,       # 100 [considered 5] - 75
        "considered_vs_evidence": 12.2,  # 100 - 87.8
        # (100 + 75 + 100 + 75 + 75 + 100 + 75 + 75 + 75) / 9 = 750/9, before any cap
        "criteria_mean": 83.3,
        "criteria_rated": 100.0,         # 9 of 9
        "answered": 100.0,
        "evidence_share": 88.9,          # 8 of 9 notes heard or observed with a source
        "sourced_evidence": 100.0,       # 8 sourced notes, three make 100
        "backed_criteria": 88.9,         # 8 of 9 rated criteria
        "wide_spreads": 2.0,             # timeline 3 to 5, growth 3 to 5
        "spread_contradictions": 0.0,    # every agreed rating lies within its cards
        "gut_vs_outcome": 0.0,           # 75 - 75 [satisfaction 4]
        "evidence_vs_outcome": 12.8,     # 87.8 - 75
    }
    assert flag_ids(r) == ["unbacked_ratings", "wide_spread"]
    assert "not backed: Growth potential" in flag(r, "unbacked_ratings").reason
    assert "Timeline realism: 3 to 5; Growth potential: 3 to 5" in flag(r, "wide_spread").reason
    assert [(c.id, c.items) for c in r.caps] == [("unbacked", ["Growth potential"])]
    assert advice_ids(r) == ["back_ratings", "discuss_spreads"]
    assert r.completeness_overall == 100.0


def test_example_harbour_by_hand(ex: Exercise, example: dict[str, dict[str, Any]],
                                 acme_context: scoring.Context) -> None:
    r = scoring.score(ex, example["harbour"], acme_context)
    # Six criteria backed; timeline (2), communication (3) and culture (3) are not, but none
    # is above 3, so the cap lowers nothing.
    assert dims(r) == {
        "motivation": 66.7,      # (16*75 + 8*50) / 24 = 1600/24
        # (6*50 [budget 3] + 6*25 [timeline 2] + 6*50 [access 3] + 6*66.67 [2 of 3 roles]) / 24
        # = 1150/24 = 47.92
        "commercial": 47.9,
        # (6*50 + 6*25 + 12*57.14 [4 of 7 signals]) / 24 = 1135.71/24 = 47.32
        "communication": 47.3,
        "partnership": 55.0,     # (4*50 + 4*75 [compromising] + 4*40 [2 of 5]) / 12 = 660/12
        # (3*100 [growth 5] + 6*71.43 [2 of 7 red flags] + 3*100 [4%]) / 12 = 1028.57/12
        "risk_growth": 85.7,
    }
    # 1600 + 1150 + 1135.71 + 660 + 1028.57 = 5574.29; / 96 = 58.07
    assert r.overall == 58.1
    values = {k: m.value for k, m in r.metrics.items()}
    assert values["gut_vs_evidence"] == -8.1          # 50 [gut 3] - 58.1
    assert values["considered_vs_gut"] == 0.0         # 50 - 50
    assert values["evidence_share"] == 85.7           # 6 of 7 notes
    assert values["backed_criteria"] == 66.7          # 6 of 9
    assert values["wide_spreads"] == 2.0              # motivation 3 to 5, boundaries 1 to 4
    assert values["spread_contradictions"] == 0.0
    # the ignored boundary would decline; the written stretch case overrides it
    assert flag_ids(r) == ["red_flag.ignored_boundary", "red_flag.early_scope_creep",
                           "unbacked_ratings", "wide_spread"]
    assert [f.id for f in r.knockouts] == ["red_flag.ignored_boundary"]
    assert r.caps == []
    assert advice_ids(r) == ["back_ratings", "discuss_spreads", "match_styles", "stretch_review",
                             "record_outcome"]


def test_example_summit_by_hand(ex: Exercise, example: dict[str, dict[str, Any]],
                                acme_context: scoring.Context) -> None:
    r = scoring.score(ex, example["summit"], acme_context)
    # Backed: decision access (observed) and boundaries (heard); growth 4 is capped to 50.
    assert dims(r) == {
        "motivation": 25.0,      # (16*25 + 8*25) / 24
        "commercial": 8.3,       # (0 + 0 + 0 + 6*33.33 [only the champion]) / 24 = 200/24
        "communication": 13.4,   # (6*25 + 0 + 12*14.29 [1 of 7 signals]) / 24 = 321.43/24
        "partnership": 8.3,      # (0 + 4*25 [competing] + 0 [no signs]) / 12 = 100/12
        # (3*50 [growth 4, capped] + 6*28.57 [5 of 7 red flags] + 3*40 [30%]) / 12 = 441.43/12
        "risk_growth": 36.8,
    }
    # 600 + 200 + 321.43 + 100 + 441.43 = 1662.86; / 96 = 17.32
    assert r.overall == 17.3
    values = {k: m.value for k, m in r.metrics.items()}
    assert values["gut_vs_evidence"] == 82.7          # 100 [gut 5] - 17.3
    assert values["considered_vs_gut"] == -75.0       # 25 [considered 2] - 100
    assert values["evidence_share"] == 40.0           # 2 of 5 notes
    assert values["sourced_evidence"] == 66.7         # 2 of the 3 that make 100
    assert values["backed_criteria"] == 22.2          # 2 of 9
    assert values["wide_spreads"] == 3.0              # motivation 2-4, budget 1-3, growth 3-5
    assert flag_ids(r) == [
        "red_flag.ignored_boundary", "red_flag.revenue_concentration", "revenue_over_ceiling",
        "red_flag.evasive_budget", "red_flag.shifting_decision_makers",
        "red_flag.early_scope_creep", "gut_evidence_gap",
        "thin_evidence", "unbacked_ratings", "wide_spread",
    ]
    assert "is 83 points" in flag(r, "gut_evidence_gap").reason
    assert "about 30% of our revenue, above this workshop's ceiling of 25%" in flag(
        r, "revenue_over_ceiling").reason
    assert flag(r, "thin_evidence").reason.startswith("Only 40% of the evidence notes")
    assert advice_ids(r) == ["test_gut", "back_ratings", "check_assumptions", "discuss_spreads",
                             "reach_decision_maker", "name_budget", "limit_dependence",
                             "record_outcome"]


def test_example_delta_is_too_early_and_says_finish(ex: Exercise, example: dict[str, dict[str, Any]],
                                                    acme_context: scoring.Context) -> None:
    r = scoring.score(ex, example["delta"], acme_context)
    # Four criteria rated, none backed: motivation 4 and culture 4 count 50, communication 3
    # and growth 3 are 50 anyway. Answered weights 16 + 8 + 6 + 3 = 33 of 96.
    assert r.overall == 50.0
    assert r.answered == 34.4  # 33/96 = 34.38
    assert dims(r) == {"motivation": 50.0, "commercial": None, "communication": 50.0,
                       "partnership": None, "risk_growth": 50.0}
    assert r.metrics["criteria_rated"].value == 44.4  # 4 of 9
    # gut 75 - 50 = 25 would be a gap, but with 4 of 9 rated it is not raised
    assert r.metrics["gut_vs_evidence"].value == 25.0
    assert flag_ids(r) == ["stretch_unsupported", "unbacked_ratings", "criteria_missing"]
    assert [(c.id, len(c.items)) for c in r.caps] == [("unbacked", 2)]
    assert advice_ids(r) == ["finish_criteria", "back_ratings", "know_ourselves", "write_boundaries",
                             "estimate_revenue", "record_outcome"]
    untouched = {c.id for c in r.completeness if c.answered == 0}
    assert {"evidence", "discussion", "agreements", "outcome"} <= untouched


def test_example_fills_every_field_and_type(ex: Exercise, example: dict[str, dict[str, Any]]) -> None:
    filled = {fid for values in example.values() for fid, v in values.items()
              if scoring.is_answered(ex.field(fid), v)}
    assert filled == set(ex.fields)


# The issue's own cases, on copies of the Acme answers.


def test_issue_north_confident_unsourced_and_unmet(ex: Exercise, example: dict[str, dict[str, Any]],
                                                   acme_context: scoring.Context) -> None:
    """Before: 97.2, Strong fit, Pursue, and "the evidence is better than your feeling"."""
    north = example["north"]
    raw = {
        **north, **ALL_FIVES, "meetings_held": 0,
        "evidence_notes": [{"text": n["text"], "tags": {"basis": "assumed", "criterion": n["tags"]["criterion"]}}
                           for n in north["evidence_notes"]],
    }
    r = scoring.score(ex, answers_mod.check(ex, raw), acme_context)
    # criteria 61*50 [unbacked] + stakeholders 6*50 + signals 12*50 + style 4*50 + signs 4*50
    # + red flags 6*50 [no contact] + revenue 3*93.33 = 3050 + 1600 + 280 = 4930; / 96 = 51.35
    assert r.overall == 51.4
    # the band says what the recommendation says: too little rests on evidence to place it
    assert r.band.id == "too_early"
    assert r.recommendation.id == "find_out"
    assert r.recommendation.questions == probes(ex, "decision_access", "budget_clarity", "shared_motivation")
    # agreed 5 lies above the cards for culture, budget, boundaries and win-win; ongoing
    # with no meeting contradicts itself
    assert r.metrics["spread_contradictions"].value == 4.0
    assert sorted(flag_ids(r)) == sorted(["no_contact", "spread_contradiction", "stage_contradiction",
                                          "thin_evidence", "unbacked_ratings", "wide_spread"])
    assert r.metrics["gut_vs_evidence"].value == 23.6  # 75 - 51.4: under 25, no gap
    assert "trust_evidence" not in advice_ids(r)


def test_issue_harbour_stretch_never_overrides_revenue(ex: Exercise, example: dict[str, dict[str, Any]],
                                                       acme_context: scoring.Context) -> None:
    """Before: "Take as a deliberate stretch" at 60% of revenue."""
    r = scoring.score(ex, answers_mod.check(ex, {**example["harbour"], "revenue_share": 60}), acme_context)
    # harbour's 5574.29 with the revenue item at 0 instead of 100: 5274.29 / 96 = 54.94
    assert r.overall == 54.9
    assert (r.band.id, r.base_recommendation, r.recommendation.id) == (
        "conditional_fit", "decline_dependence", "decline_dependence")
    assert flag_ids(r) == ["red_flag.ignored_boundary", "revenue_over_ceiling", "red_flag.early_scope_creep",
                           "stretch_set_aside", "unbacked_ratings", "wide_spread"]
    assert "about 60% of our revenue" in flag(r, "revenue_over_ceiling").reason
    assert 'the recommendation without it is "Decline: we would depend on this client"' in flag(
        r, "stretch_set_aside").reason
    assert "stretch_review" not in advice_ids(r)


def test_issue_delta_half_done_with_a_knockout_says_finish_knockout(
    ex: Exercise, example: dict[str, dict[str, Any]], acme_context: scoring.Context,
) -> None:
    """Before: "Decline" for an honest half-done assessment."""
    r = scoring.score(ex, answers_mod.check(ex, {**example["delta"], "red_flags": ["ignored_boundary"]}),
                      acme_context)
    # delta's 33*50 plus red flags 6*85.71 [1 of 7, two meetings held]: 2164.29 / 39 = 55.49
    assert r.overall == 55.5
    assert r.answered == 40.6  # 39/96
    assert (r.band.id, r.recommendation.id) == ("too_early", "finish_knockout")
    assert flag_ids(r) == ["red_flag.ignored_boundary", "stretch_unsupported", "unbacked_ratings",
                           "criteria_missing"]


def test_delta_stretch_case_does_not_replace_finishing(ex: Exercise, example: dict[str, dict[str, Any]],
                                                       acme_context: scoring.Context) -> None:
    raw = {**example["delta"], "stretch_rationale": RATIONALE, "stretch_conditions": CONDITIONS}
    r = scoring.score(ex, answers_mod.check(ex, raw), acme_context)
    assert r.overall == 50.0
    assert (r.base_recommendation, r.recommendation.id) == ("finish", "finish")
    assert flag_ids(r) == ["stretch_set_aside", "unbacked_ratings", "criteria_missing"]
    assert 'the recommendation without it is "Finish the assessment"' in flag(r, "stretch_set_aside").reason


# -- hand-built cases -------------------------------------------------------------------

CRITERIA = (
    "shared_motivation", "culture_fit", "decision_access", "budget_clarity", "timeline_realism",
    "communication_quality", "boundary_respect", "win_win", "growth_potential",
)
ALL_FIVES = dict.fromkeys(CRITERIA, 5)
RATIONALE = "We have never run a retail pilot; this one teaches us how retailers buy."
CONDITIONS = [{"text": "Stop after the pilot if a second boundary is crossed.", "owner": "Priya",
               "check_by": "2026-12-18"}]
STRETCH = {"stretch": "yes", "stretch_rationale": RATIONALE, "stretch_conditions": CONDITIONS}


def note(criterion: str, basis: str = "heard", source: str | None = "Their operations lead, call 2",
         date: str | None = "2026-11-02", text: str | None = None) -> dict[str, Any]:
    n: dict[str, Any] = {"text": text or f"What we learnt about {criterion.replace('_', ' ')}",
                         "tags": {"basis": basis, "criterion": criterion}}
    if source is not None:
        n["source"] = source
    if date is not None:
        n["date"] = date
    return n


def rated(value: int, *criteria: str) -> dict[str, int]:
    return dict.fromkeys(criteria or CRITERIA, value)


def without(answers: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in answers.items() if k not in keys}


MET = {"stage": "discovery", "meetings_held": 3}
BACKED = [note(c) for c in CRITERIA]
# every "tick" at 100: 35 weights
TICKS = {
    "stakeholders_met": ["budget_holder", "champion", "end_users"],
    "good_signals": ["respects_boundaries", "professional_polite", "asks_for_help", "raises_doubts_openly",
                     "we_attitude", "constructive_feedback", "sense_of_humour"],
    "red_flags": [],
    "revenue_share": 5,
    "negotiation_style": "collaborating",
    "win_win_signs": ["asked_our_success", "traded_concessions", "shared_success_criteria",
                      "committed_own_people", "accepted_phased_start"],
}
# honest ticks for a weak client: champion only 6*33.33 = 200, no signals 0, competing 4*25
# = 100, no signs 0, no red flags 6*100 = 600, 5% 3*100 = 300; 1200 over 35 weights
WEAK_TICKS = {
    "stakeholders_met": ["champion"], "good_signals": [], "red_flags": [], "revenue_share": 5,
    "negotiation_style": "competing", "win_win_signs": [],
}
PERFECT = {**MET, **ALL_FIVES, **TICKS, "evidence_notes": BACKED}
WEAK = {**MET, **rated(1), **WEAK_TICKS, "evidence_notes": BACKED}
FIRST_THREE = ("decision_access", "budget_clarity", "shared_motivation")


class Case(NamedTuple):
    id: str
    answers: dict[str, Any]
    # overall, answered, band, base, recommendation, flags (exact set), metrics, dims (subsets),
    # questions (criteria whose probes, in order), caps (id -> items lowered), reasons (flag
    # id -> text in it), advice (must appear), not_advice (must not appear)
    expected: dict[str, Any]
    settings: dict[str, float] = {}


CASES: list[Case] = [
    Case("perfect_client_pursue", PERFECT, {
        # every item 100
        "overall": 100.0, "answered": 100.0, "band": "strong_fit", "recommendation": "pursue", "flags": [],
        "metrics": {"evidence_share": 100.0, "sourced_evidence": 100.0, "backed_criteria": 100.0,
                    "criteria_rated": 100.0},
        "advice": ["know_ourselves", "write_boundaries", "record_outcome"], "not_advice": ["trust_evidence"],
    }),
    Case("note_dated_on_the_workshop_day_counts",
         {**PERFECT, "evidence_notes": [note(c, date="2026-11-18") for c in CRITERIA]}, {
             "overall": 100.0, "recommendation": "pursue", "flags": [],
             "metrics": {"evidence_share": 100.0, "backed_criteria": 100.0},
         }),

    # -- confident but unsourced ----------------------------------------------------------
    Case("all_fives_heard_without_a_source",
         {**PERFECT, "evidence_notes": [note(c, source=None) for c in CRITERIA]}, {
             # criteria 61*50 [unbacked] + ticks 35*100 = 6550; / 96 = 68.23
             "overall": 68.2, "band": "too_early", "recommendation": "find_out",
             "questions": FIRST_THREE, "flags": ["thin_evidence", "unbacked_ratings"],
             "metrics": {"evidence_share": 0.0, "sourced_evidence": 0.0, "backed_criteria": 0.0},
             "dims": {"motivation": 50.0, "commercial": 62.5}, "caps": {"unbacked": 9},
             "advice": ["back_ratings", "check_assumptions"],
         }),
    Case("all_fives_observed_without_a_source_or_date",
         {**PERFECT, "evidence_notes": [note(c, basis="observed", source=None, date=None) for c in CRITERIA]}, {
             "overall": 68.2, "recommendation": "find_out", "questions": FIRST_THREE,
             "flags": ["thin_evidence", "unbacked_ratings"], "caps": {"unbacked": 9},
         }),
    Case("all_fives_assumed", {**PERFECT, "evidence_notes": [note(c, basis="assumed") for c in CRITERIA]}, {
        # an assumption with a source is still an assumption: as above, 68.2
        "overall": 68.2, "recommendation": "find_out", "questions": FIRST_THREE,
        "flags": ["thin_evidence", "unbacked_ratings"], "metrics": {"evidence_share": 0.0},
    }),
    Case("all_fives_assumed_and_never_met",
         {**PERFECT, "meetings_held": 0, "evidence_notes": [note(c, basis="assumed") for c in CRITERIA]}, {
             # criteria 61*50 + capped ticks 32*50 + revenue 3*100 = 4950; / 96 = 51.56
             "overall": 51.6, "band": "too_early", "recommendation": "find_out",
             "questions": FIRST_THREE, "flags": ["no_contact", "thin_evidence", "unbacked_ratings"],
             "dims": {"motivation": 50.0, "communication": 50.0, "partnership": 50.0,
                      "risk_growth": 62.5},  # (3*50 + 6*50 + 3*100) / 12
             "caps": {"unbacked": 9, "no_contact": 5},
         }),
    Case("never_met_but_every_rating_backed", {**PERFECT, "meetings_held": 0}, {
        # criteria 61*100 + capped ticks 32*50 + revenue 300 = 8000; / 96 = 83.33. The
        # criteria read strong, but nobody has spoken with the client: find out, not pursue.
        "overall": 83.3, "band": "too_early", "recommendation": "find_out", "flags": ["no_contact"],
        "caps": {"no_contact": 5}, "not_advice": ["trust_evidence"],
    }),
    Case("prospect_with_meetings_is_read_as_not_yet_met",
         {**PERFECT, "stage": "prospect",
          "evidence_notes": [note(c) for c in CRITERIA if c not in ("decision_access", "win_win")]}, {
             # access 6*50 + win-win 4*50 [unbacked] + other criteria 51*100 + capped ticks
             # 32*50 + revenue 300 = 500 + 5100 + 1600 + 300 = 7500; / 96 = 78.13
             "overall": 78.1, "band": "too_early", "recommendation": "find_out",
             "questions": ("decision_access", "win_win"),
             "flags": ["stage_contradiction", "unbacked_ratings"],
             "metrics": {"backed_criteria": 77.8},  # 7 of 9
             "caps": {"unbacked": 2, "no_contact": 5},
             "reasons": {"stage_contradiction": 'The stage says "Prospect (no real conversation yet)"'},
         }),
    Case("ongoing_without_a_meeting", {**PERFECT, "stage": "ongoing", "meetings_held": 0}, {
        "overall": 83.3, "recommendation": "find_out", "flags": ["no_contact", "stage_contradiction"],
        "reasons": {"stage_contradiction": 'The stage says "Ongoing (at least one phase finished)"'},
    }),
    Case("notes_dated_after_the_workshop",
         {**PERFECT, "evidence_notes": [note(c, date="2026-12-01") for c in CRITERIA]}, {
             # a date after the workshop is a typo or a guess: no note counts, as above 68.2
             "overall": 68.2, "recommendation": "find_out", "questions": FIRST_THREE,
             "flags": ["thin_evidence", "unbacked_ratings"],
             "metrics": {"evidence_share": 0.0, "sourced_evidence": 0.0, "backed_criteria": 0.0},
         }),
    Case("assumptions_only_never_declines",
         {**WEAK, "evidence_notes": [note(c, basis="assumed") for c in CRITERIA]}, {
             # criteria all 0 (nothing above 50 to cap) + weak ticks 1200; / 96 = 12.5
             "overall": 12.5, "band": "too_early", "recommendation": "find_out", "questions": FIRST_THREE,
             "flags": ["thin_evidence", "unbacked_ratings"], "caps": {},
         }),
    Case("find_out_skips_what_is_backed",
         {**PERFECT, "meetings_held": 0,
          "evidence_notes": [note("decision_access")]
          + [note(c, basis="assumed") for c in CRITERIA if c != "decision_access"]}, {
             # access 6*100 + other criteria 55*50 + capped ticks 1600 + revenue 300 = 5250;
             # / 96 = 54.69
             "overall": 54.7, "recommendation": "find_out",
             "questions": ("budget_clarity", "shared_motivation", "timeline_realism"),
             "flags": ["no_contact", "thin_evidence", "unbacked_ratings"],
             "metrics": {"evidence_share": 11.1, "backed_criteria": 11.1},  # 1 of 9 each
         }),

    # -- half-finished --------------------------------------------------------------------
    Case("five_of_nine_rated_says_finish", without(WEAK, "communication_quality", "boundary_respect",
                                                   "win_win", "growth_potential"), {
        # rated weights 16+8+6+6+6 = 42 at 0, weak ticks 1200 over 35: 1200/77 = 15.58;
        # answered 77/96 = 80.21
        "overall": 15.6, "answered": 80.2, "band": "too_early", "recommendation": "finish",
        "flags": ["criteria_missing"], "metrics": {"criteria_rated": 55.6},
        "advice": ["finish_criteria"],
    }),
    Case("six_of_nine_rated_can_decline", without(WEAK, "boundary_respect", "win_win", "growth_potential"), {
        # + communication 6 at 0: 1200/83 = 14.46; answered 83/96 = 86.46
        "overall": 14.5, "answered": 86.5, "band": "poor_fit", "recommendation": "decline",
        "flags": ["criteria_missing"], "metrics": {"criteria_rated": 66.7},
    }),
    Case("five_rated_with_an_ignored_boundary",
         {**without(WEAK, "communication_quality", "boundary_respect", "win_win", "growth_potential"),
          "red_flags": ["ignored_boundary"]}, {
             # red flags 6*85.71 = 514.29 instead of 600: 1114.29/77 = 14.47
             "overall": 14.5, "recommendation": "finish_knockout",
             "flags": ["red_flag.ignored_boundary", "criteria_missing"],
         }),
    Case("five_rated_over_the_revenue_ceiling",
         {**without(WEAK, "communication_quality", "boundary_respect", "win_win", "growth_potential"),
          "revenue_share": 30}, {
             # revenue 3*40 = 120 instead of 300: 1020/77 = 13.25
             "overall": 13.2, "recommendation": "finish_knockout",
             "flags": ["revenue_over_ceiling", "criteria_missing"],
         }),
    Case("six_criteria_and_nothing_else_says_finish",
         {**rated(3, *CRITERIA[:6]), "evidence_notes": BACKED}, {
             # 6 of 9 rated, but only 48 of 96 answered: under 60%
             "overall": 50.0, "answered": 50.0, "band": "too_early", "recommendation": "finish",
             "flags": ["criteria_missing"], "metrics": {"criteria_rated": 66.7},
         }),
    Case("nothing_answered", {}, {
        "overall": None, "answered": 0.0, "band": "too_early", "recommendation": "finish",
        "flags": ["criteria_missing"], "metrics": {"criteria_rated": 0.0, "evidence_share": None,
                                                   "sourced_evidence": 0.0, "backed_criteria": None},
    }),

    # -- contradictions ---------------------------------------------------------------------
    Case("agreed_rating_outside_the_cards",
         {**PERFECT, "criteria_spread": {"shared_motivation": {"lowest": "two", "highest": "three"}}}, {
             # every item still 100; the record contradicts itself, so no plain "pursue"
             "overall": 100.0, "recommendation": "pursue_with_boundaries", "flags": ["spread_contradiction"],
             "metrics": {"spread_contradictions": 1.0, "wide_spreads": 0.0},
             "reasons": {"spread_contradiction": "Shared motivation: agreed 5 outside 2 to 3"},
         }),
    Case("lowest_card_above_highest",
         {**PERFECT, "criteria_spread": {"culture_fit": {"lowest": "five", "highest": "three"}}}, {
             "overall": 100.0, "recommendation": "pursue_with_boundaries", "flags": ["spread_contradiction"],
             "reasons": {"spread_contradiction": "Culture and values: lowest above highest (5 to 3)"},
         }),
    Case("wide_spread_is_information_not_a_veto",
         {**PERFECT, "criteria_spread": {"culture_fit": {"lowest": "three", "highest": "five"}}}, {
             "overall": 100.0, "recommendation": "pursue", "flags": ["wide_spread"],
             "metrics": {"wide_spreads": 1.0, "spread_contradictions": 0.0},
             "reasons": {"wide_spread": "Culture and values: 3 to 5"}, "advice": ["discuss_spreads"],
         }),
    Case("revenue_ticked_with_a_small_share", {**PERFECT, "red_flags": ["revenue_concentration"]}, {
        # the team's own tick stands (the cautious reading): red flags 6*85.71 = 514.29;
        # 9514.29 / 96 = 99.11
        "overall": 99.1, "recommendation": "decline_dependence", "flags": ["red_flag.revenue_concentration"],
    }),

    # -- gaming for points ----------------------------------------------------------------
    Case("one_note_backing_nothing", {**PERFECT, "evidence_notes": [note("general")]}, {
        "overall": 68.2, "recommendation": "find_out", "questions": FIRST_THREE, "flags": ["unbacked_ratings"],
        "metrics": {"evidence_share": 100.0, "sourced_evidence": 33.3, "backed_criteria": 0.0},
    }),
    Case("note_for_an_unrated_criterion",
         {**without(PERFECT, "growth_potential"), "evidence_notes": [note("growth_potential")]}, {
             # criteria 58*50 + ticks 3500 = 6400 over 93 answered: 68.82; answered 93/96
             "overall": 68.8, "answered": 96.9, "recommendation": "find_out", "questions": FIRST_THREE,
             "flags": ["unbacked_ratings", "criteria_missing"],
             "metrics": {"backed_criteria": 0.0, "criteria_rated": 88.9}, "caps": {"unbacked": 8},
         }),
    Case("every_box_ticked_without_a_meeting", {**TICKS, "stage": "discovery", "meetings_held": 0}, {
        # stakeholders, signals, style, signs, red flags at 50: 32*50 + revenue 300 = 1900 over
        # 35 answered: 54.29; answered 35/96 = 36.46
        "overall": 54.3, "answered": 36.5, "band": "too_early", "recommendation": "finish",
        "flags": ["no_contact", "criteria_missing"], "caps": {"no_contact": 5},
    }),
    Case("every_box_ticked_after_a_meeting", {**TICKS, **MET}, {
        "overall": 100.0, "answered": 36.5, "band": "too_early", "recommendation": "finish",
        "flags": ["criteria_missing"], "caps": {},
    }),
    Case("revenue_share_at_the_ceiling", {**PERFECT, "revenue_share": 25}, {
        # revenue 3*50: 9450 / 96 = 98.44; "gt 25" does not hold
        "overall": 98.4, "recommendation": "pursue", "flags": [], "dims": {"risk_growth": 87.5},
        "advice": ["limit_dependence"],
    }),
    Case("revenue_share_just_over_the_ceiling", {**PERFECT, "revenue_share": 25.5}, {
        # piecewise 50 - 50*0.5/25 = 49: 9300 + 147 = 9447; / 96 = 98.41
        "overall": 98.4, "band": "strong_fit", "recommendation": "decline_dependence",
        "flags": ["revenue_over_ceiling"],
        "reasons": {"revenue_over_ceiling": "about 25.5% of our revenue, above this workshop's ceiling of 25%"},
    }),
    Case("workshop_ceiling_of_20", {**PERFECT, "revenue_share": 22}, {
        # 22%: 50 + 50*3/15 = 60; 9300 + 180 = 9480; / 96 = 98.75
        "overall": 98.8, "recommendation": "decline_dependence", "flags": ["revenue_over_ceiling"],
        "reasons": {"revenue_over_ceiling": "about 22% of our revenue, above this workshop's ceiling of 20%"},
    }, {"revenue_ceiling": 20}),
    Case("workshop_ceiling_of_20_at_20", {**PERFECT, "revenue_share": 20}, {
        # 20%: 50 + 50*5/15 = 66.67; 9300 + 200 = 9500; / 96 = 98.96
        "overall": 99.0, "recommendation": "pursue", "flags": [],
    }, {"revenue_ceiling": 20}),
    Case("unknown_revenue_share_blocks_pursue", without(PERFECT, "revenue_share"), {
        # every answered item 100; 93 of 96 answered
        "overall": 100.0, "answered": 96.9, "recommendation": "pursue_with_boundaries", "flags": [],
        "advice": ["estimate_revenue"],
    }),
    Case("a_warning_blocks_pursue", {**PERFECT, "red_flags": ["vague_communication"]}, {
        "overall": 99.1, "recommendation": "pursue_with_boundaries", "flags": ["red_flag.vague_communication"],
    }),
    Case("red_flags_not_checked_blocks_pursue", without(PERFECT, "red_flags"), {
        "overall": 100.0, "answered": 93.8, "recommendation": "pursue_with_boundaries", "flags": [],
    }),

    # -- the stretch ------------------------------------------------------------------------
    Case("stretch_turns_a_decline_into_a_stretch", {**WEAK, **STRETCH}, {
        # criteria 0 + weak ticks 1200; / 96 = 12.5
        "overall": 12.5, "band": "poor_fit", "base": "decline", "recommendation": "stretch", "flags": [],
        "advice": ["stretch_review"],
    }),
    Case("stretch_turns_an_ignored_boundary_into_a_stretch",
         {**WEAK, **STRETCH, "red_flags": ["ignored_boundary"]}, {
             # red flags 514.29 instead of 600: 1114.29 / 96 = 11.61
             "overall": 11.6, "base": "decline_boundary", "recommendation": "stretch",
             "flags": ["red_flag.ignored_boundary"],
         }),
    Case("no_stretch_with_a_knockout_declines",
         {**WEAK, **STRETCH, "stretch": "no", "red_flags": ["ignored_boundary"]}, {
             "overall": 11.6, "recommendation": "decline_boundary", "flags": ["red_flag.ignored_boundary"],
         }),
    Case("stretch_never_overrides_revenue", {**WEAK, **STRETCH, "revenue_share": 40}, {
        # 40%: 50 - 50*15/25 = 20; 1200 - 300 + 60 = 960; / 96 = 10.0
        "overall": 10.0, "base": "decline_dependence", "recommendation": "decline_dependence",
        "flags": ["revenue_over_ceiling", "stretch_set_aside"], "not_advice": ["stretch_review"],
    }),
    Case("stretch_on_a_strong_fit_is_set_aside", {**PERFECT, **STRETCH}, {
        "overall": 100.0, "recommendation": "pursue", "flags": ["stretch_set_aside"],
        "reasons": {"stretch_set_aside": 'the recommendation without it is "Pursue"'},
    }),
    Case("stretch_on_pursue_with_boundaries_is_set_aside",
         {**PERFECT, **STRETCH, "red_flags": ["vague_communication"]}, {
             "overall": 99.1, "recommendation": "pursue_with_boundaries",
             "flags": ["red_flag.vague_communication", "stretch_set_aside"],
         }),
    Case("stretch_on_assumptions_only_is_set_aside",
         {**PERFECT, **STRETCH, "red_flags": ["ignored_boundary"],
          "evidence_notes": [note(c, basis="assumed") for c in CRITERIA]}, {
             # 61*50 + ticks 3500 - 600 + 514.29 = 6464.29; / 96 = 67.34. Nothing is known
             # yet, the ticked knockout included: find out; a stretch is no substitute.
             "overall": 67.3, "base": "find_out", "recommendation": "find_out",
             "flags": ["red_flag.ignored_boundary", "stretch_set_aside", "thin_evidence", "unbacked_ratings"],
         }),
    Case("stretch_without_a_meeting_is_set_aside", {**WEAK, **STRETCH, "meetings_held": 0}, {
        # capped ticks: champion 200, no signals, competing 100, no signs, red flags 6*50 =
        # 300, revenue 300 = 900; / 96 = 9.38. Declining needs no meeting; taking on does.
        "overall": 9.4, "base": "decline", "recommendation": "decline",
        "flags": ["no_contact", "stretch_set_aside"],
    }),
    Case("stretch_with_a_prospect_is_set_aside", {**WEAK, **STRETCH, "stage": "prospect"}, {
        "overall": 9.4, "recommendation": "decline", "flags": ["stage_contradiction", "stretch_set_aside"],
    }),
    Case("stretch_with_an_unknown_revenue_share_is_set_aside", {**without(WEAK, "revenue_share"), **STRETCH}, {
        # 1200 - 300 = 900 over 93: 9.68
        "overall": 9.7, "answered": 96.9, "recommendation": "decline", "flags": ["stretch_set_aside"],
        "advice": ["estimate_revenue"],
    }),
    Case("stretch_without_a_rationale", {**WEAK, **STRETCH, "stretch_rationale": None}, {
        "overall": 12.5, "recommendation": "decline", "flags": ["stretch_unsupported"],
        "reasons": {"stretch_unsupported": 'chose "Yes: we take it on deliberately'},
    }),
    Case("stretch_without_conditions", {**WEAK, **STRETCH, "stretch_conditions": []}, {
        "overall": 12.5, "recommendation": "decline", "flags": ["stretch_unsupported"],
    }),

    # -- gut call versus evidence -------------------------------------------------------
    Case("gut_gap_not_raised_with_five_rated",
         {"gut_call": 5, **rated(1, *CRITERIA[:5]), "evidence_notes": BACKED}, {
             # five criteria at 0: overall 0.0; gap 100 - 0, but 5 of 9 is too few to compare
             "overall": 0.0, "answered": 43.8, "recommendation": "finish", "flags": ["criteria_missing"],
             "metrics": {"gut_vs_evidence": 100.0}, "not_advice": ["test_gut", "discussion_stuck"],
         }),
    Case("gut_gap_raised_with_six_rated",
         {"gut_call": 5, "considered_rating": 5, **rated(1, *CRITERIA[:6]), "evidence_notes": BACKED}, {
             "overall": 0.0, "answered": 50.0, "recommendation": "finish",
             "flags": ["gut_evidence_gap", "criteria_missing"],
             "metrics": {"gut_vs_evidence": 100.0, "considered_vs_gut": 0.0, "considered_vs_evidence": 100.0},
             "reasons": {"gut_evidence_gap": "is 100 points"}, "advice": ["test_gut", "discussion_stuck"],
         }),
    Case("trust_the_evidence_when_there_is_some", {**PERFECT, "gut_call": 1}, {
        # 0 [gut 1] - 100
        "overall": 100.0, "recommendation": "pursue", "flags": ["gut_evidence_gap"],
        "metrics": {"gut_vs_evidence": -100.0}, "advice": ["trust_evidence"],
    }),
    Case("no_trust_the_evidence_without_backing",
         {**PERFECT, "gut_call": 1, "evidence_notes": [note("general")]}, {
             # 0 - 68.2
             "overall": 68.2, "recommendation": "find_out", "flags": ["gut_evidence_gap", "unbacked_ratings"],
             "metrics": {"gut_vs_evidence": -68.2}, "not_advice": ["trust_evidence"],
         }),
    Case("no_trust_the_evidence_without_contact", {**PERFECT, "gut_call": 1, "meetings_held": 0}, {
        # 0 - 83.3
        "overall": 83.3, "recommendation": "find_out", "flags": ["no_contact", "gut_evidence_gap"],
        "metrics": {"gut_vs_evidence": -83.3}, "not_advice": ["trust_evidence"],
    }),
    Case("no_first_reaction", {"considered_rating": 4}, {
        "overall": None, "recommendation": "finish", "flags": ["no_first_reaction", "criteria_missing"],
        "metrics": {"considered_vs_gut": None, "considered_vs_evidence": None},
    }),
    Case("outcome_is_compared_not_scored", {**PERFECT, "gut_call": 5, "outcome_satisfaction": 2}, {
        # gut 100 - outcome 25; evidence 100 - 25
        "overall": 100.0, "recommendation": "pursue", "flags": [],
        "metrics": {"gut_vs_outcome": 75.0, "evidence_vs_outcome": 75.0}, "not_advice": ["record_outcome"],
    }),
    Case("low_access_and_budget_advice", {**WEAK, "decision_access": 2, "budget_clarity": 1}, {
        # access 6*25 = 150 more than WEAK: 1350 / 96 = 14.06
        "overall": 14.1, "recommendation": "decline", "flags": [],
        "advice": ["reach_decision_maker", "name_budget"],
    }),
    Case("different_styles_advice", {**PERFECT, "our_negotiation_style": "competing"}, {
        "overall": 100.0, "recommendation": "pursue", "flags": [], "advice": ["match_styles"],
    }),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hand_built_cases(ex: Exercise, case: Case) -> None:
    r = run(ex, case.answers, case.settings)
    want = case.expected
    assert r.recommendation.id == want["recommendation"]
    assert sorted(flag_ids(r)) == sorted(want["flags"])
    if "overall" in want:
        assert r.overall == want["overall"]
    if "answered" in want:
        assert r.answered == want["answered"]
    if "band" in want:
        assert r.band.id == want["band"]
    if "base" in want:
        assert r.base_recommendation == want["base"]
    for dim_id, value in want.get("dims", {}).items():
        assert dims(r)[dim_id] == value, dim_id
    for metric_id, value in want.get("metrics", {}).items():
        assert r.metrics[metric_id].value == value, metric_id
    if "questions" in want:
        assert r.recommendation.questions == probes(ex, *want["questions"])
    elif r.recommendation.id != "find_out":
        assert r.recommendation.questions == []
    if "caps" in want:
        assert {c.id: len(c.items) for c in r.caps} == want["caps"]
    for flag_id, text in want.get("reasons", {}).items():
        assert text in flag(r, flag_id).reason, flag(r, flag_id).reason
    advice = advice_ids(r)
    for advice_id in want.get("advice", []):
        assert advice_id in advice, advice
    for advice_id in want.get("not_advice", []):
        assert advice_id not in advice, advice


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_no_knockout_beside_a_yes(ex: Exercise, case: Case) -> None:
    """A knockout never stands beside "pursue"; a revenue knockout never beside a stretch."""
    r = run(ex, case.answers, case.settings)
    if r.knockouts:
        assert r.recommendation.id not in ("pursue", "pursue_with_boundaries")
    revenue = {"revenue_over_ceiling", "red_flag.revenue_concentration"}
    if revenue & set(flag_ids(r)):
        assert r.recommendation.id in ("decline_dependence", "finish_knockout")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_blanking_a_criterion_never_turns_finish_into_decline(ex: Exercise, case: Case) -> None:
    r = run(ex, case.answers, case.settings)
    if r.recommendation.id not in ("finish", "finish_knockout"):
        return
    for criterion in CRITERIA:
        if criterion in case.answers:
            blanked = run(ex, without(case.answers, criterion), case.settings)
            assert blanked.recommendation.id == r.recommendation.id, criterion


def test_cases_cover_every_metric_flag_and_recommendation(ex: Exercise, example: dict[str, dict[str, Any]],
                                                          acme_context: scoring.Context) -> None:
    results = [run(ex, c.answers, c.settings) for c in CASES]
    results += [scoring.score(ex, answers, acme_context) for answers in example.values()]
    metrics = {m for r in results for m, v in r.metrics.items() if v.value is not None}
    flags = {f.id.split(".")[0] for r in results for f in r.flags}
    recommendations = {r.recommendation.id for r in results}
    assert metrics == {m.id for m in ex.metrics}
    assert flags == {f.id for f in ex.flags}
    assert recommendations == {r.id for r in ex.recommendations}


@pytest.mark.parametrize("breed", ["pit_bull", "golden_retriever", "poodle", "chihuahua", "basset_hound"])
def test_persona_tags_change_nothing(ex: Exercise, breed: str) -> None:
    base = {**PERFECT, "gut_call": 4, "red_flags": ["blames_partners"]}
    plain = run(ex, base)
    tagged = run(ex, {**base, "client_breed": breed, "seller_breed": breed})
    assert tagged.overall == plain.overall
    assert tagged.dimensions == plain.dimensions
    assert tagged.metrics == plain.metrics
    assert tagged.flags == plain.flags
    assert tagged.recommendation == plain.recommendation
    assert tagged.advice == plain.advice


def test_one_note_copied_under_every_criterion_is_not_pursue(ex: Exercise) -> None:
    """Gaming: one sentence pasted under all nine criteria. It is one distinct sourced note
    (33.3 of the three that pursue needs), so the kit does not say "pursue"; how many ratings
    it backs is the engine's business (test_a_copied_note_backs_one_criterion)."""
    r = run(ex, {**PERFECT, "evidence_notes": [note(c, text="They are great to work with") for c in CRITERIA]})
    assert r.metrics["evidence_share"].value == 100.0  # repeated texts count once: 1 of 1
    assert r.metrics["sourced_evidence"].value == 33.3
    assert r.recommendation.id == "pursue_with_boundaries"


# -- cases that needed the engine: questions without unbacked answers, copied notes,
#    blank sources, and ticked checklists against the team's own ratings ------------------


def test_find_out_without_contact_still_lists_questions(ex: Exercise) -> None:
    r = run(ex, {**PERFECT, "meetings_held": 0})
    assert r.recommendation.id == "find_out"
    assert r.recommendation.questions == probes(ex, *FIRST_THREE)


def test_a_copied_note_backs_one_criterion(ex: Exercise) -> None:
    r = run(ex, {**PERFECT, "evidence_notes": [note(c, text="They are great to work with") for c in CRITERIA]})
    # only shared motivation (the first copy) backed: 16*100 + 45*50 + 3500 = 7350; / 96 = 76.56
    assert r.metrics["backed_criteria"].value == 11.1
    assert r.overall == 76.6


def test_a_blank_source_is_no_source(ex: Exercise) -> None:
    r = run(ex, {**PERFECT, "evidence_notes": [note(c, source="   ") for c in CRITERIA]})
    assert r.metrics["evidence_share"].value == 0.0
    assert r.recommendation.id == "find_out"


def test_ticks_cannot_outvote_backed_ratings(ex: Exercise) -> None:
    # criteria 61*25 + ticks 3500 = 5025; / 96 = 52.34
    r = run(ex, {**PERFECT, **rated(2)})
    assert r.overall == 52.3
    assert r.recommendation.id == "decline"
