"""HTML fragments of the printed handouts and the facilitator guide.

Pure functions from definitions to markup. Every text (definitions, workshop.yml) is data
and goes through `e()` (html.escape). Nothing here reads `facilitator_notes`, a field's
`reveal` or an option's `severity`: participants must not see them, and only the facilitator
guide (`guide_html`) prints the first two.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from playbook.model.exercises import Exercise, Step

MODES = {"silent": "Silent, alone", "pairs": "In pairs", "group": "Team", "plenary": "All teams"}
TRACED = {
    "verified": "verified at the source", "secondary": "quoted from a secondary source",
    "disputed": "disputed origin", "untraced": "not traced to a source",
}
NOTE_ROWS = 6


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def minutes(n: int) -> str:
    return f"{n} min" if n < 60 else f"{n // 60} h {n % 60:02d} min"


def facts(ex: Exercise) -> str:
    items = [("People", str(ex.people)), ("Run time", minutes(ex.run_minutes)), ("Difficulty", ex.difficulty)]
    return '<ul class="pb-facts">' + "".join(f"<li><b>{k}:</b> {e(v)}</li>" for k, v in items) + "</ul>"


def steps_table(steps: Sequence[Step]) -> str:
    rows = []
    for n, s in enumerate(steps, 1):
        rows.append(
            f'<tr class="pb-step"><td><b>{n}. {e(s.title)}</b><br>{e(s.instructions)}</td>'
            f'<td class="pb-mode"><span class="pb-mode-tag">{e(MODES[s.mode])}</span></td>'
            f'<td class="pb-min">{e(minutes(s.minutes))}</td></tr>'
        )
    head = ('<tr><th scope="col">Step</th><th scope="col" class="pb-mode">How</th>'
            '<th scope="col" class="pb-min">Time</th></tr>')
    return f'<table class="pb-steps"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _lines(n: int) -> str:
    return '<span class="pb-line"></span>' * n


def _choices(options: Iterable[Any], mark: str) -> str:
    return '<ul class="pb-options">' + "".join(
        f'<li><span class="pb-{mark}" aria-hidden="true"></span><span>{e(o.label)}'
        + (f' <span class="pb-hint">{e(o.help)}</span>' if o.help else "") + "</span></li>"
        for o in options
    ) + "</ul>"


def blank_field(f: Any) -> str:
    """The empty form of one field, with room to write."""
    t = f.type
    if t == "short_text":
        body, hint = _lines(1 if f.max_length <= 200 else 2), ""
    elif t == "long_text":
        body, hint = _lines(min(8, max(3, f.max_length // 500))), ""
    elif t == "number":
        unit = f" {e(f.unit)}" if f.unit else ""
        body, hint = f'<p><span class="pb-number"></span>{unit}</p>', ""
    elif t == "scale":
        cells = "".join(f'<div><span class="pb-box" aria-hidden="true"></span><b>{n}</b><br>{e(p)}</div>'
                        for n, p in enumerate(f.points, 1))
        body, hint = f'<div class="pb-scale">{cells}</div>', "Tick one box."
    elif t == "single_choice":
        body, hint = _choices(f.options, "circle"), "Tick one."
    elif t in ("multi_choice", "checklist"):
        most = getattr(f, "max_selected", None)
        body, hint = _choices(f.options, "box"), f"Tick up to {most}." if most else "Tick all that apply."
    elif t == "ranking":
        body = (_choices(f.options, "dot") + '<ol class="pb-rank">'
                + "".join(f"<li>{_lines(1)}</li>" for _ in f.options) + "</ol>")
        hint = "Write the options in order, most important first." + ("" if f.rank_all else " Rank as many as matter.")
    elif t == "notes":
        body, hint = _notes_grid(f), "One note a row; circle one tag in each tag column."
    elif t == "matrix":
        body, hint = _matrix_grid(f), ""
    else:  # pragma: no cover - a new field type must add its blank form here
        raise ValueError(f"no blank form for field type {t!r}")
    help_ = f'<p class="pb-help">{e(f.help)}</p>' if f.help else ""
    hint_ = f'<p class="pb-hint">{e(hint)}</p>' if hint else ""
    return f'<div class="pb-field"><p class="pb-label">{e(f.label)}</p>{help_}{hint_}{body}</div>'


def _notes_grid(f: Any) -> str:
    heads = ['<th scope="col" style="width:auto">Note</th>']
    for g in f.tag_groups:
        opts = " / ".join(e(o.label) for o in g.options)
        heads.append(f'<th scope="col" style="width:{min(22, 8 + 3 * len(g.options))}%">{e(g.label)}'
                     f'<br><span class="pb-hint">{opts}</span></th>')
    heads += [f'<th scope="col" style="width:13%">{e(a.label)}</th>' for a in f.attributes]
    row = "<tr>" + "<td></td>" * len(heads) + "</tr>"
    return (f'<table class="pb-notes-grid"><thead><tr>{"".join(heads)}</tr></thead>'
            f"<tbody>{row * min(NOTE_ROWS, f.max_items)}</tbody></table>")


def _matrix_grid(f: Any) -> str:
    head = '<th scope="col" class="pb-corner"></th>' + "".join(f'<th scope="col">{e(c.label)}</th>' for c in f.columns)
    rows = "".join(f'<tr><th scope="row">{e(r.label)}</th>' + "<td></td>" * len(f.columns) + "</tr>" for r in f.rows)
    legend = "; ".join(e(v.label) for v in f.values)  # what people write is accepted when typed up
    return (f'<p class="pb-legend">Write one of: {legend}</p>'
            f'<table class="pb-grid"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def worksheet(ex: Exercise) -> str:
    parts = ['<section class="pb-worksheet"><h2>Worksheet</h2>',
             '<p class="pb-muted">Write in the spaces; your facilitator types the answers in afterwards.</p>']
    for sec in ex.sections:
        intro = f"<p>{e(sec.intro)}</p>" if sec.intro else ""
        first, *rest = [blank_field(f) for f in sec.fields]
        # the heading stays on the page of its first field
        parts.append(f'<div class="pb-keep"><h3>{e(sec.title)}</h3>{intro}{first}</div>' + "".join(rest))
    return "".join(parts) + "</section>"


def handout(ex: Exercise) -> list[str]:
    """The participant handout of one exercise, as output fragments (never facilitator notes)."""
    return [
        f'<h1>{e(ex.title)}</h1><p class="pb-teamline">Team <span class="pb-line"></span></p>'
        f'<p class="pb-lead">{e(ex.summary)}</p>{facts(ex)}',
        f"<h2>Why we do this</h2><p>{e(ex.purpose)}</p>",
        f"<h2>How the session runs</h2>{steps_table(ex.steps)}",
        worksheet(ex),
    ]
