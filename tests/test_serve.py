"""`playbook serve` without a browser: port checks, links, the token, culling and a clean stop.

Every server here is a real `playbook serve` process (uvicorn with Solara's app) on a free port
of 127.0.0.1, serving a temporary copy of the example workshop.
"""

from __future__ import annotations

import errno
import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from playbook import paths, serve
from playbook.cli.serve import serve as serve_command
from playbook.errors import PlaybookError
from playbook.workshop import Folder

EXAMPLE = Path(__file__).parents[1] / "examples" / "acme"


def _get(server: serve.Server | int, url: str, cookie: str = "") -> http.client.HTTPResponse:
    """GET `url` from the server (or port) without following redirects; the body is read."""
    parts = urlsplit(url)
    port = server if isinstance(server, int) else server.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path,
                 headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _alive(pids: list[int]) -> list[int]:
    """The pids still running; zombies count as gone."""
    return [pid for pid in pids if _stat(pid)[:1] not in ([], ["Z"], ["X"])]


def _tree(pid: int) -> list[int]:
    """`pid` and every process below it (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and len(stat := _stat(int(entry.name))) > 1:
            children.setdefault(int(stat[1]), []).append(int(entry.name))
    out, todo = [pid], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        out += kids
        todo += kids
    return out if _alive([pid]) else []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _wait_until(check: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[serve.Server]:
    folder = paths.copy_example(tmp_path_factory.mktemp("serve") / "acme")
    with serve.start(folder, port=0) as running:
        yield running


# --- the port ---------------------------------------------------------------------------------

def test_a_port_in_use_is_a_playbook_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PlaybookError) as err:
            serve.listen("127.0.0.1", port)
        assert err.value.what == f"port {port} is in use"
        assert err.value.fix == "pass --port N or stop the other server"

        def no_server(*args: object, **kwargs: object) -> None:
            raise AssertionError("the server was started although the port is taken")

        monkeypatch.setattr(serve.subprocess, "Popen", no_server)
        with pytest.raises(PlaybookError, match=f"port {port} is in use"):
            serve.start(EXAMPLE, port=port)
        with pytest.raises(PlaybookError, match=f"port {port} is in use"):
            serve_command.main([str(EXAMPLE), "--port", str(port)], standalone_mode=False)


def test_port_zero_picks_a_free_port() -> None:
    with serve.listen("127.0.0.1", 0) as s:
        port = s.getsockname()[1]
    assert 0 < port < 65536
    serve.listen("127.0.0.1", port).close()  # nothing listens on it


def test_the_port_is_held_from_the_check_until_the_server_takes_it_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server spends its first second importing: a port picked for it and bound only then can
    be taken in between by any process that connects somewhere. So `start` listens first and the
    server inherits the socket: when the server process starts, the port is already in use."""
    held: list[int] = []
    popen = subprocess.Popen

    def starting(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        (fd,) = kwargs["pass_fds"]  # type: ignore[misc]
        with socket.socket(fileno=os.dup(fd)) as inherited:
            port = inherited.getsockname()[1]
        with socket.socket() as other, pytest.raises(OSError) as taken:
            other.bind(("127.0.0.1", port))
        assert taken.value.errno == errno.EADDRINUSE
        held.append(port)
        return popen(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(serve.subprocess, "Popen", starting)
    with serve.start(paths.copy_example(tmp_path / "acme"), port=0) as running:
        assert held == [running.port]
        assert _get(running, f"/readyz?token={running.token}").status == 200  # served on the inherited socket
    with socket.socket() as again:  # and given back when the server stops
        again.bind(("127.0.0.1", running.port))


def test_the_command_has_help_with_an_example() -> None:
    text = serve_command.get_help(serve_command.make_context("playbook serve", ["x"]))
    assert "--port" in text and "--lan" in text and "--open" in text
    assert "Example:" in text and "playbook serve examples/acme" in text


# --- a running server -----------------------------------------------------------------------

@pytest.mark.slow
def test_one_link_per_team_one_for_the_facilitator_and_one_for_the_presenter(server: serve.Server) -> None:
    from playbook.workshop import access

    folder = server.folder
    links = server.links()
    teams = folder.config.teams
    assert [link.team for link in links] == [t.id for t in teams] + [None, None]
    assert [link.role for link in links] == ["team"] * len(teams) + ["facilitator", "presenter"]
    assert [link.label for link in links[:-2]] == [t.name for t in teams]
    for link, team in zip(links, teams, strict=False):
        parts = urlsplit(link.url)
        query = parse_qs(parts.query)
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port == server.port
        assert parts.path == "/worksheet"
        assert query["token"] == [server.token]
        assert query["team"] == [team.id]
        assert query["key"] == [access.team_key(folder, team.id)]
    dashboard = urlsplit(server.link("facilitator").url)
    assert dashboard.path == "/dashboard"
    assert parse_qs(dashboard.query)["token"] == [server.token]
    assert parse_qs(dashboard.query)["key"] == [access.facilitator_key(folder)]
    presenter = urlsplit(server.link("presenter").url)
    assert presenter.path == "/presenter"
    assert parse_qs(presenter.query) == {"key": [access.presenter_key(folder)], "token": [server.token]}
    assert len({parse_qs(urlsplit(link.url).query)["key"][0] for link in links}) == len(links)


@pytest.mark.slow
def test_the_command_prints_every_link(server: serve.Server, capsys: pytest.CaptureFixture[str]) -> None:
    from playbook.cli.serve import _print_links
    from playbook.workshop import access

    _print_links(server)
    out = capsys.readouterr().out
    for link in server.links():
        assert link.label in out and link.url in out
        if link.team:
            assert f"or type: {server.base_url}/t/{access.short_code(server.folder, link.team)}" in out
    assert "on this machine only" in out and "Ctrl-C" in out


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/", "/worksheet", "/dashboard", "/presenter", "/readyz", "/resourcez",
                                  "/static/main-vuetify.js", "/jupyter/api/kernels/x"])
