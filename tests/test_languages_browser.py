"""A served worksheet in each language, in a real browser: one server and one Chromium for
every language, the workshop's `language` changed between pages (each page reads workshop.yml
when it opens, and the served process then speaks it).

For each language: the tabs carry the translated exercise titles, a text typed in a field saves
with the state shown in the language ("saved"), reaches the store as typed, and nothing of the
open page is English. The throwaway language of tests/pseudo.py always runs, on a server of its
own that finds its catalogues (any ASCII word on its page is English that escaped
translation); each shipped language runs once it is complete, on one more server, and skips
naming test_shipped_language_is_complete while it is not (no server starts for it then).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pseudo
import pytest
from leftover import SHIPPED, complete_or_skip, english, english_left

from playbook import i18n, paths, serve
from playbook.answers.store import Store
from playbook.model import exercises
from playbook.model import i18n as definitions
from playbook.workshop import Folder

pytestmark = pytest.mark.slow

LOAD_MS = 90_000  # first render on a busy shared machine
SAVE_MS = 20_000
TEAM = "north"
EXERCISE, FIELD = "fit_assessment", "client_name"  # a short text in the first step of its exercise

if os.environ.get("PLAYBOOK_SKIP_BROWSER"):
    pytest.skip("PLAYBOOK_SKIP_BROWSER is set", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def pseudo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[serve.Server, Path]]:
    """A server that finds the throwaway language's catalogues before the kit's (only
    the server's environment has them: this process keeps the kit's for the shipped languages)."""
    root = pseudo.write_catalogues(tmp_path_factory.mktemp("catalogues"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(i18n.languages.ENV_CATALOGUES, str(root))
        folder = pseudo.workshop(tmp_path_factory.mktemp("served") / "acme")
        running = serve.start(folder, port=0)
    with running:
        yield running, root


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[serve.Server]:
    """A server with the kit's own catalogues, for the shipped languages."""
    with serve.start(paths.copy_example(tmp_path_factory.mktemp("served") / "acme"), port=0) as running:
        yield running


def _speak(folder: Path, language: str) -> None:
    config = folder / "workshop.yml"
    config.write_text(re.sub(r"(?m)^language: .*$", f"language: {language}", config.read_text(encoding="utf-8")),
                      encoding="utf-8")


def _page(server: serve.Server, page: Page, language: str) -> str:
    """Open a team's page in `language`, type in a field, see it saved; what the page shows."""
    _speak(server.folder.path, language)
    ex = definitions.translated(exercises.get(EXERCISE), i18n.language(language).tag)
    text = f"Ŧ {language} ŧ"
    page.goto(next(link.url for link in server.links() if link.team == TEAM), timeout=LOAD_MS)
    tab = page.locator(".lm-TabBar-tab", has_text=ex.title)
    expect(tab).to_have_count(1, timeout=LOAD_MS)  # the definitions in the language
    tab.click()
    label = ex.fields[FIELD].label
    box = page.locator("xpath=//div[contains(@class,'widget-vbox')][./div[contains(@class,'widget-html')][1]"
                       f"//b[normalize-space(.)='{label}']]")
    expect(box).to_have_count(1, timeout=LOAD_MS)
    box.locator("input").fill(text)
    with i18n.use(language) as lang:
        saved = lang.gettext("saved")
    expect(box.locator("xpath=./div[contains(@class,'widget-html')][last()]")).to_have_text(saved, timeout=SAVE_MS)
    shown = page.locator(".pb-page").inner_text() + " " + " ".join(
        page.locator("[placeholder]").evaluate_all("els => els.map(e => e.placeholder)"))
    with Store.for_folder(Folder(server.folder.path)) as store:
        assert store.latest(TEAM)[EXERCISE][FIELD] == text  # stored as typed, whatever the language
    return shown


def test_a_served_worksheet_in_the_throwaway_language_leaves_no_english(
        pseudo_server: tuple[serve.Server, Path], tab: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    server, catalogues = pseudo_server
    monkeypatch.setenv(i18n.languages.ENV_CATALOGUES, str(catalogues))  # to read the page as the server wrote it
    left = english([_page(server, tab, pseudo.TAG)])
    assert not left, left[:10]


@pytest.mark.parametrize("language", SHIPPED)
def test_a_served_worksheet_speaks_its_workshops_language(language: str, server: serve.Server,
                                                         tab: Page) -> None:
    complete_or_skip(language)  # here, not at collection: every test process collects
    left = english_left(language, {"worksheet": _page(server, tab, language)}).get("worksheet", [])
    assert not left, left[:10]
