"""Serve the live worksheets, the facilitator dashboard and the presenter view from one process.

`start(folder)` runs `widgets.server` in a subprocess (`SERVER_BOOT`): uvicorn with Solara's app, every
browser tab a light session of that one process (a few MB, not a kernel), with the server's
token checked on every request (given in the environment, not on the command line), only the
three pages and their assets routed, tracebacks kept in the server's log and tabs nobody is
connected to culled. The token derives from the workshop's secret (`access.server_token`), so
links printed by `playbook handouts --per-team` before serving stay valid; `/t/<code>` short
links are redirected by `playbook.shortlinks`. It returns once the server answers;
`Server.links()` gives one link per team, the facilitator's and the presenter view's (for the
projector). With `$PLAYBOOK_STORE_URL` set, the store is opened once first (`playbook.sharing`):
several hosts can then serve one workshop. `serve()` is the blocking form behind `playbook
serve`: it stops the server on Ctrl-C or SIGTERM.

The server runs in its own session, so stopping it is one signal to its process group; on
Linux it also ends with the process that started it, so even `kill -9` leaves nothing behind.
"""

from __future__ import annotations

import errno
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Literal

from playbook import sharing
from playbook.errors import PlaybookError
from playbook.publish import handouts
from playbook.workshop import Folder, access

ENV_WORKSHOP = "PLAYBOOK_WORKSHOP"
ENV_SERVED = "PLAYBOOK_SERVED"  # marks a served process: a page then needs a valid link, whatever else
PAGES = access.PAGES
DEFAULT_PORT = 8866
CULL_IDLE_S = 1800  # a browser tab nobody has been connected to for 30 minutes is closed
READY_TIMEOUT_S = 60.0
BACKLOG = 2048  # connections the listening socket queues, as uvicorn's default: a room opening its links at once
STOP_TIMEOUT_S = 10.0
# `python -m widgets.server`, with the kit's process settings (`playbook.startup`) in place before
# it imports Solara and the widgets, which `-m` would import first.
SERVER_BOOT = "import runpy, playbook.startup; runpy.run_module('widgets.server', run_name='__main__', alter_sys=True)"


@dataclass(frozen=True)
class Link:
    """One link to hand out: a team's worksheet (`team` set), the facilitator dashboard, or the
    presenter view (`role` says which)."""

    label: str
    url: str
    team: str | None = None
    role: Literal["team", "facilitator", "presenter"] = "team"