def test_a_request_without_the_token_is_refused(server: serve.Server, path: str) -> None:
    team = server.links()[0]
    query = "&".join(p for p in urlsplit(team.url).query.split("&") if not p.startswith("token="))
    response = _get(server, f"{path}?{query}")
    assert response.status == 403
    assert response.getheader("Set-Cookie") is None


@pytest.mark.slow
def test_a_wrong_token_is_refused_and_a_right_one_kept_in_a_cookie(server: serve.Server) -> None:
    url = server.links()[0].url
    assert _get(server, url.replace(server.token, "forged")).status == 403
    response = _get(server, url)
    assert response.status == 200
    cookie = next(c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("playbook-token-"))
    assert f"={server.token};" in cookie and "HttpOnly" in cookie
    pair = cookie.split(";", 1)[0]
    assert _get(server, "/readyz", cookie=pair).status == 200  # the page's assets: by the cookie
    assert _get(server, "/readyz", cookie=pair.replace(server.token, "forged")).status == 403


@pytest.mark.slow
def test_the_websocket_needs_the_token(server: serve.Server) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    url = f"ws://127.0.0.1:{server.port}/jupyter/api/kernels/{uuid.uuid4()}/channels?session_id={uuid.uuid4()}"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, open_timeout=30).close()
    assert refused.value.response.status_code == 403
    with connect(f"{url}&token={server.token}", open_timeout=30):
        pass


@pytest.mark.slow
def test_only_the_three_pages_and_their_assets_are_served(server: serve.Server) -> None:
    token = f"token={server.token}"
    for path in ("/", "/voila/render/worksheet.ipynb", "/team_report", "/workshop.yml", "/logo.svg",
                 "/resourcez", "/../server.log", "/worksheet/../server.log", "/static/../../workshop.yml"):
        assert _get(server, f"{path}?{token}").status == 404, path
    for page in serve.PAGES:
        assert _get(server, f"/{page}?{token}").status == 200
    assert _get(server, f"/static/main-vuetify.js?{token}").status == 200  # solara's own assets


@pytest.mark.slow
def test_the_server_sees_the_workshop_folder_not_the_token_on_its_command_line(server: serve.Server) -> None:
    pid = server.process.pid
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    wanted = f"{serve.ENV_WORKSHOP}={server.folder.path.resolve()}".encode()
    assert wanted in environ
    assert server.token.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()  # not shown by ps
    assert _tree(pid) == [pid]  # one process serves every page


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[serve.Server]:
    """One server on every interface that culls pages left for 2 s, for the two tests below."""
    folder = paths.copy_example(tmp_path_factory.mktemp("lan") / "acme")
    with serve.start(folder, port=0, lan=True, cull_idle_s=2) as running:
        yield running


@pytest.mark.slow
def test_lan_listens_everywhere_and_links_name_this_machine(lan_server: serve.Server) -> None:
    server = lan_server
    assert server.host == "0.0.0.0"
    assert server.public_host == serve.lan_address()
    for link in server.links():
        assert urlsplit(link.url).hostname == server.public_host
    assert _get(server, server.links()[0].url).status == 200  # reachable on 127.0.0.1 too


@pytest.mark.slow
def test_a_page_left_without_connection_is_culled(lan_server: serve.Server) -> None:
    """A tab whose websocket dropped keeps its page for `cull_idle_s` (a reconnect finds it),
    then the page is closed; the server goes on."""
    from websockets.sync.client import connect

    server = lan_server
    kernel = str(uuid.uuid4())
    url = (f"ws://127.0.0.1:{server.port}/jupyter/api/kernels/{kernel}/channels"
           f"?session_id={uuid.uuid4()}&token={server.token}")
    with connect(url, open_timeout=30):
        assert _wait_until(lambda: f"page {kernel} opened" in server.log_path.read_text(), 30)
    assert _wait_until(lambda: f"page {kernel} closed (cull)" in server.log_path.read_text(), 30), \
        server.log_path.read_text()[-2000:]
    assert server.running()
    assert _get(server, server.links()[0].url).status == 200


