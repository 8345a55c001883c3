"""Metrics and scores that depend on themselves are found when a definition loads.

The check follows every edge scoring may take, so it also finds loops that scoring an empty
worksheet never reaches (the share answered looks at every item only once something is
answered) and that would otherwise fail in the middle of a report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.errors import DefinitionError
from playbook.model.loading import load_file

MINI = (Path(__file__).parent / "data" / "mini.yml").read_text(encoding="utf-8")
ITEM = "        - {metric: single_owner, method: metric}\n"
METRIC = "  - {id: single_owner, label: Single owner, kind: matrix_single, field: grid_a, value: A}\n"


def _load(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mini.yml"
    path.write_text(text, encoding="utf-8")
    load_file(path)


# (item added to dimension d3, metric added, the loop the message names)
CYCLES = [
    ("        - {metric: gap, method: metric}\n", "",
     "score 'overall' -> metric 'gap' -> score 'overall'"),
    ("        - {metric: filled_in, method: metric}\n", "  - {id: filled_in, label: Filled in, kind: answered}\n",
     "(metric 'filled_in' -> metric 'filled_in')"),  # the share answered reads every item, its own too
    ("        - {field: ticks, method: share, when: {score: d3, ge: 50}}\n", "",
     "score 'd3' -> score 'd3'"),
    ("        - {metric: lead, method: metric}\n",
     "  - {id: lead, label: Lead, kind: gap, unit: points, a: {score: d1}, b: {metric: lag}}\n"
     "  - {id: lag, label: Lag, kind: combine, parts: {lead: 1}}\n",
     "metric 'lead' -> metric 'lag' -> metric 'lead'"),
]


@pytest.mark.parametrize(("item", "metric", "loop"), CYCLES)
def test_a_loop_between_metrics_and_scores_is_a_definition_error(
    tmp_path: Path, item: str, metric: str, loop: str
) -> None:
    assert ITEM in MINI and METRIC in MINI
    text = MINI.replace(ITEM, ITEM + item).replace(METRIC, METRIC + metric)
    with pytest.raises(DefinitionError) as info:
        _load(tmp_path, text)
    err = info.value
    assert "depends on itself through metrics and scores" in err.message
    assert loop in err.message, err.message
    assert err.line is not None and err.fix is not None and "break the cycle" in err.fix


def test_a_score_may_depend_on_another_score(tmp_path: Path) -> None:
    item = "        - {field: ticks, method: share, when: {score: d1, ge: 50}}\n"
    _load(tmp_path, MINI.replace(ITEM, ITEM + item))
