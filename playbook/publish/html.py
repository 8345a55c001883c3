"""The kit's one Jinja environment: every HTML fragment and page the kit writes comes from a
template in `playbook/publish/templates/` (package data, found with importlib.resources).

Autoescape is on and undefined names are errors, so everything a person typed (answers, team
names, definition texts) is escaped where it is printed and nothing is escaped twice; Python
code hands templates data, never markup. Shared parts (a table, an answer, a blank field, a
flag, a chart) are macros in `macros.html.j2`.

In a `.html.j2` template a line break and the indentation after it are source layout only:
they never reach the output, so templates read one element a line while the HTML stays
compact (a space that must separate words is written before the line break).

Words come through Jinja's i18n extension: `_("...")` and `ngettext` in a template are
gettext messages in the language in use (`playbook.i18n`), extracted by Babel from the
compacted source (`compact`), so a message reads the same to the extractor and at run time.
A translation is text, escaped like any other; `%(name)s` values are escaped as they are
put in, and markup passed as a value (a macro's output) stays markup. Numbers, percentages and
shares are written the locale's way (`playbook.i18n.formats`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_eval_context
from jinja2.ext import Extension
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from playbook.i18n import N_, _, formats, gettext, ngettext
from playbook.scoring import MetricResult, is_answered

NOT_RATED = N_("not rated")  # a score over nothing answered: unknown, never a zero
STEP_MODES = {"silent": N_("Silent, alone"), "pairs": N_("In pairs"), "group": N_("Team"),
              "plenary": N_("All teams")}
TRACED = {
    "verified": N_("verified at the source"), "secondary": N_("quoted from a secondary source"),
    "disputed": N_("disputed origin"), "untraced": N_("not traced to a source"),
}
TRACED_NAMES = {"verified": N_("verified"), "secondary": N_("secondary"), "disputed": N_("disputed"),
                "untraced": N_("untraced")}
SEVERITIES = {"knockout": N_("knockout"), "warning": N_("warning"), "notice": N_("notice")}
DIFFICULTIES = {"easy": N_("easy"), "moderate": N_("moderate"), "advanced": N_("advanced")}
_LAYOUT = re.compile(r"\n[ \t]*")
TEMPLATES = resources.files("playbook.publish") / "templates"


def compact(source: str) -> str:
    """A `.html.j2` source without its layout: line breaks and the indentation after them."""
    return _LAYOUT.sub("", source)


class _Compact(Extension):
    """Drops line breaks and the indentation after them from `.html.j2` sources (see above)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return compact(source) if name and name.endswith(".html.j2") else source


def templates_dir() -> str:
    return str(TEMPLATES)


# --- formats every template shares --------------------------------------------------------


def score_text(value: float | None, digits: int = 0) -> str:
    """A 0-100 score, or "not rated" when nothing it covers is answered (never a zero)."""
    return _(NOT_RATED) if value is None else formats.number(value, digits)


def metric_value(m: MetricResult | None) -> str:
    if m is None or m.value is None:
        return _("not measured yet")
    if m.unit == "points":
        return _("%(points)s points") % {"points": formats.number(m.value, sign=True)}
    return formats.number(m.value) if m.unit == "count" else formats.percent(m.value)


def minutes(n: int) -> str:
    if n < 60:
        return _("%(minutes)s min") % {"minutes": n}
    return _("%(hours)s h %(minutes)s min") % {"hours": n // 60, "minutes": f"{n % 60:02d}"}


def clock(offset: int) -> str:
    return f"{offset // 60}:{offset % 60:02d}"


def study_year(year: int | None) -> str:
    """The year of the study behind a figure; the article quoting it is a different year."""
    return _("unknown") if year is None else str(year)


def quoted_in(year: int | None) -> str:
    """The year of the article that quoted the figure, when it came through one."""
    return "\u2013" if year is None else str(year)


def whole(value: float) -> str:
    return formats.number(value)


def labelled(label: str, value: Any) -> str:
    """`Source: Ana`, punctuated the language's way."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def listed(texts: list[str], separator: str = ", ") -> str:
    """Texts joined with the language's separator: `, ` (a list) or `; ` (a list of lists)."""
    # Translators: the separators between items of a list (", ") and between groups of items ("; ")
    return (_(", ") if separator == ", " else _("; ")).join(texts)


def note_extra(field: Any, note: Mapping[str, Any]) -> str:
    """A note's tags and attributes as text: "Basis: Heard; Source: Ana"."""
    groups = {g.id: g for g in field.tag_groups}
    tags = []
    for gid, oid in note.get("tags", {}).items():
        g = groups.get(gid)
        label = next((o.label for o in g.options if o.id == oid), oid) if g else oid
        tags.append(labelled(g.label if g else gid, label))
    attrs = [labelled(a.label, note[a.id]) for a in field.attributes if note.get(a.id)]
    return listed(tags + attrs, "; ")


# --- gettext for templates: a translation is text (escaped), values fill it as they are -------

@pass_eval_context
def _template_gettext(ctx: EvalContext, message: str, **values: Any) -> str:
    """Always formatted, as Jinja's newstyle gettext is: a literal % is written %% in a message."""
    text = gettext(message)
    return _text(text) % values if ctx.autoescape else text % values


@pass_eval_context
def _template_ngettext(ctx: EvalContext, singular: str, plural: str, n: int, **values: Any) -> str:
    values.setdefault("num", n)
    text = ngettext(singular, plural, n)
    return _text(text) % values if ctx.autoescape else text % values


def _text(translation: str) -> Markup:
    """A translation as markup: &, <, > and " escaped (it may stand in a double-quoted attribute);
    an apostrophe stays one, as it does in the template text it replaces."""
    return Markup(str(escape(translation)).replace("&#39;", "'"))


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
        extensions=[_Compact, "jinja2.ext.i18n"], keep_trailing_newline=False,
    )
    e.newstyle_gettext = True  # type: ignore[attr-defined]  # {% trans %} passes its values as keywords
    e.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    e.filters.update(score=score_text, share=formats.share, metric=metric_value, whole=whole, minutes=minutes,
                     clock=clock, study_year=study_year, quoted_in=quoted_in, date=formats.date,
                     number=formats.number, percent=formats.percent, listed=listed)
    e.globals.update(css=css, note_extra=note_extra, is_answered=is_answered,
                     unsupported=unsupported, STEP_MODES=STEP_MODES, TRACED=TRACED, TRACED_NAMES=TRACED_NAMES,
                     SEVERITIES=SEVERITIES, DIFFICULTIES=DIFFICULTIES, language=_language)
    return e


def _language() -> str:
    """The language in use, for `lang` attributes."""
    from playbook.i18n import current

    return current().tag


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
