"""The engine's judgement features on tests/data/evidence.yml, every number worked out by hand.

Reminders of the definition: dimension d1 (weight 2) = a (x2, capped unless backed),
b (capped unless backed), c (capped unless a meeting was held); d2 (weight 1) = evidence
depth, plan cover, hand-off (only when abm is "yes"), review date (30 to 200 days after the
workshop), out-of-scope items (distinct, two words or more, with "instead"; two make 100).
An item weighs dimension weight x its share of the dimension's applicable item weights; the
overall is the weighted mean over the answered items. Scales: 1 = 0 ... 5 = 100.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from playbook.answers import check
from playbook.model.exercises import Exercise, load_file
from playbook.scoring import Context, Result, score

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2026, 11, 18)
CONTEXT = Context(as_of=AS_OF)


@pytest.fixture(scope="module")
def ex() -> Exercise:
    return load_file(DATA / "evidence.yml")


def run(ex: Exercise, raw: dict[str, Any], context: Context = CONTEXT) -> Result:
    return score(ex, check(ex, raw), context)


NOTES = [
    # backs a; fresh (17 days): weight 1
    {"text": "Alpha heard from the buyer", "tags": {"basis": "heard", "link": "a"}, "source": "Ana", "date": "2026-11-01"},
    # no source: backs nothing, weighs 0 (counts as assumed)
    {"text": "Beta seen in a demo", "tags": {"basis": "observed", "link": "b"}, "date": "2026-11-02"},
    # second-hand, fresh (48 days): weight 0.5
    {"text": "Desk research on the market", "tags": {"basis": "second", "link": "general"}, "source": "Report", "date": "2026-10-01"},
    # backs c; 140 days old: weight 1 x 0.5
    {"text": "Gamma heard in the summer", "tags": {"basis": "heard", "link": "c"}, "source": "Bo", "date": "2026-07-01"},
    # the first note again, in other case and punctuation: counted once
    {"text": "alpha heard, from the buyer!", "tags": {"basis": "heard", "link": "a"}, "source": "Ana", "date": "2026-11-01"},
    # dated after the workshop: weighs 0 and backs nothing
    {"text": "Beta heard next month", "tags": {"basis": "heard", "link": "b"}, "source": "Cy", "date": "2026-12-25"},
]
PLAN = [
    {"text": "Settle the email row", "tags": {"horizon": "h1"}, "owner": "Lena", "due": "2026-12-10"},  # day 22: counts
    {"text": "Improve", "tags": {"horizon": "h2"}, "owner": "Lena", "due": "2027-01-10"},  # too vague
    {"text": "Repeat the content test", "tags": {"horizon": "h2"}, "owner": "Tom", "due": "2027-03-01"},  # day 103 > 60
    {"text": "settle the EMAIL row!", "tags": {"horizon": "h1"}, "owner": "Aiko", "due": "2026-12-11"},  # repeat
]
FULL: dict[str, Any] = {
    "a": 5, "b": 4, "c": 5, "met": 0, "share": 30, "abm": "no", "handoff": "early",
    "review": "2027-02-15", "persona": "Maya and Tom", "stretch": "yes",
    "spread": {"a": {"low": "two", "high": "five"}, "b": {"low": "one", "high": "two"}},
    "grid": {"r1": {"x": "A"}, "r2": {"boss": "A"}, "r3": {"x": "A", "boss": "A"}},
    "ev": NOTES, "plan": PLAN,
    "items": [{"text": "Campaign copy", "instead": "Demand gen"}, {"text": "Ads", "instead": "Agency"},
              {"text": "campaign copy", "instead": "Demand gen"}, {"text": "Events and booths"}],
}


def test_full_answers_by_hand(ex: Exercise) -> None:
    r = run(ex, FULL)
    m = {k: v.value for k, v in r.metrics.items()}
    # backing: a (note 1) and c (note 4) backed; b's notes lack a source or are future-dated
    assert m["backing"] == 66.7 and r.metrics["backing"].details == ["not backed: Beta"]
    # d1: a 100 (backed), b 75 capped to 50, c 100 capped to 50 (no meeting): (200 + 50 + 50) / 4
    assert r.dimensions[0].score == 75.0
    assert [(c.id, c.items) for c in r.caps] == [("unbacked", ["Beta"]), ("contact", ["Gamma"])]
    assert r.caps[0].text == "Unbacked (1): \u201cBeta\u201d."
    # evidence over 5 distinct notes: 1 + 0 + 0.5 + 0.5 + 0 = 2.0
    assert m["share"] == 40.0 and m["depth"] == 50.0  # 2/5; 2/4 of the target
    assert r.metrics["share"].details == [
        "2 of 5 notes' worth counts as evidence",
        "1 observed note without a source or date counts as assumed",
        "1 dated after the workshop counts as nothing",
        "1 older than 90 days counts 0.5 as much",
        "second-hand notes count 0.5",
        "1 repeated note counted once",
    ]
    # plan: only "Settle the email row" counts, so h1 is covered and h2 is not
    assert m["plan_cover"] == 50.0
    assert r.metrics["plan_cover"].details == [
        "1 of 4 items count", "nothing that counts for: Second month",
        "\u201cImprove\u201d: too vague (fewer than 3 words)",
        "\u201cRepeat the content test\u201d: due more than 60 days after the workshop",
        "\u201csettle the EMAIL row!\u201d: repeats an earlier item",
    ]
    # d2: depth 50, plan 50, hand-off left out (abm no), review 100 (89 days), items 1 of 2 = 50
    assert r.dimensions[1].score == 62.5 and r.dimensions[1].answered == 100.0
    # overall: weights a 1, b 0.5, c 0.5, four d2 items 0.25 each:
    # (100 + 25 + 25 + 0.25 * 250) / 3 = 212.5 / 3 = 70.83
    assert r.overall == 70.8 and r.answered == 100.0
    # 70.8 reaches "high", but high requires the plan to cover both months
    assert r.band.id == "low"
    assert m["wide"] == 1 and r.metrics["wide"].details == ["Alpha: 2 to 5"]
    assert m["outside"] == 1 and r.metrics["outside"].details == ["Beta: agreed 4 outside 1 to 2"]
    assert m["owned"] == 33.3
    assert r.metrics["owned"].details == ["Row three: 2 (Ex, Boss)", "parked with Boss for now: Row two"]
    assert m["parked"] == 1 and r.metrics["parked"].details == ["Row two"]
    assert m["plural"] == 1
    # 30 > the default ceiling of 25: the knockout and its recommendation; the stretch does
    # not override it (it overrides "drop" only), so it is set aside
    assert [(f.id, f.reason) for f in r.flags] == [
        ("over", "30 over 25"), ("set_aside", "without it: Drop over"), ("bigger", "a 5 above b"),
    ]
    assert r.recommendation.id == r.base_recommendation == "drop_over"
    assert r.advice == []


def test_a_workshop_setting_moves_the_threshold(ex: Exercise) -> None:
    r = run(ex, FULL, Context(as_of=AS_OF, settings={"ceiling": 40}))
    assert "over" not in {f.id for f in r.flags}
    # 70.8 is not below 40: "go"; the stretch overrides only "drop", so it is set aside
    assert r.recommendation.id == "go"
    assert [f.reason for f in r.flags if f.id == "set_aside"] == ["without it: Go"]


def test_a_stretch_overrides_only_the_decline_it_names(ex: Exercise) -> None:
    weak = {"a": 1, "b": 1, "c": 1, "met": 2, "share": 5, "stretch": "yes", "ev": NOTES[:1]}
    r = run(ex, weak)
    # d1 = 0; d2: depth 1/4 = 25, nothing else answered. Weights a 1, b 0.5, c 0.5 and
    # depth 0.25 (the other d2 items are unanswered): 0.25 * 25 / 2.25 = 2.78
    assert r.overall == 2.8
    assert r.base_recommendation == "drop" and r.recommendation.id == "take"
    assert [a.id for a in r.advice] == ["after_take"]
    assert "set_aside" not in {f.id for f in r.flags}
    no_stretch = run(ex, {**weak, "stretch": "no"})
    assert no_stretch.recommendation.id == "drop"


def test_no_evidence_sends_the_team_to_find_out_with_the_probes_in_order(ex: Exercise) -> None:
    r = run(ex, {"a": 5, "b": 5, "c": 5, "met": 3, "review": "2027-01-20", "items": FULL["items"][:1]})
    # an empty evidence list is no evidence: depth 0 (a known zero, not a blank)
    assert r.metrics["depth"].value == 0.0 and r.metrics["share"].value is None
    assert r.recommendation.id == "find_out"
    # backing lists b, a, c; none is backed; c has no probe; at most two
    assert r.recommendation.questions == ["What shows beta?", "What shows alpha?"]
    # a and b capped at 50 for want of backing; c's cap asks for a meeting, which was held:
    # d1 = (50*2 + 50 + 100) / 4 = 62.5
    assert r.dimensions[0].score == 62.5
    assert [(c.id, c.items) for c in r.caps] == [("unbacked", ["Alpha", "Beta"])]


def test_too_little_answered_is_unknown_not_low(ex: Exercise) -> None:
    r = run(ex, {"a": 1})
    # a weighs 1; depth (0, no notes) weighs 0.25 and is answered; plan, review, items are
    # blank and the hand-off does not apply: answered (1 + 0.25) / 3 = 41.7%
    assert r.answered == 41.7
    assert r.overall == 0.0
    assert r.band.id == "unknown" and r.recommendation.id == "finish"
    assert r.dimensions[1].answered == 25.0


def test_blank_is_unknown_and_leaves_the_score_alone(ex: Exercise) -> None:
    both = run(ex, {"a": 5, "b": 1, "met": 1, "ev": NOTES})
    only_a = run(ex, {"a": 5, "met": 1, "ev": NOTES})
    # d1 with b: (100*2 + 0)/3 = 66.7; without b, b is unknown: 100
    assert both.dimensions[0].score == 66.7 and only_a.dimensions[0].score == 100.0
    assert both.dimensions[0].answered == 75.0 and only_a.dimensions[0].answered == 50.0


def test_nothing_answered(ex: Exercise) -> None:
    r = score(ex, {}, CONTEXT)
    # the empty evidence list is a known zero only beside other answers: no answers, no score
    assert r.overall is None and r.answered == 0.0
    assert all(d.score is None for d in r.dimensions)
    assert r.band.id == "unknown" and r.recommendation.id == "finish"
    assert r.metrics["depth"].value == 0.0


@pytest.mark.parametrize(
    ("abm", "handoff", "d2"),
    [
        ("yes", "early", 60.0),  # (50 + 50 + 0 + 100 + 100) / 5
        ("no", "early", 75.0),   # the hand-off does not apply: (50 + 50 + 100 + 100) / 4
        ("yes", None, 75.0),     # applies but unanswered: unknown, left out
    ],
)
def test_an_item_that_does_not_apply_is_left_out(ex: Exercise, abm: str, handoff: str | None, d2: float) -> None:
    items = [{"text": "Campaign copy", "instead": "Demand gen"}, {"text": "Events and booths", "instead": "Field team"}]
    raw = {"abm": abm, "review": "2027-01-20", "items": items, "plan": PLAN[:1],
           "ev": [{"text": "One", "tags": {"basis": "heard"}, "source": "s", "date": "2026-11-10"},
                  {"text": "Two", "tags": {"basis": "heard"}, "source": "s", "date": "2026-11-10"}]}
    if handoff:
        raw["handoff"] = handoff
    # depth 2/4 = 50, plan cover 1 of 2 months = 50, review 100, items 2 distinct = 100
    assert run(ex, raw).dimensions[1].score == d2


@pytest.mark.parametrize(
    ("review", "points"),
    [
        ("2027-01-20", 100.0),  # 63 days
        ("2026-12-01", 0.0),    # 13 days: too soon
        ("2029-01-01", 0.0),    # two years out
        ("someday", 0.0),       # not a date
        ("2026-12-18", 100.0),  # day 30 exactly
    ],
)
def test_a_date_answer_must_be_a_real_date_in_its_window(ex: Exercise, review: str, points: float) -> None:
    assert run(ex, {"review": review}).dimensions[1].score == pytest.approx((0 + points) / 2)  # with depth 0


@pytest.mark.parametrize("placeholder", ["TBD", "?", "n/a", "-", "Nobody", " to be decided "])
def test_a_placeholder_is_no_owner_or_source(ex: Exercise, placeholder: str) -> None:
    plan = [{**PLAN[0], "owner": placeholder}]
    ev = [{**NOTES[0], "source": placeholder}]
    r = run(ex, {"plan": plan, "ev": ev, "a": 5})
    assert r.metrics["plan_cover"].value == 0.0 and r.metrics["share"].value == 0.0
    assert r.metrics["backing"].value == 0.0


def test_without_a_workshop_date_dates_are_only_checked_for_presence(ex: Exercise) -> None:
    r = score(ex, check(ex, {"plan": PLAN[2:3], "ev": NOTES[3:4]}))
    assert r.metrics["plan_cover"].value == 50.0  # the day-103 item counts: no date to measure from
    assert r.metrics["share"].value == 100.0  # nothing is stale without a date to measure from
