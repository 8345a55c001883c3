"""The sales-enablement definition: its definition, the Acme example answers, and its scoring.

Every expected number below is worked out by hand from playbook/content/enablement.yml, not
copied from the engine. Reminders of the rubric used in the arithmetic:

- dimensions and weights: ownership 3, definition 2, charter 2, content 2, plan 2; overall =
  weighted mean / 11 of the unrounded dimension scores, rounded once (halves up); metric
  values are rounded to one decimal before a dimension or another metric uses them;
- ownership: single_owner x3, agreement x2, handoff_point option score x1;
- definition: enabled_who count/3, enabled_with share of 5, through_whom count/3, end_goal
  option score, customer_experience filled (20 words) x2, definition filled (25 words) x2;
- charter: purpose filled (10 words), in_scope count/3, out_of_scope count/2 x2,
  stakeholders count/4, inspection_cadence option score, charter_metrics option score
  (mean of the picks) x2, review_date filled, model_reason filled (15 words);
- content: share of content_assets tagged findable=under_2_min x3, content_assets count/8;
- plan: plan count/6 x2, top_gaps count/3, expected_benefits count/3;
- alignment_index = (single_owner*40 + agreement*30 + definition_completeness*30) / 100,
  over the parts that have a value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from playbook import answers, exercises, scoring
from playbook.errors import AnswersError

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "playbook" / "content" / "enablement.yml"
EXAMPLE = ROOT / "examples" / "acme" / "answers" / "enablement.yml"
WORKSHOP = ROOT / "examples" / "acme" / "workshop.yml"
TEAMS = ["north", "harbour", "summit", "delta"]
ID = "enablement"

ROWS = [
    "awareness", "consideration", "purchase", "retention",
    "email", "social_ads", "events", "web", "crm_nurture",
]


@pytest.fixture(scope="module")
def ex() -> exercises.Exercise:
    return exercises.load_file(DEFINITION)


@pytest.fixture(scope="module")
def example() -> dict[str, dict[str, Any]]:
    loaded = answers.load_file(EXAMPLE, teams=TEAMS)
    return {team: loaded[team][ID] for team in TEAMS}


def _score(ex: exercises.Exercise, raw: dict[str, Any]) -> scoring.Result:
    return scoring.score(ex, answers.check(ex, raw))


def _dims(result: scoring.Result) -> dict[str, float]:
    return {d.id: d.score for d in result.dimensions}


def _words(n: int) -> str:
    return " ".join(["word"] * n)


def grid(owner: str = "marketing", **rows: dict[str, str]) -> dict[str, dict[str, str]]:
    """A RACI grid where `owner` is the one A of every row, except the rows given."""
    out = {row: {owner: "a"} for row in ROWS}
    out.update(rows)
    return out


# A joint map with one row without an A (awareness) and one with two (email): 7 of 9 rows
# have exactly one accountable owner -> 700/9 = 77.78 -> 77.8.
RACI_GAPS = grid(awareness={"marketing": "r", "product_marketing": "r"},
                 email={"sales": "a", "marketing": "a", "sales_ops": "r"})
# Views that differ on one row (email: sales names Sales, marketing names Marketing):
# 8 of 9 rows agree -> 800/9 = 88.89 -> 88.9.
SALES_VIEW = grid(email={"sales": "a", "marketing": "c"})
MARKETING_VIEW = grid(email={"marketing": "a", "sales": "i"})
# Four of the six definition parts answered -> 66.67 -> 66.7.
FOUR_PARTS = {
    "enabled_who": ["account_execs"], "enabled_with": ["content"], "through_whom": ["sales"],
    "end_goal": "activity",
}


# --- the definition -------------------------------------------------------------------


def test_definition_loads_and_is_bundled(ex: exercises.Exercise) -> None:
    assert exercises.get(ID) == ex
    assert ex.people.min == 3 and ex.people.max == 10
    assert ex.step_minutes == 132 <= ex.run_minutes == 150
    assert ex.difficulty == "moderate"
    assert [b.min for b in ex.rubric.bands] == [0, 40, 70]
    assert {d.id: d.weight for d in ex.rubric.dimensions} == {
        "ownership": 3, "definition": 2, "charter": 2, "content": 2, "plan": 2,
    }
    assert ex.recommendations[-1].when is None
    assert {c for section in ex.report for c in section.charts} == {"radar", "raci_heatmap", "bars"}


def test_the_three_matrices_share_rows_columns_and_values(ex: exercises.Exercise) -> None:
    grids = [ex.field(f) for f in ("owner_view_sales", "owner_view_marketing", "raci")]
    for g in grids:
        assert g.type == "matrix"
        assert [r.id for r in g.rows] == ROWS
        assert [c.id for c in g.columns] == [c.id for c in grids[0].columns]
        assert [v.id for v in g.values] == ["r", "a", "c", "i"]
    accountable = grids[0].values[1]
    assert accountable.label == "A: Accountable" and "signs it off" in (accountable.help or "")


def test_worksheet_uses_the_field_types_it_needs(ex: exercises.Exercise) -> None:
    types = {f.type for f in ex.fields.values()}
    assert types == {
        "matrix", "single_choice", "scale", "checklist", "long_text", "short_text", "notes",
        "multi_choice", "number", "ranking",
    }
    assert ex.field("charter_metrics").max_selected == 3
    findable = ex.field("content_assets").tag_groups[0]
    assert findable.id == "findable" and findable.required
    assert [o.id for o in findable.options] == ["under_2_min", "slow", "cannot_find"]
    assert [a.id for a in ex.field("content_assets").attributes] == ["owner", "location"]
    horizon = ex.field("plan").tag_groups[0]
    assert horizon.required and [o.id for o in horizon.options] == ["d30", "d60", "d90"]
    assert {a.id: a.kind for a in ex.field("plan").attributes} == {"owner": "text", "due": "date"}
    assert [o.id for o in ex.field("enablement_model").options] == [
        "dedicated", "in_pmm", "in_bu", "in_marketing", "tool_based",
    ]


def test_silent_views_come_before_the_group_agrees(ex: exercises.Exercise) -> None:
    modes = {s.id: (i, s.mode) for i, s in enumerate(ex.steps)}
    assert modes["silent_views"][1] == "silent" and modes["agree_raci"][1] == "group"
    assert modes["silent_views"][0] < modes["agree_raci"][0]
    assert modes["definition_draft"][1] == "silent"
    assert modes["definition_draft"][0] < modes["definition_agree"][0]
    for step in ex.steps:
        assert step.facilitator_notes, step.id
        # facilitator-only material (sources and caveats of figures) stays out of handouts
        for word in ("Kapost", "Forrester", "facilitator"):
            assert word not in step.instructions, (step.id, word)


def test_statistics_are_traced_as_content_md_says(ex: exercises.Exercise) -> None:
    traced = {s.id: (s.figure, s.traced) for s in ex.statistics}
    assert traced == {
        "indifference_churn": ("65% (usually quoted as 68%)", "disputed"),
        "irrelevant_email_spam": ("57%", "secondary"),
        "enablement_tools_growth": ("over 75%", "untraced"),
        "reps_cannot_find_content": ("65%", "secondary"),
    }
    notes = {s.id: s.note or "" for s in ex.statistics}
    assert "MarketingSherpa" in notes["irrelevant_email_spam"] and "56%" in notes["irrelevant_email_spam"]
    assert "SiriusDecisions" in notes["reps_cannot_find_content"]
    assert "68%" in notes["indifference_churn"]
    assert all(s.source and s.year for s in ex.statistics)


def test_comparison_definitions_are_offered(ex: exercises.Exercise) -> None:
    help_text = ex.field("definition").help or ""
    intro = next(r for r in ex.report if r.id == "our_definition").intro or ""
    for text in (help_text, intro):
        for name in ("onboarding and training", "Didner", "IDC", "Forrester"):
            assert name in text


# --- the example answers --------------------------------------------------------------


def test_example_teams_match_the_workshop() -> None:
    workshop = yaml.safe_load(WORKSHOP.read_text(encoding="utf-8"))
    assert [t["id"] for t in workshop["teams"]] == TEAMS
    assert ID in workshop["exercises"]


def test_every_field_is_answered_by_some_team(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    answered = {f for team in TEAMS for f in example[team]}
    assert answered == set(ex.fields)


@pytest.mark.parametrize(("team", "band", "overall"), [
    ("north", "ready", 96.9),
    ("harbour", "taking_shape", 65.5),
    ("summit", "not_yet", 37.2),
    ("delta", "taking_shape", 48.4),
])
def test_example_bands(ex: exercises.Exercise, example: dict[str, Any], team: str, band: str, overall: float) -> None:
    result = scoring.score(ex, example[team])
    assert result.band.id == band
    assert result.overall == overall


def test_north_scores_by_hand(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    result = scoring.score(ex, example["north"])
    # ownership: 9/9 rows one A -> 100; views agree 9/9 -> 100; until onboarding -> 100
    #            (100*3 + 100*2 + 100)/6 = 100
    # definition: 4 groups >= 3 -> 100; 5/5 -> 100; 5 functions -> 100; effectiveness 100;
    #             customer 40 words -> 100 x2; statement 49 words -> 100 x2 -> 800/8 = 100
    # charter: purpose 16 words 100; in 4 -> 100; out 3 -> 100 x2; 5 stakeholders -> 100;
    #          monthly 80; metrics (100+100+100)/3 = 100 x2; review date 100; reason 34 words
    #          100 -> (100+100+200+100+80+200+100+100)/10 = 98
    # content: 8 of 10 under two minutes = 80 x3; 10 assets -> 100 -> (240+100)/4 = 85
    # plan: 7 actions -> 100 x2; 4 gaps -> 100; 5 benefits -> 100 -> 100
    assert _dims(result) == {
        "ownership": 100.0, "definition": 100.0, "charter": 98.0, "content": 85.0, "plan": 100.0,
    }
    # overall: (3*100 + 2*100 + 2*98 + 2*85 + 2*100)/11 = 1066/11 = 96.91 -> 96.9
    assert result.overall == 96.9
    assert result.flags == []
    assert result.recommendation.id == "launch"
    # slow_ramp is among the ranked gaps; 3 of 10 assets are proof (30, not below 30);
    # 80% findable (not below 80); a baseline is recorded; buying ease 3
    assert [a.id for a in result.advice] == ["onboarding_research"]
    metrics = {k: m.value for k, m in result.metrics.items()}
    assert metrics == {
        "single_owner": 100.0, "agreement": 100.0, "definition_completeness": 100.0,
        "alignment_index": 100.0, "findable_share": 80.0, "proof_share": 30.0,
    }
    assert result.completeness_overall == 100.0


def test_harbour_scores_by_hand(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    result = scoring.score(ex, example["harbour"])
    # ownership: single 7/9 = 77.8 (social ads nobody, email two); agreement 6/9 = 66.7
    #            (email, events, nurture differ); at_lead 20
    #            (77.8*3 + 66.7*2 + 20)/6 = 386.8/6 = 64.47 -> 64.5
    # definition: 2/3 = 66.67; 3/5 = 60; 3 functions 100; productivity 80; customer 12/20 words
    #             = 60 x2; statement 35 words 100 x2 -> (66.67+60+100+80+120+200)/8 = 78.33
    # charter: purpose 8/10 words = 80; in 2/3 = 66.67; out 1/2 = 50 x2; stakeholders 3/4 = 75;
    #          quarterly 50; metrics (100+10)/2 = 55 x2; review 100; reason 10/15 = 66.67
    #          (80+66.67+100+75+50+110+100+66.67)/10 = 64.83
    # content: 2 of 5 under two minutes = 40 x3; 5/8 = 62.5 -> (120+62.5)/4 = 45.625 -> 45.6
    # plan: 3/6 = 50 x2; 3 gaps 100; 3 benefits 100 -> 300/4 = 75
    assert _dims(result) == {
        "ownership": 64.5, "definition": 78.3, "charter": 64.8, "content": 45.6, "plan": 75.0,
    }
    # overall: (3*64.467 + 2*(78.333 + 64.833 + 45.625 + 75))/11 = 720.98/11 = 65.54 -> 65.5
    assert result.overall == 65.5
    assert [f.id for f in result.flags] == ["owner_gaps", "views_disagree", "content_unfindable"]
    reasons = {f.id: f.reason for f in result.flags}
    assert reasons["owner_gaps"] == (
        "Rows with no or several accountable owners: "
        "Channel: email: 2 (Marketing, Sales); Channel: social ads: nobody."
    )
    assert reasons["content_unfindable"] == (
        "Only 40.0% of the top assets were found in under two minutes (2 of 5 notes)."
    )
    # alignment: (77.8*40 + 66.7*30 + 100*30)/100 = 81.13 -> 81.1: no earlier rule matches
    assert result.metrics["alignment_index"].value == 81.1
    assert result.recommendation.id == "close_gaps"


def test_summit_scores_by_hand(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    result = scoring.score(ex, example["summit"])
    # ownership: single 3/9 = 33.3; agreement 4/9 = 44.4; at_lead 20
    #            (33.3*3 + 44.4*2 + 20)/6 = 208.7/6 = 34.78 -> 34.8
    # definition: 2/3 = 66.67; 2/5 = 40; 2/3 = 66.67; activity 10; customer missing 0 x2;
    #             statement 10/25 words = 40 x2 -> (66.67+40+66.67+10+0+80)/8 = 32.92 -> 32.9
    # charter: purpose 6/10 = 60; in 5 -> 100; out missing 0 x2; 1/4 = 25; ad hoc 0;
    #          metrics (10+10)/2 = 10 x2; no review date 0; no reason 0 -> 205/10 = 20.5
    # content: 1 of 7 = 14.29 x3; 7/8 = 87.5 -> (42.86+87.5)/4 = 32.59 -> 32.6
    # plan: 2/6 = 33.33 x2; 5 gaps 100; 3 benefits 100 -> 266.67/4 = 66.67 -> 66.7
    assert _dims(result) == {
        "ownership": 34.8, "definition": 32.9, "charter": 20.5, "content": 32.6, "plan": 66.7,
    }
    # overall: (3*34.783 + 2*(32.917 + 20.5 + 32.589 + 66.667))/11 = 409.70/11 = 37.25 -> 37.2
    assert result.overall == 37.2
    assert [f.id for f in result.flags] == [
        "owner_chaos", "views_disagree", "weak_definition", "no_customer", "content_unfindable",
        "scope_unbounded", "model_mismatch",
    ]
    assert result.knockouts[0].reason == (
        "Only 33.3% of stages and channels have exactly one accountable owner. No or several "
        "A's: Stage: consideration: 2 (Sales, Product marketing); Stage: purchase: 2 (Sales, "
        "Leadership); Stage: retention and expansion: 2 (Sales, Customer success); Channel: "
        "email: 2 (Sales, Marketing); Channel: events and webinars: 2 (Sales, Marketing); "
        "Channel: CRM nurture sequences: nobody."
    )
    assert result.metrics["agreement"].details == [
        "Stage: consideration: Sales / Product marketing",
        "Stage: retention and expansion: Sales / Customer success",
        "Channel: email: Sales / Marketing",
        "Channel: events and webinars: Sales / Marketing",
        "Channel: CRM nurture sequences: Sales / Marketing",
    ]
    # definition parts: 5 of 6 (customer missing) = 83.3
    # alignment: (33.3*40 + 44.4*30 + 83.3*30)/100 = (1332 + 1332 + 2499)/100 = 51.63 -> 51.6
    assert result.metrics["definition_completeness"].value == 83.3
    assert result.metrics["alignment_index"].value == 51.6
    assert result.recommendation.id == "settle_ownership"


def test_delta_left_whole_sections_blank(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    result = scoring.score(ex, example["delta"])
    blank = {c.id for c in result.completeness if c.answered == 0}
    assert blank == {"views", "raci", "content"}
    # answered: definition 8/8, charter 7/8 (no review date; the baseline is optional),
    # model 3/3, gaps_plan 3/3 -> 21 of 27 = 77.8
    assert result.completeness_overall == 77.8
    # ownership 0 and content 0 (nothing to score); definition (100+60+100+100+200+200)/8 = 95;
    # charter (100+100+200+100+80+200+0+100)/10 = 88; plan (133.33+100+100)/4 = 83.33
    # overall: (0 + 2*95 + 2*88 + 0 + 2*83.33)/11 = 532.67/11 = 48.42 -> 48.4
    assert _dims(result) == {
        "ownership": 0.0, "definition": 95.0, "charter": 88.0, "content": 0.0, "plan": 83.3,
    }
    assert [f.id for f in result.flags] == ["no_map"]
    assert result.recommendation.id == "map_ownership"
    # no map and no views count as 0: (0*40 + 0*30 + 100*30)/100
    assert result.metrics["single_owner"].value is None
    assert result.metrics["alignment_index"].value == 30.0


# --- hand-built answers: metrics ------------------------------------------------------


def test_single_owner_lists_rows_with_nobody_and_several(ex: exercises.Exercise) -> None:
    m = _score(ex, {"raci": RACI_GAPS}).metrics["single_owner"]
    assert m.value == 77.8  # 7/9
    assert m.details == ["Stage: awareness: nobody", "Channel: email: 2 (Sales, Marketing)"]


def test_agreement_lists_the_rows_where_views_differ(ex: exercises.Exercise) -> None:
    m = _score(ex, {"owner_view_sales": SALES_VIEW, "owner_view_marketing": MARKETING_VIEW}).metrics["agreement"]
    assert m.value == 88.9  # 8/9
    assert m.details == ["Channel: email: Sales / Marketing"]


def test_agreement_counts_rows_filled_in_both_views_only(ex: exercises.Exercise) -> None:
    sales = {row: cells for row, cells in SALES_VIEW.items() if row != "web"}
    m = _score(ex, {"owner_view_sales": sales, "owner_view_marketing": MARKETING_VIEW}).metrics["agreement"]
    assert m.value == 87.5  # 7 of the 8 rows both filled


def test_agreement_compares_the_accountable_owner_only(ex: exercises.Exercise) -> None:
    # Same A everywhere, different R/C/I: full agreement.
    sales = grid(email={"marketing": "a", "sales": "r"})
    marketing = grid(email={"marketing": "a", "sales_ops": "r"})
    m = _score(ex, {"owner_view_sales": sales, "owner_view_marketing": marketing}).metrics["agreement"]
    assert (m.value, m.details) == (100.0, [])


def test_alignment_index_by_hand(ex: exercises.Exercise) -> None:
    raw = {"raci": RACI_GAPS, "owner_view_sales": SALES_VIEW, "owner_view_marketing": MARKETING_VIEW,
           **FOUR_PARTS}
    metrics = _score(ex, raw).metrics
    assert metrics["single_owner"].value == 77.8
    assert metrics["agreement"].value == 88.9
    assert metrics["definition_completeness"].value == 66.7
    assert metrics["definition_completeness"].details == [
        "missing: For whom: how does the customer's buying experience get better?",
        "missing: Our definition, in one to three sentences",
    ]
    # (77.8*40 + 88.9*30 + 66.7*30)/100 = (3112 + 2667 + 2001)/100 = 77.8
    assert metrics["alignment_index"].value == 77.8


def test_alignment_index_counts_parts_without_a_value_as_zero(ex: exercises.Exercise) -> None:
    # Only the raci and four definition parts: (77.8*40 + 0*30 + 66.7*30)/100 = 5113/100 = 51.13 -> 51.1
    metrics = _score(ex, {"raci": RACI_GAPS, **FOUR_PARTS}).metrics
    assert metrics["agreement"].value is None
    assert metrics["alignment_index"].value == 51.1


def test_findable_and_proof_shares(ex: exercises.Exercise) -> None:
    assets = [
        {"text": "Case study", "tags": {"findable": "under_2_min", "asset_type": "case_study"}},
        {"text": "Benchmarks", "tags": {"findable": "slow", "asset_type": "performance_data"}},
        {"text": "Deck", "tags": {"findable": "cannot_find", "asset_type": "pitch_deck"}},
        {"text": "Email", "tags": {"findable": "under_2_min"}},
    ]
    result = _score(ex, {"content_assets": assets})
    # findable: 2 of 4 = 50; proof: case study + performance data = 2 of 4 = 50
    assert result.metrics["findable_share"].value == 50.0
    assert result.metrics["findable_share"].details == ["2 of 4 notes"]
    assert result.metrics["proof_share"].value == 50.0
    # content: (50*3 + 4/8*100)/4 = 200/4 = 50; overall 2*50/11 = 9.09 -> 9.1
    assert _dims(result)["content"] == 50.0
    assert result.overall == 9.1


# --- hand-built answers: dimension scores ---------------------------------------------


ONE_A_PER_ROW = grid()


@pytest.mark.parametrize(("raw", "dimension", "expected", "overall"), [
    # ownership: (77.8*3 + 88.9*2 + 100)/6 = 511.2/6 = 85.2; overall 3*85.2/11 = 23.24 -> 23.2
    ({"raci": RACI_GAPS, "owner_view_sales": SALES_VIEW, "owner_view_marketing": MARKETING_VIEW,
      "handoff_point": "until_close"}, "ownership", 85.2, 23.2),
    # ownership without views: (100*3 + 0*2 + 0)/6 = 50; overall 150/11 = 13.64 -> 13.6
    ({"raci": ONE_A_PER_ROW}, "ownership", 50.0, 13.6),
    # definition: nothing ticked is an answer (0 of 3 -> 0); 2/5 = 40; 4 functions 100;
    # onboarding 50; customer 10/20 words = 50 x2; statement 30 words 100 x2
    # (0+40+100+50+100+200)/8 = 490/8 = 61.25 -> 61.3; overall 2*61.25/11 = 11.14 -> 11.1
    ({"enabled_who": [], "enabled_with": ["knowledge", "skills"],
      "through_whom": ["sales", "marketing", "product", "hr_training"], "end_goal": "onboarding_only",
      "customer_experience": _words(10), "definition": _words(30)}, "definition", 61.3, 11.1),
    # charter: purpose 5/10 = 50; in 1/3 = 33.33; out 2 -> 100 x2; 2/4 = 50; weekly 100;
    # metrics (100+70+10)/3 = 60 x2; review 100; no reason 0
    # (50+33.33+200+50+100+120+100+0)/10 = 65.33 -> 65.3; overall 2*65.33/11 = 11.88 -> 11.9
    ({"purpose": _words(5), "in_scope": ["Onboarding"], "out_of_scope": ["Campaigns", "CRM admin"],
      "stakeholders": ["cro", "cmo"], "inspection_cadence": "weekly",
      "charter_metrics": ["win_rate", "pipeline_influenced", "trainings_held"],
      "review_date": "2027-02-15"}, "charter", 65.3, 11.9),
    # content: 1 of 4 found fast = 25 x3; 4/8 = 50 -> (75+50)/4 = 31.25 -> 31.3 (halves up);
    # overall 2*31.25/11 = 5.68 -> 5.7
    ({"content_assets": [
        {"text": "A", "tags": {"findable": "under_2_min"}},
        {"text": "B", "tags": {"findable": "slow"}},
        {"text": "C", "tags": {"findable": "cannot_find"}},
        {"text": "D", "tags": {"findable": "cannot_find"}},
    ]}, "content", 31.3, 5.7),
    # plan: 3/6 = 50 x2; 1/3 gaps = 33.33; benefits none ticked = 0 -> 133.33/4 = 33.33 -> 33.3;
    # overall 2*33.33/11 = 6.06 -> 6.1
    ({"plan": [{"text": "x", "tags": {"horizon": "d30"}}, {"text": "y", "tags": {"horizon": "d60"}},
               {"text": "z", "tags": {"horizon": "d90"}, "owner": "Lena Park", "due": "2026-12-01"}],
      "top_gaps": ["slow_ramp"], "expected_benefits": []}, "plan", 33.3, 6.1),
])
def test_dimension_scores_by_hand(ex: exercises.Exercise, raw: dict[str, Any], dimension: str, expected: float,
                                  overall: float) -> None:
    result = _score(ex, raw)
    assert _dims(result)[dimension] == expected
    assert result.overall == overall


# --- hand-built answers: flags --------------------------------------------------------


DEFINED = {
    "enabled_who": ["account_execs", "sdrs", "client_facing"], "enabled_with": ["knowledge", "tools"],
    "through_whom": ["sales", "marketing", "product_marketing"], "end_goal": "effectiveness",
    "customer_experience": _words(20), "definition": _words(25),
}  # definition: (100+40+100+100+200+200)/8 = 92.5, so no weak_definition

FOUR_SINGLE = grid(consideration={"sales": "a", "marketing": "a"}, purchase={"sales": "a", "leadership": "a"},
                   retention={}, email={"sales": "a", "marketing": "a"}, events={"sales": "r"})
# 4 single rows (awareness, social ads, web, nurture) of 9 = 44.4

# (answers, flag, reason or None when the flag must not be raised)
FLAG_CASES: list[tuple[dict[str, Any], str, str | None]] = [
    ({"raci": FOUR_SINGLE}, "owner_chaos",
     "Only 44.4% of stages and channels have exactly one accountable owner. No or several A's: "
     "Stage: consideration: 2 (Sales, Marketing); Stage: purchase: 2 (Sales, Leadership); "
     "Stage: retention and expansion: nobody; Channel: email: 2 (Sales, Marketing); "
     "Channel: events and webinars: nobody."),
    ({"raci": RACI_GAPS}, "owner_chaos", None),
    ({"raci": RACI_GAPS}, "owner_gaps",
     "Rows with no or several accountable owners: Stage: awareness: nobody; "
     "Channel: email: 2 (Sales, Marketing)."),
    ({"raci": FOUR_SINGLE}, "owner_gaps", None),
    ({"raci": ONE_A_PER_ROW}, "owner_gaps", None),
    ({}, "no_map", "No joint ownership map was agreed, so nobody can say who owns which stage and channel."),
    ({"raci": ONE_A_PER_ROW}, "no_map", None),
    ({"owner_view_sales": SALES_VIEW, "owner_view_marketing": MARKETING_VIEW}, "views_disagree",
     "Sales and marketing name different accountable owners (sales view / marketing view): "
     "Channel: email: Sales / Marketing."),
    ({"owner_view_sales": SALES_VIEW, "owner_view_marketing": SALES_VIEW}, "views_disagree", None),
    ({"owner_view_sales": SALES_VIEW}, "views_disagree", None),  # one view only: nothing to compare
    # definition: (33.33 + 20 + 33.33 + 10 + 0 + 0)/8 = 12.08 -> 12.1
    (FOUR_PARTS, "weak_definition",
     "The definition scores 12.1 out of 100: several of its parts (who, with what, through whom, "
     "to what end, for whom, the statement) are missing or too thin to guide decisions."),
    (DEFINED, "weak_definition", None),
    (FOUR_PARTS, "no_customer",
     "The definition says nothing about how the customer's experience improves: no customer, no sale."),
    (DEFINED, "no_customer", None),
    ({"content_assets": [{"text": "A", "tags": {"findable": "under_2_min"}},
                         {"text": "B", "tags": {"findable": "slow"}},
                         {"text": "C", "tags": {"findable": "cannot_find"}}]}, "content_unfindable",
     "Only 33.3% of the top assets were found in under two minutes (1 of 3 notes)."),
    ({"content_assets": [{"text": "A", "tags": {"findable": "under_2_min"}},
                         {"text": "B", "tags": {"findable": "slow"}}]}, "content_unfindable", None),
    ({"in_scope": ["Onboarding"]}, "scope_unbounded",
     "The charter lists what enablement does but not what it does not do; it risks becoming a junk drawer."),
    ({"in_scope": ["Onboarding"], "out_of_scope": ["Campaigns"]}, "scope_unbounded", None),
    ({}, "scope_unbounded", None),
    ({"org_shape": "small", "enablement_model": "dedicated"}, "model_mismatch",
     "The chosen model may not fit how the company is organised "
     "(A small business: no sales ops or enablement staff)."),
    ({"org_shape": "global_matrix", "enablement_model": "tool_based"}, "model_mismatch",
     "The chosen model may not fit how the company is organised (A global matrix organisation)."),
    ({"org_shape": "small", "enablement_model": "tool_based"}, "model_mismatch", None),
]


@pytest.mark.parametrize(("raw", "flag", "reason"), FLAG_CASES)
def test_flags(ex: exercises.Exercise, raw: dict[str, Any], flag: str, reason: str | None) -> None:
    flags = {f.id: f for f in _score(ex, raw).flags}
    if reason is None:
        assert flag not in flags
    else:
        assert flags[flag].reason == reason
        assert flags[flag].severity == next(f.severity for f in ex.flags if f.id == flag)


# --- hand-built answers: recommendations ----------------------------------------------


REC_CASES: list[tuple[dict[str, Any], str]] = [
    ({"raci": FOUR_SINGLE, **DEFINED}, "settle_ownership"),  # 44.4 < 50
    (DEFINED, "map_ownership"),  # no raci
    # single 6/9 = 66.7; views disagree on every row -> 0; no definition -> 0
    # alignment (66.7*40 + 0 + 0)/100 = 26.7 < 60
    ({"raci": grid(awareness={}, consideration={}, purchase={}),
      "owner_view_sales": grid("sales"), "owner_view_marketing": grid("marketing")}, "align_first"),
    # single 100, agreement 100, definition 4/6 = 66.7 -> alignment (4000+3000+2001)/100 = 90.0;
    # definition incomplete
    ({"raci": ONE_A_PER_ROW, "owner_view_sales": ONE_A_PER_ROW, "owner_view_marketing": ONE_A_PER_ROW,
      **FOUR_PARTS}, "finish_definition"),
    # everything above holds, overall far below 70
    ({"raci": ONE_A_PER_ROW, **DEFINED}, "close_gaps"),
]


@pytest.mark.parametrize(("raw", "expected"), REC_CASES)
def test_recommendations(ex: exercises.Exercise, raw: dict[str, Any], expected: str) -> None:
    assert _score(ex, raw).recommendation.id == expected


def test_launch_needs_an_overall_of_70(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    north = dict(example["north"])
    assert scoring.score(ex, north).recommendation.id == "launch"
    # Without content and plan: content 0; plan (0*2 + 100 + 100)/4 = 50
    # -> (3*100 + 2*100 + 2*98 + 0 + 2*50)/11 = 796/11 = 72.36 -> 72.4: still launch.
    # Without the charter as well: (300 + 200 + 0 + 0 + 100)/11 = 54.55 -> 54.5 -> close_gaps.
    for key in ("content_assets", "plan"):
        north.pop(key)
    assert scoring.score(ex, north).overall == 72.4
    assert scoring.score(ex, north).recommendation.id == "launch"
    for key in ("purpose", "in_scope", "out_of_scope", "stakeholders", "inspection_cadence",
                "charter_metrics", "review_date", "model_reason"):
        north.pop(key)
    result = scoring.score(ex, north)
    assert result.overall == 54.5
    assert result.recommendation.id == "close_gaps"


# --- hand-built answers: advice -------------------------------------------------------


ADVICE_CASES: list[tuple[dict[str, Any], str, bool]] = [
    ({"owner_view_sales": SALES_VIEW, "owner_view_marketing": MARKETING_VIEW}, "walk_disagreements", True),
    ({"owner_view_sales": SALES_VIEW, "owner_view_marketing": SALES_VIEW}, "walk_disagreements", False),
    ({"raci": RACI_GAPS}, "name_channel_owners", True),
    ({"raci": ONE_A_PER_ROW}, "name_channel_owners", False),
    ({"handoff_point": "first_meeting"}, "stay_until_close", True),
    ({"handoff_point": "undecided"}, "stay_until_close", True),
    ({"handoff_point": "until_close"}, "stay_until_close", False),
    ({"charter_metrics": ["win_rate"]}, "add_customer_measure", True),
    ({"charter_metrics": ["win_rate", "cx_measure"]}, "add_customer_measure", False),
    ({}, "add_customer_measure", False),
    ({"charter_metrics": ["trainings_held"]}, "outcomes_not_activity", True),
    ({"charter_metrics": ["assets_produced", "win_rate"]}, "outcomes_not_activity", True),
    ({"charter_metrics": ["ramp_time"]}, "outcomes_not_activity", False),
    # proof: 1 of 4 = 25 < 30
    ({"content_assets": [{"text": "A", "tags": {"findable": "slow", "asset_type": "social_proof"}},
                         {"text": "B", "tags": {"findable": "slow"}},
                         {"text": "C", "tags": {"findable": "slow"}},
                         {"text": "D", "tags": {"findable": "slow"}}]}, "build_proof", True),
    ({"content_assets": [{"text": "A", "tags": {"findable": "slow", "asset_type": "case_study"}},
                         {"text": "B", "tags": {"findable": "slow"}}]}, "build_proof", False),
    # findable: 3 of 4 = 75 < 80
    ({"content_assets": [{"text": t, "tags": {"findable": f}} for t, f in
                         [("A", "under_2_min"), ("B", "under_2_min"), ("C", "under_2_min"), ("D", "slow")]]},
     "findability_fix", True),
    ({"content_assets": [{"text": t, "tags": {"findable": "under_2_min"}} for t in "ABCD"]},
     "findability_fix", False),
    ({"top_gaps": ["cannot_find_content", "irrelevant_outreach"]}, "relevance_first", True),
    ({"top_gaps": ["cannot_find_content"]}, "relevance_first", False),
    ({"top_gaps": ["slow_ramp"]}, "onboarding_research", True),
    ({"top_gaps": ["weak_proof", "no_buyer_research"]}, "onboarding_research", True),
    ({"top_gaps": ["weak_proof"]}, "onboarding_research", False),
    ({"top_gaps": ["no_follow_up"]}, "follow_up", True),
    ({"top_gaps": ["no_data"]}, "follow_up", False),
    ({}, "record_baseline", True),
    ({"cycle_days": 120}, "record_baseline", False),
    ({"org_shape": "small"}, "small_business_tools", True),
    ({"org_shape": "several_bu"}, "small_business_tools", False),
    ({"selling_motion": "partner_led", "enabled_who": ["account_execs"]}, "enable_partners", True),
    ({"selling_motion": "partner_led"}, "enable_partners", True),  # nobody named: partners missing
    ({"selling_motion": "partner_led", "enabled_who": ["partners"]}, "enable_partners", False),
    ({"selling_motion": "field", "enabled_who": ["account_execs"]}, "enable_partners", False),
    ({"buying_ease": 2}, "buyer_journey", True),
    ({"buying_ease": 3}, "buyer_journey", False),
]


@pytest.mark.parametrize(("raw", "rule", "applies"), ADVICE_CASES)
def test_advice(ex: exercises.Exercise, raw: dict[str, Any], rule: str, applies: bool) -> None:
    assert (rule in [a.id for a in _score(ex, raw).advice]) is applies


def test_every_flag_recommendation_and_advice_is_covered(ex: exercises.Exercise) -> None:
    assert {f for _, f, reason in FLAG_CASES if reason} == {f.id for f in ex.flags}
    covered = {r for _, r in REC_CASES} | {"launch"}  # launch: test_launch_needs_an_overall_of_70
    assert covered == {r.id for r in ex.recommendations}
    assert {r for _, r, applies in ADVICE_CASES if applies} == {a.id for a in ex.advice}


# --- empty answers and validation -----------------------------------------------------


def test_empty_answers(ex: exercises.Exercise) -> None:
    result = scoring.score(ex, {})
    assert result.overall == 0.0
    assert result.band.id == "not_yet"
    assert result.completeness_overall == 0.0
    assert all(d.score == 0.0 for d in result.dimensions)
    values = {k: m.value for k, m in result.metrics.items()}
    # the completeness metric always has a value (0 of 6), so the index is 0, not None
    assert values == {
        "single_owner": None, "agreement": None, "definition_completeness": 0.0,
        "alignment_index": 0.0, "findable_share": None, "proof_share": None,
    }
    assert [f.id for f in result.flags] == ["no_map", "weak_definition", "no_customer"]
    assert result.recommendation.id == "map_ownership"
    assert [a.id for a in result.advice] == ["record_baseline"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("charter_metrics", ["win_rate", "ramp_time", "content_use", "cx_measure"], "choose at most 3"),
    ("plan", [{"text": "Publish the map", "owner": "Lena Park"}], "tag 'horizon' is required"),
    ("plan", [{"text": "Publish the map", "tags": {"horizon": "d30"}, "due": "next week"}], "not a date"),
    ("content_assets", [{"text": "Deck", "tags": {"asset_type": "pitch_deck"}}], "tag 'findable' is required"),
    ("raci", {"email": {"sales": "x"}}, "is not one of: r, a, c, i"),
    ("owner_view_sales", {"tiktok": {"sales": "a"}}, "unknown row 'tiktok'"),
])
def test_invalid_answers_are_refused(ex: exercises.Exercise, field: str, value: Any, message: str) -> None:
    with pytest.raises(AnswersError, match=message):
        answers.check(ex, {field: value})
