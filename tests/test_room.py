"""A full room: every team page of a 12-team workshop opened at the same moment in Chromium,
each in its own browser context, through a real `playbook serve`; every page must become
usable (tabs drawn, a step open, the author box enabled) without any request leaving 127.0.0.1. No timing is asserted: the timeout
is generous, for a shared machine; benchmarks/room.py measures the times."""

from __future__ import annotations

import os
from pathlib import Path

import chromium
import pytest

from playbook import serve

pytestmark = pytest.mark.slow

if os.environ.get("PLAYBOOK_SKIP_BROWSER"):
    pytest.skip("PLAYBOOK_SKIP_BROWSER is set", allow_module_level=True)

from room import open_at_once, room_workshop  # noqa: E402 - needs Playwright

TEAMS = 12
TIMEOUT_S = 600.0


def test_every_team_page_of_a_full_room_opens_usable(tmp_path: Path) -> None:
    chromium.require()
    folder = room_workshop(tmp_path / "acme", TEAMS)
    with serve.start(folder, port=0) as server:
        links = [link.url for link in server.links() if link.team is not None]
        assert len(links) == TEAMS
        opened = open_at_once(links, TIMEOUT_S)
    failed = [(o.url.split("team=")[1].split("&")[0], o.error) for o in opened if o.usable_s is None]
    assert not failed, failed
    outside = {u for o in opened for u in o.outside}
    assert not outside, outside  # nothing else is fetched from beyond this machine
