"""The question check in every language (issue 11, item 3): the open questions a native
interviewer asks pass and the weak ones are caught with the rules they break, in a workshop of
any of the five languages, because each question is read in the language it is written in.

The tables are in tests/interview_questions.py; the English ones are the empathy audit's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from interview_questions import GOOD, MORE_GOOD, MORE_WEAK, WEAK
from test_content_empathy_audit import GOOD_QUESTIONS, WEAK_QUESTIONS

from playbook import answers, scoring
from playbook.model import exercises
from playbook.scoring.language import detect

AS_OF = dt.date(2026, 11, 18)
LANGUAGES = ("en", "pt-BR", "fr", "zh-Hans", "id")
GOOD_BY_LANGUAGE = {"en": GOOD_QUESTIONS, **GOOD}
WEAK_BY_LANGUAGE = {"en": WEAK_QUESTIONS, **WEAK}


@pytest.fixture(scope="module")
def ex() -> exercises.Exercise:
    return exercises.get("empathy_audit")


def check(ex: exercises.Exercise, question: str, workshop: str) -> tuple[float | None, set[str], list[str]]:
    """(question quality, the rules broken, the details) of one question in a workshop's language."""
    raw: dict[str, Any] = {"question_bank": [{"text": question, "tags": {"purpose": "past_event", "type": "open"}}]}
    result = scoring.score(ex, answers.check(ex, raw), scoring.Context(as_of=AS_OF, language=workshop))
    metric = result.metrics["question_quality"]
    details = " ".join(metric.details)
    return metric.value, {r.id for r in ex.lint if r.message in details}, metric.details


def test_the_tables_are_large_enough() -> None:
    for language in GOOD:
        assert len(GOOD[language]) >= 25 and len(WEAK[language]) >= 30, language
        assert len(set(GOOD[language])) == len(GOOD[language])
        # every rule is tried in every language
        assert set().union(*(broken for _, broken in WEAK[language])) == {
            "hypothetical", "future", "pitching", "leading", "generic", "yes_no"}, language


@pytest.mark.parametrize("workshop", LANGUAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_open_questions_pass_in_any_workshop(ex: exercises.Exercise, language: str, workshop: str) -> None:
    wrong = {}
    for question in GOOD_BY_LANGUAGE[language]:
        value, _, details = check(ex, question, workshop)
        if value != 100.0:
            wrong[question] = details
    assert not wrong


@pytest.mark.parametrize("workshop", LANGUAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_weak_questions_are_caught_in_any_workshop(ex: exercises.Exercise, language: str, workshop: str) -> None:
    wrong = {}
    for question, expected in WEAK_BY_LANGUAGE[language]:
        value, broken, _ = check(ex, question, workshop)
        if value != 0.0 or broken != expected:
            wrong[question] = (sorted(broken), sorted(expected))
    assert not wrong


@pytest.mark.parametrize("language", list(MORE_GOOD))
def test_questions_written_after_the_rules(ex: exercises.Exercise, language: str) -> None:
    """Other situations than the tables': open ones pass, weak ones do not."""
    flagged = [q for q in MORE_GOOD[language] if check(ex, q, language)[0] != 100.0]
    passed = [q for q in MORE_WEAK[language] if check(ex, q, language)[0] != 0.0]
    assert not flagged and not passed


@pytest.mark.parametrize("workshop", LANGUAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_is_read_in_its_own_language(language: str, workshop: str) -> None:
    questions = [*GOOD_BY_LANGUAGE[language], *(q for q, _ in WEAK_BY_LANGUAGE[language])]
    misread = {q: got for q in questions if (got := detect(q, workshop)) != language}
    assert not misread
