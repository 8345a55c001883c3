"""Two laptops of one team in a real browser: two Playwright contexts on one team's link,
served by a real `playbook.serve`, typing at the same moment.

Notes added on both laptops before either synced are all in the store, on both pages and in
the team's report (the empathy map, a plan item, a boundary); a scalar edited on both shows
the conflict on the later page and nothing is dropped until its user chooses.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator

import chromium
import psutil
import pytest
from test_browser import _field, _link, _open, _open_worksheet, server

from playbook import serve
from playbook.answers.store import Store
from playbook.model import exercises
from playbook.publish.report import team_html
from playbook.workshop import Folder

pytestmark = pytest.mark.slow
__all__ = ["server"]  # the module's fixture, shared with test_browser

from playwright.sync_api import Browser, BrowserContext, Locator, Page, WebSocketRoute, expect  # noqa: E402

TEAM = "north"
STALL_S = 1.0  # twice the wait of Solara's own probe
SYNC_MS = 15_000  # a teammate's save shows within about a second; slack for a busy machine
LISTS = [("empathy_audit", "empathy_map"), ("enablement", "plan"), ("fit_assessment", "boundaries")]


def _where(exercise: str, field: str) -> tuple[str, int, str]:
    """(tab title, step number, field label) of a field, from its definition."""
    ex = exercises.get(exercise)
    sections = {s.id: s for s in ex.sections}
    step = next(n for n, s in enumerate(ex.steps, 1)
                if any(f.id == field for sid in s.sections for f in sections[sid].fields))
    return ex.title, step, ex.fields[field].label


@pytest.fixture(scope="module")
def laptops(browser: Browser, server: serve.Server) -> Iterator[tuple[Page, Page]]:
    """The team's worksheet open on two laptops (two browser contexts), each with its author."""
    contexts = [browser.new_context(viewport=chromium.VIEWPORT) for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    for page, who in zip(pages, ("Ana", "Bo"), strict=True):
        _open_worksheet(page, _link(server, TEAM))
        page.get_by_placeholder("your name").fill(who)
    yield pages[0], pages[1]
    for c in contexts:
        c.close()


def _fill_row(box: Locator, text: str, who: str) -> None:
    """Fill the one note row of a field: every tag group, every attribute, the text last."""
    for select in box.locator("select").all():
        select.select_option(index=1)
    for attr in box.locator("input[type=text]").all():
        hint = attr.get_attribute("placeholder") or ""
        attr.fill("2027-01-15" if "YYYY-MM-DD" in hint else who)
    box.locator("textarea").fill(text)


def _typed(page: Page, box: Locator) -> list[str]:
    """The notes' texts in a field once two are shown (a textarea's value is not its text)."""
    expect(box.locator("textarea")).to_have_count(2, timeout=SYNC_MS)
    for _ in range(SYNC_MS // 250):
        values = [t.input_value() for t in box.locator("textarea").all()]
        if all(values):
            return values
        page.wait_for_timeout(250)
    return values


@pytest.mark.parametrize(("exercise", "field"), LISTS, ids=[f for _, f in LISTS])
def test_notes_added_on_two_laptops_at_once_are_all_kept(laptops: tuple[Page, Page], server: serve.Server,
                                                        exercise: str, field: str) -> None:
    ana, bo = laptops
    tab, step, label = _where(exercise, field)
    boxes = []
    for page in (ana, bo):
        _open(page, tab, step)
        box = _field(page, label)
        box.get_by_role("button", name="+ Add a note").click()
        expect(box.locator("textarea")).to_have_count(1)
        boxes.append(box)
    texts = [f"Ana's {field} item", f"Bo's {field} item"]
    for box, who in zip(boxes, ("Ana", "Bo"), strict=True):
        _fill_row(box, "", who)  # tags and attributes first: a row without text is not saved
    for box, text in zip(boxes, texts, strict=True):
        box.locator("textarea").fill(text)  # both within the 0.6 s before either saves
    for box, page in zip(boxes, (ana, bo), strict=True):
        assert sorted(_typed(page, box)) == sorted(texts)
    with Store.for_folder(Folder(server.folder.path)) as store:
        stored = [n["text"] for n in store.latest(TEAM)[exercise][field]]
        assert sorted(stored) == sorted(texts)
        authors = {r.author for r in store.history(TEAM, exercise, field)}
        assert authors == {"Ana", "Bo"}
    report = "\n".join(team_html(server.folder.path, TEAM))
    for text in texts:
        assert text.replace("'", "&#39;") in report or text in report, text


def test_a_scalar_edited_on_two_laptops_at_once_shows_the_conflict_and_drops_nothing(
        laptops: tuple[Page, Page], server: serve.Server) -> None:
    ana, bo = laptops
    tab, step, label = _where("fit_assessment", "client_name")
    boxes = []
    for page in (ana, bo):
        _open(page, tab, step)
        boxes.append(_field(page, label))
    boxes[0].locator("input").first.fill("Globex")
    boxes[1].locator("input").first.fill("Initech")  # before Ana's save reaches Bo's page
    warning = re.compile("changed this answer")
    for _ in range(SYNC_MS // 250):  # the page whose save came second shows the conflict
        shown = [p.get_by_text(warning).count() for p in (ana, bo)]
        if any(shown):
            break
        ana.wait_for_timeout(250)
    assert shown.count(0) == 1, shown  # on one page only
    later = 1 if shown[1] else 0
    first_name, later_name = ("Globex", "Initech") if later else ("Initech", "Globex")
    box, page = boxes[later], (ana, bo)[later]
    expect(box.get_by_text(warning)).to_contain_text(("Ana", "Bo")[1 - later])
    expect(box.locator("blockquote")).to_have_text(first_name)
    expect(box.locator("input").first).to_have_value(later_name)  # mine stays in the box
    page.wait_for_timeout(3_000)  # several sync rounds: still nothing overwritten
    with Store.for_folder(Folder(server.folder.path)) as store:
        assert [r.value for r in store.history(TEAM, "fit_assessment", "client_name")] == [first_name]
    expect(box.get_by_text(warning)).to_be_visible()
    box.get_by_role("button", name="Keep mine").click()
    expect(box.get_by_text(warning)).to_be_hidden(timeout=SYNC_MS)
    other = boxes[1 - later]
    expect(other.locator("input").first).to_have_value(later_name, timeout=SYNC_MS)
    with Store.for_folder(Folder(server.folder.path)) as store:
        assert [r.value for r in store.history(TEAM, "fit_assessment", "client_name")] == [first_name, later_name]


def _dropped(context: BrowserContext, server: serve.Server, exercise: str, field: str,
             reconnected: Callable[[WebSocketRoute, WebSocketRoute], None], ready: Callable[[], object],
             waiting_for: str) -> tuple[Page, list[str], tuple[str, int, str]]:
    """A third laptop: the team's worksheet opened in `context` at `field`'s step, its kernel
    websocket routed through the test. That connection is dropped (both ends), the page
    reconnects on its own, and each later connection is handed to `reconnected(to_page,
    to_server)`; returns once `ready()` holds, with the page, what it logged, and the field's
    (tab, step, label)."""
    sockets: list[tuple[WebSocketRoute, WebSocketRoute]] = []

    def through(ws: WebSocketRoute) -> None:  # passed on, kept to be dropped
        to_server = ws.connect_to_server()
        sockets.append((ws, to_server))
        if len(sockets) > 1:
            reconnected(ws, to_server)

    page = context.new_page()
    console: list[str] = []  # what the page logged, for the tests' failure messages
    page.on("console", lambda m: console.append(m.text[:200]))
    page.route_web_socket(re.compile(r"/jupyter/api/kernels/"), through)
    _open_worksheet(page, _link(server, TEAM))
    where = _where(exercise, field)
    _open(page, *where[:2])
    assert len(sockets) == 1
    for to_page, to_server in list(sockets):  # the page may reconnect meanwhile: not that one
        to_server.close()
        to_page.close()
    for _ in range(SYNC_MS // 100):
        if ready():
            break
        page.wait_for_timeout(100)
    assert ready(), f"the page did not {waiting_for}; it logged:\n{_tail(console)}"
    return page, console, where


def _tail(lines: list[str]) -> str:
    """The last lines of a log, for a failure message."""
    return "\n".join(lines[-12:])


def _raw(message: str | bytes) -> bytes:
    return message.encode() if isinstance(message, str) else message


def test_a_page_that_reconnects_to_a_busy_server_still_follows_its_teammates(
        browser: Browser, laptops: tuple[Page, Page], server: serve.Server) -> None:
    """The teammate sync is a timer of the served process, not of the page's connection: a
    third laptop's websocket is dropped (both ends) and the page reconnects to the same session
    while the server is stalled for a second (stopped with SIGSTOP as soon as the page asks
    whether its app still runs: Solara's page waits 0.5 s, then takes the server for a restarted
    one and shuts its session down); a teammate's save still shows on it."""
    ana, _ = laptops
    context = browser.new_context(viewport=chromium.VIEWPORT)
    stalled: list[float] = []
    served = psutil.Process(server.process.pid)

    def stalling(to_page: WebSocketRoute, to_server: WebSocketRoute) -> None:
        def on_probe(message: str | bytes) -> None:
            if not stalled and b"app-status" in _raw(message):
                stalled.append(STALL_S)
                served.suspend()
                threading.Timer(STALL_S, served.resume).start()
            to_server.send(message)

        to_page.on_message(on_probe)

    try:
        page, console, (tab, step, label) = _dropped(context, server, "empathy_audit", "customers_in_scope",
                                                     stalling, lambda: stalled, "reconnect and probe")
        page.wait_for_timeout(STALL_S * 1000 + 500)
        _open(ana, tab, step)
        _field(ana, label).locator("input").first.fill("Treasury teams at regional banks")
        try:
            box = _field(page, label).locator("input").first
        except AssertionError as exc:  # the page lost its worksheet: say what it and the server logged
            log = server.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
            raise AssertionError(f"{exc}\nthe page logged:\n{_tail(console)}\nthe server logged:\n{_tail(log)}") from None
        expect(box, f"the page logged:\n{_tail(console)}").to_have_value(
            "Treasury teams at regional banks", timeout=SYNC_MS)
        assert not [line for line in console if "Kernel: dead" in line]
    finally:
        context.close()


def test_a_save_pushed_while_a_reconnected_page_reloads_its_snapshot_still_shows(
        browser: Browser, laptops: tuple[Page, Page], server: serve.Server) -> None:
    """A browser that reconnects asks the served page for a snapshot of every widget and applies
    it a moment later, possibly after a teammate's save pushed in that moment: the save then
    disappears under the older snapshot. Here the snapshot is held back until the save has
    reached the page, which makes that order likely (without the served page's resend this
    failed 7 runs of 7); the page must still show the save."""
    ana, _ = laptops
    context = browser.new_context(viewport=chromium.VIEWPORT)
    held: list[str | bytes] = []
    text = "Dana Reyes, head of treasury"
    seen = {"save": False}

    def holding(to_page: WebSocketRoute, to_server: WebSocketRoute) -> None:
        def on_answer(message: str | bytes) -> None:
            raw = _raw(message)
            if b"update_states" in raw and not seen["save"]:
                held.append(message)
                return
            to_page.send(message)
            if text.encode() in raw and not seen["save"]:
                seen["save"] = True
                for snapshot in held:
                    to_page.send(snapshot)

        to_server.on_message(on_answer)

    try:
        page, console, (tab, step, label) = _dropped(context, server, "fit_assessment", "relationship_lead",
                                                     holding, lambda: held, "reconnect and ask for its snapshot")
        _open(ana, tab, step)
        _field(ana, label).locator("input").first.fill(text)
        expect(_field(page, label).locator("input").first).to_have_value(text, timeout=SYNC_MS)
        gave_up = [line for line in console if "did not respond in time" in line]
        assert seen["save"] and not gave_up, "the page gave up waiting for the held snapshot"
        assert "a timer of page" not in server.log_path.read_text(encoding="utf-8")  # the resend failed nowhere
    finally:
        context.close()
