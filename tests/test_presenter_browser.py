"""The presenter view served by a real `playbook serve`, in Chromium: it follows the dashboard's "Next
step" through the whole agenda, its text never holds facilitator-only text of any exercise,
its timer is readable from the back of the room, and teams' progress appears only when the
facilitator chooses, with no team named.

Same harness as test_browser.py (Debian's Chromium through Playwright; PLAYBOOK_SKIP_BROWSER=1
skips). PLAYBOOK_SCREENSHOTS=1 writes docs/screenshots/presenter.png.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import chromium
import pytest
from test_browser import LOAD_MS, _show

from playbook import paths, serve
from playbook.answers.results import load_answers
from playbook.answers.store import Store
from playbook.model import exercises
from playbook.publish import presenter as P
from playbook.workshop import Folder

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
FOLLOW_MS = 15_000  # the presenter polls the store every half second; a busy machine is slower

if os.environ.get("PLAYBOOK_SKIP_BROWSER"):
    pytest.skip("PLAYBOOK_SKIP_BROWSER is set", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[serve.Server]:
    folder = paths.copy_example(tmp_path_factory.mktemp("presenter") / "acme")
    with serve.start(folder, port=0) as running:
        yield running


@pytest.fixture(scope="module")
def screens(tabs: chromium.Tabs, server: serve.Server) -> Iterator[tuple[Page, Page]]:
    """(the facilitator's dashboard, the projector's presenter view), both open: two windows of
    the facilitator's laptop."""
    with tabs.borrowed() as board, tabs.borrowed() as shown:
        for page in (board, shown):
            page.set_viewport_size({"width": 1280, "height": 800})
        _show(board, server.link("facilitator").url, ".widget-button:has-text('Next step')")
        _show(shown, server.link("presenter").url, ".pb-presenter-step")
        yield board, shown


def _secrets() -> list[str]:
    """Every facilitator-only text of every exercise: step notes, field reveals, concealed terms."""
    exs = exercises.all_exercises()
    out = [s.facilitator_notes for ex in exs for s in ex.steps if s.facilitator_notes]
    out += [f.reveal for ex in exs for f in ex.fields.values() if f.reveal]
    out += [t for ex in exs for t in ex.conceal] + [t for ex in exs for s in ex.steps for t in s.conceal]
    return [" ".join(s.split()).casefold() for s in out]


def _with(latest: dict[str, Any], team: str, exercise: str, field: str, value: Any) -> dict[str, Any]:
    """`latest` with one more answer."""
    mine = latest.get(team, {})
    return {**latest, team: {**mine, exercise: {**mine.get(exercise, {}), field: value}}}


def _shown_text(page: Page) -> str:
    return " ".join(html.unescape(page.locator("body").inner_text()).split()).casefold()


def test_the_presenter_follows_next_step_through_the_agenda_and_shows_participant_text_only(
        screens: tuple[Page, Page], server: serve.Server) -> None:
    board, shown = screens
    steps = P.agenda(Folder(server.folder.path).exercises())
    secrets = _secrets()
    step = shown.locator(".pb-presenter-step h1")
    for n, (_, s) in enumerate(steps):
        if n:
            board.get_by_role("button", name="Next step").click()
        expect(step).to_have_text(s.title, timeout=FOLLOW_MS)
        expect(shown.locator(".pb-presenter-timer")).to_contain_text(f"{s.minutes:02d}:00", timeout=FOLLOW_MS)
        text = _shown_text(shown)
        leaked = [secret for secret in secrets if secret in text]
        assert not leaked, (s.id, leaked)
    expect(board.get_by_role("button", name="Next step")).to_be_disabled()
    board.get_by_role("button", name="Previous step").click()
    expect(step).to_have_text(steps[-2][1].title, timeout=FOLLOW_MS)


def test_the_timer_is_large_and_runs_when_the_facilitator_starts_it(screens: tuple[Page, Page]) -> None:
    board, shown = screens
    clock = shown.locator(".pb-presenter-timer span").first
    size = float(clock.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 120, size  # about a tenth of the screen's width: readable from the back
    board.get_by_role("button", name="Start").click()
    expect(shown.locator(".pb-presenter-timer")).to_contain_text("running", timeout=FOLLOW_MS)
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=FOLLOW_MS)  # it counts down on its own
    board.get_by_role("button", name="Pause").click()
    expect(shown.locator(".pb-presenter-timer")).to_contain_text("paused", timeout=FOLLOW_MS)


def test_progress_is_hidden_until_chosen_and_names_no_team(screens: tuple[Page, Page], server: serve.Server) -> None:
    board, shown = screens
    names = [t.name for t in server.folder.config.teams] + [t.id for t in server.folder.config.teams]
    progress = shown.locator(".pb-presenter-progress")
    shown.wait_for_timeout(2_000)  # two polls: nothing may appear on its own
    expect(progress).to_have_count(0)
    assert "team a" not in _shown_text(shown)
    board.get_by_text("Show team progress on the projector").click()
    expect(progress).to_be_visible(timeout=FOLLOW_MS)
    expect(progress).to_contain_text("Team A")
    text = progress.inner_text()
    assert len(re.findall(r"Team [A-Z]\b", text)) == len(server.folder.config.teams)
    body = shown.locator("body").inner_text()
    assert not [n for n in names if re.search(rf"\b{re.escape(n)}\b", body)], body
    before = progress.inner_text()
    folder = Folder(server.folder.path)
    examples = load_answers(folder)  # a valid value for every field: the example's answer files
    with Store.for_folder(folder) as store:  # a team answers a question that counts for the current step
        exs = folder.exercises()
        state, latest = P.read(store, exs), store.latest_all()
        ex, _ = P.agenda(exs)[P.position(exs, state)]
        now = P.progress(folder, exs, state, latest)
        team = folder.config.teams[-1].id
        field, value = next((f, v) for answers in examples.values() for f, v in answers.get(ex.id, {}).items()
                            if P.progress(folder, exs, state, _with(latest, team, ex.id, f, v)) != now)
        store.save(team, ex.id, field, value)
    expect(progress).not_to_have_text(before, timeout=FOLLOW_MS)  # the bars follow the store
    if os.environ.get("PLAYBOOK_SCREENSHOTS"):
        shown.screenshot(path=str(ROOT / "docs" / "screenshots" / "presenter.png"))
    board.get_by_text("Show team progress on the projector").click()
    expect(progress).to_have_count(0, timeout=FOLLOW_MS)


def test_a_team_link_does_not_open_the_presenter_view(tab: Page, server: serve.Server) -> None:
    team = next(link for link in server.links() if link.role == "team")
    url = server.link("presenter").url.split("?")[0] + "?" + team.url.split("?", 1)[1]
    tab.goto(url, timeout=LOAD_MS)
    expect(tab.get_by_text("This link is not valid for the presenter view.").first).to_be_visible(timeout=LOAD_MS)
    assert tab.locator(".pb-presenter-step").count() == 0
