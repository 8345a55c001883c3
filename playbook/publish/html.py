"""The kit's one Jinja environment: every HTML fragment and page the kit writes comes from a
template in `playbook/publish/templates/` (package data, found with importlib.resources).

Autoescape is on and undefined names are errors, so everything a person typed (answers, team
names, definition texts) is escaped where it is printed and nothing is escaped twice; Python
code hands templates data, never markup. Shared parts (a table, an answer, a blank field, a
flag, a chart) are macros in `macros.html.j2`.

In a `.html.j2` template a line break and the indentation after it are source layout only:
they never reach the output, so templates read one element a line while the HTML stays
compact (a space that must separate words is written before the line break).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup

from playbook.scoring import MetricResult, is_answered, share

NOT_RATED = "not rated"  # a score over nothing answered: unknown, never a zero
STEP_MODES = {"silent": "Silent, alone", "pairs": "In pairs", "group": "Team", "plenary": "All teams"}
TRACED = {
    "verified": "verified at the source", "secondary": "quoted from a secondary source",
    "disputed": "disputed origin", "untraced": "not traced to a source",
}
_LAYOUT = re.compile(r"\n[ \t]*")
TEMPLATES = resources.files("playbook.publish") / "templates"


class _Compact(Extension):
    """Drops line breaks and the indentation after them from `.html.j2` sources (see above)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _LAYOUT.sub("", source) if name and name.endswith(".html.j2") else source


def templates_dir() -> str:
    return str(TEMPLATES)


# --- formats every template shares --------------------------------------------------------


def score_text(value: float | None, digits: int = 0) -> str:
    """A 0-100 score, or "not rated" when nothing it covers is answered (never a zero)."""
    return NOT_RATED if value is None else f"{value:.{digits}f}"


def metric_value(m: MetricResult | None) -> str:
    if m is None or m.value is None:
        return "not measured yet"
    if m.unit == "points":
        return f"{m.value:+.0f} points"
    return f"{m.value:.0f}" if m.unit == "count" else f"{m.value:.0f}%"


def minutes(n: int) -> str:
    return f"{n} min" if n < 60 else f"{n // 60} h {n % 60:02d} min"


def clock(offset: int) -> str:
    return f"{offset // 60}:{offset % 60:02d}"


def study_year(year: int | None) -> str:
    """The year of the study behind a figure; the article quoting it is a different year."""
    return "unknown" if year is None else str(year)


def quoted_in(year: int | None) -> str:
    """The year of the article that quoted the figure, when it came through one."""
    return "\u2013" if year is None else str(year)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def whole(value: float) -> str:
    return f"{value:.0f}"


def note_extra(field: Any, note: Mapping[str, Any]) -> str:
    """A note's tags and attributes as text: "Basis: Heard; Source: Ana"."""
    groups = {g.id: g for g in field.tag_groups}
    tags = []
    for gid, oid in note.get("tags", {}).items():
        g = groups.get(gid)
        label = next((o.label for o in g.options if o.id == oid), oid) if g else oid
        tags.append(f"{g.label if g else gid}: {label}")
    attrs = [f"{a.label}: {note[a.id]}" for a in field.attributes if note.get(a.id)]
    return "; ".join(tags + attrs)


@cache
def css(name: str) -> Markup:
    """A stylesheet of the templates folder, for a `<style>` element (ours, so trusted)."""
    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))


def unsupported(what: str) -> None:
    raise ValueError(f"no template for {what}")  # a new field type or block must add one


# --- the environment ------------------------------------------------------------------------


@cache
def env() -> Environment:
    e = Environment(
        loader=FileSystemLoader(templates_dir()), autoescape=True, undefined=StrictUndefined,
        extensions=[_Compact], keep_trailing_newline=False,
    )
    e.filters.update(score=score_text, share=share, metric=metric_value, whole=whole, minutes=minutes,
                     clock=clock, study_year=study_year, quoted_in=quoted_in)
    e.globals.update(css=css, plural=plural, note_extra=note_extra, is_answered=is_answered,
                     unsupported=unsupported, STEP_MODES=STEP_MODES, TRACED=TRACED)
    return e


def render(template: str, **context: Any) -> str:
    """Template `template` rendered with `context` (escaped by the template, never before)."""
    return env().get_template(template).render(**context)


def macro(template: str, name: str) -> Callable[..., Markup]:
    """Macro `name` of `template`, callable from Python: it returns escaped markup."""
    found: Callable[..., Markup] = getattr(env().get_template(template).module, name)
    return found


def warm() -> None:
    """Compile every template once (a batch kernel does this before its first report)."""
    for name in env().list_templates(extensions=["j2"]):
        env().get_template(name)
