"""The report of one team, one exercise or a whole workshop, as HTML fragments.

Built from the definition's `report` sections: narrative from the definition, tables of
results and charts as PNG with alternative text. This module gathers what each part shows;
the templates in `templates/report/` (through `playbook.publish.html`) turn it into escaped
markup. Notebooks call `show_exercise`, `show_team` and `show_summary`; the `*_html`
functions return the fragments. A document's stylesheet comes with its first fragment only.

Blank is unknown, not zero: a score over nothing answered is "not rated", every score says
how much of the assessment it rests on, and scores are always computed with the workshop's
date and settings (`Folder.scoring_context`), as `playbook score` computes them.

Every report speaks the workshop's language, or `language` when given (the notebooks'
parameter, `playbook report --language`): `Folder.speaking` applies it to the definitions, the
interface words, the charts and the dates and numbers alike. The narrative a report notebook
opens with is part of this module (`NARRATIVE`), so it is translated like every other word.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.answers import Answers, snapshot
from playbook.answers.results import TeamResult, load_answers
from playbook.errors import PlaybookError, WorkshopError
from playbook.i18n import N_, _
from playbook.i18n.formats import number
from playbook.model.exercises import Chart, Exercise, Metric, ReportSection, Section, rating_gaps
from playbook.model.fields import Notes, Scale
from playbook.publish import charts, html
from playbook.scoring import FlagResult, MetricResult, Result, is_answered, score
from playbook.workshop import WORKSHOP_FILE, Folder
from playbook.workshop.config import Workshop

MODES = ("report", "blank", "worksheet")
TOP_FLAGS = 3  # flags on a team's first page; the rest are counted, and listed in the detail
TOP_ACTIONS = 5  # next actions on a team's first page
NO_SUBJECT = N_("client not named")
# What a report notebook says before the report itself: a title and paragraphs, by notebook kind.
NARRATIVE = {
    "team": (N_("Team report"), [N_("One page across the team's exercises first, then each exercise in detail.")]),
    "summary": (N_("Workshop summary"), [
        N_("All teams side by side, per exercise: the spread of scores, the red flags several teams share, and "
           "where the teams disagree. Where each team assesses its own subject (in the client-fit assessment, its "
           "own client), there is nothing to compare across teams: the summary shows one block per client instead. "
           "A team with nothing answered in a part is listed as not rated, never counted as a zero. For the "
           "facilitator and the client sponsor."),
        N_("A wide spread on a dimension is a conversation to have: the teams see the same customers or the same "
           "funnel differently. A red flag shared by several teams is rarely a coincidence."),
    ]),
    "exercise": (None, [
        N_("Everything below comes from the exercise definition and the team's saved answers. Scores are 0-100. A "
           "blank answer is unknown, not a zero: each score is computed over what was answered, and the report shows "
           "how much of the assessment that is. Every quoted figure says where it comes from and how well it is "
           "traced."),
    ]),
}


_FOLDERS: dict[tuple[str, str, int, int], Folder] = {}  # (path as given, cwd, mtime, size) -> the folder


def _folder(workshop: str | Path | Folder) -> Folder:
    """The workshop folder, its workshop.yml parsed once per version: a batch kernel renders one
    team after another, and parsing the workshop.yml of 1,000 teams took 0.13 s a report."""
    if isinstance(workshop, Folder):
        return workshop
    path = Path(workshop)
    config = path if path.name == WORKSHOP_FILE and path.is_file() else path / WORKSHOP_FILE
    try:
        st = config.stat()
    except OSError:
        return Folder(workshop)  # which says what is wrong
    key = (str(path), os.getcwd(), st.st_mtime_ns, st.st_size)  # a Folder keeps its path as given
    if key not in _FOLDERS:
        if len(_FOLDERS) >= 8:
            _FOLDERS.clear()
        _FOLDERS[key] = Folder(workshop)
    return _FOLDERS[key]


def _score(folder: Folder, ex: Exercise, given: Mapping[str, Any]) -> Result:
    """Scored with the workshop's date and settings: a report must match `playbook score`."""
    return score(ex, given, folder.scoring_context(ex.id))


