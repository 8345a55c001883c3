"""Serve the live worksheets, the facilitator dashboard and the presenter view with Voilà.

`start(folder)` runs `python -m voila` in a subprocess on a private copy of the served
notebooks (`worksheet.ipynb`, `dashboard.ipynb`, `presenter.ipynb`), so nothing else is
browsable (Voilà's file handler serves only images, and that folder has none), with a token
(passed in the environment, not on the command line), tracebacks hidden from the page and
idle kernels culled. The token derives from the workshop's secret (`access.server_token`), so
links printed by `playbook handouts --per-team` before serving stay valid; `/t/<code>` short
links are redirected by `playbook.shortlinks`. It returns once the server answers;
`Server.links()` gives one link per team, the facilitator's and the presenter view's (for the
projector). With `$PLAYBOOK_STORE_URL` set, the store is opened once first (`playbook.sharing`):
several hosts can then serve one workshop. `serve()` is the blocking form behind `playbook
serve`: it stops Voilà and its kernels on Ctrl-C or SIGTERM.

Voilà runs in its own session, so stopping it is one signal to its process group; Voilà then
shuts its kernels down, and any kernel still alive after that is killed by id. On Linux Voilà
also ends with the process that started it, so even `kill -9` leaves nothing behind.
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

from playbook import paths, sharing
from playbook.errors import PlaybookError
from playbook.publish import handouts
from playbook.workshop import Folder, access

ENV_WORKSHOP = "PLAYBOOK_WORKSHOP"
ENV_SERVED = "PLAYBOOK_SERVED"  # marks served kernels: a page then needs a valid link, whatever else
NOTEBOOKS = ("worksheet.ipynb", "dashboard.ipynb", "presenter.ipynb")
DEFAULT_PORT = 8866
CULL_IDLE_S = 1800  # a kernel nobody has been connected to for 30 minutes is shut down
CULL_INTERVAL_S = 120
POOL_SIZE = 2  # preheated kernels waiting per served notebook (the test suite uses 1: fewer kernels to start)
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Link:
    """One link to hand out: a team's worksheet (`team` set), the facilitator dashboard, or the
    presenter view (`role` says which)."""

    label: str
    url: str
    team: str | None = None
    role: Literal["team", "facilitator", "presenter"] = "team"


class Server:
    """A running Voilà server for one workshop folder; stop it with `stop()` or `with`."""

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
        self._kernels: set[int] = set()
        self._stopped = False

    @property
    def log_path(self) -> Path:
        """Voilà's own log (kernel starts, notebook errors): kept out of the terminal."""
        return self.workdir / "voila.log"

    @property
    def base_url(self) -> str:
        """The server's root as a browser on the network should reach it, without a token: the
        reverse proxy's address when one was given, else this server's."""
        return self.public_url or f"http://{_url_host(self.public_host)}:{self.port}"

    def notebook_url(self, name: str) -> str:
        """A served notebook's page, without query string (`name` is one of `NOTEBOOKS`)."""
        return f"{self.base_url}/voila/render/{name}"

    def links(self) -> list[Link]:
        """One link per team (roster order), the facilitator dashboard's, then the presenter
        view's: its key opens that page only, so it may sit on the projector's laptop."""
        out = [
            Link(t.name, _with_token(access.team_link(self.notebook_url("worksheet.ipynb"), self.folder, t.id),
                                     self.token), t.id, "team")
            for t in self.folder.config.teams
        ]
        dashboard = access.facilitator_link(self.notebook_url("dashboard.ipynb"), self.folder)
        out.append(Link("Facilitator dashboard", _with_token(dashboard, self.token), role="facilitator"))
        presenter = access.presenter_link(self.notebook_url("presenter.ipynb"), self.folder)
        out.append(Link("Presenter view", _with_token(presenter, self.token), role="presenter"))
        return out

    def link(self, role: Literal["facilitator", "presenter"]) -> Link:
        """The facilitator's or the presenter's link."""
        return next(link for link in self.links() if link.role == role)

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self) -> int:
        """Block until Voilà exits; its exit status."""
        return self.process.wait()

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Stop Voilà and every kernel it started; idempotent."""
        if self._stopped:
            return
        self._stopped = True
        if self.running():  # once Voilà is reaped its pid may belong to someone else
            self._kernels |= set(_descendants(self.process.pid))
            _signal_group(self.process.pid, signal.SIGTERM)  # Voilà shuts its kernels down
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for pid in _alive(self._kernels):  # kernels run in their own sessions: end stragglers by id
            _kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(self._kernels) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in _alive(self._kernels):
            _kill(pid, signal.SIGKILL)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(folder: str | Path | Folder, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, lan: bool = False,
          server: str | None = None, cull_idle_s: int = CULL_IDLE_S, cull_interval_s: int = CULL_INTERVAL_S,
          ready_timeout: float = READY_TIMEOUT_S) -> Server:
    """Start Voilà for `folder` and return once it answers.

    `lan` listens on every interface (0.0.0.0) and puts this machine's LAN address in the
    links; `server` (`http://host[:port]`, as `playbook handouts --server` takes it) puts that
    address in them instead: a reverse proxy in front of several hosts serving the workshop.
    `port` 0 picks a free port. A port already in use, or a shared store
    (`$PLAYBOOK_STORE_URL`, which the pages' kernels inherit) that cannot be opened, is a
    `PlaybookError`, raised before Voilà starts.
    """
    ws = folder if isinstance(folder, Folder) else Folder(folder)
    public_url = handouts.server_root(server) if server is not None else None
    bind = "0.0.0.0" if lan else host
    port = check_port(bind, port)
    token = access.server_token(ws)  # stable across runs: printed handouts carry it
    shared = sharing.check(ws)
    workdir = Path(tempfile.mkdtemp(prefix="playbook-serve-"))
    root = workdir / "notebooks"
    root.mkdir()
    source = paths.bundled("notebooks")
    for name in NOTEBOOKS:
        if not (source / name).is_file():
            shutil.rmtree(workdir, ignore_errors=True)
            raise PlaybookError(f"the kit has no {name} to serve", file=source / name,
                                fix="reinstall the kit (pip install --force-reinstall workshop-playbook)")
        shutil.copyfile(source / name, root / name)
    env = {**os.environ, ENV_WORKSHOP: str(ws.path.resolve()), ENV_SERVED: "1", "JUPYTER_TOKEN": token}
    env.pop("JUPYTER_TOKEN_FILE", None)
    with (workdir / "voila.log").open("wb") as log:
        process = subprocess.Popen(
            _command(root, bind, port, cull_idle_s, cull_interval_s), cwd=root, env=env,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
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

    `open_browser` opens the facilitator dashboard. Voilà ending on its own is a `PlaybookError`
    with the end of its log.
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
        raise PlaybookError(f"Voilà stopped on its own (exit status {status}):\n{_log_tail(running)}",
                            fix="read the lines above, then serve again")


def check_port(host: str, port: int) -> int:
    """`port` if it can be listened on at `host` (0: a free port), else a `PlaybookError`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado does
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PlaybookError(f"port {port} is in use",
                                    fix="pass --port N or stop the other server") from None
            if exc.errno == errno.EACCES:
                raise PlaybookError(f"no permission to listen on port {port}",
                                    fix="pass --port N with N above 1023") from None
            raise PlaybookError(f"cannot listen on {host}:{port} ({exc.strerror})",
                                fix="pass another --port, or check the address") from None
        return int(s.getsockname()[1])


def lan_address() -> str:
    """This machine's address on its local network (no packet is sent), or its host name."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            return str(s.getsockname()[0])
        except OSError:
            return socket.gethostname()


# --- helpers --------------------------------------------------------------------------------

# Runs Voilà with "end when my parent ends" set (Linux), so a `playbook serve` that is killed
# outright (kill -9, a closed terminal) never leaves Voilà and its kernels behind. Set in the
# child itself rather than through preexec_fn, which is unsafe when the parent has threads.
_BOOT = """
import os, runpy, shutil, signal, sys
parent, workdir = int(sys.argv.pop(1)), sys.argv.pop(1)
if sys.platform.startswith("linux"):
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
sys.argv[0] = "voila"
try:
    if os.getppid() == parent:  # else the parent ended before prctl took effect
        from playbook import shortlinks  # /t/CODE: the short links printed on team handouts
        shortlinks.install(os.environ["PLAYBOOK_WORKSHOP"], os.environ["JUPYTER_TOKEN"])
        runpy.run_module("voila", run_name="__main__", alter_sys=True)
finally:
    if os.getppid() != parent:  # orphaned: nobody else will remove the served copy
        shutil.rmtree(workdir, ignore_errors=True)
"""


def _command(root: Path, host: str, port: int, cull_idle_s: int, cull_interval_s: int) -> list[str]:
    return [
        sys.executable, "-c", _BOOT, str(os.getpid()), str(root.parent), str(root),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",  # never move to another port: the links name this one
        "--Voila.auto_token=True",  # the token itself comes from JUPYTER_TOKEN, not argv
        f"--Voila.config_file_paths={root}",  # no voila.json from the user's folders
        "--VoilaConfiguration.show_tracebacks=False",
        # A kernel per page runs the notebook's imports ahead of the request and waits in
        # voila.utils.wait_for_request(); a team's page then only builds its form.
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={POOL_SIZE}",
        # The projector opens the presenter view once: kernels kept waiting for it would cost
        # about 170 MB each for the whole session, so that page starts its kernel when asked.
        "--VoilaKernelManager.preheat_denylist=presenter.ipynb",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}",
        f"--MappingKernelManager.cull_interval={cull_interval_s}",
    ]


def _wait_ready(server: Server, timeout: float) -> None:
    probe = "127.0.0.1" if server.host in ("0.0.0.0", "") else server.host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running():
            raise PlaybookError(f"Voilà stopped while starting:\n{_log_tail(server)}",
                                fix="read the lines above; run 'python -m voila --version' to check the install")
        conn = http.client.HTTPConnection(probe, server.port, timeout=2)
        try:
            conn.request("GET", "/login")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    raise PlaybookError(f"Voilà did not answer within {timeout:.0f} s", file=server.log_path,
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


def _kill(pid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


def _alive(pids: set[int]) -> list[int]:
    """The `pids` still running (zombies count as gone)."""
    out = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):
            out.append(pid)
    return out


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, read from /proc (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out
