"""The customer-empathy audit: its definition, the Acme example answers, and its scoring.

Every expected number below is worked out by hand from playbook/content/empathy_audit.yml,
not copied from the engine. Reminders of the rubric used in the arithmetic:

- dimensions and weights: contact_frequency 2, active_listening 1, customer_perspective 2,
  value_proposition 1, learning_to_action 1; overall = weighted mean / 7, computed from the
  dimension scores as rounded to one decimal;
- contact_frequency: last_contact (option score), conversations_30 piecewise
  (0,0)(2,40)(5,75)(10,100), conversations_90 piecewise (0,0)(5,40)(12,75)(25,100),
  segments count/5; all weight 1;
- active_listening: question_quality x2, share of questions with purpose past_event,
  problem or implication x1, reflection filled (30 words = 100) x1;
- customer_perspective: evidence_share x2, empathy-map notes count/12, pains ranked count/3,
  ranking_source option score;
- value_proposition: can_say_special x2, material_reread, five-second notes tagged
  "matches", share of the 4 asked_who options, intended_proposition filled (12 words);
- learning_to_action: actions count/4 x2, message_change filled (25 words) x1.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from playbook import answers, exercises, scoring
from playbook.errors import AnswersError

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "playbook" / "content" / "empathy_audit.yml"
EXAMPLE = ROOT / "examples" / "acme" / "answers" / "empathy_audit.yml"
TEAMS = ["north", "harbour", "summit", "delta"]
ID = "empathy_audit"


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


def _flag_ids(result: scoring.Result) -> list[str]:
    return [f.id for f in result.flags]


# --- the definition -------------------------------------------------------------------


def test_definition_loads_and_is_bundled(ex: exercises.Exercise) -> None:
    bundled = exercises.get(ID)
    assert bundled == ex
    assert ex.people.min == 2 and ex.people.max == 8
    assert ex.step_minutes <= ex.run_minutes == 120
    assert [b.min for b in ex.rubric.bands] == [0, 40, 70]
    assert {d.id for d in ex.rubric.dimensions} == {
        "contact_frequency", "active_listening", "customer_perspective", "value_proposition",
        "learning_to_action",
    }
    assert ex.recommendations[-1].when is None
    charts = {c for section in ex.report for c in section.charts}
    assert charts == {"radar", "self_vs_evidence"}


def test_definition_uses_the_field_types_the_worksheet_needs(ex: exercises.Exercise) -> None:
    types = {f.type for f in ex.fields.values()}
    assert types == {
        "scale", "short_text", "long_text", "single_choice", "multi_choice", "checklist",
        "notes", "ranking", "number",
    }
    area = next(g for g in ex.field("empathy_map").tag_groups if g.id == "area")
    evidence = next(g for g in ex.field("empathy_map").tag_groups if g.id == "evidence")
    assert [o.id for o in area.options] == [
        "sees", "hears", "says", "does", "thinks", "feels", "pains", "gains",
    ]
    assert [o.id for o in evidence.options] == ["heard", "observed", "imagined"]
    assert evidence.required
    kinds = {a.id: a.kind for a in ex.field("empathy_map").attributes}
    assert kinds == {"source": "text", "date": "date"}
    kinds = {a.id: a.kind for a in ex.field("action_list").attributes}
    assert kinds == {"owner": "text", "whom": "text", "due": "date"}
    # internal customers are allowed as segments
    assert any(o.id.startswith("internal_") for o in ex.field("segments").options)


def test_facilitator_material_stays_out_of_participant_instructions(
    ex: exercises.Exercise,
) -> None:
    for step in ex.steps:
        assert step.facilitator_notes, step.id
        for word in ("facilitator", "rubric", "the worksheet checks", "do not say"):
            assert word not in step.instructions.lower(), (step.id, word)
    # the comparison with the evidence score is revealed only at the debrief
    before_debrief = [s.instructions.lower() for s in ex.steps if s.id != "debrief"]
    assert not any("score" in text for text in before_debrief)


def test_purpose_says_internal_customers_count(ex: exercises.Exercise) -> None:
    assert "colleagues" in ex.purpose
    assert "inside" in ex.purpose


def test_every_statistic_is_sourced_and_traced(ex: exercises.Exercise) -> None:
    (stat,) = ex.statistics
    assert stat.figure.startswith("+50%")
    assert stat.traced == "untraced"
    assert stat.source and stat.note


# --- the Acme example answers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("team", "band", "recommendation"),
    [
        ("north", "evidence_led", "keep_the_rhythm"),
        ("harbour", "partial", "close_the_evidence_gap"),
        ("summit", "guessing", "start_listening"),
        ("delta", "guessing", "finish_the_audit"),
    ],
)
def test_example_bands(
    ex: exercises.Exercise, example: dict[str, Any], team: str, band: str, recommendation: str
) -> None:
    result = scoring.score(ex, example[team])
    assert result.band.id == band
    assert result.recommendation.id == recommendation


def test_every_field_is_filled_by_some_team(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    filled = {
        fid for team in TEAMS for fid, v in example[team].items()
        if scoring.is_answered(ex.field(fid), v)
    }
    assert filled == set(ex.fields)


def test_north_by_hand(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    result = scoring.score(ex, example["north"])
    # contact: this_week 100; 30 days: 8 -> 75 + 25*(8-5)/(10-5) = 90; 90 days: 31 -> 100;
    #   6 segments -> min(6/5, 1) = 100; (100 + 90 + 100 + 100)/4 = 97.5
    # listening: 7 of 8 questions clean = 87.5 (x2); purposes: 3 past events, 1 problem,
    #   2 implications of 8 = 75; reflection 48 words -> 100; (175 + 75 + 100)/4 = 87.5
    # perspective: 9 of 12 notes heard/observed = 75 (x2); 12 notes -> 100; 4 pains -> 100;
    #   conversations 100; (150 + 100 + 100 + 100)/5 = 90
    # value proposition: most_differ 50 (x2); yes_buried 50; 2 of 4 outsiders match = 50;
    #   3 of 4 asked = 75; proposition 26 words -> 100; (100 + 50 + 50 + 75 + 100)/6 = 62.5
    # action: 5 actions -> 100 (x2); message 44 words -> 100; 100
    # overall: (97.5*2 + 87.5 + 90*2 + 62.5 + 100)/7 = 625/7 = 89.29 -> 89.3
    assert _dims(result) == {
        "contact_frequency": 97.5, "active_listening": 87.5, "customer_perspective": 90.0,
        "value_proposition": 62.5, "learning_to_action": 100.0,
    }
    assert result.overall == 89.3
    assert result.metrics["evidence_share"].value == 75.0
    assert result.metrics["question_quality"].value == 87.5
    # self-rating 4 = (4-1)*25 = 75; 75 - 89.3 = -14.3
    assert result.metrics["overconfidence_gap"].value == -14.3
    assert result.flags == []
    assert [a.id for a in result.advice] == ["share_with_sales"]
    assert result.completeness_overall == 100.0


def test_harbour_by_hand(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    result = scoring.score(ex, example["harbour"])
    # contact: this_quarter 40; 30 days: 2 -> 40; 90 days: 9 -> 40 + 35*(9-5)/(12-5) = 60;
    #   3 segments -> 60; (40 + 40 + 60 + 60)/4 = 50
    # listening: 3 of 6 questions clean = 50 (x2); past event + 2 problems of 6 = 50;
    #   reflection 15 words -> 50; (100 + 50 + 50)/4 = 50
    # perspective: 6 of 12 = 50 (x2); 12 notes -> 100; 5 pains -> 100; mixed 50;
    #   (100 + 100 + 100 + 50)/5 = 70
    # value proposition: most_differ 50 (x2); yes_upfront 100; 1 of 4 outsiders match = 25;
    #   2 of 4 asked = 50; 17 words -> 100; (100 + 100 + 25 + 50 + 100)/6 = 62.5
    # action: 2 actions -> 50 (x2); message 20 words -> 80; (100 + 80)/3 = 60
    # overall: (50*2 + 50 + 70*2 + 62.5 + 60)/7 = 412.5/7 = 58.93 -> 58.9
    assert _dims(result) == {
        "contact_frequency": 50.0, "active_listening": 50.0, "customer_perspective": 70.0,
        "value_proposition": 62.5, "learning_to_action": 60.0,
    }
    assert result.overall == 58.9
    # self-rating 5 = 100; 100 - 58.9 = 41.1 -> overconfidence (>= 25)
    assert result.metrics["overconfidence_gap"].value == 41.1
    assert _flag_ids(result) == ["overconfidence"]
    assert result.flags[0].reason == "Your self-rating is 41 points above what your evidence supports."
    # exactly 50 is not a gap (gap_below 50 means strictly below)
    assert result.gaps == []


def test_summit_by_hand(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    result = scoring.score(ex, example["summit"])
    # contact: longer 10; 0 and 0 conversations -> 0, 0; no segment ticked -> 0;
    #   (10 + 0 + 0 + 0)/4 = 2.5
    # listening: 1 of 5 questions clean = 20 (x2); 1 problem of 5 = 20; reflection 9 words
    #   -> 9/30 = 30; (40 + 20 + 30)/4 = 22.5
    # perspective: 3 of 12 = 25 (x2); 12 notes -> 100; 6 pains -> 100; own_view 15;
    #   (50 + 100 + 100 + 15)/5 = 53
    # value proposition: nobody 0 (x2); nothing 0; no five-second test 0; 1 of 4 asked = 25;
    #   6 words -> 6/12 = 50; (0 + 0 + 0 + 25 + 50)/6 = 12.5
    # action: 1 action -> 25 (x2); message 10 words -> 40; (50 + 40)/3 = 30
    # overall: (2.5*2 + 22.5 + 53*2 + 12.5 + 30)/7 = 176/7 = 25.14 -> 25.1
    assert _dims(result) == {
        "contact_frequency": 2.5, "active_listening": 22.5, "customer_perspective": 53.0,
        "value_proposition": 12.5, "learning_to_action": 30.0,
    }
    assert result.overall == 25.1
    # 100 - 25.1 = 74.9
    assert result.metrics["overconfidence_gap"].value == 74.9
    assert result.metrics["evidence_share"].details == ["3 of 12 notes"]
    assert _flag_ids(result) == [
        "confident_without_contact", "overconfidence", "mostly_imagined", "nobody_can_say",
        "weak_questions", "proposition_untested",
    ]
    assert result.knockouts[0].reason == (
        "You rated your knowledge of customers 5 out of 5, yet the team had no customer "
        "conversation in the last 90 days."
    )
    assert result.gaps == [
        "contact_frequency", "active_listening", "value_proposition", "learning_to_action",
    ]
    assert "add_internal_customer" in [a.id for a in result.advice]


def test_delta_is_incomplete(ex: exercises.Exercise, example: dict[str, Any]) -> None:
    result = scoring.score(ex, example["delta"])
    done = {c.id: c.percent for c in result.completeness}
    assert done["questions"] == done["value_prop"] == done["actions"] == 0.0
    # contact: 75; 4 -> 40 + 35*2/3 = 63.33; 12 -> 75; 3 segments 60; 273.33/4 = 68.3
    # perspective: 5/7 = 71.43 (x2); 7/12 = 58.33; 3 pains 100; mixed 50; 351.19/5 = 70.2
    # overall: (68.3*2 + 0 + 70.2*2 + 0 + 0)/7 = 277/7 = 39.57 -> 39.6
    assert result.overall == 39.6
    # 7 of the 12 core questions answered = 58.3 < 75
    assert result.metrics["audit_completeness"].value == 58.3


# --- hand-built answers, one case per row ---------------------------------------------


def _notes(*evidence: str) -> list[dict[str, Any]]:
    return [{"text": f"note {i}", "tags": {"evidence": e}} for i, e in enumerate(evidence)]


def _questions(*texts: str) -> list[dict[str, Any]]:
    return [{"text": t, "tags": {"purpose": "past_event", "type": "open"}} for t in texts]


WORDS_30 = " ".join(["word"] * 30)


def _perfect(**changes: Any) -> dict[str, Any]:
    """Every dimension at 100 (overall 100), self-rating 4; `changes` replace fields."""
    base: dict[str, Any] = {
        "self_rating": 4,
        "last_contact": "this_week",
        "conversations_30": 10,
        "conversations_90": 25,
        "segments": ["decision_makers", "daily_users", "partners", "internal_sales",
                     "lost_customers"],
        "question_bank": _questions("Tell me about the last time you renewed a contract."),
        "reflection": WORDS_30,
        "empathy_map": _notes(*["heard"] * 12),
        "pain_ranking": ["cost", "slow_help", "poor_fit"],
        "ranking_source": "conversations",
        "can_say_special": "most_alike",
        "material_reread": "yes_upfront",
        "five_second_test": [{"text": "A reporting tool for finance", "tags": {"match": "matches"}}],
        "asked_who": ["sales", "buyers", "users", "partners"],
        "intended_proposition": " ".join(["word"] * 12),
        "action_list": [{"text": f"act {i}", "owner": "Lena", "due": "2026-12-01"} for i in range(4)],
        "message_change": WORDS_30,
    }
    base.update(changes)
    return base


def test_perfect_answers_score_100(ex: exercises.Exercise) -> None:
    result = _score(ex, _perfect())
    assert set(_dims(result).values()) == {100.0}
    assert result.overall == 100.0
    assert result.band.id == "evidence_led"


METRIC_CASES: list[tuple[str, dict[str, Any], str, float | None]] = [
    # heard + observed of 4 notes = 2/4
    ("evidence half", {"empathy_map": _notes("heard", "observed", "imagined", "imagined")},
     "evidence_share", 50.0),
    ("evidence none", {"empathy_map": _notes("imagined", "imagined")}, "evidence_share", 0.0),
    ("evidence unanswered", {}, "evidence_share", None),
    ("lint catches a hypothetical pitch",
     {"question_bank": _questions("Would you use a dashboard that shows churn by region?")},
     "question_quality", 0.0),
    ("lint passes a past event",
     {"question_bank": _questions(
         "Tell me about the last time you had to explain churn to your board.")},
     "question_quality", 100.0),
    # 1 clean of 3 = 33.3
    ("lint one of three",
     {"question_bank": _questions("What happened last time?", "Do you like it?", "Will you buy?")},
     "question_quality", 33.3),
    # self-rating 5 = (5-1)*25 = 100; only contact answered, at 100 -> overall 100*2/7 = 28.6;
    # 100 - 28.6 = 71.4
    ("gap by hand", {"self_rating": 5, "last_contact": "this_week", "conversations_30": 10,
                     "conversations_90": 25,
                     "segments": ["partners", "daily_users", "new_customers", "long_standing",
                                  "internal_sales"]},
     "overconfidence_gap", 71.4),
    # self-rating 1 = 0; overall 0 -> gap 0
    ("gap zero", {"self_rating": 1}, "overconfidence_gap", 0.0),
    ("gap needs the self-rating", {"last_contact": "never"}, "overconfidence_gap", None),
    # 3 of the 12 core fields
    ("completeness", {"self_rating": 3, "last_contact": "this_week", "conversations_30": 1},
     "audit_completeness", 25.0),
]


@pytest.mark.parametrize(
    ("raw", "metric", "expected"), [c[1:] for c in METRIC_CASES], ids=[c[0] for c in METRIC_CASES]
)
def test_metrics(ex: exercises.Exercise, raw: dict[str, Any], metric: str, expected: float | None) -> None:
    assert _score(ex, raw).metrics[metric].value == expected


def test_lint_details_name_the_rules(ex: exercises.Exercise) -> None:
    raw = {"question_bank": _questions("Would you use a dashboard that shows churn by region?")}
    (detail,) = _score(ex, raw).metrics["question_quality"].details
    assert detail.startswith("\u201cWould you use a dashboard")
    for word in ("hypothetical", "pitching", "yes/no opener"):
        assert word in detail


# question -> the lint rules it breaks (The Mom Test)
LINT_CASES: list[tuple[str, set[str]]] = [
    ("Would you use a dashboard that predicts churn?", {"hypothetical", "pitching", "yes_no"}),
    ("Tell me about the last time you had to explain churn to your board.", set()),
    ("What did you do the last time a report was late?", set()),
    ("How many hours a week go into rebuilding exports?", set()),
    ("Imagine you had unlimited budget: what would change?", {"hypothetical"}),
    ("Will you renew next year?", {"future", "yes_no"}),
    ("When are you going to migrate?", {"future"}),
    ("What do you think of our platform?", {"pitching"}),
    ("We offer real-time alerts; how does that sound?", {"pitching"}),
    ("Don't you think reporting takes too long?", {"leading"}),
    ("Don\u2019t you agree the old tool is slow?", {"leading"}),
    ("Do you like the new export screen?", {"leading", "yes_no"}),
    ("Is the current tool too slow?", {"yes_no"}),
    ("  Did the migration go well?", {"yes_no"}),
    ("Has anyone in finance complained?", {"yes_no"}),
    ("Doesn't matter: what broke first?", set()),  # "doesn't" is not the opener "does"
]


@pytest.mark.parametrize(("question", "broken"), LINT_CASES)
def test_lint_rules(ex: exercises.Exercise, question: str, broken: set[str]) -> None:
    hits = {r.id for r in ex.lint if re.search(r.pattern, question, re.IGNORECASE)}
    assert hits == broken


FLAG_CASES: list[tuple[str, dict[str, Any], str, bool, str]] = [
    # rated 4, no conversation in 90 days -> knockout; the reason quotes the rating
    ("confident, no contact", {"self_rating": 4, "conversations_90": 0},
     "confident_without_contact", True, "rated your knowledge of customers 4 out of 5"),
    ("modest, no contact", {"self_rating": 3, "conversations_90": 0},
     "confident_without_contact", False, ""),
    ("confident, some contact", {"self_rating": 5, "conversations_90": 1},
     "confident_without_contact", False, ""),
    # 100 - 28.6 = 71.4 -> "71 points"
    ("overconfident", {"self_rating": 5, "last_contact": "this_week", "conversations_30": 10,
                       "conversations_90": 25,
                       "segments": ["partners", "daily_users", "new_customers",
                                    "long_standing", "internal_sales"]},
     "overconfidence", True, "71 points above"),
    # self-rating 2 = 25; overall 0; gap 25 -> flagged (ge 25)
    ("gap at the threshold", {"self_rating": 2}, "overconfidence", True, "25 points above"),
    # north-like: 75 - 89.3 < 25
    ("gap small", _perfect(), "overconfidence", False, ""),
    # 1 of 4 = 25%
    ("mostly imagined", {"empathy_map": _notes("heard", "imagined", "imagined", "imagined")},
     "mostly_imagined", True, "Only 25% of your empathy-map notes were heard or observed (1 of 4 notes)"),
    ("half heard is not mostly imagined", {"empathy_map": _notes("heard", "imagined")},
     "mostly_imagined", False, ""),
    ("nobody can say", {"can_say_special": "nobody"}, "nobody_can_say", True, '"Nobody could"'),
    ("a few can say", {"can_say_special": "few"}, "nobody_can_say", False, ""),
    # 1 clean of 3 = 33% < 50
    ("weak questions",
     {"question_bank": _questions("What happened last time?", "Do you like it?", "Will you buy?")},
     "weak_questions", True, "Only 33% of your questions pass the interview check: \u201cDo you like it?\u201d"),
    # 1 of 2 = 50, not below 50
    ("half the questions pass",
     {"question_bank": _questions("What happened last time?", "Do you like it?")},
     "weak_questions", False, ""),
    ("untested proposition", {"intended_proposition": "Trusted board numbers for small data teams"},
     "proposition_untested", True, '("Trusted board numbers for small data teams")'),
    ("tested proposition", _perfect(), "proposition_untested", False, ""),
]


@pytest.mark.parametrize(
    ("raw", "flag", "fires", "reason_part"), [c[1:] for c in FLAG_CASES],
    ids=[c[0] for c in FLAG_CASES],
)
def test_flags(
    ex: exercises.Exercise, raw: dict[str, Any], flag: str, fires: bool, reason_part: str
) -> None:
    flags = {f.id: f for f in _score(ex, raw).flags}
    assert (flag in flags) is fires
    if fires:
        assert reason_part in flags[flag].reason


def test_confident_without_contact_is_a_knockout(ex: exercises.Exercise) -> None:
    result = _score(ex, {"self_rating": 4, "conversations_90": 0})
    assert [f.id for f in result.knockouts] == ["confident_without_contact"]


RECOMMENDATION_CASES: list[tuple[str, dict[str, Any], str]] = [
    # overall 100 >= 70 and evidence 100 >= 60
    ("evidence-led", _perfect(), "keep_the_rhythm"),
    # fewer than 3 conversations in 90 days comes before anything but keep_the_rhythm
    ("few conversations", {"conversations_90": 2}, "start_listening"),
    ("contact long ago", {"last_contact": "never"}, "start_listening"),
    # 1 of 12 core fields answered = 8.3 < 75
    ("unfinished", {"self_rating": 3}, "finish_the_audit"),
    # 5 of 12 heard = 41.7 < 50; perspective (83.3 + 300)/5 = 76.7; overall
    # (200 + 100 + 153.4 + 100 + 100)/7 = 93.3 >= 70 but evidence < 60
    ("assumptions", _perfect(empathy_map=_notes(*["heard"] * 5, *["imagined"] * 7)),
     "close_the_evidence_gap"),
    ("unclear proposition", _perfect(can_say_special="few", empathy_map=_notes(*["heard"] * 6,
                                                                               *["imagined"] * 6)),
     "close_the_evidence_gap"),
    # 6 of 12 heard = 50: not < 50, not >= 60; self-rating 4 = 75, overall
    # (200 + 100 + 2*80 + 100 + 100)/7 = 94.3, gap -19.3
    ("in between", _perfect(empathy_map=_notes(*["heard"] * 6, *["imagined"] * 6)),
     "sharpen_and_repeat"),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [c[1:] for c in RECOMMENDATION_CASES],
    ids=[c[0] for c in RECOMMENDATION_CASES],
)
def test_recommendations(ex: exercises.Exercise, raw: dict[str, Any], expected: str) -> None:
    assert _score(ex, raw).recommendation.id == expected


def test_in_between_by_hand(ex: exercises.Exercise) -> None:
    result = _score(ex, _perfect(empathy_map=_notes(*["heard"] * 6, *["imagined"] * 6)))
    # perspective: (50*2 + 100 + 100 + 100)/5 = 80; overall (200 + 100 + 160 + 100 + 100)/7
    # = 660/7 = 94.29 -> 94.3; gap 75 - 94.3 = -19.3
    assert _dims(result)["customer_perspective"] == 80.0
    assert result.overall == 94.3
    assert result.metrics["overconfidence_gap"].value == -19.3


ADVICE_CASES: list[tuple[str, dict[str, Any], str, bool]] = [
    ("no internal segment", _perfect(segments=["partners", "daily_users"]),
     "add_internal_customer", True),
    ("an internal segment", _perfect(segments=["internal_leadership"]),
     "add_internal_customer", False),
    ("nothing ticked", _perfect(segments=[]), "add_internal_customer", True),
    ("segments unanswered", {}, "add_internal_customer", False),
    ("sellers disagree", _perfect(can_say_special="most_differ"), "share_with_sales", True),
    # value proposition (0*2 + 100*4)/6 = 66.7: not weak, so no case story
    ("weak proposition skipped", _perfect(can_say_special="nobody"), "value_prop_case", False),
    ("weak proposition", {"can_say_special": "nobody"}, "value_prop_case", True),
    ("weak contact", _perfect(last_contact="longer", conversations_30=0, conversations_90=2),
     "book_conversations", True),
    ("strong contact", _perfect(), "book_conversations", False),
]


@pytest.mark.parametrize(
    ("raw", "advice", "applies"), [c[1:] for c in ADVICE_CASES], ids=[c[0] for c in ADVICE_CASES]
)
def test_advice(ex: exercises.Exercise, raw: dict[str, Any], advice: str, applies: bool) -> None:
    assert (advice in [a.id for a in _score(ex, raw).advice]) is applies


def test_case_story_is_told_in_the_advice(ex: exercises.Exercise) -> None:
    text = next(a for a in ex.advice if a.id == "value_prop_case").text
    for idea in ("software division", "print ads", "PR and events", "by half"):
        assert idea in text


def test_empty_answers(ex: exercises.Exercise) -> None:
    result = scoring.score(ex, {})
    assert result.overall == 0.0
    assert result.completeness_overall == 0.0
    assert result.band.id == "guessing"
    assert result.flags == []
    assert result.recommendation.id == "finish_the_audit"
    assert all(m.value is None for k, m in result.metrics.items() if k != "audit_completeness")
    assert result.metrics["audit_completeness"].value == 0.0


def test_dates_are_validated(ex: exercises.Exercise) -> None:
    note = {"text": "Said so", "tags": {"evidence": "heard"}, "date": "2026-13-01"}
    with pytest.raises(AnswersError, match="is not a date"):
        answers.check(ex, {"empathy_map": [note]})
    with pytest.raises(AnswersError, match="'evidence' is required"):
        answers.check(ex, {"empathy_map": [{"text": "No tag"}]})
