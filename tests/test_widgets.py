"""The worksheet and dashboard widgets, driven in plain Python as a browser would drive them.

Each test works on a fresh copy of examples/acme with a real SQLite store. Without a running
event loop, debounced saves wait until `flush()`; one test runs a real asyncio loop instead.
"""

from __future__ import annotations

import ast
import asyncio
import html
import importlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest
from IPython.display import HTML
from traitlets.config import Config

import widgets
from playbook import i18n, paths
from playbook.answers.store import Store
from playbook.model.exercises import get
from playbook.publish import charts
from playbook.scoring import Context, score, share
from playbook.workshop import Folder, access
from widgets import pages
from widgets.dashboard import Dashboard
from widgets.inputs import MatrixInput, NumberInput, RankingInput, TicksInput
from widgets.live import LivePanel
from widgets.notes import NotesInput
from widgets.schedule import Scheduler
from widgets.seal import Seal, sealed_fields
from widgets.timer import StepTimer
from widgets.worksheet import Worksheet

AUTHOR = "Lena Park"


@pytest.fixture
def folder(example_copy: Path) -> Folder:
    return Folder(example_copy)


@pytest.fixture
def sheet(folder: Folder) -> Iterator[Worksheet]:
    ws = Worksheet(folder, "north", author=AUTHOR)
    yield ws
    ws.store.close()


