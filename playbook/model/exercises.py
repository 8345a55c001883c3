"""Exercise definitions, in one import for callers: the models and their loading.

The parts live in modules named for their job: `exercise` (the exercise and its outline),
`conditions`, `rubric`, `metrics`, `rules`, `report`, `checks/` (cross-checks by concern) and
`loading` (files to models, the bundled definitions by id).
"""

from __future__ import annotations

from playbook.model.conditions import Condition, FieldRef, Number, SettingRef
from playbook.model.exercise import (
    Difficulty,
    Exercise,
    People,
    Reference,
    Section,
    Setting,
    Statistic,
    Step,
    rating_gaps,
)
from playbook.model.fields import FieldDef, Option
from playbook.model.loading import ORDER, all_exercises, content_dir, get, load_file
from playbook.model.metrics import Cover, LintRule, Metric, MetricKind, Operand
from playbook.model.report import BLOCKS, Chart, Digest, Ranked, ReportSection, WorkshopSummary
from playbook.model.rubric import Band, Cap, Dimension, Item, ItemMethod, Rubric
from playbook.model.rules import Flag, Questions, Rule

__all__ = [
    "BLOCKS",
    "ORDER",
    "Band",
    "Cap",
    "Chart",
    "Condition",
    "Cover",
    "Difficulty",
    "Digest",
    "Dimension",
    "Exercise",
    "FieldDef",
    "FieldRef",
    "Flag",
    "Item",
    "ItemMethod",
    "LintRule",
    "Metric",
    "MetricKind",
    "Number",
    "Operand",
    "Option",
    "People",
    "Questions",
    "Ranked",
    "Reference",
    "ReportSection",
    "Rubric",
    "Rule",
    "Section",
    "Setting",
    "SettingRef",
    "Statistic",
    "Step",
    "WorkshopSummary",
    "all_exercises",
    "content_dir",
    "get",
    "load_file",
    "rating_gaps",
]