def answers_of(folder: Folder, answers: str | Path | None = None) -> Answers:
    """The answers a report shows: the snapshot file `answers` names (what a report batch scored,
    `playbook.answers.snapshot`), else the folder's live answers (a notebook opened by hand)."""
    return snapshot.read(answers) if answers else load_answers(folder)


def _exercise(folder: Folder, exercise_id: str, language: str) -> Exercise:
    """The workshop's exercise in `language` (a tag `Folder.speaking` gave)."""
    if exercise_id not in folder.config.exercises:
        raise WorkshopError(
            f"exercise {exercise_id!r} is not part of this workshop", file=folder.config_path,
            field="exercises", fix=f"use one of: {', '.join(folder.config.exercises)}",
        )
    return next(x for x in folder.exercises(language) if x.id == exercise_id)


# --- charts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A chart as the page shows it: a base64 PNG and its alternative text."""

    png: str
    alt: str


def _figure(fig: Any) -> Figure:
    return Figure(base64.b64encode(charts.png(fig)).decode("ascii"), charts.alt_text(fig))


def rating_of(ex: Exercise, answers: Mapping[str, Any], metric: str) -> float | None:
    """The 0-100 rating a gap metric reads from the answers; shown even when the evidence
    score, and so the gap, is unknown."""
    m = next((m for m in rating_gaps(ex) if m.id == metric), None)
    if m is None or m.a is None or m.a.field is None:
        return None
    f = ex.field_as(m.a.field, Scale)
    value = answers.get(f.id)
    return f.percent(value) if value is not None and is_answered(f, value) else None


def _chart(ex: Exercise, spec: Chart, sec: ReportSection, res: Result, answers: Mapping[str, Any],
           team: str) -> Figure:
    """One chart of a report section, as its specification in the definition says."""
    if spec.kind == "self_vs_evidence":
        gap = spec.metric or ""
        return _figure(charts.self_vs_evidence(res, gap, rating=rating_of(ex, answers, gap)))
    if spec.kind == "gut_vs_evidence":
        gap = spec.metric or ""
        return _figure(charts.gut_vs_evidence({team: res}, gap, ratings={team: rating_of(ex, answers, gap)}))
    if spec.kind == "raci_heatmap":
        field, value = spec.field or "", spec.value or ""
        return _figure(charts.raci_heatmap(ex, answers.get(field) or {}, field, value, title=sec.title))
    if spec.kind == "bars":
        ms = [res.metrics[m] for m in sec.metrics if m in res.metrics]
        return _figure(charts.bars({m.label: m.value for m in ms}, title=sec.title, missing=_("not measured yet")))
    if spec.kind == "radar":
        return _figure(charts.radar(res))
    raise ValueError(f"no chart of kind {spec.kind!r}")  # pragma: no cover - the model allows only the kinds above


CHART_ROWS = 50  # teams in one chart of the workshop summary; more are shown in further charts


def _teams_charts(ex: Exercise, results: Mapping[str, Result], ratings: Mapping[str, float | None]) -> list[Figure]:
    """The workshop summary's charts across teams (`WorkshopSummary.chart`); keys are the labels.

    A chart has a row per team, so one chart of 1,000 teams would be 400 inches tall (a 57 MB
    bitmap while it is drawn): teams come `CHART_ROWS` to a chart, each titled with its range."""
    spec = ex.workshop_summary.chart
    names = list(results)
    out = []
    for start in range(0, len(names), CHART_ROWS):
        part = names[start:start + CHART_ROWS]
        of = ""
        if len(names) > CHART_ROWS:
            of = _("teams %(first)s-%(last)s of %(total)s") % {
                "first": number(start + 1), "last": number(start + len(part)), "total": number(len(names))}
        suffix = f" ({of})" if of else ""
        if spec.kind == "gut_vs_evidence":
            fig = charts.gut_vs_evidence({k: results[k] for k in part}, spec.metric or "",
                                         title=_("Gut call against evidence") + suffix, ratings=ratings)
            if of:  # the alternative text says which teams, as the title does
                fig.set_label(f"{of[:1].upper()}{of[1:]}. {charts.alt_text(fig)}")
        else:
            fig = charts.bars({k: results[k].overall for k in part}, title=_("Overall score by team") + suffix,
                              xlabel=_("Score (0-100)"))
        out.append(_figure(fig))
    return out


