"""Cycles between metrics and scores: a metric a dimension scores cannot depend on that score.

Scoring evaluates metrics and scores lazily, each on demand of another; a definition whose
dependencies loop would fail in the middle of a report. The graph here follows every edge
the scorer may take (an item's condition, metric and cap; a metric's operands and parts), so
a loop is found at load time, whatever the answers.
"""

from __future__ import annotations

from collections.abc import Iterator

from playbook.model.checks.common import Path, Problem
from playbook.model.conditions import Condition
from playbook.model.exercise import Exercise
from playbook.model.rubric import Item

FIX = "break the cycle: a metric used in a dimension cannot refer to that score"


def _metric(mid: str) -> str:
    return f"metric {mid!r}"


def _score(sid: str) -> str:
    return f"score {sid!r}"


def _subjects(cond: Condition) -> list[str]:
    out: list[str] = []
    for c in cond.walk():
        if c.metric:
            out.append(_metric(c.metric))
        if c.score:
            out.append(_score(c.score))
    return out


def graph(ex: Exercise) -> dict[str, list[str]]:
    """What each metric and score reads when it is computed (the overall score first)."""
    caps = {c.id: c for c in ex.rubric.caps}

    def item_deps(item: Item) -> list[str]:
        deps = _subjects(item.when) if item.when is not None else []
        if item.metric:
            deps.append(_metric(item.metric))
        cap = caps.get(item.cap or "")
        if cap is not None and cap.backed_by is not None:
            deps.append(_metric(cap.backed_by))
        if cap is not None and cap.unless is not None:
            deps += _subjects(cap.unless)
        return deps

    every_item = [d for dim in ex.rubric.dimensions for item in dim.items for d in item_deps(item)]
    out = {_score("overall"): every_item}
    for dim in ex.rubric.dimensions:
        out[_score(dim.id)] = [d for item in dim.items for d in item_deps(item)]
    for m in ex.metrics:
        deps: list[str] = []
        for op in (m.a, m.b):
            if op is not None and op.score:
                deps.append(_score(op.score))
            if op is not None and op.metric:
                deps.append(_metric(op.metric))
        deps += [_metric(p) for p in m.parts or {}]
        if m.kind == "answered":  # the share answered looks at every item
            deps += every_item
        out[_metric(m.id)] = deps
    return out


def problems(ex: Exercise) -> Iterator[Problem]:
    """The first cycle, found in the order scoring computes (overall, dimensions, metrics)."""
    deps = graph(ex)
    where: dict[str, Path] = {_score("overall"): ("rubric",)}
    where |= {_score(d.id): ("rubric", "dimensions", i) for i, d in enumerate(ex.rubric.dimensions)}
    where |= {_metric(m.id): ("metrics", i) for i, m in enumerate(ex.metrics)}
    done: set[str] = set()

    def visit(node: str, stack: list[str]) -> list[str] | None:
        if node in stack:
            return [*stack[stack.index(node):], node]
        if node in done or node not in deps:
            return None
        for dep in deps[node]:
            found = visit(dep, [*stack, node])
            if found:
                return found
        done.add(node)
        return None

    for root in deps:
        loop = visit(root, [])
        if loop:
            yield where[loop[0]], f"{loop[0]} depends on itself through metrics and scores ({' -> '.join(loop)})"
            return
