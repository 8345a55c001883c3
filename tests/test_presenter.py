"""The presenter view: its record in the store (SQLite and PostgreSQL), what its page may say,
progress without team names, the dashboard's controls and the presenter's link.

Dashboard and presenter each get their own Store, as two kernels (or two machines) would: the
only thing they share is the database.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from IPython.display import HTML

from playbook.answers.results import load_answers
from playbook.answers.store import Store
from playbook.errors import PlaybookError, StoreError
from playbook.model import exercises
from playbook.model.exercises import Exercise
from playbook.publish import presenter as P
from playbook.workshop import Folder, access
from widgets import pages
from widgets.dashboard import Dashboard
from widgets.presenter import Presenter


def _text(markup: str) -> str:
    """What a reader sees: tags dropped, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def facilitator_only(exs: list[Exercise]) -> list[str]:
    """Every facilitator-only text of the definitions: step notes, field reveals, concealed terms."""
    out = [s.facilitator_notes for ex in exs for s in ex.steps if s.facilitator_notes]
    out += [f.reveal for ex in exs for f in ex.fields.values() if f.reveal]
    out += [t for ex in exs for t in ex.conceal] + [t for ex in exs for s in ex.steps for t in s.conceal]
    return out


def assert_participant_only(text: str, exs: list[Exercise]) -> None:
    shown = _norm(text)
    for secret in facilitator_only(exs):
        assert _norm(secret) not in shown, secret
        # a long note must not appear even in part: its first sentence is checked on its own
        first = _norm(re.split(r"(?<=[.!?])\s", secret.strip(), maxsplit=1)[0])
        if len(first) > 25:
            assert first not in shown, first


# --- the record in the store ----------------------------------------------------------------

def test_state_is_saved_read_back_and_never_moves_the_answers_revision(make_store: Callable[..., Store]) -> None:
    store = make_store()
    assert store.state("presenter") is None
    store.save("north", "drill", "name", "hello")
    revision = store.revision()
    store.save_state("presenter", {"step": "a"}, author="facilitator")
    store.save_state("presenter", {"step": "b", "show_progress": True})
    assert store.state("presenter") == {"step": "b", "show_progress": True}
    assert store.revision() == revision
    other = make_store()  # another kernel on the same database
    assert other.state("presenter") == {"step": "b", "show_progress": True}
    store.save_state("presenter", None)
    assert other.state("presenter") is None


def test_each_workshop_of_a_shared_store_has_its_own_state(make_store: Callable[..., Store]) -> None:
    acme, globex = make_store(workshop="acme"), make_store(workshop="globex")
    acme.save_state("presenter", {"step": "a"})
    assert globex.state("presenter") is None
    globex.save_state("presenter", {"step": "z"})
    assert acme.state("presenter") == {"step": "a"}


def test_state_that_cannot_be_stored_is_a_store_error(make_store: Callable[..., Store]) -> None:
    store = make_store()
    with pytest.raises(StoreError, match="JSON") as info:
        store.save_state("presenter", {"t": float("nan")})
    assert isinstance(info.value, PlaybookError) and info.value.field == "presenter"
    with pytest.raises(StoreError, match="1 to 100 characters"):
        store.save_state("x" * 101, 1)
    assert store.state("presenter") is None


# --- what the page says ---------------------------------------------------------------------

ALL = exercises.all_exercises()


@pytest.mark.parametrize("index", range(len(P.agenda(ALL))))
def test_every_step_shows_participant_text_only(index: int) -> None:
    state = P.at(ALL, index)
    view = P.step_view(ALL, state)
    assert view is not None
    page = P.step_html(view) + P.timer_html(state.timer)
    ex, step = P.agenda(ALL)[index]
    assert _norm(step.title) in _norm(_text(page)) and view.number == ex.steps.index(step) + 1
    assert_participant_only(_text(page), ALL)
    assert f"{step.minutes:02d}:00" in page


def test_the_check_itself_finds_a_facilitator_note() -> None:
    step = next(s for _, s in P.agenda(ALL) if s.facilitator_notes)
    with pytest.raises(AssertionError):
        assert_participant_only(f"{step.instructions} {step.facilitator_notes}", ALL)


def test_text_from_a_definition_is_escaped() -> None:
    view = P.StepView("<b>x</b>", 1, 1, "<script>alert(1)</script>", 5, "Team", "a & b")
    page = P.step_html(view)
    assert "<script>" not in page and "&lt;script&gt;" in page and "a &amp; b" in page


def test_state_from_damaged_json_falls_back_to_defaults() -> None:
    assert P.State.from_json(None) == P.State()
    assert P.State.from_json({"exercise": 3, "timer": {"total_s": "x", "started_at": float("inf")}}) == P.State()
    state = P.State("fit_assessment", "gut_call", True, P.Timer(300.0, 20.0, 1000.0))
    assert P.State.from_json(state.to_json()) == state


def test_the_timer_counts_on_the_wall_clock() -> None:
    timer = P.Timer(300.0, 60.0, started_at=1000.0)
    assert timer.remaining(1030.0) == 210.0 and timer.running
    assert timer.remaining(2000.0) == 0.0
    assert P.Timer(300.0, 60.0).remaining(5000.0) == 240.0
    assert "time is up" in P.timer_html(P.Timer(60.0, 60.0))


