"""Dates, times, numbers and percentages in the language in use (Babel, CLDR data).

English, the source language, keeps the kit's forms (ISO dates such as 2026-11-18, 24-hour
times): its documents stay as they were. Every other language uses its locale's long date
(18 novembre 2026, 2026年11月18日) and medium time. Numbers are rounded as Python rounds
(`Decimal(float)` is exact, then half to even) so a score reads the same in every language,
only written its way (87,8 in French).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent, get_decimal_symbol

from playbook.i18n.languages import SOURCE
from playbook.i18n.messages import _, current


def date(day: dt.date) -> str:
    lang = current()
    return day.isoformat() if lang.tag == SOURCE else format_date(day, "long", locale=lang.locale)


def time(moment: dt.datetime | dt.time) -> str:
    lang = current()
    if lang.tag == SOURCE:
        return moment.strftime("%H:%M:%S")
    return format_time(moment, "medium", locale=lang.locale)


def number(value: float, digits: int = 0, *, sign: bool = False) -> str:
    """`value` with `digits` decimals, no grouping (scores, counts); `sign` writes + on positives."""
    pattern = "0" if digits <= 0 else "0." + "0" * digits
    if sign:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(Decimal(value), pattern, locale=current().locale)


def percent(value: float) -> str:
    """A 0-100 value, whole, as the locale writes a percentage (85%, 85 %, %85)."""
    return format_percent(Decimal(value) / 100, locale=current().locale)


def decimal_mark() -> str:
    """The decimal mark of the language in use: "." or "," (a number typed in French: 2,5)."""
    return str(get_decimal_symbol(current().locale))


def share(value: float) -> str:
    """A share answered, rounded so that nearly all never reads as all, nor a little as none."""
    if 0 < value < 1:
        return _("under %(share)s") % {"share": percent(1)}
    return percent(99 if 99 < value < 100 else value)