# --- a team's report on one exercise ------------------------------------------------------------


def answer_html(field: Any, value: Any) -> str:
    """A team's answer to one field, escaped; 'not answered' when empty."""
    return str(html.macro("macros.html.j2", "answer")(field, value))


@dataclass(frozen=True)
class RankedGroup:
    """One group of the `ranked` block: its title and the team's notes, most important first."""

    title: str
    field: Any
    notes: list[tuple[str, Mapping[str, Any]]]  # (the note's rank label, the note)


def _ranked(ex: Exercise, sec: ReportSection, answers: Mapping[str, Any]) -> list[RankedGroup]:
    """The team's own notes per group (jobs, pains, gains), most important first."""
    spec = sec.ranked
    if spec is None:  # pragma: no cover - the model pairs the block with its spec
        return []
    f = ex.field_as(spec.field, Notes)
    groups = {g.id: g for g in f.tag_groups}
    by, rank = groups[spec.by], groups[spec.rank]
    order = {o.id: i for i, o in enumerate(rank.options)}
    labels = {o.id: o.label for o in rank.options}
    notes = answers.get(spec.field) or []
    out = []
    for oid in spec.among:
        mine = [n for n in notes if n.get("tags", {}).get(by.id) == oid]
        mine.sort(key=lambda n: order.get(n.get("tags", {}).get(rank.id, ""), len(order)))
        title = next(o.label for o in by.options if o.id == oid)
        out.append(RankedGroup(title, f, [(labels.get(n["tags"].get(rank.id, ""), _("not ranked")), n) for n in mine]))
    return out


def _answers(ex: Exercise, sec: ReportSection, answers: Mapping[str, Any]) -> list[tuple[Section, list[Any]]]:
    sections = {s.id: s for s in ex.sections}
    return [(sections[sid], [(f, answers.get(f.id)) for f in sections[sid].fields]) for sid in sec.sections]


def _data(kind: str, ex: Exercise, sec: ReportSection, res: Result, answers: Mapping[str, Any], team: str) -> Any:
    """What block `kind` of a report section shows (templates/report/blocks.html.j2)."""
    if kind == "metrics":
        return [res.metrics[m] for m in sec.metrics or list(res.metrics) if m in res.metrics]
    if kind == "chart":
        return [_chart(ex, c, sec, res, answers, team) for c in sec.charts]
    if kind == "answers":
        return _answers(ex, sec, answers)
    if kind == "ranked":
        return _ranked(ex, sec, answers)
    if kind == "statistics":
        return ex.statistics
    if kind == "dimensions":
        return (res.dimensions, ex.rubric.gap_below)
    return {"summary": res, "recommendation": res.recommendation,
            "flags": res.flags, "advice": res.advice, "completeness": res}[kind]


@dataclass(frozen=True)
class SectionView:
    spec: ReportSection
    blocks: list[tuple[str, Any]]  # (block kind, what it shows), in the definition's order


def _sections(ex: Exercise, res: Result, answers: Mapping[str, Any], team: str) -> list[SectionView]:
    return [SectionView(sec, [(k, _data(k, ex, sec, res, answers, team)) for k in sec.shows]) for sec in ex.report]


def _block(kind: str, ex: Exercise, sec: ReportSection, res: Result, answers: Mapping[str, Any], team: str) -> str:
    """One block of a section alone (the page renders them with their section)."""
    return str(html.macro("report/blocks.html.j2", "block")(kind, _data(kind, ex, sec, res, answers, team)))


def report_sections(ex: Exercise, res: Result, answers: Mapping[str, Any], team: str) -> list[str]:
    """One HTML fragment per report section of the definition."""
    section = html.macro("report/blocks.html.j2", "section")
    return [str(section(s)) for s in _sections(ex, res, answers, team)]