# --- stopping -------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "terminate", "kill"])
def test_stopping_the_command_leaves_no_process(example_copy: Path, sig: signal.Signals) -> None:
    """Ctrl-C and SIGTERM stop the server before the command exits; even a command killed
    outright takes it along (the server ends with its parent and removes its folder)."""
    folder = example_copy
    code = "import sys; from playbook.cli.serve import serve; serve.main(sys.argv[1:], prog_name='playbook serve')"
    served: list[int] = []
    with subprocess.Popen([sys.executable, "-c", code, str(folder), "--port", "0"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as cmd:
        try:
            lines = []
            for line in cmd.stdout:  # type: ignore[union-attr]
                lines.append(line)
                if "Ctrl-C" in line:
                    break
            else:
                pytest.fail(f"the command ended before serving:\n{''.join(lines)}{cmd.stderr.read()}")  # type: ignore[union-attr]
            urls = [line.strip() for line in lines if line.strip().startswith("http://")]
            assert len(urls) == len(Folder(folder).config.teams) + 2, "".join(lines)  # + dashboard, presenter
            port = urlsplit(urls[0]).port or 0
            for url in (urls[0], urls[-1]):  # a team's worksheet and the presenter view
                assert _get(port, url).status == 200
            served = [p for p in _tree(cmd.pid) if "widgets.server" in _cmdline(p)]
            assert len(served) == 1
            served = _tree(served[0])
            cmd.send_signal(sig)
            out, err = cmd.communicate(timeout=serve.STOP_TIMEOUT_S + 30)
            if sig == signal.SIGKILL:
                assert _wait_until(lambda: not _alive(served), 20), f"left running: {_alive(served)}"
                log = next(line for line in lines if "log:" in line).split("log:", 1)[1].strip()
                assert _wait_until(lambda: not Path(log).parent.exists(), 10)  # its folder is gone too
                return
            assert cmd.returncode == 0, err
            assert "stopped" in out
            assert not _alive(served), f"left running: {_alive(served)}"
        finally:
            if cmd.poll() is None:
                cmd.kill()
            for pid in _alive(served):  # never leave a server behind, whatever failed
                os.killpg(pid, signal.SIGTERM)


@pytest.mark.slow
def test_the_server_ending_on_its_own_is_a_playbook_error(example_copy: Path) -> None:
    folder = example_copy
    seen: list[serve.Server] = []

    def crash(server: serve.Server) -> None:
        seen.append(server)
        os.killpg(server.process.pid, signal.SIGKILL)

    with pytest.raises(PlaybookError, match="The server stopped on its own"):
        serve.serve(folder, port=0, on_ready=crash)
    assert not seen[0].workdir.exists()


# --- what a page loads ------------------------------------------------------------------------

def _page(server: serve.Server) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    url = urlsplit(server.links()[0].url)
    conn.request("GET", f"{url.path}?{url.query}")
    page = conn.getresponse().read().decode()
    conn.close()
    return page


@pytest.mark.slow
def test_a_page_shows_a_still_line_while_it_connects(server: serve.Server) -> None:
    page = _page(server)
    assert '<p class="pb-opening">Opening the page…</p>' in page
    assert "sun-spinner" not in page and "v-progress-linear :indeterminate=\"loadingPercentage" not in page
    assert 'mount-id="solara-main"' in page  # where the worksheet goes once connected


def test_the_loader_line_is_translated_and_cannot_run_as_a_template() -> None:
    from playbook import i18n
    from widgets import loader

    with i18n.use("fr"):
        assert "<p class=\"pb-opening\">Ouverture de la page…</p>" in loader.templates()["loader-playbook.html"]
    with i18n.use("en"):
        original = loader.OPENING
        try:
            loader.OPENING = "{{ alert(1) }} <b>"  # a translation with Vue's or HTML's syntax stays text
            html = loader.templates()["loader-playbook.html"]
        finally:
            loader.OPENING = original
    assert "&#123;&#123; alert(1) &#125;&#125; &lt;b&gt;" in html and "{{ alert" not in html


@pytest.mark.slow
def test_an_asset_is_answered_compressed_and_the_same_every_time(server: serve.Server) -> None:
    css = re.search(r'href="(/_solara/cdn/[^"]+\.css)"', _page(server))
    assert css, "the page links Solara's stylesheet"
    path = f"{css.group(1)}?token={server.token}"
    bodies = []
    for _ in range(2):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
        bodies.append(response.read())
        conn.close()
    assert bodies[0] == bodies[1] and b"{" in gzip.decompress(bodies[0])
