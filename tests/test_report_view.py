"""Report content: every block of the definitions' report sections, escaped, in three modes."""

from __future__ import annotations

import ast
import base64
import itertools
import re
import struct
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile import HOSTILE, hostile_exercises, hostile_workshop
from markupsafe import escape

from playbook.answers import check
from playbook.answers.results import TeamResult
from playbook.errors import PlaybookError, WorkshopError
from playbook.model import exercises
from playbook.model.exercises import Digest, Exercise, ReportSection, Statistic, get
from playbook.publish import handouts, html, pdf, presenter, printing
from playbook.publish import report as rv
from playbook.publish.html import metric_value
from playbook.scoring import CapResult, Context, FlagResult, Result, RuleResult, score
from playbook.workshop import Folder


def e(value: Any) -> str:
    """`value` as the templates print it (markupsafe's escape)."""
    return str(escape(str(value)))


@pytest.fixture
def acme(example_copy: Path) -> Path:
    return example_copy  # without a store: the answers files are the truth here


@pytest.fixture
def hostile(acme: Path) -> Path:
    """The example workshop with markup in a team name and in typed answers."""
    dest = acme
    cfg = dest / "workshop.yml"
    cfg.write_text(cfg.read_text().replace("name: Customer Success", 'name: "<script>alert(1)</script> & Co"'))
    ans = dest / "answers" / "fit_assessment.yml"
    ans.write_text(ans.read_text().replace("client_name: Halden Grid", 'client_name: "<b>Halden</b> Grid"'))
    return dest


@pytest.mark.parametrize("exercise", ["empathy_audit", "fit_assessment", "enablement"])
def test_report_shows_every_section(exercise: str, acme: Path) -> None:
    from playbook.model.exercises import get

    html = rv.exercise_html(acme, exercise, "north")
    ex = get(exercise)
    for sec in ex.report:
        assert f'<section id="{sec.id}">' in html and e(sec.title) in html
    assert "Customer Success" in html and "Recommendation" in html
    for s in ex.statistics:
        assert e(s.source) in html and s.traced in html
    n_charts = sum(len(s.charts) for s in ex.report)
    assert html.count("<img ") == n_charts and html.count('alt="') == n_charts