@dataclass(frozen=True)
class ExerciseView:
    workshop: Workshop
    ex: Exercise
    team_name: str
    header: bool  # a document of its own (h1 and context line), or a part of a team report (h2)
    sections: list[SectionView] | None  # None: no answers yet


def _exercise_report(folder: Folder, ex: Exercise, team_name: str, given: Mapping[str, Any], res: Result,
                     header: bool, css: bool = True) -> str:
    sections = _sections(ex, res, given, team_name) if given else None
    view = ExerciseView(folder.config, ex, team_name, header, sections)
    return str(html.macro("report/exercise.html.j2", "exercise")(view, css))


def blank_html(ex: Exercise) -> str:
    """The empty worksheet, for printing: the participant handout's worksheet."""
    return str(html.macro("report/exercise.html.j2", "blank")(ex))


def exercise_html(workshop: str | Path | Folder, exercise: str, team: str, *, mode: str = "report",
                  language: str = "", header: bool = True) -> str:
    """One team's report on one exercise (`mode` report), or the blank worksheet."""
    folder = _folder(workshop)
    if mode not in MODES:
        raise PlaybookError(f"unknown mode {mode!r}", field="mode", fix=f"use one of: {', '.join(MODES)}")
    with folder.speaking(language) as lang:
        ex = _exercise(folder, exercise, lang.tag)
        if mode == "blank":
            return blank_html(ex)
        if mode == "worksheet":
            return str(html.macro("report/exercise.html.j2", "worksheet_mode")(str(folder.path), True))
        t = folder.config.team(team)
        given = answers_of(folder).get(t.id, {}).get(ex.id, {})
        return _exercise_report(folder, ex, t.name, given, _score(folder, ex, given), header)


def team_html(workshop: str | Path | Folder, team: str, *, language: str = "",
              answers: str | Path | None = None) -> list[str]:
    """Every exercise of the workshop for one team: the first page across the exercises, then
    one fragment per exercise in detail. The stylesheet comes once, with the first page."""
    folder = _folder(workshop)
    t = folder.config.team(team)
    given = answers_of(folder, answers).get(t.id, {})
    with folder.speaking(language) as lang:
        scored = [(ex, given.get(ex.id, {}), _score(folder, ex, given.get(ex.id, {})))
                  for ex in folder.exercises(lang.tag)]
        out = [first_page_html(folder, t.name, scored)]
        out += [_exercise_report(folder, ex, t.name, answers, res, header=False, css=False)
                for ex, answers, res in scored]
    return out


def narrative_html(kind: str, workshop: str | Path | Folder | None = None, *, language: str = "") -> str:
    """What a report notebook of `kind` ("team", "summary", "exercise") says before the report."""
    title, paragraphs = NARRATIVE[kind]
    with _folder(workshop).speaking(language) if workshop is not None else contextlib.nullcontext():
        return str(html.macro("report/exercise.html.j2", "narrative")(
            _(title) if title else None, [_(p) for p in paragraphs]))


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


@dataclass(frozen=True)
class Glance:
    """One exercise on a team's first page (templates/report/first_page.html.j2)."""

    title: str
    answered: bool
    res: Result
    has_evidence: bool  # the definition names a measure of how much rests on evidence
    evidence: MetricResult | None
    flags: list[FlagResult]  # the flags that matter most
    more_flags: int
    has_actions: bool  # the definition names an actions field
    actions: list[Action]
    more_actions: int
    owner_label: str
    date_label: str


def _glance(ex: Exercise, answers: Mapping[str, Any], res: Result) -> Glance:
    f = ex.fields.get(ex.digest.actions or "")
    attrs = f.attributes if isinstance(f, Notes) else []
    actions, more = next_actions(ex, answers)
    shown, more_flags = top_flags(res)
    return Glance(
        title=ex.title, answered=bool(answers), res=res, has_evidence=ex.digest.evidence is not None,
        evidence=res.metrics.get(ex.digest.evidence or ""), flags=shown, more_flags=more_flags,
        has_actions=f is not None, actions=actions, more_actions=more,
        owner_label=next((a.label for a in attrs if a.id == "owner"), _("Owner")),
        date_label=next((a.label for a in attrs if a.kind == "date"), _("Date")),
    )


