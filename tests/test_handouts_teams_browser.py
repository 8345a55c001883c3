"""Team handouts end to end: `playbook handouts --per-team --server URL --format html,pdf`, then a
real `playbook serve` at that address; the QR code read back from each PDF (poppler renders the
page, zbar reads it) is the link the server prints, the short link redirects to it, and both
open the team's worksheet in Chromium.

Both commands run as the user runs them (`python -m playbook.cli`), in that order: the
handouts are printed before the server exists, so the token and keys on paper must be the
ones a later serve accepts.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import chromium
import ports
import pytest

from playbook import paths, serve
from playbook.workshop import Folder, access

pytestmark = pytest.mark.slow

if not chromium.CHROMIUM.is_file() or not all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "zbarimg")):
    pytest.fail("Chromium, poppler-utils and zbar-tools are needed: apt-get install chromium poppler-utils zbar-tools "
                "(make test installs them)", pytrace=False)

from playwright.sync_api import Browser, Page, expect  # noqa: E402

LOAD_MS = 90_000  # first render on a busy shared machine
READY_S = 120


@dataclass
class Room:
    folder: Path
    port: int
    printed: dict[str, str]  # team id -> the short link `playbook handouts` printed
    served: dict[str, str]  # team id -> the link `playbook serve` printed
    said: dict[str, str]  # team id -> the short link `playbook serve` printed


def _playbook(*args: str, **kw: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "playbook.cli", *args], env=env, text=True,  # type: ignore[call-overload, no-any-return]
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)


def _served_links(process: subprocess.Popen[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Read `playbook serve`'s output up to "Ctrl-C": team id -> link, team id -> short link."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "Ctrl-C" in line:
            break
    text = "\n".join(lines)
    assert "Ctrl-C" in text, f"playbook serve did not start:\n{text}"
    found = list(re.finditer(r"^.+ \(([a-z0-9-]+)\):\n  (\S+)\n  or type: (\S+)$", text, re.M))
    return {m.group(1): m.group(2) for m in found}, {m.group(1): m.group(3) for m in found}


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # as Ctrl-C: serve stops its server
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    process.communicate()


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    folder = paths.copy_example(tmp_path_factory.mktemp("room") / "acme")
    # The port is held while the handouts print it, until the server listens on it (and after:
    # a socket bound without listening takes none of the server's connections).
    with ports.reserved() as port:
        handouts = _playbook("handouts", str(folder), "--per-team", "--server", f"http://127.0.0.1:{port}",
                             "--format", "html,pdf")
        out, _ = handouts.communicate(timeout=600)
        assert handouts.returncode == 0, out
        printed = dict(re.findall(r"^([a-z0-9-]+): (http://\S+/t/\S+)$", out, re.M))
        server = _playbook("serve", str(folder), "--port", str(port))
        try:
            yield Room(folder, port, printed, *_served_links(server))
        finally:
            _stop(server)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A window of its own, as a team's laptop that never opened the server: the short link
    and the QR code must bring the token themselves (a kept tab holds it in a cookie)."""
    context = browser.new_context(viewport=chromium.VIEWPORT)
    yield context.new_page()
    context.close()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def qr_of(pdf: Path) -> list[str]:
    """Every QR code zbar finds on the PDF's first page, rendered at 150 dpi."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "150", "-png", str(pdf), f"{tmp}/page"], check=True)
        (png,) = Path(tmp).glob("page*.png")
        run = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                             capture_output=True, text=True)
    return run.stdout.splitlines()


def test_every_team_pdf_names_the_team_and_carries_its_short_link(room: Room) -> None:
    ws = Folder(room.folder)
    assert sorted(room.printed) == sorted(t.id for t in ws.config.teams)
    for team in ws.config.teams:
        pdfs = sorted((room.folder / "out" / "handouts" / team.id).glob("*.pdf"))
        assert [p.stem for p in pdfs] == ["empathy_audit", "enablement", "fit_assessment"]
        for pdf in pdfs:
            text = " ".join(pdf_text(pdf).split())
            assert f"Team {team.name}" in text and ", ".join(team.members) in text, pdf
            assert room.printed[team.id] in text, pdf  # the short link, as printed, on paper


def test_the_qr_code_on_paper_is_the_link_playbook_serve_prints(room: Room) -> None:
    assert sorted(room.served) == sorted(room.printed)
    for team, link in room.served.items():
        for pdf in sorted((room.folder / "out" / "handouts" / team).glob("*.pdf")):
            assert qr_of(pdf) == [link], pdf


def test_the_short_link_redirects_to_the_served_link(room: Room) -> None:
    import http.client

    assert room.said == room.printed  # playbook serve prints the short links on the handouts

    for team, short in room.printed.items():
        for typed in (urlsplit(short).path, urlsplit(short).path.lower().replace("-", "")):
            conn = http.client.HTTPConnection("127.0.0.1", room.port, timeout=60)
            conn.request("GET", typed)
            response = conn.getresponse()
            response.read()
            conn.close()
            assert response.status == 302, typed
            served = urlsplit(room.served[team])
            assert response.getheader("Location") == f"{served.path}?{served.query}"
            assert response.getheader("Cache-Control") == "no-store"
    conn = http.client.HTTPConnection("127.0.0.1", room.port, timeout=60)
    conn.request("GET", "/t/ZZZZ-ZZZZ")
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    assert response.status == 404 and "ask the facilitator" in body
    assert access.server_token(room.folder) not in body and "Location" not in dict(response.getheaders())


def _worksheet_of(page: Page, name: str) -> None:
    expect(page.locator(".lm-TabBar-tab").first).to_be_visible(timeout=LOAD_MS)
    expect(page.locator("h2", has_text=name).first).to_be_visible(timeout=LOAD_MS)


def test_a_team_opens_its_worksheet_by_typing_the_short_link(room: Room, page: Page) -> None:
    short = room.printed["north"]
    page.goto(short.replace("-", "").lower(), timeout=LOAD_MS)  # typed carelessly: still found
    _worksheet_of(page, "Customer Success")
    assert urlsplit(page.url).path == "/worksheet"
    expect(page.get_by_text("This link is not valid")).to_have_count(0)


def test_a_team_opens_its_worksheet_from_the_qr_code(room: Room, page: Page) -> None:
    pdf = room.folder / "out" / "handouts" / "summit" / "fit_assessment.pdf"
    (link,) = qr_of(pdf)
    page.goto(link, timeout=LOAD_MS)
    _worksheet_of(page, "Enterprise Sales")
    expect(page.get_by_text("This link is not valid")).to_have_count(0)


def test_a_later_serve_of_the_same_folder_accepts_the_same_links(room: Room) -> None:
    """The token and keys do not change from one serve to the next (a second server on another port)."""
    with serve.start(room.folder, port=0) as again:
        teams = [link for link in again.links() if link.role == "team"]
        assert len(teams) == len(room.served)
        for link in teams:
            assert link.team is not None
            first = urlsplit(room.served[link.team])
            assert urlsplit(link.url).query == first.query
