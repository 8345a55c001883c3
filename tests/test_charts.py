"""Charts: figures built without pyplot, with titles, labelled axes and alternative text."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure

from playbook.answers.results import load_answers, score_folder
from playbook.model import exercises
from playbook.publish import charts
from playbook.scoring import Result
from playbook.workshop import Folder


@pytest.fixture(scope="module")
def acme(example_readonly: Path) -> dict:
    folder = Folder(example_readonly)
    results = {(r.team, r.exercise): r for r in score_folder(folder)}
    return {"results": results, "answers": load_answers(folder)}


def spec(exercise: str, kind: str) -> exercises.Chart:
    """The chart of `kind` as the definition specifies it (metric, field, value)."""
    return next(c for sec in exercises.get(exercise).report for c in sec.charts if c.kind == kind)


SELF = spec("empathy_audit", "self_vs_evidence").metric or ""
GUT = spec("fit_assessment", "gut_vs_evidence").metric or ""
RACI = spec("enablement", "raci_heatmap")


def texts(fig: Figure) -> str:
    ax = fig.axes[0]
    parts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in fig.texts)]
    parts += [t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_yticklabels()]
    if fig._suptitle is not None:
        parts.append(fig._suptitle.get_text())
    return " ".join(parts)


def check(fig: Figure, title: str, *alt_parts: str) -> None:
    assert isinstance(fig, Figure)
    assert title in texts(fig)
    alt = charts.alt_text(fig)
    assert alt.endswith(".") and all(p in alt for p in alt_parts), alt
    png = charts.png(fig)
    assert png.startswith(b"\x89PNG") and len(png) > 2000


def test_radar(acme: dict) -> None:
    res = acme["results"]["north", "empathy_audit"].result
    fig = charts.radar(res)
    check(fig, "Scores by dimension", "Radar chart", res.dimensions[0].label, f"{res.dimensions[0].score:.0f}")


def test_self_vs_evidence(acme: dict) -> None:
    res = acme["results"]["harbour", "empathy_audit"].result
    fig = charts.self_vs_evidence(res, SELF)
    gap = res.metrics[SELF].value
    check(fig, "Self-rating against evidence", "self-rating", f"{gap:+.0f} points")
    assert fig.axes[0].get_xlabel() == "Score (0-100)"


def test_self_vs_evidence_without_rating(acme: dict) -> None:
    res = acme["results"]["harbour", "empathy_audit"].result
    blank = res.model_copy(update={"metrics": {}})
    check(charts.self_vs_evidence(blank, SELF), "Self-rating", "no self-rating recorded")


def test_gut_vs_evidence_several_teams(acme: dict) -> None:
    rs = {r.name: r.result for (_, ex), r in acme["results"].items() if ex == "fit_assessment"}
    fig = charts.gut_vs_evidence(rs, GUT)
    check(fig, "Gut call against evidence", "Customer Success: gut call", "Partner Team")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(rs)
    assert fig.axes[0].get_xlabel() == "Score (0-100)"


def test_raci_heatmap_marks_conflict_rows(acme: dict) -> None:
    ex = exercises.get("enablement")
    field, value = RACI.field or "", RACI.value or ""
    matrix = {"awareness": {"marketing": "a", "sales": "a"}, "purchase": {"sales": "a", "sales_ops": "r"}}
    conflicts = charts.raci_conflicts(ex, matrix, field, value)
    assert "awareness" in conflicts and "purchase" not in conflicts
    fig = charts.raci_heatmap(ex, matrix, field, value, title="Who owns each stage and channel")
    check(fig, "Who owns each stage and channel", "Rows without exactly one accountable owner", "Stage: awareness")
    labels = {t.get_text(): t.get_color() for t in fig.axes[0].get_yticklabels()}
    assert labels["Stage: awareness \u2014 no single A"] == charts.WARN
    assert labels["Stage: purchase"] != charts.WARN
    assert fig.axes[0].get_xlabel() == "Role" and fig.axes[0].get_ylabel() == "Stage or channel"
    agreed = charts.raci_heatmap(ex, acme["answers"]["north"]["enablement"][field], field, value)
    check(agreed, ex.field(field).label, "Heatmap")  # titled with the field's label by default


def test_bars_with_a_missing_value() -> None:
    fig = charts.bars({"Findable": 40.0, "Proof": None}, title="Content")
    check(fig, "Content", "Findable 40", "Proof not rated")
    assert [round(p.get_width()) for p in fig.axes[0].patches] == [40]  # no bar at 0 for the blank
    assert "not rated" in texts(fig)
    measured = charts.bars({"Proof": None}, title="Content", missing="not measured yet")
    check(measured, "Content", "Proof not measured yet")


def _unrated(res: Result, every: int = 2) -> Result:
    """`res` with no overall score, every `every`-th dimension unanswered and the rest at 60."""
    dims = [d.model_copy(update={"score": None if i % every == 0 else 60.0}) for i, d in enumerate(res.dimensions)]
    return res.model_copy(update={"overall": None, "answered": 0.0, "dimensions": dims, "metrics": {}})


@pytest.mark.parametrize(
    ("draw", "parts"),
    [
        (lambda r: charts.radar(r), ["not rated", "dimensions are not rated"]),
        (lambda r: charts.self_vs_evidence(r, SELF), ["no self-rating recorded", "not rated yet"]),
        (lambda r: charts.self_vs_evidence(r, SELF, rating=75.0), ["self-rating 75", "not rated yet"]),
        (lambda r: charts.gut_vs_evidence({"Late <b>team</b>": r}, GUT), ["no gut call", "evidence not rated"]),
        (lambda r: charts.gut_vs_evidence({"Late": r}, GUT, ratings={"Late": 50.0}), ["gut call 50", "evidence not rated"]),
        (lambda r: charts.bars({d.label: d.score for d in r.dimensions}), ["not rated"]),
    ],
    ids=["radar", "self-none", "self-rated", "gut-none", "gut-rated", "bars"],
)
def test_a_blank_score_is_drawn_as_not_rated_never_as_zero(acme: dict, draw: Any, parts: list[str]) -> None:
    res = _unrated(acme["results"]["north", "fit_assessment"].result)
    fig = draw(res)
    alt = charts.alt_text(fig)
    assert all(p in alt for p in parts), alt
    assert " 0;" not in alt and " 0." not in alt and "evidence 0" not in alt  # never a made-up zero
    assert "not rated" in texts(fig)
    assert charts.png(fig).startswith(b"\x89PNG")


def test_radar_joins_only_the_rated_dimensions(acme: dict) -> None:
    res = _unrated(acme["results"]["north", "empathy_audit"].result)
    rated = [d for d in res.dimensions if d.score is not None]
    fig = charts.radar(res)
    points = fig.axes[0].collections[-1].get_offsets()  # the rated points, none at the centre
    assert len(points) == len(rated) and all(abs(x) + abs(y) > 0 for x, y in points)


def test_titles_at_a_fixed_height_draw_the_same_pictures(acme: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """`charts.STYLE` fixes the titles' height, sparing matplotlib's search for tick labels on top:
    every kind of chart the kit draws must come out as it does with that search."""
    rs = {r.name: r.result for (_, ex), r in acme["results"].items() if ex == "fit_assessment"}
    empathy = acme["results"]["harbour", "empathy_audit"].result
    ex = exercises.get("enablement")
    matrix = {"awareness": {"marketing": "a", "sales": "a"}, "purchase": {"sales": "a", "sales_ops": "r"}}
    draws = [lambda: charts.radar(empathy), lambda: charts.self_vs_evidence(empathy, SELF),
             lambda: charts.gut_vs_evidence(rs, GUT), lambda: charts.bars({"Findable": 40.0, "Proof": None}),
             lambda: charts.raci_heatmap(ex, matrix, RACI.field or "", RACI.value or "", title="Who owns what")]
    fixed = [charts.png(draw()) for draw in draws]
    monkeypatch.setitem(charts.STYLE, "axes.titley", None)  # matplotlib's own placement
    assert [charts.png(draw()) for draw in draws] == fixed


def test_fonts_only_installed_and_no_pyplot() -> None:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    assert charts.font_family()[0] == charts.LATIN and all(f in installed for f in charts.font_family())
    assert "matplotlib.pyplot" not in sys.modules or not sys.modules["matplotlib.pyplot"].get_fignums()


# --- chart specifications are definitions: checked when loaded, with their line ---------------

MINI = (Path(__file__).parent / "data" / "mini.yml").read_text(encoding="utf-8")
OVERVIEW = "  - {id: overview, title: Overview, shows: [summary, dimensions], charts: [radar]}"


def _load(tmp_path: Path, report: str, summary: str = "") -> exercises.Exercise:
    assert OVERVIEW in MINI
    text = MINI.replace(OVERVIEW, report) + summary
    path = tmp_path / "mini.yml"
    path.write_text(text, encoding="utf-8")
    return exercises.load_file(path)


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_definitions_name_what_their_charts_draw(tmp_path: Path) -> None:
    ex = _load(tmp_path, "  - id: overview\n    title: Overview\n    shows: [chart]\n    metrics: [complete]\n"
                         "    charts: [radar, bars, {kind: self_vs_evidence, metric: gap},\n"
                         "             {kind: raci_heatmap, field: grid_a, value: A}]",
               "workshop_summary:\n  chart: {kind: gut_vs_evidence, metric: gap}\n  disagree_points: 25\n")
    assert [(c.kind, c.metric, c.field, c.value) for c in ex.report[0].charts] == [
        ("radar", None, None, None), ("bars", None, None, None), ("self_vs_evidence", "gap", None, None),
        ("raci_heatmap", None, "grid_a", "A")]
    assert ex.workshop_summary.chart.metric == "gap" and ex.workshop_summary.disagree_points == 25
    assert exercises.get("enablement").workshop_summary.disagree_points == 30  # the bundled ones say so


CHART = "  - {id: overview, title: Overview, shows: [summary, chart], metrics: [complete], charts: [%s]}"


@pytest.mark.parametrize(
    ("chart", "summary", "message", "marker"),
    [
        ("{kind: raci_heatmap, field: grid_z, value: A}", "", "unknown field 'grid_z'", "charts:"),
        ("{kind: raci_heatmap, field: rating, value: A}", "", "is a scale; a raci_heatmap chart needs a matrix", "charts:"),
        ("{kind: raci_heatmap, field: grid_a, value: X}", "", "unknown value 'X'; known: A, R", "charts:"),
        ("{kind: raci_heatmap, field: grid_a}", "", "a raci_heatmap chart needs value", "charts:"),
        ("raci_heatmap", "", "a raci_heatmap chart needs field, value", "charts:"),
        ("{kind: self_vs_evidence, metric: gapp}", "", "unknown metric 'gapp'", "charts:"),
        ("{kind: gut_vs_evidence, metric: clean}", "", "does not compare a rating with the evidence score", "charts:"),
        ("{kind: radar, field: grid_a}", "", "a radar chart takes no field", "charts:"),
        ("{kind: pie}", "", "'radar', 'self_vs_evidence'", "charts:"),
        ("radar", "workshop_summary:\n  chart: {kind: gut_vs_evidence, metric: nope}\n", "unknown metric 'nope'",
         "chart: {kind: gut_vs_evidence"),
        ("radar", "workshop_summary:\n  chart: radar\n", "compares teams with bars or gut_vs_evidence", "chart: radar"),
        ("radar", "workshop_summary:\n  disagree_points: 0\n", "greater than 0", "disagree_points: 0"),
    ],
)
def test_a_wrong_chart_specification_is_refused_with_its_line(tmp_path: Path, chart: str, summary: str,
                                                              message: str, marker: str) -> None:
    from playbook.errors import DefinitionError

    with pytest.raises(DefinitionError, match=re.escape(message)) as info:
        _load(tmp_path, CHART % chart, summary)
    text = (tmp_path / "mini.yml").read_text(encoding="utf-8")
    assert info.value.line == _line(text, marker), str(info.value)


def test_a_chart_block_needs_charts_and_bars_need_metrics(tmp_path: Path) -> None:
    from playbook.errors import DefinitionError

    with pytest.raises(DefinitionError, match="show 'chart' with the charts to draw"):
        _load(tmp_path, "  - {id: overview, title: Overview, shows: [summary, chart]}")
    with pytest.raises(DefinitionError, match="a bars chart draws the section's metrics"):
        _load(tmp_path, "  - {id: overview, title: Overview, shows: [chart], charts: [bars]}")


def test_pages_drawing_in_threads_at_once_leave_matplotlib_settings_as_they_were() -> None:
    """The served process draws for many pages in threads: `rc_context` blocks that overlap
    would restore one another's settings and leave the chart style set for good; drawing is
    one block at a time."""
    import threading

    import matplotlib

    before = {k: matplotlib.rcParams[k] for k in ("font.family", *charts.STYLE)}
    start = threading.Barrier(6)

    def draw() -> None:
        start.wait()
        for n in range(4):
            charts.png(charts.bars({"Findable": 10.0 * n, "Proof": None}, title=f"Content {n}"))

    threads = [threading.Thread(target=draw) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {k: matplotlib.rcParams[k] for k in before} == before
