"""The scoring engine on a small definition, with every number worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest
from answer_strategies import answers_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.answers import check
from playbook.model import exercises
from playbook.scoring import score

FULL: dict[str, Any] = {
    "rating": 4,
    "level": "b",
    "topics": ["x", "y"],
    "ticks": ["t2", "t3"],
    "talks": 5,
    "name": "Acme",
    "story": "one two three four five",
    "notes": [
        {"text": "They renew late", "tags": {"evidence": "heard"}},
        {"text": "Two tools open", "tags": {"evidence": "observed"}},
        {"text": "They must hate it", "tags": {"evidence": "imagined"}},
    ],
    "grid_a": {"r1": {"c1": "A", "c2": "R"}, "r2": {"c1": "A", "c2": "A"}},
    "grid_b": {"r1": {"c1": "A"}, "r2": {"c2": "A"}},
    "questions": [
        {"text": "Would you buy it?"},
        {"text": "Tell me about the last time you reported churn."},
        {"text": "What does our product lack?"},
    ],
}


def test_full_answers_by_hand(mini: exercises.Exercise) -> None:
    r = score(mini, check(mini, FULL))
    dims = {d.id: d for d in r.dimensions}
    # d1: rating 4 -> 75, level b -> 50, talks 5 on 0..10 -> 50 (weight 2): (75+50+100)/4
    assert dims["d1"].score == 56.3  # 56.25, halves round up
    # d2: ticks 2/4 -> 50, topics mean(100, 50) -> 75, 3 of 4 notes -> 75, name -> 100,
    #     5 of 10 words -> 50, 2 of 3 notes heard/observed -> 66.67: 416.67/6
    assert dims["d2"].score == 69.4
    # d3: single owner 1 of 3 rows -> 33.33; ticks share inverted 100-50 -> 50: 83.33/2
    assert dims["d3"].score == 41.7
    # overall: (56.25*2 + 69.44 + 41.67)/4 = 223.61/4
    assert r.overall == 55.9
    assert r.band.id == "mid"
    assert r.gaps == ["d3"]
    m = r.metrics
    assert m["evidence"].value == 66.7 and m["evidence"].details == ["2 of 3 notes"]
    assert m["clean"].value == 33.3
    assert m["clean"].details == [
        "\u201cWould you buy it?\u201d: a hypothetical",
        "\u201cWhat does our product lack?\u201d: a pitch",
    ]
    assert m["gap"].value == 19.1  # rating 75 - overall 55.9
    assert m["single_owner"].value == 33.3
    assert m["single_owner"].details == ["Row two: 2 (Col one, Col two)", "Row three: nobody"]
    # rows answered in both grids: r1 (A at c1 both) agrees, r2 (c1,c2 vs c2) does not
    assert m["agree"].value == 50.0
    assert m["agree"].details == ["Row two: Col one, Col two / Col two"]
    assert m["align"].value == 45.8  # (33.33*1 + 50*3)/4
    assert m["complete"].value == 66.7 and m["complete"].details == ["missing: Order"]
    assert [f.id for f in r.flags] == ["owners", "picked.t2", "picked.t3"]
    assert r.flags[0].reason == "Row two: 2 (Col one, Col two); Row three: nobody"
    assert r.flags[1].reason == "ticked Tick two" and r.flags[1].severity == "notice"
    assert r.recommendation.id == "look"
    assert [a.id for a in r.advice] == ["a2"]
    # basics: 6 counted fields (story is optional), all given; lists: order missing, 4 of 5
    assert [(c.id, c.answered, c.total) for c in r.completeness] == [("basics", 6, 6), ("lists", 4, 5)]
    assert r.completeness_overall == 90.9


def test_knockout_overconfidence_and_compound_condition(mini: exercises.Exercise) -> None:
    r = score(mini, check(mini, {"rating": 5, "talks": 0, "ticks": ["t1"]}))
    # Blank is unknown: only answered items count. d1: (100 + 0*2)/3 = 33.33 (level blank);
    # d2: ticks 1/4 -> 25, the rest blank; d3: single owner blank, ticks inverted -> 75
    assert [d.score for d in r.dimensions] == [33.3, 25.0, 75.0]
    assert [d.answered for d in r.dimensions] == [75.0, 16.7, 50.0]
    # item weights in the overall: rating 2*1/4 = 0.5, talks 2*2/4 = 1, d2's ticks 1/6, d3's
    # ticks 1/2: (50 + 0 + 4.17 + 37.5) / 2.17 = 42.31; answered 2.17 of 4 = 54.2%
    assert r.overall == 42.3
    assert r.answered == 54.2
    assert r.band.id == "mid"
    by_id = {f.id: f for f in r.flags}
    assert by_id["picked.t1"].severity == "knockout"  # the option's severity wins
    assert by_id["picked.t1"].reason == "ticked Tick one"
    assert by_id["over"].reason == "gap of 58 points"  # 100 - 42.3
    assert by_id["no_talk"].reason == "rated 5 with no talks"
    assert r.flags[0].id == "picked.t1"  # knockouts first
    assert r.knockouts == [by_id["picked.t1"]]
    assert r.recommendation.id == "stop"
    assert [a.id for a in r.advice] == ["a1", "a2"]


def test_strong_answers_reach_the_top_band(mini: exercises.Exercise) -> None:
    given_ = {
        "rating": 5, "level": "a", "talks": 12, "ticks": [], "topics": ["x"], "name": "n",
        "story": " ".join(["w"] * 12),
        "notes": [{"text": f"n{i}", "tags": {"evidence": "heard"}} for i in range(4)],
        "grid_a": {r: {"c1": "A"} for r in ("r1", "r2", "r3")},
        "grid_b": {r: {"c1": "A"} for r in ("r1", "r2", "r3")},
    }
    r = score(mini, check(mini, given_))
    # d1 = 100; d2: ticks [] -> 0 share, rest 100: 500/6 = 83.33; d3: (100 + 100)/2 = 100
    assert [d.score for d in r.dimensions] == [100.0, 83.3, 100.0]
    assert r.overall == 95.8  # (200 + 83.33 + 100)/4
    assert r.band.id == "high"
    assert r.recommendation.id == "go"
    assert r.advice == []
    assert not any(f.id == "no_name" for f in r.flags)


def test_empty_answers(mini: exercises.Exercise) -> None:
    r = score(mini, {})
    # nothing is known: no score (not zero), and without an incomplete band the lowest band
    assert r.overall is None and r.answered == 0 and r.completeness_overall == 0
    assert all(d.score is None and not d.gap for d in r.dimensions)
    assert r.band.id == "low"
    assert all(m.value is None for k, m in r.metrics.items() if k != "complete")
    assert [f.id for f in r.flags] == ["no_name"]
    assert r.recommendation.id == "look"


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"field": "talks", "lt": 5}, {"talks": 4}, True),
        ({"field": "talks", "lt": 5}, {"talks": 5}, False),
        ({"field": "talks", "le": 5}, {"talks": 5}, True),
        ({"field": "talks", "gt": 5}, {"talks": 5}, False),
        ({"field": "talks", "ge": 5}, {"talks": 5}, True),
        ({"field": "talks", "ge": 5}, {}, False),  # unanswered fails every test
        ({"field": "level", "eq": "a"}, {"level": "a"}, True),
        ({"field": "level", "ne": "a"}, {"level": "b"}, True),
        ({"field": "level", "ne": "a"}, {}, False),
        ({"field": "level", "in": ["a", "b"]}, {"level": "c"}, False),
        ({"field": "ticks", "includes": "t2"}, {"ticks": ["t1", "t2"]}, True),
        ({"field": "ticks", "includes": "t2"}, {"ticks": []}, False),
        ({"field": "ticks", "filled": True}, {"ticks": []}, True),  # nothing ticked is an answer
        ({"field": "name", "filled": True}, {"name": "   "}, False),  # blank text is not
        ({"field": "name", "filled": False}, {}, True),
        ({"field": "level", "lt": 3}, {"level": "a"}, False),  # numbers only compare numbers
        ({"metric": "evidence", "ge": 50}, {"notes": [{"text": "x", "tags": {"evidence": "heard"}}]}, True),
        ({"metric": "evidence", "ge": 0}, {}, False),  # nothing to measure
        ({"score": "overall", "lt": 1}, {}, False),  # no score yet: unknown fails every test
        ({"score": "overall", "filled": False}, {}, True),
        ({"score": "overall", "lt": 1}, {"rating": 1}, True),
        ({"score": "d1", "ge": 50}, {"rating": 5, "level": "a"}, True),  # (100+100)/4 = 50
        ({"all": [{"field": "talks", "ge": 1}, {"field": "level", "eq": "a"}]}, {"talks": 1}, False),
        ({"any": [{"field": "talks", "ge": 1}, {"field": "level", "eq": "a"}]}, {"talks": 1}, True),
        ({"not": {"field": "talks", "ge": 1}}, {"talks": 0}, True),
    ],
)
def test_conditions(mini: exercises.Exercise, condition: dict[str, Any], answers: dict[str, Any], expected: bool) -> None:
    from playbook.model.exercises import Condition
    from playbook.scoring import _Scorer

    cond = Condition.model_validate(condition)
    assert _Scorer(mini, check(mini, answers)).holds(cond) is expected


@pytest.mark.parametrize(
    ("points", "value", "expected"),
    [
        ([[0, 0], [10, 100]], 0, 0.0),
        ([[0, 0], [10, 100]], 2.5, 25.0),
        ([[0, 0], [10, 100]], 50, 100.0),  # clamped past the last point
        ([[1, 20], [3, 60], [6, 100]], 4.5, 80.0),  # between the 2nd and 3rd points
        ([[1, 20], [3, 60], [6, 100]], 0, 20.0),  # below the first point
    ],
)
def test_piecewise(points: list[list[float]], value: float, expected: float) -> None:
    from playbook.scoring import _interpolate

    assert _interpolate([tuple(p) for p in points], value) == pytest.approx(expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_answers_score_in_range(mini: exercises.Exercise, data: st.DataObject) -> None:
    """Property: on any valid answers, scoring never raises and stays within 0-100."""
    defs = [mini, *exercises.all_exercises()]
    ex = data.draw(st.sampled_from(defs))
    given_ = check(ex, data.draw(answers_for(ex)))
    r = score(ex, given_)
    assert r.overall is None or 0 <= r.overall <= 100
    assert all(d.score is None or 0 <= d.score <= 100 for d in r.dimensions)
    assert all(0 <= d.answered <= 100 for d in r.dimensions) and 0 <= r.answered <= 100
    assert 0 <= r.completeness_overall <= 100
    for m in r.metrics.values():
        if m.value is not None and m.unit == "percent":
            assert 0 <= m.value <= 100
        if m.value is not None and m.unit == "points":
            assert -100 <= m.value <= 100
    assert r.overall is None or r.band.min <= r.overall
    assert r.recommendation.id in {x.id for x in ex.recommendations}


def test_an_all_optional_section_is_reported_but_not_counted(mini: exercises.Exercise) -> None:
    lists = mini.sections[1]
    later = lists.model_copy(update={"fields": [f.model_copy(update={"optional": True}) for f in lists.fields]})
    ex = mini.model_copy(update={"sections": [mini.sections[0], later]})
    r = score(ex, check(ex, {"rating": 3, "level": "a", "order": ["p"]}))
    basics, rest = r.completeness
    assert (basics.answered, basics.total, basics.optional) == (2, 6, False)
    assert (rest.answered, rest.total, rest.optional) == (1, 5, True)
    assert r.completeness_overall == 33.3  # 2 of basics' 6 only


@pytest.mark.parametrize(("missing", "expected"), [("skip", 33.3), ("zero", 8.3)])
def test_combine_missing_parts(mini: exercises.Exercise, missing: str, expected: float) -> None:
    metrics = [m.model_copy(update={"missing": missing}) if m.id == "align" else m for m in mini.metrics]
    ex = mini.model_copy(update={"metrics": metrics})
    # single owner 1 of 3 rows; no grid_b, so no agreement: skip -> 33.3, zero -> (33.3*1 + 0*3)/4
    r = score(ex, check(ex, {"grid_a": FULL["grid_a"]}))
    assert r.metrics["align"].value == expected
