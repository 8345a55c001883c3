"""The report of one team, one exercise or a whole workshop, as escaped HTML.

Built from the definition's `report` sections: narrative from the definition, tables of
results and charts as PNG with alternative text. Everything a person typed (answers, team
names, even definition texts) is data and goes through `html.escape`. Notebooks call
`show_exercise`, `show_team` and `show_summary`; the `*_html` functions return the markup.

Blank is unknown, not zero: a score over nothing answered is "not rated", every score says
how much of the assessment it rests on, and scores are always computed with the workshop's
date and settings (`Folder.scoring_context`), as `playbook score` computes them.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from playbook.answers import Answers, snapshot
from playbook.answers.results import TeamResult, load_answers
from playbook.errors import PlaybookError, WorkshopError
from playbook.model import i18n
from playbook.model.exercises import Exercise, Metric, Ranked, ReportSection, content_dir
from playbook.publish import charts
from playbook.publish.guide_html import quoted_in, study_year
from playbook.publish.tables import share
from playbook.scoring import FlagResult, MetricResult, Result, is_answered, score
from playbook.workshop import Folder

MODES = ("report", "blank", "worksheet")
DISAGREE_POINTS = 30.0  # a dimension whose team scores spread this far is a disagreement
NOT_RATED = charts.NOT_RATED
TOP_FLAGS = 3  # flags on a team's first page; the rest are counted, and listed in the detail
TOP_ACTIONS = 5  # next actions on a team's first page
NO_SUBJECT = "client not named"

CSS = """<style>
.pb-report{font-family:'DejaVu Sans','Noto Sans CJK SC',sans-serif;max-width:60rem;line-height:1.45}
.pb-report table{border-collapse:collapse;margin:.5rem 0}
.pb-report th,.pb-report td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left!important;vertical-align:top}
.pb-report .knockout{color:#a01d12;font-weight:bold}.pb-report .warning{color:#8a5300}
.pb-report .score{font-size:1.3rem}.pb-report .muted{color:#6a737d}
.pb-report .box{border:1px solid #999;min-height:3rem;margin:.25rem 0 .75rem}
.pb-report .pb-glance{margin:.15rem 0}.pb-first h3{margin:.8rem 0 .2rem}.pb-first{font-size:.9em}
.pb-first table.pb-actions{width:100%;margin:.25rem 0 .2rem}
.pb-first .pb-actions th,.pb-first .pb-actions td{padding:.1rem .4rem}
.pb-first th.pb-who{width:18%}.pb-first .pb-actions td:last-child{white-space:nowrap;width:1%}
@media print{.pb-first{break-after:page;page-break-after:always}}
</style>"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _folder(workshop: str | Path | Folder) -> Folder:
    return workshop if isinstance(workshop, Folder) else Folder(workshop)


def _score(folder: Folder, ex: Exercise, given: Mapping[str, Any]) -> Result:
    """Scored with the workshop's date and settings: a report must match `playbook score`."""
    return score(ex, given, folder.scoring_context(ex.id))


def score_text(value: float | None, digits: int = 0) -> str:
    """A 0-100 score, or "not rated" when nothing it covers is answered (never a zero)."""
    return NOT_RATED if value is None else f"{value:.{digits}f}"


def answers_of(folder: Folder, answers: str | Path | None = None) -> Answers:
    """The answers a report shows: the snapshot file `answers` names (what a report batch scored,
    `playbook.answers.snapshot`), else the folder's live answers (a notebook opened by hand)."""
    return snapshot.read(answers) if answers else load_answers(folder)


def _exercise(folder: Folder, exercise_id: str, language: str) -> Exercise:
    ex = next((x for x in folder.exercises() if x.id == exercise_id), None)
    if ex is None:
        raise WorkshopError(
            f"exercise {exercise_id!r} is not part of this workshop", file=folder.config_path,
            field="exercises", fix=f"use one of: {', '.join(folder.config.exercises)}",
        )
    return i18n.translated(ex, language or folder.config.language, content_dir())


# --- small blocks --------------------------------------------------------------------------


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """`rows` hold markup already escaped; `head` is escaped here."""
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _list(items: Iterable[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    inner = "".join(f"<li>{i}</li>" for i in items)
    return f"<{tag}>{inner}</{tag}>" if inner else ""


def metric_value(m: MetricResult) -> str:
    if m.value is None:
        return "not measured yet"
    if m.unit == "points":
        return f"{m.value:+.0f} points"
    return f"{m.value:.0f}" if m.unit == "count" else f"{m.value:.0f}%"


def rating_gaps(ex: Exercise) -> list[Metric]:
    """Gap metrics comparing a team's own scale rating with the evidence score (`a` a field,
    `b` the overall score): the gut call, the self-rating, the considered rating."""
    return [m for m in ex.metrics if m.kind == "gap" and m.a is not None and m.a.field is not None
            and m.b is not None and m.b.score == "overall" and ex.fields.get(m.a.field) is not None
            and ex.fields[m.a.field].type == "scale"]


def rating_of(ex: Exercise, answers: Mapping[str, Any], metric: str) -> float | None:
    """The 0-100 rating a gap metric reads from the answers; shown even when the evidence
    score, and so the gap, is unknown."""
    m = next((m for m in rating_gaps(ex) if m.id == metric), None)
    if m is None or m.a is None or m.a.field is None:
        return None
    f = ex.fields[m.a.field]
    value = answers.get(f.id)
    return f.percent(value) if is_answered(f, value) else None


def _img(fig: Any) -> str:
    data = base64.b64encode(charts.png(fig)).decode("ascii")
    alt = charts.alt_text(fig)
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{e(alt)}">'
            f'<figcaption class="muted">{e(alt)}</figcaption></figure>')


# --- answers -------------------------------------------------------------------------------


def answer_html(field: Any, value: Any) -> str:
    """A team's answer to one field, escaped; 'not answered' when empty."""
    if not is_answered(field, value):
        return '<span class="muted">not answered</span>'
    t = field.type
    if t in ("short_text", "long_text"):
        return "".join(f"<p>{e(p)}</p>" for p in str(value).split("\n") if p.strip())
    if t == "scale":
        return f"{e(value)} of 5: {e(field.points[int(value) - 1])}"
    if t == "number":
        return e(f"{value} {field.unit or ''}".strip())
    if t == "single_choice":
        return e(field.option(value).label)
    if t in ("multi_choice", "checklist", "ranking"):
        return _list((e(field.option(v).label) for v in value), ordered=t == "ranking") or "none"
    if t == "notes":
        return _list(_note(field, n) for n in value)
    if t == "matrix":
        rows = [[e(r.label), *(e(value.get(r.id, {}).get(c.id, "")).upper() for c in field.columns)]
                for r in field.rows]
        return _table(["", *(c.label for c in field.columns)], rows)
    return e(value)  # pragma: no cover - every type is handled above


def _note(field: Any, note: Mapping[str, Any]) -> str:
    groups = {g.id: g for g in field.tag_groups}
    tags = []
    for gid, oid in note.get("tags", {}).items():
        g = groups.get(gid)
        label = next((o.label for o in g.options if o.id == oid), oid) if g else oid
        tags.append(f"{g.label if g else gid}: {label}")
    attrs = [f"{a.label}: {note[a.id]}" for a in field.attributes if note.get(a.id)]
    extra = "; ".join(tags + attrs)
    return e(note["text"]) + (f' <span class="muted">({e(extra)})</span>' if extra else "")


def _answers(ex: Exercise, sec: ReportSection, answers: Mapping[str, Any]) -> str:
    out = []
    for sid in sec.sections:
        section = next(s for s in ex.sections if s.id == sid)
        rows = [[e(f.label), answer_html(f, answers.get(f.id))] for f in section.fields]
        out.append(f"<h4>{e(section.title)}</h4>" + _table(["Question", "Answer"], rows))
    return "".join(out)


# --- report blocks -------------------------------------------------------------------------


def _charts(ex: Exercise, sec: ReportSection, res: Result, answers: Mapping[str, Any], team: str) -> str:
    out = []
    gaps = rating_gaps(ex)
    gap = gaps[0].id if gaps else ""  # the first rating the definition compares with the evidence
    for kind in sec.charts:
        if kind == "radar":
            out.append(_img(charts.radar(res)))
        elif kind == "self_vs_evidence":
            out.append(_img(charts.self_vs_evidence(res, gap, rating=rating_of(ex, answers, gap))))
        elif kind == "gut_vs_evidence":
            out.append(_img(charts.gut_vs_evidence({team: res}, gap, ratings={team: rating_of(ex, answers, gap)})))
        elif kind == "raci_heatmap":
            field = next((f.id for f in ex.fields.values() if f.type == "matrix" and f.id == "raci"), None)
            if field is not None:
                out.append(_img(charts.raci_heatmap(ex, answers.get(field) or {}, field)))
        elif kind == "bars":
            ms = [res.metrics[m] for m in sec.metrics if m in res.metrics]
            out.append(_img(charts.bars({m.label: m.value for m in ms}, title=sec.title, missing="not measured yet")))
    return "".join(out)


def _block(kind: str, ex: Exercise, sec: ReportSection, res: Result, answers: Mapping[str, Any],
           team: str) -> str:
    if kind == "summary":
        return _summary(res)
    if kind == "recommendation":
        return _recommendation(res)
    if kind == "dimensions":
        rows = [[e(d.label), e(score_text(d.score)), share(d.answered), "gap" if d.gap else ""]
                for d in res.dimensions]
        return _table(["Dimension", "Score", "Answered", ""], rows)
    if kind == "flags":
        if not res.flags:
            return "<p>No red flags.</p>"
        return _list(f'<span class="{e(f.severity)}">{e(f.severity)}</span> <b>{e(f.label)}</b>: {e(f.reason)}'
                     for f in res.flags)
    if kind == "advice":
        return _list(f"<b>{e(a.label)}</b>: {e(a.text)}" for a in res.advice) or "<p>No further advice.</p>"
    if kind == "metrics":
        ids = sec.metrics or list(res.metrics)
        rows = [[e(res.metrics[m].label), e(metric_value(res.metrics[m])),
                 _list(e(d) for d in res.metrics[m].details)] for m in ids if m in res.metrics]
        return _table(["Measure", "Value", "Details"], rows)
    if kind == "completeness":
        rows = [[e(c.title), f"{c.answered} of {c.total}", f"{c.percent:.0f}%"] for c in res.completeness]
        return _table(["Section", "Answered", "Share"], rows) + \
            f"<p>Overall {res.completeness_overall:.0f}% answered.</p>"
    if kind == "statistics":
        if not ex.statistics:
            return ""
        rows = [[e(s.claim) + (f'<br><span class="muted">{e(s.note)}</span>' if s.note else ""),
                 e(s.figure), e(s.source), e(study_year(s.year)), e(quoted_in(s.quoted_year)), e(s.traced)]
                for s in ex.statistics]
        return _table(["Claim", "Figure", "Source", "Study year", "Quoted in", "Traced"], rows)
    if kind == "answers":
        return _answers(ex, sec, answers)
    if kind == "chart":
        return _charts(ex, sec, res, answers, team)
    if kind == "ranked" and sec.ranked is not None:
        return _ranked(ex, sec.ranked, answers)
    return ""  # pragma: no cover - the model allows only the kinds above


def _ranked(ex: Exercise, spec: Ranked, answers: Mapping[str, Any]) -> str:
    """The team's own notes per group (jobs, pains, gains), most important first."""
    f = ex.field(spec.field)
    groups = {g.id: g for g in f.tag_groups}
    by, rank = groups[spec.by], groups[spec.rank]
    order = {o.id: i for i, o in enumerate(rank.options)}
    labels = {o.id: o.label for o in rank.options}
    notes = answers.get(spec.field) or []
    parts = []
    for oid in spec.among:
        mine = [n for n in notes if n.get("tags", {}).get(by.id) == oid]
        mine.sort(key=lambda n: order.get(n.get("tags", {}).get(rank.id, ""), len(order)))
        title = next(o.label for o in by.options if o.id == oid)
        items = [f"<b>{e(labels.get(n['tags'].get(rank.id, ''), 'not ranked'))}</b>: {_note(f, n)}" for n in mine]
        parts.append(f"<h4>{e(title)}</h4>" + (_list(items, ordered=True) or
                                               '<p class="muted">Nothing on the map yet.</p>'))
    return "".join(parts)


def _summary(res: Result) -> str:
    """Score, share answered and band; then one sentence per cap on unsupported answers."""
    band = f"<b>{e(res.band.label)}</b>"
    if res.overall is None:
        head = f'<p class="score">Nothing scorable is answered yet, so there is no score: {band}</p>'
    else:
        head = (f'<p class="score">Overall <b>{res.overall:.0f}</b> of 100: {band}</p>'
                f'<p class="muted">Scored over {share(res.answered)} of the assessment answered.</p>')
    caps = "".join(f'<p class="pb-cap">{e(c.text)}</p>' for c in res.caps)
    return f"{head}<p>{e(res.band.summary)}</p>{caps}"


def _recommendation(res: Result) -> str:
    r = res.recommendation
    out = f"<p><b>Recommendation: {e(r.label)}.</b> {e(r.text)}</p>"
    if r.questions:
        out += "<p><b>Find out first:</b></p>" + _list(e(q) for q in r.questions)
    return out


def report_sections(ex: Exercise, res: Result, answers: Mapping[str, Any], team: str) -> list[str]:
    """One HTML fragment per report section of the definition."""
    out = []
    for sec in ex.report:
        body = "".join(_block(k, ex, sec, res, answers, team) for k in sec.shows)
        intro = f"<p>{e(sec.intro)}</p>" if sec.intro else ""
        out.append(f'<section id="{e(sec.id)}"><h3>{e(sec.title)}</h3>{intro}{body}</section>')
    return out


def blank_html(ex: Exercise) -> str:
    """The empty worksheet, for printing."""
    parts = [f"<h2>{e(ex.title)}</h2><p>{e(ex.purpose)}</p>"]
    for sec in ex.sections:
        parts.append(f"<h3>{e(sec.title)}</h3>" + (f"<p>{e(sec.intro)}</p>" if sec.intro else ""))
        for f in sec.fields:
            hint = f'<p class="muted">{e(f.help)}</p>' if f.help else ""
            parts.append(f"<p><b>{e(f.label)}</b></p>{hint}{_blank_field(f)}")
    return CSS + f'<div class="pb-report">{"".join(parts)}</div>'


def _blank_field(f: Any) -> str:
    if f.type == "scale":
        return _list((f"\u2610 {n}. {e(p)}" for n, p in enumerate(f.points, 1)))
    if f.type in ("single_choice", "multi_choice", "checklist"):
        return _list(f"\u2610 {e(o.label)}" for o in f.options)
    if f.type == "ranking":
        return _list(f"___ {e(o.label)}" for o in f.options)
    if f.type == "matrix":
        return _table(["", *(c.label for c in f.columns)], [[e(r.label), *([""] * len(f.columns))] for r in f.rows])
    return '<div class="box"></div>'


# --- public entry points ------------------------------------------------------------------


def _header(folder: Folder, title: str, team_name: str | None) -> str:
    c = folder.config
    who = f"{e(team_name)}, " if team_name else ""
    return (f"<h1>{e(title)}</h1><p class=\"muted pb-context\">{who}{e(c.client)}: {e(c.title)}, "
            f"{e(c.date.isoformat())}</p>")


def exercise_html(workshop: str | Path | Folder, exercise: str, team: str, *, mode: str = "report",
                  language: str = "", header: bool = True) -> str:
    """One team's report on one exercise (`mode` report), or the blank worksheet."""
    folder = _folder(workshop)
    if mode not in MODES:
        raise PlaybookError(f"unknown mode {mode!r}", field="mode", fix=f"use one of: {', '.join(MODES)}")
    ex = _exercise(folder, exercise, language)
    if mode == "blank":
        return blank_html(ex)
    if mode == "worksheet":
        return (CSS + '<div class="pb-report"><p>The interactive worksheet runs in the browser: open it with '
                f"<code>playbook serve {e(folder.path)}</code>.</p></div>")
    t = folder.config.team(team)
    given = answers_of(folder).get(t.id, {}).get(ex.id, {})
    return _exercise_report(folder, ex, t.name, given, _score(folder, ex, given), header)


def _exercise_report(folder: Folder, ex: Exercise, team_name: str, given: Mapping[str, Any], res: Result,
                     header: bool) -> str:
    head = _header(folder, ex.title, team_name) if header else f"<h2>{e(ex.title)}</h2>"
    if not given:
        return CSS + f'<div class="pb-report">{head}<p>No answers recorded yet for this exercise.</p></div>'
    body = "".join(report_sections(ex, res, given, team_name))
    return CSS + f'<div class="pb-report">{head}<p>{e(ex.summary)}</p>{body}</div>'


def team_html(workshop: str | Path | Folder, team: str, *, language: str = "",
              answers: str | Path | None = None) -> list[str]:
    """Every exercise of the workshop for one team: the first page across the exercises, then
    one fragment per exercise in detail."""
    folder = _folder(workshop)
    t = folder.config.team(team)
    given = answers_of(folder, answers).get(t.id, {})
    scored = []
    for x in folder.config.exercises:
        ex = _exercise(folder, x, language)
        scored.append((ex, given.get(x, {}), _score(folder, ex, given.get(x, {}))))
    out = [first_page_html(folder, t.name, scored)]
    out += [_exercise_report(folder, ex, t.name, answers, res, header=False) for ex, answers, res in scored]
    return out


# --- a team's first page ----------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A next action from the exercise's actions field (`Digest.actions`)."""

    text: str
    owner: str | None
    date: str | None  # the field's first date attribute, as saved (ISO once checked)
    day: dt.date | None  # parsed, for sorting


def next_actions(ex: Exercise, answers: Mapping[str, Any], limit: int = TOP_ACTIONS) -> tuple[list[Action], int]:
    """(the first `limit` actions, how many more): dated ones first, soonest first, then the
    undated in the team's order. Owner is the attribute "owner"; the date is the field's
    first date attribute."""
    fid = ex.digest.actions
    f = ex.fields.get(fid or "")
    if f is None or f.type != "notes":
        return [], 0
    date_attr = next((a for a in f.attributes if a.kind == "date"), None)
    has_owner = any(a.id == "owner" for a in f.attributes)
    items = []
    for note in answers.get(f.id) or []:
        raw = note.get(date_attr.id) if date_attr else None
        owner = str(note["owner"]) if has_owner and note.get("owner") else None
        items.append(Action(str(note.get("text", "")), owner, str(raw) if raw else None, _day(raw)))
    ordered = sorted((a for a in items if a.day), key=lambda a: a.day or dt.date.min) + \
        [a for a in items if not a.day]
    return ordered[:limit], max(0, len(ordered) - limit)


def _day(raw: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def top_flags(res: Result, limit: int = TOP_FLAGS) -> tuple[list[FlagResult], int]:
    """(the flags that matter most: knockouts, then warnings, at most `limit`; how many more)."""
    ranked = [f for f in res.flags if f.severity == "knockout"] + [f for f in res.flags if f.severity == "warning"]
    shown = ranked[:limit]
    return shown, len(res.flags) - len(shown)


def _more(n: int, what: str) -> str:
    """What a first-page list cut short leaves out: how many more, and where they are."""
    return f"and {n} more {what}{'s' if n != 1 else ''} in the pages that follow" if n else ""


def _glance_result(res: Result) -> str:
    """Score with the share it rests on, band and recommendation: one line where it fits."""
    if res.overall is None:
        score_part = "Not scored yet: nothing scorable is answered"
    else:
        score_part = f"<b>{res.overall:.0f}</b> of 100, over {share(res.answered)} of the assessment answered"
    return (f'<p class="pb-glance">{score_part} \u00b7 <b>{e(res.band.label)}</b> \u00b7 '
            f"Recommendation: <b>{e(res.recommendation.label)}</b></p>")


def _glance_evidence(ex: Exercise, res: Result) -> str:
    """How much rests on evidence; "" when the definition names no measure of it."""
    if ex.digest.evidence is None:
        return ""
    m = res.metrics.get(ex.digest.evidence)
    value = metric_value(m) if m is not None else "not measured yet"
    label = f' <span class="muted">({e(m.label)})</span>' if m is not None else ""
    return f"Resting on evidence: <b>{e(value)}</b>{label}"


def _glance_flags(res: Result) -> str:
    """The flags that matter most, knockouts first, and how many more the detail lists."""
    if not res.flags:
        return "Red flags: none"
    shown, more = top_flags(res)
    if not shown:  # notices only: nothing that needs an answer first
        n = len(res.flags)
        return f"Red flags: none that need an answer first ({n} notice{'s' if n != 1 else ''})"
    items = [f'<span class="{e(f.severity)}">{e(f.severity)}</span> {e(f.label)}' for f in shown]
    rest = f'; <span class="muted">{_more(more, "flag")}</span>' if more else ""
    return f'Red flags: {"; ".join(items)}{rest}'


def _or_muted(value: str | None, missing: str) -> str:
    return e(value) if value else f'<span class="muted">{e(missing)}</span>'


def _glance_actions(ex: Exercise, answers: Mapping[str, Any]) -> str:
    f = ex.fields.get(ex.digest.actions or "")
    if f is None:
        return ""
    actions, more = next_actions(ex, answers)
    if not actions:
        return '<p class="pb-glance">Next actions: none written down yet.</p>'
    owner = next((a.label for a in f.attributes if a.id == "owner"), "Owner")
    when = next((a.label for a in f.attributes if a.kind == "date"), "Date")
    rows = "".join(f"<tr><td>{e(a.text)}</td><td>{_or_muted(a.owner, 'not named')}</td>"
                   f"<td>{_or_muted(a.date, 'no date')}</td></tr>" for a in actions)
    table = (f'<table class="pb-actions"><thead><tr><th>Next action</th><th class="pb-who">{e(owner)}</th>'
             f'<th class="pb-when">{e(when)}</th></tr></thead><tbody>{rows}</tbody></table>')
    return table + (f'<p class="pb-glance muted">{_more(more, "action")}</p>' if more else "")


def _digest(ex: Exercise, answers: Mapping[str, Any], res: Result) -> str:
    head = f"<h3>{e(ex.title)}</h3>"
    if not answers:
        return f'<section class="pb-digest">{head}<p>No answers recorded yet.</p></section>'
    facts = " \u00b7 ".join(p for p in (_glance_evidence(ex, res), _glance_flags(res)) if p)
    body = f'{_glance_result(res)}<p class="pb-glance">{facts}</p>{_glance_actions(ex, answers)}'
    return f'<section class="pb-digest">{head}{body}</section>'


def first_page_html(folder: Folder, team_name: str,
                    scored: Sequence[tuple[Exercise, Mapping[str, Any], Result]]) -> str:
    """One page across the team's exercises, before any detail: result, recommendation, the
    flags that matter most, the next actions and how much rests on evidence."""
    c = folder.config
    head = (f"<h2>{e(team_name)}: at a glance</h2>"
            f'<p class="muted pb-context">{e(c.client)}: {e(c.title)}, {e(c.date.isoformat())}</p>')
    body = "".join(_digest(ex, answers, res) for ex, answers, res in scored)
    return CSS + f'<div class="pb-report pb-first">{head}{body}</div>'


# --- the workshop summary ---------------------------------------------------------------------


def summary_html(workshop: str | Path | Folder, *, language: str = "", answers: str | Path | None = None) -> list[str]:
    """All teams side by side, per exercise: scores, spread, shared red flags, disagreements;
    for an exercise whose teams each assess their own subject (a client), one block per subject."""
    folder = _folder(workshop)
    answered = answers_of(folder, answers)
    out = [CSS + f'<div class="pb-report">{_header(folder, f"All {len(folder.config.teams)} teams", None)}</div>']
    for ex_id in folder.config.exercises:
        ex = _exercise(folder, ex_id, language)
        given = {t.id: answered[t.id][ex_id] for t in folder.config.teams if answered.get(t.id, {}).get(ex_id)}
        rs = [TeamResult(t.id, t.name, ex_id, _score(folder, ex, given[t.id]))
              for t in folder.config.teams if t.id in given]
        body = _subject_summary(ex, rs, given) if ex.digest.subject else _exercise_summary(ex, rs)
        out.append(CSS + f'<div class="pb-report">{body}</div>')
    return out


def _exercise_summary(ex: Exercise, rs: Sequence[TeamResult]) -> str:
    parts = [f"<h2>{e(ex.title)}</h2>"]
    if not rs:
        return parts[0] + "<p>No team has answered this exercise yet.</p>"
    rows = [[e(r.name), e(score_text(r.result.overall)), share(r.result.answered), e(r.result.band.label),
             str(len(r.result.flags)), e(r.result.recommendation.label)] for r in rs]
    parts.append(_table(["Team", "Score", "Answered", "Band", "Flags", "Recommendation"], rows))
    if any(m.id == "gut_vs_evidence" for m in ex.metrics):
        parts.append(_img(charts.gut_vs_evidence({r.name: r.result for r in rs})))
    else:
        parts.append(_img(charts.bars({r.name: r.result.overall for r in rs}, title="Overall score by team",
                                      xlabel="Score (0-100)")))
    parts.append(_spread(ex, rs))
    shared: dict[str, tuple[str, list[str]]] = {}
    for r in rs:
        for f in r.result.flags:
            shared.setdefault(f.id, (f.label, []))[1].append(r.name)
    common = [f"<b>{e(label)}</b>: {e(', '.join(teams))}" for label, teams in shared.values() if len(teams) > 1]
    parts.append("<h3>Red flags shared by several teams</h3>" + (_list(common) or "<p>None.</p>"))
    return "".join(parts)


def _spread(ex: Exercise, rs: Sequence[TeamResult]) -> str:
    """Lowest, median and highest score per dimension over the teams that rated it; a team
    with nothing answered in a dimension is named as not rated, not counted as a zero."""
    spread, disagree = [], []
    for i, d in enumerate(ex.rubric.dimensions):
        scores = [(s, r.name) for r in rs if (s := r.result.dimensions[i].score) is not None]
        unrated = e(", ".join(r.name for r in rs if r.result.dimensions[i].score is None)) or "\u2013"
        if not scores:
            spread.append([e(d.label), *([NOT_RATED] * 4), unrated])
            continue
        lo, hi = min(scores), max(scores)
        spread.append([e(d.label), f"{lo[0]:.0f}", f"{statistics.median(s for s, _ in scores):.0f}",
                       f"{hi[0]:.0f}", f"{hi[0] - lo[0]:.0f}", unrated])
        if len(scores) > 1 and hi[0] - lo[0] >= DISAGREE_POINTS:
            disagree.append(f"<b>{e(d.label)}</b>: {e(hi[1])} {hi[0]:.0f}, {e(lo[1])} {lo[0]:.0f}")
    return ("<h3>Spread of scores</h3>"
            + _table(["Dimension", "Lowest", "Median", "Highest", "Spread", "Not rated"], spread)
            + f"<h3>Where teams disagree (a spread of {DISAGREE_POINTS:.0f} points or more)</h3>"
            + (_list(disagree) or "<p>Nowhere: the teams' scores are close.</p>"))


def subject_of(ex: Exercise, answers: Mapping[str, Any]) -> str | None:
    """What a team assessed (`Digest.subject`, a client's name), or None when not named."""
    f = ex.fields.get(ex.digest.subject or "")
    value = answers.get(f.id) if f is not None else None
    return " ".join(str(value).split()) if f is not None and is_answered(f, value) else None


def _subject_summary(ex: Exercise, rs: Sequence[TeamResult], given: Mapping[str, Mapping[str, Any]]) -> str:
    """One block per assessed subject: teams assessing different clients are not compared
    with each other, so there is no spread across teams, only each client's own assessment."""
    parts = [f"<h2>{e(ex.title)}</h2>"]
    if not rs:
        return parts[0] + "<p>No team has answered this exercise yet.</p>"
    f = ex.fields[ex.digest.subject or ""]
    parts.append(f"<p>Each team assessed its own {e(f.label.lower())}, so the results are shown per "
                 f"{e(f.label.lower())}, not compared across teams.</p>")
    groups: dict[str, tuple[str, list[TeamResult]]] = {}
    for r in rs:
        name = subject_of(ex, given[r.team])
        key = name.casefold() if name is not None else ""
        groups.setdefault(key, (name or NO_SUBJECT, []))[1].append(r)
    ordered = [v for k, v in groups.items() if k] + ([groups[""]] if "" in groups else [])
    gaps = rating_gaps(ex)
    for subject, teams in ordered:
        parts.append(f'<div class="pb-keep"><h3 class="pb-subject">{e(subject)}</h3>'
                     f"{_subject_table(ex, gaps, teams, given)}</div>")
    if gaps:
        labels = {r.team: f"{r.name} \u00b7 {subject_of(ex, given[r.team]) or NO_SUBJECT}" for r in rs}
        parts.append(_img(charts.gut_vs_evidence(
            {labels[r.team]: r.result for r in rs}, gaps[0].id,
            ratings={labels[r.team]: rating_of(ex, given[r.team], gaps[0].id) for r in rs})))
    return "".join(parts)


def _subject_table(ex: Exercise, gaps: Sequence[Metric], teams: Sequence[TeamResult],
                   given: Mapping[str, Mapping[str, Any]]) -> str:
    """One column per team assessing the subject (usually one), one row per measure."""
    rows = [[e(ex.fields[m.a.field].label), *(_rating_cell(ex, m, given[r.team]) for r in teams)]
            for m in gaps if m.a is not None and m.a.field is not None]
    rows += [
        ["Evidence score", *(e(score_text(r.result.overall)) for r in teams)],
        ["Answered", *(share(r.result.answered) for r in teams)],
        ["Band", *(e(r.result.band.label) for r in teams)],
        ["Recommendation", *(e(r.result.recommendation.label) for r in teams)],
        ["Knockout flags", *(_list(e(k.label) for k in r.result.knockouts) or "none" for r in teams)],
    ]
    return _table(["", *(r.name for r in teams)], rows)


def _rating_cell(ex: Exercise, m: Metric, answers: Mapping[str, Any]) -> str:
    f = ex.fields[m.a.field] if m.a and m.a.field else None
    value = answers.get(f.id) if f is not None else None
    if f is None or not is_answered(f, value):
        return '<span class="muted">not given</span>'
    return f'{e(value)} of 5 <span class="muted">({e(f.points[int(value) - 1])})</span>'


def warm(workshop: str | Path | None = None, answers: str | Path | None = None) -> None:
    """What a fresh kernel does once, done at start-up: load the definitions (and `workshop` with
    its answers snapshot `answers`), draw one chart. Called by the batch workers."""
    from playbook.model.exercises import all_exercises

    all_exercises()
    charts.png(charts.bars({"warm": 1.0}))
    if workshop:
        with contextlib.suppress(PlaybookError, OSError):  # a head start only: the report says what is wrong
            answers_of(_folder(workshop), answers)


def _display(fragments: str | Sequence[str]) -> None:
    from IPython.display import HTML, display

    for frag in [fragments] if isinstance(fragments, str) else fragments:
        display(HTML(frag))


def show_exercise(workshop: str | Path, exercise: str, team: str, mode: str = "report", language: str = "") -> None:
    _display(exercise_html(workshop, exercise, team, mode=mode, language=language))


def show_team(workshop: str | Path, team: str, language: str = "", answers: str | Path | None = None) -> None:
    _display(team_html(workshop, team, language=language, answers=answers))


def show_summary(workshop: str | Path, language: str = "", answers: str | Path | None = None) -> None:
    _display(summary_html(workshop, language=language, answers=answers))