def test_user_text_is_escaped(hostile: Path) -> None:
    html = "".join(rv.team_html(hostile, "north"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "<b>Halden</b>" not in html and "&lt;b&gt;Halden&lt;/b&gt; Grid" in html
    summary = "".join(rv.summary_html(hostile))
    assert "<script>" not in summary and "&lt;script&gt;" in summary


def test_blank_and_worksheet_modes(acme: Path) -> None:
    blank = rv.exercise_html(acme, "enablement", "north", mode="blank")
    assert 'class="pb-worksheet"' in blank and "Overall" not in blank and "Customer Success" not in blank
    assert "Agreed map: who owns each stage and channel?" in blank
    assert handouts.worksheet(get("enablement")) in blank  # the handout's worksheet, the one implementation
    sheet = rv.exercise_html(acme, "enablement", "north", mode="worksheet")
    assert "playbook serve" in sheet
    with pytest.raises(PlaybookError, match="unknown mode 'print'"):
        rv.exercise_html(acme, "enablement", "north", mode="print")


def test_unknown_team_and_exercise(acme: Path) -> None:
    with pytest.raises(WorkshopError, match="no team 'west'"):
        rv.exercise_html(acme, "enablement", "west")
    with pytest.raises(WorkshopError, match="not part of this workshop"):
        rv.exercise_html(acme, "nope", "north")


def test_team_without_answers(hostile: Path) -> None:
    doc = yaml.safe_load((hostile / "workshop.yml").read_text())
    doc["teams"].append({"id": "west", "name": "Late Team"})
    (hostile / "workshop.yml").write_text(yaml.safe_dump(doc, sort_keys=False))
    first, *details = rv.team_html(hostile, "west")
    assert first.count("No answers recorded yet") == 3  # the first page: one line per exercise
    assert "".join(details).count("No answers recorded yet") == 3


def test_summary_compares_teams(acme: Path) -> None:
    html = "".join(rv.summary_html(acme))
    for part in ("All 4 teams", "Spread of scores", "Red flags shared by several teams",
                 "Where teams disagree", "Customer Success", "Partner Team"):
        assert part in html
    assert "Dot plot of gut call against evidence score" in html  # the fit chart shows every team


def test_answers_are_rendered_readably() -> None:
    from playbook.model.exercises import get

    ex = get("fit_assessment")
    assert rv.answer_html(ex.field("gut_call"), 4) == "4 of 5: Good feeling"
    assert "not answered" in rv.answer_html(ex.field("gut_reason"), "  ")
    notes = rv.answer_html(ex.field("evidence_notes"), [{"text": "a<b", "tags": {"basis": "heard"}}])
    assert "a&lt;b" in notes and "heard" in notes.lower()


def test_a_report_reads_its_snapshot_not_the_live_answers(hostile: Path) -> None:
    from playbook.answers import snapshot
    from playbook.answers.results import load_answers
    from playbook.workshop import Folder

    folder = Folder(hostile)
    assert rv.answers_of(folder) is not rv.answers_of(folder)  # by hand: always read afresh
    data, sha = snapshot.encode(load_answers(folder))
    frozen = snapshot.write(hostile / "out" / "snapshots", data, sha)
    ans = hostile / "answers" / "fit_assessment.yml"
    ans.write_text(ans.read_text().replace("meetings_held: 14", "meetings_held: 15"))
    assert rv.answers_of(folder)["north"]["fit_assessment"]["meetings_held"] == 15
    assert rv.answers_of(folder, frozen)["north"]["fit_assessment"]["meetings_held"] == 14  # as the batch read it
    frozen.write_bytes(frozen.read_bytes().replace(b'"meetings_held":14', b'"meetings_held":16'))
    snapshot.read.cache_clear()
    with pytest.raises(PlaybookError, match="does not match the hash in its name"):
        rv.answers_of(folder, frozen)


# --- blank is unknown: scores, caps and questions ---------------------------------------------


def _blank(ex_id: str) -> tuple[Exercise, Result]:
    """An exercise and its result with nothing answered and no score anywhere (an empty list
    of evidence may count as a known zero, so the scores are blanked here, not assumed)."""
    ex = get(ex_id)
    res = score(ex, {}, Context())
    dims = [d.model_copy(update={"score": None, "answered": 0.0, "gap": False}) for d in res.dimensions]
    return ex, res.model_copy(update={"overall": None, "answered": 0.0, "dimensions": dims})


def test_nothing_answered_renders_as_not_rated_in_every_block() -> None:
    for ex_id in ("empathy_audit", "fit_assessment", "enablement"):
        ex, res = _blank(ex_id)
        html = "".join(rv.report_sections(ex, res, {}, "<i>Late</i> team"))
        shows = {k for sec in ex.report for k in sec.shows}
        if "summary" in shows:
            assert "Nothing scorable is answered yet" in html and "None" not in html
        if "dimensions" in shows:
            assert html.count(">not rated<") >= len(ex.rubric.dimensions)
        assert "<i>Late</i>" not in html and " 0 of 100" not in html


@pytest.mark.parametrize(
    ("overall", "answered", "expected"),
    [
        (58.1, 85.0, "Overall <b>58</b> of 100"),
        (58.1, 85.0, "Scored over 85% of the assessment answered."),
        (40.0, 99.6, "over 99% of the assessment answered"),  # nearly all never reads as all
        (None, 0.0, "Nothing scorable is answered yet"),
    ],
)
def test_summary_says_how_much_the_score_rests_on(overall: float | None, answered: float, expected: str) -> None:
    ex, res = _blank("fit_assessment")
    res = res.model_copy(update={"overall": overall, "answered": answered})
    sec = next(sec for sec in ex.report if "summary" in sec.shows)
    html = rv.report_sections(ex, res, {}, "North")[ex.report.index(sec)]
    assert expected in html and e(res.band.label) in html and e(res.band.summary) in html


def test_caps_and_questions_appear_escaped() -> None:
    ex, res = _blank("fit_assessment")
    caps = [CapResult(id="unsupported", text=f"2 ratings have no evidence: {HOSTILE[0]}.", items=["a", "b"]),
            CapResult(id="other", text="The second cap says why.", items=["c"])]
    rec = res.recommendation.model_copy(update={"questions": [f"Who signs? {HOSTILE[1]}", "When?"]})
    res = res.model_copy(update={"caps": caps, "recommendation": rec})
    html = "".join(rv.report_sections(ex, res, {}, "North"))
    assert f'<p class="pb-cap">2 ratings have no evidence: {e(HOSTILE[0])}.</p>' in html
    assert '<p class="pb-cap">The second cap says why.</p>' in html
    assert "<p><b>Find out first:</b></p><ul><li>Who signs? " + e(HOSTILE[1]) + "</li><li>When?</li></ul>" in html
    assert HOSTILE[0] not in html and HOSTILE[1] not in html


def test_statistics_show_study_year_and_quoting_year_apart() -> None:
    ex = get("fit_assessment")
    stats = [Statistic(id="old", claim="<b>Most</b> buyers", figure="57%", source="CEB", year=None, quoted_year=2018,
                       traced="secondary"),
             Statistic(id="new", claim="Some", figure="5%", source="Study", year=2006, traced="verified")]
    ex = ex.model_copy(update={"statistics": stats})
    sec = ReportSection(id="sources", title="Sources", shows=["statistics"])
    html = rv._block("statistics", ex, sec, score(ex, {}, Context()), {}, "North")
    assert ">Study year</th><th>Quoted in</th>" in html and "<b>Most</b>" not in html
    assert "<td>unknown</td><td>2018</td>" in html and "<td>2006</td><td>\u2013</td>" in html


# --- a team's first page ---------------------------------------------------------------------


def _notes(ex: Exercise, items: list[tuple[str, str | None, str | None]]) -> dict[str, Any]:
    """Checked answers whose actions field holds (text, owner, date) items; required tags and
    attributes the item leaves out are filled as a team would have to."""
    f = ex.field(ex.digest.actions or "")
    when = next((a.id for a in f.attributes if a.kind == "date"), None)  # a list of questions may have none
    notes = []
    for text, owner, day in items:
        note: dict[str, Any] = {"text": text, "tags": {g.id: g.options[0].id for g in f.tag_groups if g.required}}
        note |= {k: v for k, v in (("owner", owner), (when, day)) if k and v}
        note |= {a.id: "2026-12-31" if a.kind == "date" else "someone" for a in f.attributes
                 if a.required and a.id not in note}
        notes.append(note)
    return check(ex, {f.id: notes})


def _flags() -> list[FlagResult]:
    return [FlagResult(id="w1", label="First warning", severity="warning", reason="r"),
            FlagResult(id="n1", label="A notice", severity="notice", reason="r"),
            FlagResult(id="k1", label=f"Knockout {HOSTILE[2]}", severity="knockout", reason="r"),
            FlagResult(id="w2", label="Second warning", severity="warning", reason="r"),
            FlagResult(id="w3", label="Third warning", severity="warning", reason="r")]


@pytest.mark.parametrize("ex_id", ["empathy_audit", "fit_assessment", "enablement"])
def test_first_page_holds_result_flags_actions_and_evidence(acme: Path, ex_id: str) -> None:
    ex = get(ex_id)
    assert ex.digest.actions, "every exercise names its actions field"
    given = _notes(ex, [("Late", "Ana", "2027-01-20"), (HOSTILE[0], "<b>Bo</b>", "2026-12-01"),
                        ("Middle", None, "2026-12-15"), ("Fourth", "Cy", "2027-02-01"), ("Fifth", "Di", "2027-03-01"),
                        ("Sixth", "Ed", "2027-04-01"), ("Seventh", "Fe", "2027-05-01")])
    res = score(ex, given, Context()).model_copy(update={"flags": _flags()})
    html = rv.first_page_html(Folder(acme), "<script>alert(1)</script> team", [(ex, given, res)])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; team: at a glance" in html and "<script>" not in html
    assert e(res.band.label) in html and e(res.recommendation.label) in html
    assert (f"<b>{res.overall:.0f}</b> of 100" if res.overall is not None else "Not scored yet") in html
    flags = re.findall(r'<span class="(knockout|warning|notice)">', html)
    assert flags == ["knockout", "warning", "warning"]  # knockouts first, at most three
    assert html.index("Knockout") < html.index("First warning") < html.index("Second warning")
    assert "Third warning" not in html and "A notice" not in html and "and 2 more flags" in html
    shown, more = rv.next_actions(ex, given)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert len(rows) == len(shown) == 5 and more == 2 and "and 2 more actions" in html
    f = ex.field(ex.digest.actions or "")
    if any(a.kind == "date" for a in f.attributes):  # soonest first, escaped
        assert rows[0] == (e(HOSTILE[0]), "&lt;b&gt;Bo&lt;/b&gt;", "2026-12-01")
        assert [r[2] for r in rows] == sorted(r[2] for r in rows)
        assert rows[1][0] == "Middle"
    else:  # nothing to sort by: the team's order
        assert [r[0] for r in rows] == ["Late", e(HOSTILE[0]), "Middle", "Fourth", "Fifth"]
        assert all("no date" in r[2] for r in rows)
    middle = next(r for r in rows if r[0] == "Middle")
    assert "not named" in middle[1] or middle[1] == "someone"  # an owner the field requires is filled
    if ex.digest.evidence:
        m = res.metrics[ex.digest.evidence]
        assert f"Resting on evidence: <b>{e(metric_value(m))}</b>" in html and e(m.label) in html
    else:
        assert "Resting on evidence" not in html


def test_first_page_evidence_line_and_undated_actions() -> None:
    ex = get("fit_assessment")
    f = ex.field(ex.digest.actions or "")
    given = _notes(ex, [("Undated first", "Ana", None), ("Dated", "Bo", "2026-12-01")])
    res = score(ex, given, Context())
    dated = any(a.kind == "date" for a in f.attributes)
    ev = ex.digest.evidence or "evidence_share"
    blank = res.model_copy(update={"metrics": {**res.metrics, ev: res.metrics[ev].model_copy(update={"value": None})}})
    html = rv._digest(ex, given, blank)
    assert "Resting on evidence: <b>not measured yet</b>" in html
    if dated:
        assert html.index("Dated") < html.index("Undated first")  # those with a date first
    if not any(a.required for a in f.attributes if a.kind == "date"):
        assert '<span class="muted">no date</span>' in html
    without = ex.model_copy(update={"digest": Digest(actions=ex.digest.actions)})
    assert "Resting on evidence" not in rv._digest(without, given, res)
    nothing = rv._digest(ex, {}, score(ex, {}, Context()))
    assert "No answers recorded yet." in nothing and "Resting on evidence" not in nothing


def test_team_report_opens_with_the_first_page(acme: Path) -> None:
    parts = rv.team_html(acme, "north")
    assert len(parts) == 1 + len(Folder(acme).config.exercises)
    first, details = parts[0], "".join(parts[1:])
    assert 'class="pb-report pb-first"' in first and "Customer Success: at a glance" in first
    assert '<section id="' not in first and '<section id="' in details  # no detail before the first page
    for x in Folder(acme).exercises():
        assert e(x.title) in first
    assert 'class="pb-report pb-first"' not in details


# --- the workshop summary ----------------------------------------------------------------------


def _write_fit(folder: Path, teams: dict[str, dict[str, Any]]) -> None:
    ex = get("fit_assessment")
    doc = {"format": "playbook-answers/1", "teams": {t: {"fit_assessment": check(ex, a)} for t, a in teams.items()}}
    (folder / "answers" / "fit_assessment.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_summary_compares_the_fit_assessment_per_client(acme: Path) -> None:
    rated = {"gut_call": 4, "considered_rating": 3, "culture_fit": 4, "decision_access": 2}
    _write_fit(acme, {
        "north": {**rated, "client_name": "Globex"},
        "harbour": {**rated, "client_name": "  globex "},  # the same client, typed differently
        "summit": {**rated, "client_name": HOSTILE[0]},
        "delta": {"gut_call": 2},  # no client named, nothing scored
    })
    frags = rv.summary_html(acme)
    fit = next(f for f in frags if e(get("fit_assessment").title) in f)
    heads = re.findall(r'<h3 class="pb-subject">(.*?)</h3>', fit)
    assert heads == ["Globex", e(HOSTILE[0]), "client not named"]
    assert "Spread of scores" not in fit and "Where teams disagree" not in fit
    assert HOSTILE[0] not in fit
    globex = fit.split('<h3 class="pb-subject">')[1]
    assert "Customer Success" in globex and "Product Marketing" in globex  # both teams under one client
    for label in ("Gut call", "Evidence score", "Answered", "Band", "Recommendation", "Knockout flags"):
        assert label in globex
    assert "4 of 5" in globex
    unnamed = fit.split('<h3 class="pb-subject">')[3]
    assert "Partner Team" in unnamed and ">not rated<" in unnamed and ">0%<" in unnamed
    assert "Partner Team \u00b7 client not named: gut call 25, evidence not rated" in fit  # the chart's alt text
    other = next(f for f in frags if e(get("enablement").title) in f)
    assert "Spread of scores" in other and "Where teams disagree" in other


def test_summary_lists_a_team_without_a_score_as_not_rated() -> None:
    ex = get("enablement")
    done = score(ex, {}, Context())
    dims = [d.model_copy(update={"score": 40.0 + 20 * i}) for i, d in enumerate(done.dimensions)]
    rs = [TeamResult("a", "Alpha", ex.id, done.model_copy(update={"overall": 60.0, "dimensions": dims})),
          TeamResult("b", "Beta", ex.id, done.model_copy(update={"overall": 80.0, "dimensions": [
              d.model_copy(update={"score": 80.0}) for d in dims]})),
          TeamResult("c", "<b>Gamma</b>", ex.id, done)]
    html = rv._exercise_summary(ex, rs)
    first = ex.rubric.dimensions[0].label
    row = re.search(rf"<tr><td>{re.escape(e(first))}</td>(.*?)</tr>", html)
    assert row is not None
    assert row.group(1) == "<td>40</td><td>60</td><td>80</td><td>40</td><td>&lt;b&gt;Gamma&lt;/b&gt;</td>"
    assert "<tr><td>&lt;b&gt;Gamma&lt;/b&gt;</td><td>not rated</td>" in html
    assert e("<b>Gamma</b> not rated") in html and e("<b>Gamma</b> 0") not in html  # the chart's alt text


@pytest.mark.parametrize("exercise", ["enablement", "fit_assessment"])  # bars; gut call against evidence
def test_a_summary_of_many_teams_draws_them_fifty_to_a_chart(exercise: str) -> None:
    """One chart of 1,000 teams would be 400 inches tall (a 57 MB bitmap while drawn)."""
    ex = get(exercise)
    done = score(ex, {}, Context())
    results = {f"Team {i:03d}": done.model_copy(update={"overall": float(i % 100)}) for i in range(120)}
    figures = rv._teams_charts(ex, results, {name: 50.0 for name in results})
    assert len(figures) == 3
    heights = [struct.unpack(">II", base64.b64decode(f.png)[16:24])[1] for f in figures]
    one = rv._teams_charts(ex, dict(itertools.islice(results.items(), rv.CHART_ROWS)), {})
    assert max(heights) <= struct.unpack(">II", base64.b64decode(one[0].png)[16:24])[1]
    for n, (first, last) in enumerate([(1, 50), (51, 100), (101, 120)]):
        assert f"teams {first}-{last} of 120" in figures[n].alt.lower()
        assert f"Team {first - 1:03d}" in figures[n].alt and f"Team {last - 1:03d}" in figures[n].alt
        assert f"Team {last:03d}" not in figures[n].alt
    assert "(teams" not in one[0].alt  # up to CHART_ROWS teams: one chart, titled as before


def test_a_kernel_reads_workshop_yml_once_per_version(acme: Path) -> None:
    """A batch kernel renders team after team: workshop.yml (1,000 teams: 0.13 s) is parsed once."""
    assert rv._folder(acme) is rv._folder(acme) is not rv._folder(acme / "workshop.yml")
    cfg = acme / "workshop.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("name: Customer Success", "name: Renamed Team"),
                   encoding="utf-8")
    assert "Renamed Team" in "".join(rv.team_html(acme, "north"))  # changed (size and time): read again


def test_the_ranking_comes_from_the_teams_own_map_most_important_first() -> None:
    ex = get("empathy_audit")
    sec = next(s for s in ex.report if s.ranked is not None)
    notes = [
        {"text": "Pain <b>nobody</b> heard", "tags": {"area": "pains", "evidence": "imagined", "rank": "low"}},
        {"text": "Pain they told us", "tags": {"area": "pains", "evidence": "heard", "rank": "high"},
         "source": "Ana", "date": "2026-11-01"},
        {"text": "Pain not ranked", "tags": {"area": "pains", "evidence": "imagined"}},
        {"text": "A job to get done", "tags": {"area": "jobs", "evidence": "heard", "rank": "medium"},
         "source": "Ana", "date": "2026-11-01"},
        {"text": "Something they say", "tags": {"area": "says", "evidence": "heard", "rank": "high"}},
    ]
    html = rv._block("ranked", ex, sec, score(ex, {}), {"empathy_map": notes}, "north")
    pains = html[html.index("<h4>Pains</h4>"):html.index("<h4>Gains</h4>")]
    # the team's order: a lot, then a little, then unranked; notes of other areas are not listed
    assert pains.index("Pain they told us") < pains.index("nobody") < pains.index("Pain not ranked")
    assert "&lt;b&gt;nobody&lt;/b&gt;" in pains and "<b>nobody</b>" not in pains
    assert "A job to get done" in html and "Something they say" not in html
    assert "Nothing on the map yet." in html[html.index("<h4>Gains</h4>"):]


# --- one HTML layer: every document from a template, escaped there ------------------------------

SOURCE = Path(__file__).resolve().parents[1] / "playbook"
TAGS = re.compile(r"</?(p|div|span|table|thead|tbody|tr|td|th|ul|ol|li|h[1-6]|section|figure|figcaption|img|a|b|i|"
                  r"br|em|strong|code|style|script|html|head|body|header|main)\b[^<>]*>", re.IGNORECASE)
NOT_DOCUMENTS = {  # HTML in a Python string that is no document the kit writes: why it may stay
    "batch/render.py": "a throwaway output that warms nbconvert up in a fresh kernel; never written",
}


def _strings(tree: ast.AST) -> Iterator[ast.Constant]:
    """Every string constant of a module but its docstrings (which may mention tags)."""
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node


def test_no_module_of_the_engine_builds_html_in_python_strings() -> None:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        for node in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            if TAGS.search(node.value) and name not in NOT_DOCUMENTS:
                found.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "HTML belongs in playbook/publish/templates:\n" + "\n".join(found)
    assert TAGS.search('f"<td>{x}</td>"') and not TAGS.search("out/<team>.html, <language>")  # the scan itself


def test_template_lines_never_start_with_a_space() -> None:
    """A line break and the indentation after it are dropped from a .html.j2 template (html.py):
    indented text would lose the space before it, so templates are not indented."""
    folder = Path(html.templates_dir())
    bad = [f"{p.relative_to(folder)}:{n}" for p in sorted(folder.rglob("*.html.j2"))
           for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if line[:1].isspace()]
    assert not bad, bad


def test_the_handout_and_the_blank_worksheet_are_one_implementation() -> None:
    folder = Path(html.templates_dir())
    users = sorted(p.name for p in folder.rglob("*.j2") if 'class="pb-worksheet"' in p.read_text(encoding="utf-8"))
    assert users == ["worksheet.html.j2"]  # one template draws the worksheet
    for ex in exercises.all_exercises():
        sheet = handouts.worksheet(ex)
        assert handouts.handout(ex)[-1] == sheet  # the handout's last part...
        assert sheet in rv.blank_html(ex)  # ...is the blank worksheet of a report notebook
        assert sheet.count("<style>") == 1 and all(f'<p class="pb-label">{e(f.label)}</p>' in sheet
                                                   for f in ex.fields.values())


def test_the_stylesheet_comes_once_per_document(acme: Path) -> None:
    team = rv.team_html(acme, "north")
    assert sum(f.count("<style>") for f in team) == 1 and team[0].startswith("<style>")
    assert str(html.css("report.css")) in team[0]
    summary = rv.summary_html(acme)
    assert sum(f.count("<style>") for f in summary) == 1 and summary[0].startswith("<style>")
    assert rv.exercise_html(acme, "enablement", "north").count("<style>") == 1  # a document of its own


def _hostile_answers(ex: Exercise) -> dict[str, Any]:
    """Every text field, note text and note attribute of `ex` hostile (dates stay dates)."""
    out: dict[str, Any] = {}
    for i, f in enumerate(ex.fields.values()):
        text = HOSTILE[i % len(HOSTILE)]
        if f.type in ("short_text", "long_text"):
            out[f.id] = text[:f.max_length]
        elif f.type == "notes":
            note = {"text": text, "tags": {g.id: g.options[0].id for g in f.tag_groups}}
            note |= {a.id: "2026-11-01" if a.kind == "date" else HOSTILE[(i + 1) % len(HOSTILE)][:200]
                     for a in f.attributes}
            out[f.id] = [note]
    return out


def _hostile_result(res: Result) -> Result:
    """`res` with every text a definition or a rule puts in it hostile."""
    h = itertools.cycle(HOSTILE)
    return res.model_copy(update={
        "band": res.band.model_copy(update={"label": next(h), "summary": next(h)}),
        "dimensions": [d.model_copy(update={"label": next(h)}) for d in res.dimensions],
        "metrics": {k: m.model_copy(update={"label": next(h), "details": [next(h)]}) for k, m in res.metrics.items()},
        "caps": [CapResult(id="cap", text=next(h), items=[])],
        "flags": [FlagResult(id=f"f{n}", label=next(h), severity=s, reason=next(h))  # type: ignore[arg-type]
                  for n, s in enumerate(("knockout", "warning", "notice", "knockout"))],
        "recommendation": res.recommendation.model_copy(update={"label": next(h), "text": next(h),
                                                                "questions": [next(h)]}),
        "advice": [RuleResult(id="a", label=next(h), text=next(h))],
        "completeness": [c.model_copy(update={"title": next(h)}) for c in res.completeness],
    })


class Tags(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_every_template_renders_user_text_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hostile text in the workshop (client, title, team names), in answers and notes, in
    results (flags, caps, recommendations) and in definitions, through every template."""
    html.env.cache_clear()  # a fresh environment, to see every template load
    loaded: set[str] = set()
    get_template = html.env().get_template

    def spy(name: str, *args: Any, **kwargs: Any) -> Any:
        loaded.add(str(name))
        return get_template(name, *args, **kwargs)

    monkeypatch.setattr(html.env(), "get_template", spy)
    folder = hostile_workshop(tmp_path)
    config = Folder(folder).config
    doc: dict[str, Any] = {"format": "playbook-answers/1", "teams": {}}
    for t in config.teams[:2]:
        doc["teams"][t.id] = {x: _hostile_answers(get(x)) for x in config.exercises}
    for p in (folder / "answers").glob("*"):
        p.unlink()
    (folder / "answers" / "hostile.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    team = config.teams[1]  # its name is hostile
    out: list[str] = [*rv.team_html(folder, team.id), *rv.summary_html(folder),
                      rv.exercise_html(folder, "enablement", team.id, mode="worksheet")]
    scored = []
    for ex in hostile_exercises():
        given = _hostile_answers(ex)
        res = _hostile_result(score(get(ex.id), given, Context()))  # a hostile definition's templates cannot score
        scored.append((ex, given, res))
        out += rv.report_sections(ex, res, given, team.name)
        out.append(rv.blank_html(ex))
        out += handouts.handout(ex)
        rs = [TeamResult(t.id, t.name, ex.id, res) for t in config.teams]
        answers = {t.id: given for t in config.teams}
        out.append(rv._exercise_summary(ex, rs, answers))
        if ex.digest.subject:
            out.append(rv._subject_summary(ex, rs, answers))
    out.append(rv.first_page_html(Folder(folder), team.name, scored))
    out += handouts.guide(HOSTILE[5], [ex for ex, _, _ in scored])
    for ex, _, _ in scored:  # the presenter view shows step texts, and labels teams itself
        for n, step in enumerate(ex.steps, 1):
            out.append(presenter.step_html(presenter.StepView(ex.title, n, len(ex.steps), step.title, step.minutes,
                                                              step.mode, step.instructions)))
    out.append(presenter.progress_html(presenter.Progress([(HOSTILE[0], 50.0)], 0, 1, 0)))
    out.append(presenter.timer_html(presenter.Timer(300.0)))
    (folder / "out" / "reports").mkdir(parents=True)
    for t in config.teams:
        (folder / "out" / "reports" / f"team-{t.id}.html").write_text("<p>stand-in</p>", encoding="utf-8")
    listed = [printing.Listed(t.id, t.name, folder / "out" / "reports" / f"team-{t.id}.html") for t in config.teams]
    out.append(printing.write_index(Folder(folder), listed).read_text(encoding="utf-8"))
    out += pdf.bands({"client": config.client, "title": config.title, "team": team.name, "date": HOSTILE[7],
                      "team_label": HOSTILE[0]})
    assert loaded >= set(html.env().list_templates(extensions=["j2"])), "a template the test does not reach"
    for markup in out:
        for text in HOSTILE:
            assert "<" not in text or text not in markup
        for tag, attrs in Tags(markup).tags:
            assert tag not in ("script", "iframe", "svg", "object", "embed"), tag
            assert not any(a.startswith("on") for a in attrs), attrs
            urls = [v for a, v in attrs.items() if a in ("src", "href", "action") and v]
            assert all(u.startswith("data:image/") or re.fullmatch(r"[a-z0-9-]+\.(html|pdf)", u)
                       for u in urls), urls
    everything = "".join(out)
    missing = [text for text in HOSTILE if e(text) not in everything]
    assert not missing, missing  # each hostile text was rendered, as text
    assert "{{ 7*7 }}" in everything  # template syntax in user text stays text
    html.env.cache_clear()


def test_the_dimension_table_names_its_gap_column_and_the_threshold(example_readonly: Path) -> None:
    """A dimension answered and scored below the rubric's gap_below is marked with that
    threshold under a "Gap" heading (the column had no heading and said only "gap")."""
    out = "".join(rv.team_html(example_readonly, "north")) + "".join(rv.team_html(example_readonly, "summit"))
    tables = re.findall(r"<th>Dimension</th>.*?</table>", out)
    assert tables and all("<th>Gap</th>" in t for t in tables)
    rows = [re.findall(r"<td>(.*?)</td>", r) for t in tables for r in re.findall(r"<tr><td>.*?</tr>", t)]
    assert {get(x).rubric.gap_below for x in ("empathy_audit", "fit_assessment", "enablement")} == {50}
    below = 50
    assert any(r[3] == f"below {below:.0f}" for r in rows) and any(r[3] == "" for r in rows)
    for r in rows:  # scores print rounded: 49.6 shows as 50 and is still below 50
        if r[3]:
            assert float(r[1]) <= below
        else:
            assert r[1] == "not rated" or float(r[1]) >= below