def walk(widget: W.Widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def texts(widget: W.Widget) -> str:
    """Every piece of text a page would show: values, labels, titles, tooltips, options."""
    out: list[str] = []
    for w in walk(widget):
        for name in ("value", "description", "placeholder", "tooltip"):
            v = getattr(w, name, None)
            if isinstance(v, str):
                out.append(v)
        out.extend(t for t in getattr(w, "titles", ()) if t)
        out.extend(str(t) for t in getattr(w, "tooltips", ()) or ())
        out.extend(str(label) for label in getattr(w, "_options_labels", ()))
    return html.unescape("\n".join(out))


def without_ids(value: Any) -> Any:
    """A notes value without its item ids (a new note's id is random); others unchanged."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = [dict(n) for n in value]
        assert all(len(n.pop("id")) == 12 for n in value)
    return value


# One user action per field type: (exercise, field, how to set it, the stored value).
def _notes(inp: NotesInput) -> None:
    row = inp.add_note()
    row.text.value = "Budget owner named in the second call"
    row.tags["basis"].value = "heard"
    row.attrs["source"].value = "CFO"
    row.attrs["date"].value = "2026-11-02"


def _ranking(inp: RankingInput) -> None:
    def press(label: str, row: int) -> None:
        hbox = inp.box.children[row]
        next(b for b in hbox.children if isinstance(b, W.Button) and b.description == label).click()

    for _ in range(2):  # rank the first two unranked options ("Not ranked yet" heading + rows)
        heading = next(i for i, c in enumerate(inp.box.children) if isinstance(c, W.HTML))
        press("+ rank", heading + 1)
    press("↑", 1)  # second goes up


CASES: list[tuple[str, str, Any, Any]] = [
    ("fit_assessment", "client_name", lambda i: setattr(i.box, "value", "Globex"), "Globex"),
    ("fit_assessment", "what_changed", lambda i: setattr(i.box, "value", "Line one\nline two"), "Line one\nline two"),
    ("fit_assessment", "culture_fit", lambda i: setattr(i.buttons, "value", 4), 4),
    ("fit_assessment", "stage", lambda i: setattr(i.choice, "value", "discovery"), "discovery"),
    ("fit_assessment", "stakeholders_met",
     lambda i: [setattr(i.boxes[k], "value", True) for k in ("champion", "legal")], ["champion", "legal"]),
    ("fit_assessment", "good_signals", lambda i: setattr(i.boxes["we_attitude"], "value", True), ["we_attitude"]),
    ("fit_assessment", "red_flags", lambda i: setattr(i.none, "value", True), []),
    ("fit_assessment", "evidence_notes", _notes,
     [{"text": "Budget owner named in the second call", "tags": {"basis": "heard"}, "source": "CFO",
       "date": "2026-11-02"}]),
    ("fit_assessment", "revenue_share", lambda i: setattr(i.box, "value", " 12.5 "), 12.5),
    ("fit_assessment", "meetings_held", lambda i: setattr(i.box, "value", "3"), 3),
    ("enablement", "top_gaps", _ranking, ["irrelevant_outreach", "cannot_find_content"]),
    ("enablement", "raci", lambda i: (setattr(i.cells[("awareness", "marketing")], "value", "a"),
                                      setattr(i.cells[("purchase", "sales")], "value", "r")),
     {"awareness": {"marketing": "a"}, "purchase": {"sales": "r"}}),
]


def test_cases_cover_every_field_type() -> None:
    types = {get(ex).field(f).type for ex, f, _, _ in CASES}
    assert types == {"short_text", "long_text", "scale", "single_choice", "multi_choice", "checklist", "notes",
                     "ranking", "number", "matrix"}


def test_every_field_type_saves_with_its_author_and_comes_back(sheet: Worksheet, folder: Folder) -> None:
    for ex, fid, act, _ in CASES:
        act(sheet.form(ex).fields[fid].input)
    assert sheet.scheduler.pending()
    sheet.flush()
    for ex, fid, _, expected in CASES:
        box = sheet.form(ex).fields[fid]
        assert box.error is None, (fid, box.error)
        assert "saved" in box.status.value
        history = sheet.store.history("north", ex, fid)
        assert [(without_ids(r.value), r.author) for r in history] == [(expected, AUTHOR)], fid
    again = Worksheet(folder, "north")
    for ex, fid, _, expected in CASES:
        box = again.form(ex).fields[fid]
        assert without_ids(box.field.check(box.input.get())) == expected, fid
        assert box.saved == sheet.form(ex).fields[fid].saved  # notes keep their item ids
    again.flush()  # restoring shows values without saving them again
    assert sum(len(sheet.store.history("north", ex, fid)) for ex, fid, _, _ in CASES) == len(CASES)


def test_tabs_are_built_when_first_opened(sheet: Worksheet) -> None:
    assert list(sheet.forms) == ["empathy_audit"]
    assert sheet.tabs.children[2].children == ()
    sheet.tabs.selected_index = 2
    assert list(sheet.forms) == ["empathy_audit", "enablement"]
    assert sheet.tabs.children[2] is sheet.forms["enablement"].widget


def test_typing_is_debounced_into_one_revision(sheet: Worksheet) -> None:
    box = sheet.form("fit_assessment").fields["client_name"]
    for text in ("G", "Gl", "Glo", "Globex"):
        box.input.box.value = text
    assert "saving" in box.status.value
    sheet.flush()
    assert [r.value for r in sheet.store.history("north", "fit_assessment", "client_name")] == ["Globex"]
    box.input.box.value = "  "  # emptied: the field is cleared, not saved as blank text
    sheet.flush()
    assert sheet.store.history("north", "fit_assessment", "client_name")[-1].value is None
    assert "client_name" not in sheet.store.latest("north").get("fit_assessment", {})


def test_a_teammates_saves_appear_without_losing_local_edits(folder: Folder) -> None:
    mine, theirs = Worksheet(folder, "north", author=AUTHOR), Worksheet(folder, "north", author="Aiko Mori")
    form = mine.form("fit_assessment")
    form.fields["gut_reason"].input.box.value = "typing, not saved yet"
    theirs.form("fit_assessment").fields["client_name"].input.box.value = "Globex"
    theirs.form("fit_assessment").fields["gut_reason"].input.box.value = "their reason"
    theirs.flush()
    assert mine.sync() == 2  # client_name shown; gut_reason, being edited, opens a conflict
    assert form.fields["client_name"].input.box.value == "Globex" and form.answers["client_name"] == "Globex"
    assert "updated by Aiko Mori" in form.fields["client_name"].status.value
    box = form.fields["gut_reason"]
    assert box.input.box.value == "typing, not saved yet"  # being edited: kept
    assert box.conflict is not None and "Aiko Mori" in box.theirs.value and "their reason" in box.theirs.value
    assert mine.sync() == 0
    mine.flush()  # the pending save is refused: nothing is overwritten without a choice
    assert mine.store.latest("north")["fit_assessment"]["gut_reason"] == "their reason"
    assert box.conflict is not None and box.conflict_panel.layout.display == "flex"
    box.keep_mine.click()
    assert mine.store.latest("north")["fit_assessment"]["gut_reason"] == "typing, not saved yet"
    assert box.conflict is None and box.conflict_panel.layout.display == "none"
    mine.store.close()
    theirs.store.close()


def _two_laptops(folder: Folder) -> tuple[Worksheet, Worksheet]:
    return Worksheet(folder, "north", author="Ana"), Worksheet(folder, "north", author="Bo")


def _add_note(sheet: Worksheet, ex: str, fid: str, text: str) -> None:
    """Add a note with what the definition requires of one (first tag of each group, attributes)."""
    box = sheet.form(ex).fields[fid]
    row = box.input.add_note()
    for dd in row.tags.values():
        dd.value = next(v for _, v in dd.options if v)
    for a in getattr(box.field, "attributes", []):
        if a.required:
            row.attrs[a.id].value = "2027-01-15" if a.kind == "date" else "Ana"
    row.text.value = text


def _note_texts(sheet: Worksheet, ex: str, fid: str) -> list[str]:
    return [r.text.value for r in sheet.form(ex).fields[fid].input.rows]


@pytest.mark.parametrize(("ex", "fid"), [
    ("empathy_audit", "empathy_map"), ("enablement", "plan"), ("fit_assessment", "boundaries")])
def test_two_laptops_add_a_note_before_either_synced_and_both_keep_both(folder: Folder, ex: str, fid: str) -> None:
    ana, bo = _two_laptops(folder)
    for sheet in (ana, bo):
        sheet.form(ex)  # both pages open before anyone types
    _add_note(ana, ex, fid, "Ana's item")
    _add_note(bo, ex, fid, "Bo's item")
    ana.flush()
    bo.flush()
    stored = [n["text"] for n in ana.store.latest("north")[ex][fid]]
    assert stored == ["Ana's item", "Bo's item"]
    assert _note_texts(bo, ex, fid) == stored  # Bo's save returned the merged list
    assert "teammate" in bo.form(ex).fields[fid].status.value
    assert ana.sync() == 1 and _note_texts(ana, ex, fid) == stored
    assert bo.form(ex).fields[fid].error is None
    ana.store.close()
    bo.store.close()


def test_a_note_removed_on_one_laptop_stays_removed_while_the_other_adds(folder: Folder) -> None:
    ana, bo = _two_laptops(folder)
    ex, fid = "fit_assessment", "boundaries"
    _add_note(ana, ex, fid, "first")
    _add_note(ana, ex, fid, "second")
    ana.flush()
    assert bo.sync() == 0  # the form is not built yet: it loads when opened
    assert _note_texts(bo, ex, fid) == ["first", "second"]
    box = ana.form(ex).fields[fid]
    box.input.rows[0].remove.click()
    _add_note(bo, ex, fid, "third")
    ana.flush()
    bo.flush()
    assert [n["text"] for n in ana.store.latest("north")[ex][fid]] == ["second", "third"]
    ana.sync()
    assert _note_texts(ana, ex, fid) == _note_texts(bo, ex, fid) == ["second", "third"]
    ana.store.close()
    bo.store.close()


def test_a_teammates_note_keeps_the_row_being_typed_in_and_a_blank_new_row(folder: Folder) -> None:
    ana, bo = _two_laptops(folder)
    ex, fid = "fit_assessment", "boundaries"
    _add_note(ana, ex, fid, "first")
    ana.flush()
    box = bo.form(ex).fields[fid]
    typing = box.input.rows[0].text
    blank = box.input.add_note()  # added, nothing typed yet: not saved, not an edit
    _add_note(ana, ex, fid, "second")
    ana.flush()
    assert bo.sync() == 1
    assert [r.text.value for r in box.input.rows] == ["first", "second", ""]
    assert box.input.rows[0].text is typing and box.input.rows[-1] is blank  # the same widgets
    ana.store.close()
    bo.store.close()


def test_a_scalar_edited_on_two_laptops_at_once_waits_for_a_choice(folder: Folder) -> None:
    ana, bo = _two_laptops(folder)
    ex = "fit_assessment"
    a, b = ana.form(ex).fields["client_name"], bo.form(ex).fields["client_name"]
    a.input.box.value = "Globex <b>Corp</b>"
    b.input.box.value = "Initech"
    ana.flush()
    bo.flush()  # stale: refused, shown, nothing written
    assert ana.store.latest("north")[ex]["client_name"] == "Globex <b>Corp</b>"
    assert b.conflict is not None and b.input.box.value == "Initech"
    assert "Ana" in b.theirs.value and "Globex &lt;b&gt;Corp&lt;/b&gt;" in b.theirs.value  # escaped
    assert "choose" in b.status.value
    b.input.box.value = "Initech Ltd"  # typing on while the choice waits saves nothing
    bo.flush()
    assert ana.store.latest("north")[ex]["client_name"] == "Globex <b>Corp</b>" and b.conflict is not None
    b.take_theirs.click()
    assert b.input.box.value == "Globex <b>Corp</b>" and b.conflict is None
    assert [r.value for r in ana.store.history("north", ex, "client_name")] == ["Globex <b>Corp</b>"]
    b.input.box.value = "Globex"  # the next save goes against theirs: no conflict
    bo.flush()
    assert ana.store.latest("north")[ex]["client_name"] == "Globex" and b.conflict is None
    ana.store.close()
    bo.store.close()


def test_checklist_none_apply_differs_from_untouched(sheet: Worksheet) -> None:
    form = sheet.form("fit_assessment")
    inp = form.fields["red_flags"].input
    assert isinstance(inp, TicksInput) and inp.get() is None
    inp.none.value = True
    assert inp.get() == []
    inp.boxes["evasive_budget"].value = True  # ticking an item withdraws "none apply"
    assert inp.none.value is False and inp.get() == ["evasive_budget"]
    sheet.flush()
    assert sheet.store.latest("north")["fit_assessment"]["red_flags"] == ["evasive_budget"]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("revenue_share", "150", "out of range: from 0 to 100"),
        ("revenue_share", "twelve", "'twelve' is not a number"),
        ("meetings_held", "2.5", "whole number"),
    ],
)
def test_rejected_number_keeps_the_text_and_writes_nothing(sheet: Worksheet, field: str, typed: str,
                                                           message: str) -> None:
    box = sheet.form("fit_assessment").fields[field]
    assert isinstance(box.input, NumberInput)
    box.input.box.value = typed
    sheet.flush()
    assert box.error is not None and message in box.error
    assert message in html.unescape(box.status.value)
    assert box.input.box.value == typed
    assert sheet.store.history("north", "fit_assessment", field) == []
    box.input.box.value = "40"  # corrected: saved, error gone
    sheet.flush()
    assert box.error is None and sheet.store.latest("north")["fit_assessment"][field] == 40


def test_invalid_date_in_a_note_is_shown_and_kept(sheet: Worksheet) -> None:
    box = sheet.form("fit_assessment").fields["evidence_notes"]
    _notes(box.input)
    sheet.flush()
    row = box.input.add_note()
    row.text.value = "They cancelled twice"
    row.tags["basis"].value = "observed"
    row.attrs["date"].value = "2026-13-40"
    sheet.flush()
    assert box.error is not None and "note 2" in box.error and "not a date" in box.error
    assert row.attrs["date"].value == "2026-13-40" and row.text.value == "They cancelled twice"
    assert len(sheet.store.history("north", "fit_assessment", "evidence_notes")) == 1  # only the first save
    assert "not a date" in box.status.value
    row.attrs["date"].value = "2026-11-13"
    sheet.flush()
    saved = sheet.store.latest("north")["fit_assessment"]["evidence_notes"]
    assert [n.get("date") for n in saved] == ["2026-11-02", "2026-11-13"]


def test_a_blank_new_note_is_not_an_error(sheet: Worksheet) -> None:
    box = sheet.form("fit_assessment").fields["open_questions"]
    assert isinstance(box.input, NotesInput)
    box.input.add_note()
    box.input.add.click()
    sheet.flush()
    assert box.error is None and sheet.store.history("north", "fit_assessment", "open_questions") == []


def test_matrix_and_ranking_widgets_round_trip_empty(sheet: Worksheet) -> None:
    raci = sheet.form("enablement").fields["raci"].input
    ranking = sheet.form("enablement").fields["top_gaps"].input
    assert isinstance(raci, MatrixInput) and raci.get() is None
    assert isinstance(ranking, RankingInput) and ranking.get() is None
    ranking.rank(["slow_ramp", "weak_proof"])
    remove = next(b for b in ranking.box.children[0].children if isinstance(b, W.Button) and b.description == "✕")
    remove.click()
    assert ranking.get() == ["weak_proof"]


def test_facilitator_notes_never_reach_a_team(folder: Folder) -> None:
    notes = [s.facilitator_notes for e in folder.config.exercises for s in get(e).steps if s.facilitator_notes]
    assert notes
    team = Worksheet(folder, "north").build_all()
    shown = texts(team)
    for note in notes:
        assert note[:60] not in shown and note[-60:] not in shown
    assert "Facilitator notes" not in shown
    instructions = [s.instructions for s in get("fit_assessment").steps]
    assert all(text[:60] in shown for text in instructions)  # the walk sees step text
    facilitator = texts(Worksheet(folder, "north", facilitator=True).build_all())
    assert all(note[:60] in facilitator for note in notes)


def test_sealing_is_derived_from_the_definitions() -> None:
    assert sealed_fields(get("fit_assessment")) == {"gut_call": "gut_vs_evidence"}
    assert sealed_fields(get("empathy_audit")) == {"self_rating": "overconfidence_gap"}
    assert sealed_fields(get("enablement")) == {}


def test_gut_call_is_sealed_during_the_evidence_and_revealed_with_the_difference(sheet: Worksheet,
                                                                                  folder: Folder) -> None:
    form = sheet.form("fit_assessment")
    seal = form.seals["gut_call"]
    gut = form.fields["gut_call"]
    assert seal.seal() is False and "first" in seal.hint.value  # nothing to seal yet
    gut.input.buttons.value = 4
    seal.button.click()
    assert seal.state == "sealed"
    page = list(walk(sheet))
    assert gut.input.buttons not in page  # the rating is off the page...
    sealed_box = texts(seal.widget)  # ...and so are its value and label
    assert "sealed" in sealed_box and "4" not in sealed_box and "Good feeling" not in sealed_box
    assert sheet.store.latest("north")["fit_assessment"]["gut_call"] == 4  # ...but kept
    for fid, value in (("shared_motivation", 2), ("culture_fit", 3), ("budget_clarity", 2)):
        form.fields[fid].input.buttons.value = value
    sheet.flush()
    seal.reveal_button.click()
    assert seal.state == "revealed" and gut.input.buttons in list(walk(sheet))
    assert gut.input.buttons.disabled
    gap = score(get("fit_assessment"), form.answers).metrics["gut_vs_evidence"].value
    assert gap is not None and gap > 0
    assert f"{gap:+.1f} points" in seal.outcome.value and "more optimistic" in seal.outcome.value
    reopened = Worksheet(folder, "north").form("fit_assessment").seals["gut_call"]
    assert reopened.state == "sealed"


def test_the_worksheet_scores_with_the_workshops_date_and_settings(folder: Folder) -> None:
    """The live panel and the sealed gut call judge as the report does (dates, revenue ceiling)."""
    sheet = Worksheet(folder, "north")
    try:
        form = sheet.form("fit_assessment")
        assert form.live.context == folder.scoring_context("fit_assessment")
        assert form.live.context.as_of == folder.config.date
        assert form.seals["gut_call"].context is form.live.context
    finally:
        sheet.store.close()


def test_live_feedback_follows_the_answers(sheet: Worksheet) -> None:
    form = sheet.form("fit_assessment")
    before = form.live.chart.value
    assert before and "0/" in form.live.summary.value
    form.fields["culture_fit"].input.buttons.value = 5
    form.fields["decision_access"].input.buttons.value = 5
    sheet.flush()
    assert form.live.result is not None and form.live.result.overall > 0
    assert form.live.chart.value != before


def test_the_radar_is_drawn_again_only_when_what_it_shows_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    real = charts.radar
    monkeypatch.setattr(charts, "radar", lambda result, title: drawn.append(title) or real(result, title=title))
    given: dict[str, Any] = {"culture_fit": 4}
    panel = LivePanel(get("fit_assessment"), Scheduler(), lambda: given)
    panel.render()
    first, summary = panel.chart.value, panel.summary.value
    given.update({"client_name": "Initech", "gut_call": 2})  # answered, but no dimension's score moves
    panel.render()
    assert len(drawn) == 1 and panel.chart.value is first
    assert panel.summary.value != summary  # the share answered did follow
    given["culture_fit"] = 2  # a score moves: a new picture
    panel.render()
    assert len(drawn) == 2 and panel.chart.value != first
    with i18n.use("fr"):  # the same scores in another language: labels and title change
        panel.render()
    assert len(drawn) == 3


def test_saves_and_redraws_run_on_a_real_event_loop(folder: Folder) -> None:
    async def scenario() -> tuple[list[Any], float, float]:
        ws = Worksheet(folder, "north", author=AUTHOR, debounce=0.05)
        form = ws.form("fit_assessment")
        form.live.throttle = 0.05
        assert form.live.result is not None
        before = form.live.result.completeness_overall
        form.fields["client_name"].input.box.value = "Initech"
        form.fields["stage"].input.choice.value = "prospect"
        await asyncio.sleep(0.3)
        values = [r.value for r in ws.store.history("north", "fit_assessment")]
        after = form.live.result.completeness_overall
        ws.store.close()
        return values, before, after

    values, before, after = asyncio.run(scenario())
    assert sorted(values) == ["Initech", "prospect"]
    assert after > before  # redrawn from the saved answers (neither is scored: blank is unknown, not 0)


def test_dashboard_shows_new_answers_and_flags_after_refresh(folder: Folder) -> None:
    board = Dashboard(folder)
    assert "No red flags yet" in board.flags.value
    assert board.refresh() is False
    progress = board.progress.value
    store = Store.for_folder(folder)
    store.save("harbour", "fit_assessment", "red_flags", ["evasive_budget"], author="Priya Nair")
    store.save("harbour", "fit_assessment", "gut_call", 3)
    assert board.refresh() is True
    assert board.progress.value != progress
    assert "Evasive" in board.flags.value or "evasive" in board.flags.value.lower()
    assert ">new<" in board.flags.value
    assert f"revision {store.revision()}" in board.status.value
    assert len(board.charts.children) == 3
    board.refresh(force=True)
    assert ">new<" not in board.flags.value  # seen once, no longer new
    store.close()
    board.store.close()


def test_dashboard_redraws_only_the_chart_whose_scores_moved_and_closes_the_one_replaced(folder: Folder) -> None:
    board = Dashboard(folder)
    store = Store.for_folder(folder)
    try:
        shown = dict(zip((ex.id for ex in board.exercises), board.charts.children, strict=True))
        store.save("harbour", "fit_assessment", "client_name", "Initech")  # a new revision, no score moves
        assert board.refresh() is True
        assert list(board.charts.children) == list(shown.values())
        store.save("harbour", "fit_assessment", "culture_fit", 1)  # harbour's fit score moves
        assert board.refresh() is True
        now = dict(zip((ex.id for ex in board.exercises), board.charts.children, strict=True))
        assert now["fit_assessment"] is not shown["fit_assessment"]
        assert shown["fit_assessment"].comm is None  # the replaced image is closed
        assert all(now[e] is shown[e] for e in now if e != "fit_assessment")
    finally:
        store.close()
        board.store.close()


class _Spy:
    """Stands in for `score` in a widget module (imported by name: `widgets.dashboard` is
    also a function of the package) and records the context each call got."""

    def __init__(self) -> None:
        self.contexts: list[Context | None] = []

    def __call__(self, ex: Any, answers: Any, context: Context | None = None) -> Any:
        self.contexts.append(context)
        return score(ex, answers, context)


def test_live_panel_scores_with_its_context_and_says_when_there_is_no_score(
        folder: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy()
    monkeypatch.setattr(importlib.import_module("widgets.live"), "score", spy)
    ctx = folder.scoring_context("fit_assessment")
    given: dict[str, Any] = {"gut_call": 4}  # the gut call alone: nothing the rubric scores
    panel = LivePanel(get("fit_assessment"), Scheduler(), lambda: given, context=ctx)
    panel.render()
    assert spy.contexts == [ctx] and panel.result is not None and panel.result.overall is None
    assert "no score yet: nothing scorable is answered" in panel.summary.value
    assert "of 100" not in panel.summary.value and bytes(panel.chart.value).startswith(b"\x89PNG")
    given.update({"culture_fit": 5, "decision_access": 4})
    panel.render()
    assert panel.result.overall is not None
    assert f"<b>{panel.result.overall:.0f}</b> of 100 over {share(panel.result.answered)}" in panel.summary.value
    default = LivePanel(get("fit_assessment"), Scheduler(), lambda: given)
    assert default.context == Context()  # without a workshop: the definition's defaults, no date


def test_seal_compares_with_the_context_score_or_says_there_is_none_yet(
        sheet: Worksheet, folder: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy()
    monkeypatch.setattr(importlib.import_module("widgets.seal"), "score", spy)
    form = sheet.form("fit_assessment")
    ctx = folder.scoring_context("fit_assessment")
    given: dict[str, Any] = {}
    seal = Seal(get("fit_assessment"), form.fields["gut_call"], "gut_vs_evidence", lambda: given, context=ctx)
    form.fields["gut_call"].input.buttons.value = 4
    sheet.flush()
    given["gut_call"] = 4
    text = seal.comparison()
    assert spy.contexts == [ctx]
    assert "Evidence score</b>: not rated yet" in text and "Difference" not in text and "0.0 of 100" not in text
    given.update({"culture_fit": 3, "budget_clarity": 2})
    text = seal.comparison()
    result = score(get("fit_assessment"), given, ctx)
    assert f"{result.overall:.1f} of 100, over {share(result.answered)}" in text


def test_dashboard_scores_with_the_workshop_context_and_charts_blank_teams_as_not_rated(
        folder: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy()
    monkeypatch.setattr(importlib.import_module("widgets.dashboard"), "score", spy)
    store = Store.for_folder(folder)
    store.save("harbour", "fit_assessment", "gut_call", 3)  # the store now wins: harbour has a gut call only
    board = Dashboard(folder)
    expected = {ex.id: folder.scoring_context(ex.id) for ex in board.exercises}
    assert spy.contexts and all(c in expected.values() for c in spy.contexts)
    assert board.results[("harbour", "fit_assessment")].overall is None
    fit = board.charts.children[board.folder.config.exercises.index("fit_assessment")]
    assert bytes(fit.value).startswith(b"\x89PNG")
    assert f"{board.teams['harbour']} not rated" in fit.tooltip and " 0;" not in fit.tooltip  # never drawn as 0
    store.close()
    board.store.close()


def test_dashboard_refreshes_itself_on_a_loop(folder: Folder) -> None:
    async def scenario() -> bool:
        board = Dashboard(folder, refresh_s=0.05).start()
        store = Store.for_folder(folder)
        store.save("delta", "enablement", "purpose", "Sell more, more easily")
        await asyncio.sleep(0.3)
        board.stop()
        seen = board.seen_revision == store.revision()
        store.close()
        board.store.close()
        return seen

    assert asyncio.run(scenario())


def test_step_timer_counts_down_pauses_and_resets() -> None:
    now = [100.0]
    timer = StepTimer([("Gut call", 3), ("Criteria", 15)], clock=lambda: now[0])
    assert "03:00" in timer.display_.value and timer.pause_button.disabled
    timer.start_button.click()
    now[0] += 61
    timer.scheduler.flush()  # one tick
    assert "01:59" in timer.display_.value and "running" in timer.display_.value
    timer.pause_button.click()
    now[0] += 30
    timer.show()
    assert "01:59" in timer.display_.value and "paused" in timer.display_.value
    timer.start()
    now[0] += 200
    timer.scheduler.flush()
    assert "00:00" in timer.display_.value and "time is up" in timer.display_.value and not timer.running
    timer.reset_button.click()
    assert "03:00" in timer.display_.value
    timer.step.value = 15
    assert "15:00" in timer.display_.value


def test_unknown_team_or_exercise_is_a_workshop_error(folder: Folder) -> None:
    from playbook.errors import WorkshopError

    with pytest.raises(WorkshopError, match="north"):
        widgets.worksheet(folder.path, "ghost")
    with pytest.raises(WorkshopError, match="fit_assessment"):
        widgets.worksheet(folder.path, "north", exercise="nope")
    one = widgets.worksheet(folder.path, "north", exercise="enablement")
    assert one.ids == ["enablement"] and list(one.forms) == ["enablement"]
    one.store.close()


def test_the_engine_never_imports_ipywidgets() -> None:
    code = ("import json, sys, playbook, playbook.workshop.access, playbook.answers.store, playbook.scoring, playbook.publish.charts;"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'widgets'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


# --- the served pages and their notebooks ------------------------------------------------

NOTEBOOKS = paths.bundled("notebooks")


def _query(folder: Folder, kind: str) -> str:
    return {
        "team": f"token=t&team=north&key={access.team_key(folder, 'north')}",
        "other_team": f"team=harbour&key={access.team_key(folder, 'north')}",
        "facilitator": f"key={access.facilitator_key(folder)}",
        "facilitator_team": f"team=summit&key={access.facilitator_key(folder)}",
        "bad": "team=north&key=00000000000000000000000000000000",
        "none": "",
        "one_exercise": f"team=north&key={access.team_key(folder, 'north')}&exercise=enablement",
    }[kind]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("team", ("north", False, 3)),
        ("one_exercise", ("north", False, 1)),
        ("facilitator_team", ("summit", True, 3)),
        ("other_team", pages.NOT_VALID),
        ("bad", pages.NOT_VALID),
        ("none", pages.NOT_VALID),
        ("facilitator", "Add &team=ID"),
    ],
)
def test_worksheet_page_opens_only_what_the_link_grants(folder: Folder, kind: str, expected: Any) -> None:
    env = {pages.ENV_QUERY: _query(folder, kind), pages.ENV_WORKSHOP: str(folder.path)}
    page = pages.worksheet_page("/nowhere", "delta", "", environ=env)
    if isinstance(expected, str):
        assert isinstance(page, HTML) and expected in html.unescape(page.data)
        assert "Traceback" not in page.data
        return
    team, facilitator, tabs = expected
    assert isinstance(page, Worksheet) and page.team.id == team and len(page.ids) == tabs
    page.build_all()
    assert ("Facilitator notes" in texts(page)) is facilitator
    page.store.close()


def test_a_served_page_without_its_query_string_is_refused(folder: Folder) -> None:
    """Under playbook serve, no link means no access, never the hand-opened facilitator view."""
    env = {pages.ENV_SERVED: "1", pages.ENV_WORKSHOP: str(folder.path)}
    page = pages.worksheet_page(folder.path, "north", "", environ=env)
    assert isinstance(page, HTML) and pages.NOT_VALID in html.unescape(page.data)
    board = pages.dashboard_page(folder.path, environ=env)
    assert isinstance(board, HTML) and pages.NOT_FACILITATOR in html.unescape(board.data)


def test_worksheet_page_by_hand_is_the_facilitator_on_the_parameters(folder: Folder) -> None:
    page = pages.worksheet_page(folder.path, "harbour", "fit_assessment", environ={})
    assert isinstance(page, Worksheet) and page.team.id == "harbour" and page.ids == ["fit_assessment"]
    assert "Facilitator notes" in texts(page)
    broken = pages.worksheet_page(folder.path / "missing", "north", environ={})
    assert isinstance(broken, HTML) and "cannot open" in broken.data
    page.store.close()


def test_the_bundled_example_opened_by_hand_is_never_written(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    example = paths.example("acme")
    before = sorted(p.name for p in example.iterdir())
    page = pages.worksheet_page(NOTEBOOKS / "../examples/acme", "north", environ={})
    assert isinstance(page, Worksheet) and page.folder.path.parent == tmp_path
    page.form("empathy_audit").fields["persona"].input.box.value = "Ops lead"
    page.flush()
    board = pages.dashboard_page(example, environ={})
    assert isinstance(board, Dashboard) and board.folder.path == page.folder.path
    assert "revision 1" in board.status.value
    assert sorted(p.name for p in example.iterdir()) == before
    board.stop()
    for store in (page.store, board.store):
        store.close()


@pytest.mark.parametrize(("kind", "allowed"), [("facilitator", True), ("team", False), ("bad", False)])
def test_dashboard_page_needs_the_facilitator_key(folder: Folder, kind: str, allowed: bool) -> None:
    env = {pages.ENV_QUERY: _query(folder, kind), pages.ENV_WORKSHOP: str(folder.path)}
    page = pages.dashboard_page("/nowhere", environ=env)
    assert isinstance(page, Dashboard) is allowed
    if isinstance(page, Dashboard):
        page.stop()
        page.store.close()
    else:
        assert isinstance(page, HTML) and "not valid" in page.data


@pytest.mark.parametrize("name", ["worksheet", "dashboard", "presenter"])
def test_served_notebooks_follow_the_contract(name: str) -> None:
    nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse("".join(tagged[0]["source"]))
    assert all(n.lineno == n.end_lineno for n in tree.body)
    values = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)}
    assert values["workshop"] == "../examples/acme"
    assert (NOTEBOOKS / values["workshop"] / "workshop.yml").is_file()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in nb["metadata"]


Outputs = tuple[list[dict[str, Any]], dict]


@pytest.fixture
def run_page(monkeypatch: pytest.MonkeyPatch, kernel_config: Callable[[], Config]) -> Callable[..., Outputs]:
    """Executes a served page's notebook in a real kernel, as JupyterLab runs it, with a link's
    query string in the environment (the served process passes it to the same `widgets.pages`):
    its outputs and its widget state."""
    import nbformat
    from nbclient import NotebookClient

    def run(name: str, env: dict[str, str]) -> Outputs:
        for key in (pages.ENV_QUERY, pages.ENV_WORKSHOP):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        NotebookClient(nb, kernel_name="python3", config=kernel_config(), timeout=120,
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        return outputs, nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})

    return run


@pytest.mark.slow
def test_worksheet_notebook_in_a_kernel(folder: Folder, run_page: Callable[..., Outputs]) -> None:
    outputs, _ = run_page("worksheet", {pages.ENV_QUERY: _query(folder, "bad"), pages.ENV_WORKSHOP: str(folder.path)})
    assert [o.output_type for o in outputs] == ["display_data"]
    assert "This link is not valid" in outputs[0].data["text/html"]
    assert "application/vnd.jupyter.widget-view+json" not in outputs[0].data
    outputs, state = run_page("worksheet", {pages.ENV_QUERY: _query(folder, "team"),
                                             pages.ENV_WORKSHOP: str(folder.path)})
    assert [o.output_type for o in outputs] == ["display_data"]
    assert "application/vnd.jupyter.widget-view+json" in outputs[0].data, outputs
    shown = json.dumps(state)
    assert "Customer Success" in shown and "Facilitator notes" not in shown
    assert not any(o.output_type == "stream" and o.name == "stderr" for o in outputs)


@pytest.mark.slow
def test_dashboard_notebook_in_a_kernel(folder: Folder, run_page: Callable[..., Outputs]) -> None:
    outputs, _ = run_page("dashboard", {pages.ENV_QUERY: _query(folder, "team"), pages.ENV_WORKSHOP: str(folder.path)})
    assert "not valid" in outputs[0].data["text/html"], outputs
    outputs, state = run_page("dashboard", {pages.ENV_QUERY: _query(folder, "facilitator"),
                                            pages.ENV_WORKSHOP: str(folder.path)})
    assert "application/vnd.jupyter.widget-view+json" in outputs[0].data, outputs
    assert "Progress per team and step" in json.dumps(state)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # live charts drawing the hostile titles
def test_widgets_escape_every_text_they_put_in_html(tmp_path: Path) -> None:
    """Hostile definitions (labels, help, options, steps, facilitator notes, reveals, flags) and
    a hostile workshop (client, title, team names) reach W.HTML as text, never as markup."""
    from html.parser import HTMLParser

    from hostile import HOSTILE, hostile_exercises, hostile_workshop

    class Tags(HTMLParser):
        def __init__(self, markup: str) -> None:
            super().__init__()
            self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
            self.feed(markup)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found.append((tag, attrs))

    folder = Folder(hostile_workshop(tmp_path))
    exs = hostile_exercises()
    store = Store(f"sqlite:///{tmp_path / 'hostile.db'}", workshop="hostile",
                  teams=[t.id for t in folder.config.teams], exercises=exs)
    team = folder.config.teams[1]  # its name is hostile
    sheet = Worksheet(folder, team.id, store=store, facilitator=True).build_all()
    for form in sheet.forms.values():
        for box in form.fields.values():
            if box.field.type == "short_text":  # a hostile answer too
                box.input.box.value = HOSTILE[0]
        for seal in form.seals.values():
            seal.reveal()  # the comparison names the field and its points
    sheet.flush()
    flags = sheet.forms["fit_assessment"].fields["red_flags"]  # raised per ticked option: hostile labels
    flags.input.boxes[flags.field.options[0].id].value = True
    flags.input.boxes[flags.field.options[1].id].value = True
    sheet.flush()
    board = Dashboard(folder, store=store)
    board.refresh(force=True)
    markup = [w.value for root in (sheet, board) for w in walk(root) if isinstance(w, W.HTML)]
    assert any(html.escape(HOSTILE[2]) in m for m in markup)  # the team's name was shown...
    assert any(html.escape(flags.field.options[0].label) in m for m in board.flags.value.split("<li>"))
    for m in markup:
        for text in HOSTILE:
            assert "<" not in text or text not in m  # ...and every hostile text only as text
        for tag, attrs in Tags(m).found:
            assert tag not in ("script", "img", "svg", "iframe", "a", "h1"), (tag, m[:200])
            assert not any(name.startswith("on") for name, _ in attrs), m[:200]
    store.close()


def test_a_served_page_that_fails_shows_a_sentence_to_its_tab_only(folder: Folder,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`playbook serve` builds every page in one process: a bug in one page is a sentence in
    its tab (no traceback), never an exception through the server; a path that is no page and
    a forged link get the refusal."""
    monkeypatch.setenv(pages.ENV_WORKSHOP, str(folder.path))

    def broken(*args: object, **kwargs: object) -> W.Widget:
        raise RuntimeError("a bug with <secret> inside")

    monkeypatch.setitem(pages.SERVED, "dashboard", broken)
    failed = pages.served_page("/dashboard", _query(folder, "facilitator"))
    assert isinstance(failed, W.HTML)
    assert "This page cannot open. Please tell the facilitator." in failed.value and "secret" not in failed.value
    for path, kind in (("/worksheet", "bad"), ("/team_report", "team"), ("/", "facilitator")):
        refused = pages.served_page(path, _query(folder, kind))
        assert isinstance(refused, W.HTML) and "This link is not valid" in refused.value, path
    presenter = pages.served_page("/presenter", _query(folder, "team"))  # a team's key: the room's view refused
    assert isinstance(presenter, W.HTML) and "not valid for the presenter view" in presenter.value


def test_served_timers_run_on_the_process_loop_through_their_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Served, a page's timers run on one loop thread of the process (not on its websocket's
    loop, which ends with the connection), each through the runner of the page that made the
    scheduler; debounced and cancelled keys behave as on a kernel's loop."""
    import threading
    import time

    from widgets import schedule

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    ran: list[tuple[str, bool]] = []

    def runner_of(page: str) -> schedule.Runner:
        def run(fn: Any) -> None:
            ran.append((page, threading.current_thread() is thread))
            fn()
        return run

    monkeypatch.setattr(schedule, "_host", None)  # restored after the test
    try:
        schedule.host(loop, lambda: runner_of("A"))
        sched = Scheduler()
        calls: list[str] = []
        done = threading.Event()
        sched.later("save", 0.05, lambda: calls.append("first"))
        sched.later("save", 0.05, lambda: (calls.append("second"), done.set()))  # replaces the first
        sched.later("gone", 0.01, lambda: calls.append("cancelled"))
        sched.cancel("gone")
        assert done.wait(10)
        time.sleep(0.1)
        assert calls == ["second"]
        assert ran == [("A", True)]
        assert not sched.pending()
        # A timer already due when its callback is attached runs at once (a click's save, due
        # after 0 s, on a busy machine): it must still find itself pending, and run.
        import concurrent.futures

        due = concurrent.futures.Future[None]()
        due.set_result(None)
        monkeypatch.setattr(schedule.asyncio, "run_coroutine_threadsafe", lambda coro, _loop: (coro.close(), due)[1])
        sched.later("click", 0, lambda: calls.append("clicked"))
        assert calls == ["second", "clicked"] and not sched.pending()
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