def _digest(ex: Exercise, answers: Mapping[str, Any], res: Result) -> str:
    return str(html.macro("report/first_page.html.j2", "digest")(_glance(ex, answers, res)))


def first_page_html(folder: Folder, team_name: str,
                    scored: Sequence[tuple[Exercise, Mapping[str, Any], Result]], css: bool = True) -> str:
    """One page across the team's exercises, before any detail: result, recommendation, the
    flags that matter most, the next actions and how much rests on evidence."""
    glances = [_glance(ex, answers, res) for ex, answers, res in scored]
    return str(html.macro("report/first_page.html.j2", "first_page")(folder.config, team_name, glances, css))


# --- the workshop summary ---------------------------------------------------------------------


def summary_html(workshop: str | Path | Folder, *, language: str = "", answers: str | Path | None = None) -> list[str]:
    """All teams side by side, per exercise: scores, spread, shared red flags, disagreements;
    for an exercise whose teams each assess their own subject (a client), one block per subject.
    The stylesheet comes once, with the first fragment."""
    folder = _folder(workshop)
    answered = answers_of(folder, answers)
    with folder.speaking(language) as lang:
        out = [str(html.macro("report/summary.html.j2", "header")(folder.config, True))]
        for ex in folder.exercises(lang.tag):
            given = {t.id: answered[t.id][ex.id] for t in folder.config.teams if answered.get(t.id, {}).get(ex.id)}
            rs = [TeamResult(t.id, t.name, ex.id, _score(folder, ex, given[t.id]))
                  for t in folder.config.teams if t.id in given]
            out.append(_subject_summary(ex, rs, given) if ex.digest.subject else _exercise_summary(ex, rs, given))
    return out


@dataclass(frozen=True)
class Spread:
    """Lowest, median and highest team score of a dimension; None when no team rated it."""

    label: str
    low: float | None
    median: float | None
    high: float | None
    lowest: str  # the team with the lowest score
    highest: str
    rated: int  # how many teams rated it
    unrated: list[str]  # teams with nothing answered in it: not rated, never a zero

    @property
    def spread(self) -> float | None:
        return None if self.low is None or self.high is None else self.high - self.low


@dataclass(frozen=True)
class Compared:
    """An exercise compared across teams (templates/report/summary.html.j2, `teams`)."""

    title: str
    teams: Sequence[TeamResult]
    charts: list[Figure]  # one per CHART_ROWS teams; none when no team answered
    spread: list[Spread]
    disagree: list[Spread]  # spread at least `disagree_points`
    disagree_points: float
    shared: list[tuple[str, list[str]]]  # (flag label, the teams raising it), raised by several


def _spread(ex: Exercise, rs: Sequence[TeamResult]) -> list[Spread]:
    out = []
    for i, d in enumerate(ex.rubric.dimensions):
        scores = [(s, r.name) for r in rs if (s := r.result.dimensions[i].score) is not None]
        unrated = [r.name for r in rs if r.result.dimensions[i].score is None]
        if not scores:
            out.append(Spread(d.label, None, None, None, "", "", 0, unrated))
            continue
        lo, hi = min(scores), max(scores)
        out.append(Spread(d.label, lo[0], statistics.median(s for s, _ in scores), hi[0], lo[1], hi[1], len(scores),
                          unrated))
    return out


