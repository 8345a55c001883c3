"""The report of one team, one exercise or a whole workshop, as escaped HTML.

Built from the definition's `report` sections: narrative from the definition, tables of
results and charts as PNG with alternative text. Everything a person typed (answers, team
names, even definition texts) is data and goes through `html.escape`. Notebooks call
`show_exercise`, `show_team` and `show_summary`; the `*_html` functions return the markup.
"""

from __future__ import annotations

import base64
import contextlib
import statistics
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from playbook import charts, i18n
from playbook.answers import Answers
from playbook.errors import PlaybookError, WorkshopError
from playbook.exercises import Exercise, ReportSection, content_dir
from playbook.results import TeamResult, load_answers
from playbook.scoring import MetricResult, Result, is_answered, score
from playbook.workshop import Folder

MODES = ("report", "blank", "worksheet")
DISAGREE_POINTS = 30.0  # a dimension whose team scores spread this far is a disagreement

CSS = """<style>
.pb-report{font-family:'DejaVu Sans','Noto Sans CJK SC',sans-serif;max-width:60rem;line-height:1.45}
.pb-report table{border-collapse:collapse;margin:.5rem 0}
.pb-report th,.pb-report td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left!important;vertical-align:top}
.pb-report .knockout{color:#a01d12;font-weight:bold}.pb-report .warning{color:#8a5300}
.pb-report .score{font-size:1.3rem}.pb-report .muted{color:#6a737d}
.pb-report .box{border:1px solid #999;min-height:3rem;margin:.25rem 0 .75rem}
</style>"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _folder(workshop: str | Path | Folder) -> Folder:
    return workshop if isinstance(workshop, Folder) else Folder(workshop)


_CACHE: dict[Path, tuple[tuple[Any, ...], Answers]] = {}
_caching = False  # turned on by `warm`, in the batch runner's kernels only


def _stamp(folder: Folder) -> tuple[Any, ...]:
    paths = [folder.config_path, folder.db_path, Path(f"{folder.db_path}-wal")]
    if folder.answers_dir.is_dir():
        paths += sorted(folder.answers_dir.iterdir())
    out = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        out.append((p.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def answers_of(folder: Folder) -> Answers:
    """`load_answers`; in a batch kernel, read again only when a file it reads from changes.

    A notebook opened by hand always reads afresh (the store may be a server the stamp cannot see).
    """
    if not _caching:
        return load_answers(folder)
    key, stamp = folder.path.resolve(), _stamp(folder)
    hit = _CACHE.get(key)
    if hit is None or hit[0] != stamp:
        if len(_CACHE) > 8:
            _CACHE.clear()
        hit = _CACHE[key] = (stamp, load_answers(folder))
    return hit[1]


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
    return f"{m.value:+.0f} points" if m.unit == "points" else f"{m.value:.0f}%"


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
    for kind in sec.charts:
        if kind == "radar":
            out.append(_img(charts.radar(res)))
        elif kind == "self_vs_evidence":
            out.append(_img(charts.self_vs_evidence(res)))
        elif kind == "gut_vs_evidence":
            out.append(_img(charts.gut_vs_evidence({team: res})))
        elif kind == "raci_heatmap":
            field = next((f.id for f in ex.fields.values() if f.type == "matrix" and f.id == "raci"), None)
            if field is not None:
                out.append(_img(charts.raci_heatmap(ex, answers.get(field) or {}, field)))
        elif kind == "bars":
            ms = [res.metrics[m] for m in sec.metrics if m in res.metrics]
            out.append(_img(charts.bars({m.label: m.value for m in ms}, title=sec.title)))
    return "".join(out)


def _block(kind: str, ex: Exercise, sec: ReportSection, res: Result, answers: Mapping[str, Any],
           team: str) -> str:
    if kind == "summary":
        return (f'<p class="score">Overall <b>{res.overall:.0f}</b> of 100: <b>{e(res.band.label)}</b></p>'
                f"<p>{e(res.band.summary)}</p>")
    if kind == "recommendation":
        r = res.recommendation
        return f"<p><b>Recommendation: {e(r.label)}.</b> {e(r.text)}</p>"
    if kind == "dimensions":
        rows = [[e(d.label), f"{d.score:.0f}", f"{d.answered:.0f}%", "gap" if d.gap else ""]
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
                 e(s.figure), e(s.source), e(s.year or "n/a"), e(s.traced)] for s in ex.statistics]
        return _table(["Claim", "Figure", "Source", "Year", "Traced"], rows)
    if kind == "answers":
        return _answers(ex, sec, answers)
    if kind == "chart":
        return _charts(ex, sec, res, answers, team)
    return ""  # pragma: no cover - the model allows only the kinds above


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
    return (f"<h1>{e(title)}</h1><p class=\"muted\">{who}{e(c.client)}: {e(c.title)}, "
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
    return _exercise_report(folder, ex, t.name, given, score(ex, given), header)


def _exercise_report(folder: Folder, ex: Exercise, team_name: str, given: Mapping[str, Any], res: Result,
                     header: bool) -> str:
    head = _header(folder, ex.title, team_name) if header else f"<h2>{e(ex.title)}</h2>"
    if not given:
        return CSS + f'<div class="pb-report">{head}<p>No answers recorded yet for this exercise.</p></div>'
    body = "".join(report_sections(ex, res, given, team_name))
    return CSS + f'<div class="pb-report">{head}<p>{e(ex.summary)}</p>{body}</div>'


def team_html(workshop: str | Path | Folder, team: str, *, language: str = "") -> list[str]:
    """Every exercise of the workshop for one team: one fragment per exercise."""
    folder = _folder(workshop)
    t = folder.config.team(team)
    head = CSS + f'<div class="pb-report">{_header(folder, t.name, None)}</div>'
    given = answers_of(folder).get(t.id, {})
    out = [head]
    for x in folder.config.exercises:
        ex = _exercise(folder, x, language)
        out.append(_exercise_report(folder, ex, t.name, given.get(x, {}), score(ex, given.get(x, {})), header=False))
    return out


def summary_html(workshop: str | Path | Folder, *, language: str = "") -> list[str]:
    """All teams side by side, per exercise: scores, spread, shared red flags, disagreements."""
    folder = _folder(workshop)
    answered = answers_of(folder)
    out = [CSS + f'<div class="pb-report">{_header(folder, f"All {len(folder.config.teams)} teams", None)}</div>']
    for ex_id in folder.config.exercises:
        ex = _exercise(folder, ex_id, language)
        rs = [TeamResult(t.id, t.name, ex_id, score(ex, answered[t.id][ex_id]))
              for t in folder.config.teams if answered.get(t.id, {}).get(ex_id)]
        out.append(CSS + f'<div class="pb-report">{_exercise_summary(ex, rs)}</div>')
    return out


def _exercise_summary(ex: Exercise, rs: Sequence[TeamResult]) -> str:
    parts = [f"<h2>{e(ex.title)}</h2>"]
    if not rs:
        return parts[0] + "<p>No team has answered this exercise yet.</p>"
    rows = [[e(r.name), f"{r.result.overall:.0f}", e(r.result.band.label), str(len(r.result.flags)),
             e(r.result.recommendation.label), f"{r.result.completeness_overall:.0f}%"] for r in rs]
    parts.append(_table(["Team", "Score", "Band", "Flags", "Recommendation", "Answered"], rows))
    if any(m.id == "gut_vs_evidence" for m in ex.metrics):
        parts.append(_img(charts.gut_vs_evidence({r.name: r.result for r in rs})))
    else:
        parts.append(_img(charts.bars({r.name: r.result.overall for r in rs}, title="Overall score by team",
                                      xlabel="Score (0-100)")))
    parts.append("<h3>Spread of scores</h3>")
    spread, disagree = [], []
    for i, d in enumerate(ex.rubric.dimensions):
        scores = [(r.result.dimensions[i].score, r.name) for r in rs]
        lo, hi = min(scores), max(scores)
        spread.append([e(d.label), f"{lo[0]:.0f}", f"{statistics.median(s for s, _ in scores):.0f}",
                       f"{hi[0]:.0f}", f"{hi[0] - lo[0]:.0f}"])
        if len(rs) > 1 and hi[0] - lo[0] >= DISAGREE_POINTS:
            disagree.append(f"<b>{e(d.label)}</b>: {e(hi[1])} {hi[0]:.0f}, {e(lo[1])} {lo[0]:.0f}")
    parts.append(_table(["Dimension", "Lowest", "Median", "Highest", "Spread"], spread))
    shared: dict[str, tuple[str, list[str]]] = {}
    for r in rs:
        for f in r.result.flags:
            shared.setdefault(f.id, (f.label, []))[1].append(r.name)
    common = [f"<b>{e(label)}</b>: {e(', '.join(teams))}" for label, teams in shared.values() if len(teams) > 1]
    parts.append("<h3>Red flags shared by several teams</h3>" + (_list(common) or "<p>None.</p>"))
    parts.append(f"<h3>Where teams disagree (a spread of {DISAGREE_POINTS:.0f} points or more)</h3>"
                 + (_list(disagree) or "<p>Nowhere: the teams' scores are close.</p>"))
    return "".join(parts)


def warm(workshop: str | Path | None = None) -> None:
    """What a fresh kernel does once, done at start-up: load the definitions (and the answers
    of `workshop`), draw one chart. Called by the batch runner, which also turns on the cache
    of answers for the kernel's life (a batch reads one snapshot of the answers)."""
    from playbook.exercises import all_exercises

    global _caching
    _caching = True
    all_exercises()
    charts.png(charts.bars({"warm": 1.0}))
    if workshop:
        with contextlib.suppress(PlaybookError, OSError):  # a head start only: the report says what is wrong
            answers_of(_folder(workshop))


def _display(fragments: str | Sequence[str]) -> None:
    from IPython.display import HTML, display

    for frag in [fragments] if isinstance(fragments, str) else fragments:
        display(HTML(frag))


def show_exercise(workshop: str | Path, exercise: str, team: str, mode: str = "report", language: str = "") -> None:
    _display(exercise_html(workshop, exercise, team, mode=mode, language=language))


def show_team(workshop: str | Path, team: str, language: str = "") -> None:
    _display(team_html(workshop, team, language=language))


def show_summary(workshop: str | Path, language: str = "") -> None:
    _display(summary_html(workshop, language=language))
