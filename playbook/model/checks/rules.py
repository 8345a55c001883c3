"""Cross-checks of flags, recommendations and advice."""

from __future__ import annotations

from collections.abc import Iterator

from playbook.model.checks.common import Problem, need_field, template_problems, unknown
from playbook.model.exercise import Exercise


def flag_problems(ex: Exercise) -> Iterator[Problem]:
    setting_ids = {st.id for st in ex.settings}
    for fi, flag in enumerate(ex.flags):
        if flag.each_selected:
            yield from need_field(ex.fields, ("flags", fi, "each_selected"), flag.each_selected,
                                  ("multi_choice", "checklist"))
        yield from template_problems(("flags", fi, "reason"), flag.reason, {"value", "details", "label", *setting_ids})


def recommendation_problems(ex: Exercise) -> Iterator[Problem]:
    """One default recommendation last; overrides name plain recommendations; questions
    come from a backing metric."""
    recs = ex.recommendations
    plain = [r for r in recs if not r.overrides]
    if not plain or plain[-1].when is not None:
        last = recs.index(plain[-1]) if plain else len(recs) - 1
        yield (("recommendations", last, "when"),
               "the last recommendation without overrides: is the default: give it no when:")
    plain_ids = {r.id for r in plain}
    backing = {m.id for m in ex.metrics if m.kind == "backing"}
    for ri, rule in enumerate(recs):
        for k, rid in enumerate(rule.overrides):
            if rid not in plain_ids:
                yield ("recommendations", ri, "overrides", k), unknown("recommendation", rid, plain_ids)
        if rule.overrides and rule.when is None:
            yield ("recommendations", ri, "when"), "an overriding recommendation needs a when:"
    for key, rules in (("recommendations", ex.recommendations), ("advice", ex.advice)):
        for ri, rule in enumerate(rules):
            if rule.questions and rule.questions.metric not in backing:
                yield (key, ri, "questions", "metric"), unknown("backing metric", rule.questions.metric, backing)