def _exercise_summary(ex: Exercise, rs: Sequence[TeamResult],
                      given: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    figures: list[Figure] = []
    if rs:
        metric = ex.workshop_summary.chart.metric or ""
        ratings = {r.name: rating_of(ex, (given or {}).get(r.team, {}), metric) for r in rs}
        figures = _teams_charts(ex, {r.name: r.result for r in rs}, ratings)
    spread = _spread(ex, rs)
    threshold = ex.workshop_summary.disagree_points
    shared: dict[str, tuple[str, list[str]]] = {}
    for r in rs:
        for f in r.result.flags:
            shared.setdefault(f.id, (f.label, []))[1].append(r.name)
    view = Compared(
        title=ex.title, teams=rs, charts=figures, spread=spread,
        disagree=[s for s in spread if s.rated > 1 and s.spread is not None and s.spread >= threshold],
        disagree_points=threshold, shared=[(label, teams) for label, teams in shared.values() if len(teams) > 1],
    )
    return str(html.macro("report/summary.html.j2", "teams")(view))


def subject_of(ex: Exercise, answers: Mapping[str, Any]) -> str | None:
    """What a team assessed (`Digest.subject`, a client's name), or None when not named."""
    f = ex.fields.get(ex.digest.subject or "")
    value = answers.get(f.id) if f is not None else None
    return " ".join(str(value).split()) if f is not None and is_answered(f, value) else None


@dataclass(frozen=True)
class Rating:
    value: int
    point: str  # the scale point's label


@dataclass(frozen=True)
class Assessor:
    """A team in a subject's block: its result and its own ratings (one per rating gap)."""

    name: str
    result: Result
    ratings: list[Rating | None]


@dataclass(frozen=True)
class BySubject:
    """An exercise shown per assessed subject (templates/report/summary.html.j2, `subjects`)."""

    title: str
    what: str  # what the teams assess, in lower case: "client name"
    ratings: list[str]  # the labels of the teams' own ratings (gut call, considered rating)
    groups: list[tuple[str, list[Assessor]]]
    charts: list[Figure]


def _rating(ex: Exercise, m: Metric, answers: Mapping[str, Any]) -> Rating | None:
    f = ex.field_as(m.a.field, Scale) if m.a and m.a.field else None
    value = answers.get(f.id) if f is not None else None
    if f is None or value is None or not is_answered(f, value):
        return None
    return Rating(int(value), f.points[int(value) - 1])


def _subject_summary(ex: Exercise, rs: Sequence[TeamResult], given: Mapping[str, Mapping[str, Any]]) -> str:
    """One block per assessed subject: teams assessing different clients are not compared
    with each other, so there is no spread across teams, only each client's own assessment."""
    f = ex.fields[ex.digest.subject or ""]
    gaps = rating_gaps(ex)
    groups: dict[str, tuple[str, list[Assessor]]] = {}
    for r in rs:
        name = subject_of(ex, given[r.team])
        key = name.casefold() if name is not None else ""
        who = Assessor(r.name, r.result, [_rating(ex, m, given[r.team]) for m in gaps])
        groups.setdefault(key, (name or _(NO_SUBJECT), []))[1].append(who)
    ordered = [v for k, v in groups.items() if k] + ([groups[""]] if "" in groups else [])
    figures: list[Figure] = []
    if rs:
        labels = {r.team: f"{r.name} \u00b7 {subject_of(ex, given[r.team]) or _(NO_SUBJECT)}" for r in rs}
        metric = ex.workshop_summary.chart.metric or ""
        figures = _teams_charts(ex, {labels[r.team]: r.result for r in rs},
                                {labels[r.team]: rating_of(ex, given[r.team], metric) for r in rs})
    view = BySubject(ex.title, f.label.lower(), [ex.fields[m.a.field].label for m in gaps if m.a and m.a.field],
                     ordered, figures)
    return str(html.macro("report/summary.html.j2", "subjects")(view))


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
    parts = [exercise_html(workshop, exercise, team, mode=mode, language=language)]
    if mode == "report":
        parts.insert(0, narrative_html("exercise", workshop, language=language))
    _display(parts)


def show_team(workshop: str | Path, team: str, language: str = "", answers: str | Path | None = None) -> None:
    _display([narrative_html("team", workshop, language=language),
              *team_html(workshop, team, language=language, answers=answers)])


def show_summary(workshop: str | Path, language: str = "", answers: str | Path | None = None) -> None:
    _display([narrative_html("summary", workshop, language=language),
              *summary_html(workshop, language=language, answers=answers)])
