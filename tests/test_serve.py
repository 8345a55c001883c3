"""`playbook serve` without a browser: port checks, links, the token, culling and a clean stop.

Every server here is a real Voilà on a free port of 127.0.0.1, serving a temporary copy of
the example workshop.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from playbook import paths, serve
from playbook.cli.serve import serve as serve_command
from playbook.errors import PlaybookError
from playbook.workshop import Folder

EXAMPLE = Path(__file__).parents[1] / "examples" / "acme"


def _get(server: serve.Server | int, url: str) -> http.client.HTTPResponse:
    """GET `url` from the server (or port) without following redirects; the body is read."""
    parts = urlsplit(url)
    port = server if isinstance(server, int) else server.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _alive(pids: list[int]) -> list[int]:
    """The pids still running; zombies count as gone (psutil if installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        return serve._alive(set(pids))
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            continue
    return out


def _kernels(voila_pid: int) -> list[int]:
    return [p for p in serve._descendants(voila_pid) if "ipykernel" in _cmdline(p)]


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
            serve.check_port("127.0.0.1", port)
        assert err.value.what == f"port {port} is in use"
        assert err.value.fix == "pass --port N or stop the other server"

        def no_voila(*args: object, **kwargs: object) -> None:
            raise AssertionError("Voilà was started although the port is taken")

        monkeypatch.setattr(serve.subprocess, "Popen", no_voila)
        with pytest.raises(PlaybookError, match=f"port {port} is in use"):
            serve.start(EXAMPLE, port=port)
        with pytest.raises(PlaybookError, match=f"port {port} is in use"):
            serve_command.main([str(EXAMPLE), "--port", str(port)], standalone_mode=False)


def test_port_zero_picks_a_free_port() -> None:
    port = serve.check_port("127.0.0.1", 0)
    assert 0 < port < 65536
    serve.check_port("127.0.0.1", port)  # nothing listens on it


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
        assert parts.path == "/voila/render/worksheet.ipynb"
        assert query["token"] == [server.token]
        assert query["team"] == [team.id]
        assert query["key"] == [access.team_key(folder, team.id)]
    dashboard = urlsplit(server.link("facilitator").url)
    assert dashboard.path == "/voila/render/dashboard.ipynb"
    assert parse_qs(dashboard.query)["token"] == [server.token]
    assert parse_qs(dashboard.query)["key"] == [access.facilitator_key(folder)]
    presenter = urlsplit(server.link("presenter").url)
    assert presenter.path == "/voila/render/presenter.ipynb"
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
@pytest.mark.parametrize("path", ["/", "/voila/render/worksheet.ipynb", "/voila/render/dashboard.ipynb",
                                  "/voila/render/presenter.ipynb", "/voila/tree", "/api/kernels"])
def test_a_request_without_the_token_is_sent_to_login(server: serve.Server, path: str) -> None:
    team = server.links()[0]
    query = "&".join(p for p in urlsplit(team.url).query.split("&") if not p.startswith("token="))
    response = _get(server, f"{path}?{query}")
    if path == "/api/kernels":  # not a Voilà page at all
        assert response.status in (302, 403, 404)
        return
    assert response.status == 302
    assert response.getheader("Location", "").startswith("/login")


@pytest.mark.slow
def test_a_wrong_token_is_refused(server: serve.Server) -> None:
    url = server.links()[0].url.replace(server.token, "forged")
    assert _get(server, url).status == 302


@pytest.mark.slow
def test_only_the_two_notebooks_are_served(server: serve.Server) -> None:
    token = f"token={server.token}"
    assert sorted(p.name for p in (server.workdir / "notebooks").iterdir()) == sorted(serve.NOTEBOOKS)
    for path in ("/voila/render/team_report.ipynb", "/voila/files/workshop.yml", "/voila/files/logo.svg",
                 "/voila/files/../voila.log", "/voila/render/../voila.log"):
        response = _get(server, f"{path}?{token}")
        if response.status == 302:  # Voilà hands what is not a notebook to its file handler
            location = response.getheader("Location", "")
            assert location.startswith("/voila/files/"), location
            response = _get(server, f"{location}?{token}")
        assert response.status in (403, 404), path


@pytest.mark.slow
def test_the_kernel_sees_the_workshop_folder(server: serve.Server) -> None:
    env = server.process.pid
    voila_env = Path(f"/proc/{env}/environ").read_bytes().split(b"\0")
    wanted = f"{serve.ENV_WORKSHOP}={server.folder.path.resolve()}".encode()
    assert wanted in voila_env
    assert server.token.encode() not in Path(f"/proc/{env}/cmdline").read_bytes()  # not shown by ps


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[serve.Server]:
    """One server on every interface that culls idle kernels after 2 s, for the two tests below."""
    folder = paths.copy_example(tmp_path_factory.mktemp("lan") / "acme")
    with serve.start(folder, port=0, lan=True, cull_idle_s=2, cull_interval_s=1) as running:
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
def test_idle_kernels_are_culled(lan_server: serve.Server) -> None:
    server = lan_server
    assert _get(server, server.links()[0].url).status == 200  # renders in a kernel, never connects
    kernels = _kernels(server.process.pid)
    assert kernels
    # The page's kernel goes idle and is culled; the preheated pool's kernels are busy
    # waiting for the next link (wait_for_request) and must stay.
    assert _wait_until(lambda: len(_alive(kernels)) < len(kernels), 30), "the idle kernel was not culled"
    assert _alive(kernels), "the preheated kernels were culled too"
    assert server.running()


# --- stopping -------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "terminate", "kill"])
def test_stopping_the_command_leaves_no_voila_or_kernel(example_copy: Path, sig: signal.Signals) -> None:
    """Ctrl-C and SIGTERM stop Voilà and its kernels before the command exits; even a command
    killed outright takes them along (Voilà ends with its parent, kernels with Voilà)."""
    folder = example_copy
    code = (f"import sys; from playbook import serve as s; s.POOL_SIZE = {serve.POOL_SIZE}; "  # as in this suite
            "from playbook.cli.serve import serve; serve.main(sys.argv[1:], prog_name='playbook serve')")
    voila: list[int] = []
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
            for url in (urls[0], urls[-1]):  # a team's worksheet and the presenter view: two kernels
                assert _get(port, url).status == 200
            voila = [p for p in serve._descendants(cmd.pid) if "--Voila.port=" in _cmdline(p)]
            assert len(voila) == 1
            kernels = _kernels(voila[0])
            assert len(kernels) >= 2  # the two pages' kernels, plus the preheated pool refilling
            cmd.send_signal(sig)
            # Stopping waits up to STOP_TIMEOUT_S for Voilà, then as long for its kernels; the margin
            # is for a machine busy with other tests' kernels (a 12-page room runs beside this one).
            out, err = cmd.communicate(timeout=2 * serve.STOP_TIMEOUT_S + 30)
            if sig == signal.SIGKILL:
                assert _wait_until(lambda: not _alive(voila + kernels), 20), f"left running: {_alive(voila + kernels)}"
                log = next(line for line in lines if "log:" in line).split("log:", 1)[1].strip()
                assert not Path(log).parent.exists()  # the served copy is gone too
                return
            assert cmd.returncode == 0, err
            assert "stopped" in out
            assert not _alive(voila + kernels), f"left running: {_alive(voila + kernels)}"
        finally:
            if cmd.poll() is None:
                cmd.kill()
            for pid in _alive(voila):  # never leave a server behind, whatever failed
                os.killpg(pid, signal.SIGTERM)


@pytest.mark.slow
def test_voila_ending_on_its_own_is_a_playbook_error(example_copy: Path) -> None:
    folder = example_copy
    seen: list[serve.Server] = []

    def crash(server: serve.Server) -> None:
        seen.append(server)
        os.killpg(server.process.pid, signal.SIGKILL)

    with pytest.raises(PlaybookError, match="Voilà stopped on its own"):
        serve.serve(folder, port=0, on_ready=crash)
    assert not seen[0].workdir.exists()


@pytest.mark.slow
def test_stop_ends_the_kernels_even_if_voila_is_killed(example_copy: Path) -> None:
    folder = example_copy
    server = serve.start(folder, port=0)
    try:
        assert _get(server, server.links()[0].url).status == 200
        kernels = _kernels(server.process.pid)
        assert kernels
        os.killpg(server.process.pid, signal.SIGKILL)  # Voilà gets no chance to shut its kernels down
    finally:
        server.stop()
    assert not server.workdir.exists()
    # orphaned kernels notice their parent is gone (ipykernel's parent poller) and exit
    assert _wait_until(lambda: not _alive([server.process.pid, *kernels]), 10)