def test_progress_names_no_team_and_ranks_best_first(example_copy: Path) -> None:
    folder = Folder(example_copy)
    exs = folder.exercises()
    latest = load_answers(folder)  # the example's answer files: teams at different points
    state = P.at(exs, len(P.agenda(exs)) - 1)
    shown = P.progress(folder, exs, state, latest)
    assert shown is not None and len(shown.rows) == len(folder.config.teams)
    assert len({p for _, p in shown.rows}) > 1, shown
    assert [label for label, _ in shown.rows] == ["Team A", "Team B", "Team C", "Team D"]
    assert [p for _, p in shown.rows] == sorted((p for _, p in shown.rows), reverse=True)
    assert shown.done + shown.under_way + shown.not_started == len(shown.rows)
    page = P.progress_html(shown)
    for team in folder.config.teams:
        assert team.name not in page and f">{team.id}<" not in page
    assert P.progress_html(None) == ""


# --- the dashboard moves it on, the presenter follows -----------------------------------------

@pytest.fixture
def pair(example_copy: Path) -> Iterator[tuple[Dashboard, Presenter]]:
    folder = Folder(example_copy)
    board, shown = Dashboard(folder), Presenter(Folder(example_copy))
    yield board, shown
    board.store.close()
    shown.store.close()


def test_the_presenter_follows_the_dashboard(pair: tuple[Dashboard, Presenter]) -> None:
    board, shown = pair
    exs = board.exercises
    first, second = P.agenda(exs)[0][1], P.agenda(exs)[1][1]
    assert first.title in shown.step.value and shown.progress.value == ""
    assert board.presenter.previous.disabled
    board.presenter.next.click()
    assert shown.refresh()
    assert second.title in shown.step.value and first.title not in shown.step.value
    assert board.timer.step.index == 1 and f"{second.minutes:02d}:00" in shown.timer.value
    board.timer.start_button.click()
    shown.refresh()
    assert "running" in shown.timer.value
    board.timer.pause_button.click()
    shown.refresh()
    assert "paused" in shown.timer.value
    board.presenter.previous.click()
    shown.refresh()
    assert first.title in shown.step.value


def test_progress_shows_only_when_chosen_and_names_no_team(pair: tuple[Dashboard, Presenter]) -> None:
    board, shown = pair
    names = [t.name for t in board.folder.config.teams]
    shown.refresh()
    assert shown.progress.value == ""
    board.presenter.show_progress.value = True
    shown.refresh()
    assert "Team A" in shown.progress.value and "done" in shown.progress.value
    assert not any(name in shown.progress.value for name in names)
    with Store.for_folder(board.folder) as store:  # a team saves: the projector's bars follow
        store.save("delta", "empathy_audit", "customers_in_scope", "Buyers")
    assert shown.refresh()
    board.presenter.show_progress.value = False
    shown.refresh()
    assert shown.progress.value == ""


def test_a_reopened_dashboard_carries_on_where_the_projector_is(pair: tuple[Dashboard, Presenter]) -> None:
    board, _ = pair
    board.presenter.move(+3)
    board.timer.start_button.click()
    again = Dashboard(board.folder)
    try:
        assert again.timer.step.index == 3 and again.timer.running
        assert again.presenter.state.step == board.presenter.state.step
    finally:
        again.store.close()


# --- the presenter's page and link -------------------------------------------------------------

def _env(folder: Folder, query: str) -> dict[str, str]:
    return {pages.ENV_QUERY: query, pages.ENV_WORKSHOP: str(folder.path)}


@pytest.mark.parametrize(("kind", "allowed"), [("presenter", True), ("facilitator", True), ("team", False),
                                               ("facilitator_team", False), ("bad", False), ("none", False)])
def test_the_presenter_page_needs_the_presenter_or_facilitator_key(example_copy: Path, kind: str,
                                                                    allowed: bool) -> None:
    folder = Folder(example_copy)
    query = {
        "presenter": f"token=t&key={access.presenter_key(folder)}",
        "facilitator": f"key={access.facilitator_key(folder)}",
        "team": f"team=north&key={access.team_key(folder, 'north')}",
        "facilitator_team": f"team=north&key={access.facilitator_key(folder)}",
        "bad": "key=00000000000000000000000000000000",
        "none": "",
    }[kind]
    page = pages.presenter_page("/nowhere", environ=_env(folder, query))
    assert isinstance(page, Presenter) is allowed
    if isinstance(page, Presenter):
        page.stop()
        page.store.close()
    else:
        assert isinstance(page, HTML) and "not valid for the presenter view" in page.data


def test_the_presenter_key_opens_no_worksheet_and_no_dashboard(example_copy: Path) -> None:
    folder = Folder(example_copy)
    query = f"key={access.presenter_key(folder)}"
    for page in (pages.worksheet_page("/nowhere", environ=_env(folder, query)),
                 pages.worksheet_page("/nowhere", environ=_env(folder, query + "&team=north")),
                 pages.dashboard_page("/nowhere", environ=_env(folder, query))):
        assert isinstance(page, HTML) and "not valid" in page.data


def test_a_workshop_without_steps_is_no_error() -> None:
    assert P.agenda([]) == [] and P.step_view([], P.State()) is None
    assert "no steps" in P.step_html(None)