class Server:
    """A running server for one workshop folder; stop it with `stop()` or `with`."""

    def __init__(self, folder: Folder, process: subprocess.Popen[bytes], workdir: Path,
                 *, host: str, port: int, token: str, public_host: str,
                 shared: sharing.Shared | None = None, public_url: str | None = None) -> None:
        self.folder = folder
        self.shared = shared  # the shared store (PLAYBOOK_STORE_URL) the pages use, if any
        self.public_url = public_url  # the address people open, if not this server's (a reverse proxy)
        self.process = process
        self.workdir = workdir
        self.host = host
        self.port = port
        self.token = token
        self.public_host = public_host
        self._stopped = False

    @property
    def log_path(self) -> Path:
        """The server's own log (a page's traceback, uvicorn's errors): kept out of the terminal."""
        return self.workdir / "server.log"

    @property
    def base_url(self) -> str:
        """The server's root as a browser on the network should reach it, without a token: the
        reverse proxy's address when one was given, else this server's."""
        return self.public_url or f"http://{_url_host(self.public_host)}:{self.port}"

    def page_url(self, name: str) -> str:
        """A served page, without query string (`name` is one of `PAGES`)."""
        return f"{self.base_url}/{name}"

    def links(self) -> list[Link]:
        """One link per team (roster order), the facilitator dashboard's, then the presenter
        view's: its key opens that page only, so it may sit on the projector's laptop."""
        out = [
            Link(t.name, _with_token(access.team_link(self.page_url("worksheet"), self.folder, t.id),
                                     self.token), t.id, "team")
            for t in self.folder.config.teams
        ]
        dashboard = access.facilitator_link(self.page_url("dashboard"), self.folder)
        out.append(Link("Facilitator dashboard", _with_token(dashboard, self.token), role="facilitator"))
        presenter = access.presenter_link(self.page_url("presenter"), self.folder)
        out.append(Link("Presenter view", _with_token(presenter, self.token), role="presenter"))
        return out

    def link(self, role: Literal["facilitator", "presenter"]) -> Link:
        """The facilitator's or the presenter's link."""
        return next(link for link in self.links() if link.role == role)

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self) -> int:
        """Block until the server exits; its exit status."""
        return self.process.wait()

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Stop the server (and anything it started); idempotent."""
        if self._stopped:
            return
        self._stopped = True
        if self.running():  # once it is reaped its pid may belong to someone else
            _signal_group(self.process.pid, signal.SIGTERM)  # uvicorn closes the pages, then exits
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(folder: str | Path | Folder, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, lan: bool = False,
          server: str | None = None, cull_idle_s: int = CULL_IDLE_S,
          ready_timeout: float = READY_TIMEOUT_S) -> Server:
    """Start the server for `folder` and return once it answers.

    `lan` listens on every interface (0.0.0.0) and puts this machine's LAN address in the
    links; `server` (`http://host[:port]`, as `playbook handouts --server` takes it) puts that
    address in them instead: a reverse proxy in front of several hosts serving the workshop.
    `port` 0 picks a free port. A port already in use, or a shared store
    (`$PLAYBOOK_STORE_URL`, which the server process inherits) that cannot be opened, is a
    `PlaybookError`, raised before the server starts.
    """
    ws = folder if isinstance(folder, Folder) else Folder(folder)
    public_url = handouts.server_root(server) if server is not None else None
    bind = "0.0.0.0" if lan else host
    with listen(bind, port) as sock:  # the server process inherits it; this copy closes
        port = int(sock.getsockname()[1])
        token = access.server_token(ws)  # stable across runs: printed handouts carry it
        shared = sharing.check(ws)
        workdir = Path(tempfile.mkdtemp(prefix="playbook-serve-"))
        env = {**os.environ, ENV_WORKSHOP: str(ws.path.resolve()), ENV_SERVED: "1", access.ENV_TOKEN: token}
        with (workdir / "server.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", SERVER_BOOT, str(os.getpid()), str(workdir), str(sock.fileno()),
                 str(cull_idle_s)],
                cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, pass_fds=[sock.fileno()],
            )
    running = Server(ws, process, workdir, host=bind, port=port, token=token,
                     public_host=lan_address() if lan else bind, shared=shared, public_url=public_url)
    try:
        _wait_ready(running, ready_timeout)
    except BaseException:
        running.stop()
        raise
    return running


def serve(folder: str | Path | Folder, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, lan: bool = False,
          server: str | None = None, open_browser: bool = False,
          on_ready: Callable[[Server], None] | None = None) -> None:
    """Run the server until Ctrl-C (or SIGTERM); `on_ready` gets the running server first.

    `open_browser` opens the facilitator dashboard. The server ending on its own is a
    `PlaybookError` with the end of its log.
    """
    with _stop_on_sigterm(), start(folder, host=host, port=port, lan=lan, server=server) as running:
        try:
            if on_ready is not None:
                on_ready(running)
            if open_browser:
                webbrowser.open(running.link("facilitator").url)
            status = running.wait()
        except KeyboardInterrupt:
            return
        raise PlaybookError(f"The server stopped on its own (exit status {status}):\n{_log_tail(running)}",
                            fix="read the lines above, then serve again")


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on `host:port` (0: a free port), else a `PlaybookError`. The server
    process inherits it: a port picked here and bound there could be taken in between by any
    process that opens a connection, and the server's first second is spent importing."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado and uvicorn do
    try:
        s.bind((host, port))
        s.listen(BACKLOG)
    except OSError as exc:
        s.close()
        if exc.errno == errno.EADDRINUSE:
            raise PlaybookError(f"port {port} is in use",
                                fix="pass --port N or stop the other server") from None
        if exc.errno == errno.EACCES:
            raise PlaybookError(f"no permission to listen on port {port}",
                                fix="pass --port N with N above 1023") from None
        raise PlaybookError(f"cannot listen on {host}:{port} ({exc.strerror})",
                            fix="pass another --port, or check the address") from None
    return s


def lan_address() -> str:
    """This machine's address on its local network (no packet is sent), or its host name."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return str(s.getsockname()[0])
        except OSError:
            return socket.gethostname()


# --- helpers --------------------------------------------------------------------------------

def _wait_ready(server: Server, timeout: float) -> None:
    probe = "127.0.0.1" if server.host in ("0.0.0.0", "") else server.host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running():
            raise PlaybookError(f"The server stopped while starting:\n{_log_tail(server)}",
                                fix="read the lines above; reinstall the kit if a package is missing")
        conn = http.client.HTTPConnection(probe, server.port, timeout=2)
        try:
            conn.request("GET", f"/readyz?token={server.token}")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    raise PlaybookError(f"The server did not answer within {timeout:.0f} s", file=server.log_path,
                        fix="read the log; the machine may be overloaded")


def _log_tail(server: Server, lines: int = 15) -> str:
    try:
        text = server.log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "    (no log)"
    return "\n".join(f"    {line}" for line in text.strip().splitlines()[-lines:])


def _with_token(url: str, token: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}token={token}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM ends `serve` as Ctrl-C does (main thread only)."""
    def raise_interrupt(_sig: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt
    try:
        previous = signal.signal(signal.SIGTERM, raise_interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
