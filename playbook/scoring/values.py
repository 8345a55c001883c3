"""Small pure rules scoring applies to answers and numbers: what counts as answered; how
numbers round; how reason templates format. (What counts as a given attribute, as the same
note and as a word is in `text`, for every language.)"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import string
from typing import Any

from playbook.i18n import gettext as _
from playbook.model.conditions import Condition
from playbook.model.fields import Choices, FieldDef


def is_answered(field: FieldDef, value: Any) -> bool:
    """A checklist with nothing ticked is an answer ("none apply"); other empties are not."""
    if value is None:
        return False
    if field.type == "checklist":
        return isinstance(value, list)
    if isinstance(value, str):
        return bool(value.strip())
    return value not in ([], {})


def clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def round1(x: float) -> float:
    """One decimal, halves rounded up (56.25 -> 56.3), as a person rounds by hand."""
    return math.floor(x * 10 + 0.5 + 1e-9) / 10


def interpolate(points: list[tuple[float, float]], x: float) -> float:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 != x0 else y1
    return points[-1][1]


def iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


class _Formatter(string.Formatter):
    """Formats reason templates; a value that refuses a format spec is shown as text, and
    fixed-point numbers round halves up (78.5 -> "79"), as everywhere else in the kit."""

    def format_field(self, value: Any, format_spec: str) -> str:
        spec = re.fullmatch(r"(.*)\.(\d+)f", format_spec)
        if spec and isinstance(value, int | float) and not isinstance(value, bool):
            n = int(spec.group(2))
            value = math.floor(value * 10**n + 0.5 + 1e-9) / 10**n
        try:
            return str(super().format_field(value, format_spec))
        except (ValueError, TypeError):
            return str(value)


FMT = _Formatter()


def share(percent: float) -> str:
    """A share answered, rounded so that nearly all never reads as all, nor a little as none."""
    if 0 < percent < 1:
        return _("under 1%")
    if 99 < percent < 100:
        return "99%"
    return f"{percent:.0f}%"


def join(items: list[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def only_filled(c: Condition) -> bool:
    return all(getattr(c, op) is None for op in ("lt", "le", "gt", "ge", "eq", "ne", "in_", "includes"))


def same(v: Any, ref: Any) -> bool:
    if isinstance(v, int | float) and isinstance(ref, int | float):
        return float(v) == float(ref)
    return bool(v == ref)


def names(ids: list[str] | dict[str, str], cols: dict[str, str]) -> str:
    if isinstance(ids, list):
        return ", ".join(cols.get(i, i) for i in ids) or _("nobody")
    return ", ".join(f"{cols.get(k, k)}={v}" for k, v in ids.items()) or _("empty")


def readable(field: FieldDef, v: Any) -> Any:
    """Option ids become their labels in flag reasons."""
    if not isinstance(field, Choices):
        return v
    if field.type == "single_choice":
        return field.option(v).label
    return ", ".join(field.option(o).label for o in v)
