"""One workshop served from two hosts through PostgreSQL: two `playbook serve` commands (each
its own server process on its own port, standing in for two hosts behind a reverse proxy) started at
the same moment on one empty database, each with its own copy of the workshop folder and the
same secret, both printing links to the same reverse-proxy address (`--server`), driven by
Debian's Chromium; the test plays the proxy, sending each page to one host.

The database role must give a password (scram-sha-256): host A has it in its store URL, host B
in PGPASSWORD, and both reach their server processes through the environment. A team's link
saves through A and the same team's page on B shows it (its key and token printed by A); a
teammate's save through B reaches the page on A and A's dashboard; A's "Next step" moves the
presenter view served by B; a forged key is refused on both; and the password appears in no
printed line, log or command line.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import chromium
import pg_cluster
import pytest
from sqlalchemy import create_engine, make_url, text
from test_browser import LOAD_MS, _field, _open, _open_worksheet, _saved, _show
from test_serve import _cmdline, _get, _tree

from playbook import paths, serve
from playbook.answers.store import SCHEMA_VERSION, Store
from playbook.publish import presenter as P
from playbook.workshop import Folder, access

pytestmark = pytest.mark.slow

from playwright.sync_api import Browser, Page, expect  # noqa: E402

PASSWORD = "tw0-h0sts:s3cret"
PROXY = "http://playbook.test:8080"  # the reverse proxy's address, which both hosts print in their links
TEAM = "north"
SYNC_MS = 15_000  # a teammate's save shows within about a second; slack for a busy machine
REFRESH_MS = 30_000  # the dashboard looks every 5 s; slack for a busy machine
FIT = "Client-fit assessment"
CLIENT = "Client or prospect"  # fit_assessment.client_name, step 1
START = "import sys; from playbook.cli.serve import serve; serve.main(sys.argv[1:], prog_name='playbook serve')"


@dataclass
class Host:
    """One `playbook serve` command and what it printed."""

    name: str
    folder: Path
    env: dict[str, str]
    process: subprocess.Popen[str] | None = None
    lines: list[str] = field(default_factory=list)

    def urls(self, needle: str) -> list[str]:
        return [line.strip() for line in self.lines if line.strip().startswith("http") and needle in line]

    def team(self, team: str) -> str:
        return next(u for u in self.urls("/worksheet?") if f"team={team}&" in u)

    @property
    def dashboard(self) -> str:
        return self.urls("/dashboard?")[0]

    @property
    def presenter(self) -> str:
        return self.urls("/presenter?")[0]

    @property
    def port(self) -> int:
        """The port this host listens on (its links name the proxy's address)."""
        serving = next(line for line in self.lines if line.startswith("Serving "))
        return int(re.search(r"port (\d+)", serving).group(1))  # type: ignore[union-attr]

    def here(self, url: str) -> str:
        """A printed link sent to this host, as the reverse proxy would."""
        return re.sub(r"^http://[^/]+", f"http://127.0.0.1:{self.port}", url)

    def read_until_ready(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if "Ctrl-C" in line:
                return

    def served(self) -> list[int]:
        """The server process this command started."""
        assert self.process is not None
        return [p for p in _tree(self.process.pid) if "widgets.server" in _cmdline(p)]


@dataclass
class Hosts:
    a: Host
    b: Host
    url: str  # the store's URL, without the password
    workshop: str

    def store(self) -> Store:
        folder = Folder(self.a.folder)
        return Store(make_url(self.url).set(password=PASSWORD), workshop=self.workshop,
                     teams=[t.id for t in folder.config.teams], exercises=folder.config.exercises)


@pytest.fixture(scope="module")
def hosts(postgres: pg_cluster.Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosts]:
    """Hosts A and B serving one workshop on one empty database, both started at once."""
    role = postgres.password_role(PASSWORD)
    url = postgres.schema_url(owner=role)  # no password in it
    root = tmp_path_factory.mktemp("two-hosts")
    a_folder = paths.copy_example(root / "host-a" / "acme")
    access.secret(a_folder)
    b_folder = root / "host-b" / "acme"
    shutil.copytree(a_folder, b_folder)  # the folder copied to host B, its .playbook/secret with it
    base = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    base["PGPASSFILE"] = str(root / "no-pgpass")  # nobody's ~/.pgpass helps
    with_password = make_url(url).set(password=PASSWORD).render_as_string(hide_password=False)
    a = Host("A", a_folder, {**base, "PLAYBOOK_STORE_URL": with_password})
    b = Host("B", b_folder, {**base, "PLAYBOOK_STORE_URL": url, "PGPASSWORD": PASSWORD})
    try:
        for host in (a, b):
            host.process = subprocess.Popen(
                [sys.executable, "-c", START, str(host.folder), "--port", "0", "--server", PROXY], env=host.env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        readers = [threading.Thread(target=host.read_until_ready) for host in (a, b)]
        for r in readers:
            r.start()
        for r in readers:
            r.join(timeout=3 * serve.READY_TIMEOUT_S)
        for host in (a, b):
            assert host.urls("/dashboard?"), f"host {host.name} did not serve:\n{''.join(host.lines)}{_stop(host)}"
        yield Hosts(a, b, url, Folder(a_folder).workshop_id)
    finally:
        _stop(a, b)


def _stop(*hosts: Host) -> str:
    """Stop the commands as Ctrl-C would, all at once; what they wrote to stderr."""
    running = [h for h in hosts if h.process is not None and h.process.returncode is None]
    for host in running:
        host.process.send_signal(signal.SIGINT)  # type: ignore[union-attr]
    errors = []
    for host in running:
        assert host.process is not None
        try:
            errors.append(host.process.communicate(timeout=2 * serve.STOP_TIMEOUT_S + 30)[1])
        except subprocess.TimeoutExpired:
            for pid in host.served():
                os.killpg(pid, signal.SIGTERM)
            host.process.kill()
            errors.append(host.process.communicate()[1])
    return "".join(errors)


@pytest.fixture(scope="module")
def laptops(browser: Browser, hosts: Hosts) -> Iterator[tuple[Page, Page]]:
    """Team north's worksheet on host A and on host B: the link A printed, sent to each."""
    contexts = [browser.new_context(viewport=chromium.VIEWPORT) for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    link = hosts.a.team(TEAM)
    for page, url, who in ((pages[0], hosts.a.here(link), "Ana"), (pages[1], hosts.b.here(link), "Bo")):
        _open_worksheet(page, url)
        page.get_by_placeholder("your name").fill(who)
    yield pages[0], pages[1]
    for c in contexts:
        c.close()


def _connections(hosts: Hosts) -> list[str]:
    """The database connections the hosts' pages hold (the role the hosts connect as): each
    one's client port and last statement."""
    engine = create_engine(make_url(hosts.url).set(password=PASSWORD))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT client_port, left(query, 60) FROM pg_stat_activity "
                                     "WHERE usename = current_user AND pid <> pg_backend_pid()")).all()
    finally:
        engine.dispose()
    return [f"{port}: {query}" for port, query in rows]


# --- starting ---------------------------------------------------------------------------------

def test_both_hosts_started_at_once_share_one_schema_and_print_the_same_links(hosts: Hosts) -> None:
    engine = create_engine(make_url(hosts.url).set(password=PASSWORD))
    try:
        with engine.connect() as conn:
            versions = [v for (v,) in conn.execute(text("SELECT version FROM schema_version ORDER BY version"))]
    finally:
        engine.dispose()
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    shown = make_url(hosts.url).render_as_string(hide_password=False)
    a_line = next(line for line in hosts.a.lines if line.startswith("Answers:"))
    b_line = next(line for line in hosts.b.lines if line.startswith("Answers:"))
    assert shown.replace("@", ":***@", 1) in a_line and "as workshop 'acme'" in a_line
    assert shown in b_line and "as workshop 'acme'" in b_line
    for host in (hosts.a, hosts.b):
        assert "put 'id: acme' in workshop.yml" in "".join(host.lines)
        assert "another secret" not in "".join(host.lines)  # the same secret on both
        links = [line.strip().removeprefix("or type: ") for line in host.lines
                 if line.strip().startswith(("http", "or type:"))]
        assert len(links) == 2 * 4 + 2 and all(link.startswith(f"{PROXY}/") for link in links), links
    assert hosts.a.urls("") == hosts.b.urls("")  # the same links, whichever host printed them


def test_the_short_code_printed_by_one_host_opens_on_the_other(hosts: Hosts) -> None:
    code = access.short_code(hosts.a.folder, TEAM)
    short = next(line.split("or type:", 1)[1].strip() for line in hosts.a.lines if f"/t/{code}" in line)
    response = _get(hosts.b.port, hosts.b.here(short))
    printed = urlsplit(hosts.a.team(TEAM))  # the team's link A printed: its key and A's token
    assert response.status == 302
    assert response.getheader("Location") == f"{printed.path}?{printed.query}"


# --- one team on both hosts -------------------------------------------------------------------

def test_a_save_through_one_host_shows_on_the_other(laptops: tuple[Page, Page], hosts: Hosts) -> None:
    on_a, on_b = laptops
    _open(on_a, FIT, 1)
    box_a = _field(on_a, CLIENT)
    box_a.locator("input").fill("Globex, typed on host A")
    _saved(box_a)
    on_b.reload()  # the page on B, opened with the key A printed, reads what A saved
    expect(on_b.locator(".lm-TabBar-tab").first).to_be_visible(timeout=LOAD_MS)
    _open(on_b, FIT, 1)
    box_b = _field(on_b, CLIENT)
    expect(box_b.locator("input")).to_have_value("Globex, typed on host A")
    on_b.get_by_placeholder("your name").fill("Bo")
    box_b.locator("input").fill("Globex, changed on host B")
    _saved(box_b)
    expect(box_a.locator("input")).to_have_value("Globex, changed on host B", timeout=SYNC_MS)
    with hosts.store() as store:
        history = store.history(TEAM, "fit_assessment", "client_name")
    assert [(r.value, r.author) for r in history] == [("Globex, typed on host A", "Ana"),
                                                       ("Globex, changed on host B", "Bo")]


def test_the_dashboard_on_one_host_follows_saves_through_the_other(
        tabs: chromium.Tabs, laptops: tuple[Page, Page], hosts: Hosts) -> None:
    with tabs.borrowed() as board, tabs.borrowed() as shown:
        _show(board, hosts.a.here(hosts.a.dashboard), ".widget-button:has-text('Next step')")
        _show(shown, hosts.b.here(hosts.b.presenter), ".pb-presenter-step")
        _, on_b = laptops
        _open(on_b, FIT, 1)
        box = _field(on_b, "Real conversations with this client so far")
        box.locator("input").fill("7")
        _saved(box)
        with hosts.store() as store:
            revision = store.revision()
            assert store.latest(TEAM)["fit_assessment"]["meetings_held"] == 7
        expect(board.get_by_text(f"revision {revision}")).to_be_visible(timeout=REFRESH_MS)
        # One per open page: two worksheets, the dashboard, the presenter view, and maybe host B's
        # page before its reload, until the server has closed it
        assert 4 <= len(_connections(hosts)) <= 5, _connections(hosts)
        # the projector on host B follows the facilitator's dashboard on host A
        with hosts.store() as store:
            before = P.read(store, [store.exercises[e] for e in Folder(hosts.a.folder).config.exercises])
        step = shown.locator(".pb-presenter-step h1")
        first = step.inner_text()
        board.get_by_role("button", name="Next step").click()
        expect(step).not_to_have_text(first, timeout=SYNC_MS)
        with hosts.store() as store:
            after = P.read(store, [store.exercises[e] for e in Folder(hosts.a.folder).config.exercises])
        assert (after.exercise, after.step) != (before.exercise, before.step)


@pytest.mark.parametrize("which", ["a", "b"])
def test_a_forged_key_is_refused_on_both_hosts(tab: Page, hosts: Hosts, which: str) -> None:
    host: Host = getattr(hosts, which)
    good = host.here(hosts.a.team(TEAM))
    key = access.team_key(Folder(host.folder), TEAM)
    with hosts.store() as store:
        before = store.revision()
    tab.goto(good.replace(key, "0" * len(key)), timeout=LOAD_MS)
    refusal = tab.get_by_text("This link is not valid. Ask the facilitator for your team's link.")
    expect(refusal.first).to_be_visible(timeout=LOAD_MS)
    assert tab.locator(".lm-TabBar-tab, .widget-text input, textarea, select").count() == 0
    with hosts.store() as store:
        assert store.revision() == before


# --- the password -----------------------------------------------------------------------------

def test_the_password_is_in_no_printed_line_log_or_command_line(hosts: Hosts) -> None:
    secrets = {PASSWORD, quote(PASSWORD, safe=""), quote(PASSWORD)}
    for host in (hosts.a, hosts.b):
        printed = "".join(host.lines)
        log = Path(next(line for line in host.lines if "log:" in line).split("log:", 1)[1].strip())
        served = host.served()
        assert len(served) == 1 and _tree(served[0]) == served  # one process serves the pages
        argv = " ".join(_cmdline(pid) for pid in [host.process.pid, *served])  # type: ignore[union-attr]
        assert "PLAYBOOK_STORE_URL" not in argv and "postgresql" not in argv
        for secret in secrets:
            assert secret not in printed, host.name
            assert secret not in log.read_text(encoding="utf-8", errors="replace"), host.name
            assert secret not in argv, host.name
