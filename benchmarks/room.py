"""A full room opens its links at once: time to a usable page, server CPU and memory.

For each serving design and each room size N, serves a 12-team copy of the example workshop,
waits until the server is idle (Voilà's preheated kernels ready, as long before a workshop
starts), then opens N team links at the same moment in one Chromium, each page in its own
context (N = 36 is 12 teams x 3 laptops; links go round the teams); any request beyond
127.0.0.1 is refused and printed. A page is usable when its tabs are drawn, a step is open
and the "Who is typing" box is enabled. Prints, for each run, the pages usable, time to
usable over the usable pages (median, p95, max), the CPU seconds the serve process tree spent
from the first request to the last page, and its peak resident memory (sampled every 0.2 s).
Then each design's ratios against the Voilà design.

Designs:
  serve        `playbook serve`: one process (uvicorn + Solara), a light session per page
  voila        the design it replaced: Voilà, a kernel per page, a preheated pool of 2
               (a copy kept in this file to measure against; needs `pip install voila`)
  voila-pool   the same with a preheated pool sized for the room's 12 teams

The browser shares the machine's cores with the server, as it does on a facilitator's
laptop demo; other load on the machine shows in the figures (the load average is printed).
No asserts.

    .venv/bin/python benchmarks/room.py                      # N = 12, 24, 36, every design
    .venv/bin/python benchmarks/room.py --pages 4            # fewer pages, a quick look
    .venv/bin/python benchmarks/room.py --designs voila-pool --pages 12 --timeout 240
    .venv/bin/python benchmarks/room.py --designs serve --pages 36 --spread 60   # a room arriving in a minute
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import ports  # shared with the tests: a port held until its server binds it
from room import Opened, open_at_once, room_workshop  # shared with tests/test_room.py
from worksheet_open import _wait_http  # benchmarks/ is this script's folder

from playbook import serve
from playbook.workshop import Folder, access

TEAMS = 12
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [root], [root]
    while todo:
        kids = children.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _usage(root: int) -> tuple[float, int]:
    """CPU seconds (reaped children included) and resident bytes of the process tree at `root`."""
    cpu, rss = 0.0, 0
    for pid in _tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        cpu += sum(int(x) for x in fields[11:15]) / TICK  # utime, stime, cutime, cstime
    return cpu, rss


class Sampler:
    """Peak resident memory of a process tree, sampled in a thread until stopped."""

    def __init__(self, root: int, every: float = 0.2) -> None:
        self.root, self.every, self.peak = root, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _usage(self.root)[1])
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _idle(root: int, limit: float = 300.0) -> float:
    """Wait until the server tree uses under 5% of a core for 3 s; seconds waited."""
    start = time.monotonic()
    last, quiet = _usage(root)[0], 0
    while time.monotonic() - start < limit and quiet < 3:
        time.sleep(1.0)
        now = _usage(root)[0]
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
    return time.monotonic() - start


@dataclass
class Design:
    name: str
    what: str
    start: Callable[[Path], serve.Server]


_VOILA_NOTEBOOK = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{
    "cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "page",
    "source": "from IPython.display import display\nfrom voila.utils import wait_for_request\n"
              "import widgets.worksheet\nfrom widgets.pages import worksheet_page\n"
              "wait_for_request()\ndisplay(worksheet_page(''))\n"}]}


class VoilaServer:
    """The design `playbook serve` replaced (before issue 12): Voilà, a kernel per page, a
    preheated pool of `pool` kernels running the worksheet's imports ahead of the link. Kept
    here only to measure against (needs `pip install voila`; the kit no longer depends on it)."""

    def __init__(self, folder: Path, pool: int) -> None:
        self.folder = Folder(folder)
        self.token = access.server_token(self.folder)
        root = folder.parent / "voila"
        root.mkdir()
        (root / "worksheet.ipynb").write_text(json.dumps(_VOILA_NOTEBOOK), encoding="utf-8")
        env = {**os.environ, "PLAYBOOK_WORKSHOP": str(folder), "PLAYBOOK_SERVED": "1", "JUPYTER_TOKEN": self.token}
        self.log = folder.parent / "voila.log"
        # The port is held until Voilà listens on it (Tornado binds with SO_REUSEADDR).
        with ports.reserved() as self.port, self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--Voila.port={self.port}",
                 "--Voila.port_retries=0", "--Voila.auto_token=True", f"--Voila.config_file_paths={root}",
                 "--VoilaConfiguration.show_tracebacks=False", "--VoilaConfiguration.preheat_kernel=True",
                 f"--VoilaConfiguration.default_pool_size={pool}", "--MappingKernelManager.cull_idle_timeout=1800"],
                cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
            _wait_http(f"http://127.0.0.1:{self.port}/login")

    def links(self) -> list[serve.Link]:
        page = f"http://127.0.0.1:{self.port}/voila/render/worksheet.ipynb"
        query = lambda team: access.team_link("", self.folder, team, token=self.token).split("?", 1)[1]  # noqa: E731
        return [serve.Link(t.name, f"{page}?{query(t.id)}", t.id) for t in self.folder.config.teams]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)
        for pid in _tree(self.process.pid)[1:]:  # kernels run in sessions of their own
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


DESIGNS = {d.name: d for d in (
    Design("serve", "playbook serve: one process, a light session per page", lambda f: serve.start(f, port=0)),
    Design("voila", "before issue 12: Voila, a kernel per page, pool of 2", lambda f: VoilaServer(f, 2)),  # type: ignore[arg-type,return-value]
    Design("voila-pool", f"the same, pool of {TEAMS}", lambda f: VoilaServer(f, TEAMS)),  # type: ignore[arg-type,return-value]
)}


@dataclass
class Run:
    design: str
    pages: int
    opened: list[Opened]
    cpu_s: float
    peak_rss: int

    def times(self) -> list[float]:
        return sorted(o.usable_s for o in self.opened if o.usable_s is not None)

    def row(self) -> str:
        t = self.times()
        usable = f"{len(t)} of {self.pages}"
        if t:
            p95 = t[min(len(t) - 1, max(0, round(0.95 * len(t)) - 1))]
            timing = f"{statistics.median(t):7.1f}{p95:7.1f}{t[-1]:7.1f}"
        else:
            timing = f"{'-':>7}{'-':>7}{'-':>7}"
        return f"{self.design:12}{self.pages:6}  {usable:>9}{timing}{self.cpu_s:9.0f}{self.peak_rss / 2**20:9.0f}"


def run(design: Design, pages: int, timeout: float, tmp: Path, spread: float = 0.0) -> Run:
    folder = room_workshop(tmp / f"{design.name}-{pages}" / "acme", TEAMS)
    server = design.start(folder)
    try:
        waited = _idle(server.process.pid)
        links = [link.url for link in server.links() if link.team is not None]
        urls = [links[i % len(links)] for i in range(pages)]
        cpu0 = _usage(server.process.pid)[0]
        sampler = Sampler(server.process.pid)
        opened = open_at_once(urls, timeout, spread)
        peak = sampler.stop()
        cpu = _usage(server.process.pid)[0] - cpu0
    finally:
        server.stop()
    result = Run(design.name, pages, opened, cpu, peak)
    errors = sorted({o.error for o in opened if o.error})
    outside = sorted({u for o in opened for u in o.outside})
    if outside:
        print(f"{'':20}requests beyond 127.0.0.1 (refused): {', '.join(outside[:3])}", flush=True)
    print(f"{result.row()}   (server idle after {waited:.0f} s)", flush=True)
    if spread and all(o.usable_s is not None for o in opened):
        last = max(o.delay_s + (o.usable_s or 0.0) for o in opened)
        print(f"{'':20}opened one after another over {spread:.0f} s: the last page usable {last:.1f} s "
              "after the first link was opened", flush=True)
    for e in errors[:3]:
        print(f"{'':20}not usable: {e}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="12,24,36", help="room sizes, comma-separated (default 12,24,36)")
    parser.add_argument("--designs", default=",".join(DESIGNS), help=f"comma-separated, of: {', '.join(DESIGNS)}")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds a page may take (default 180)")
    parser.add_argument("--spread", type=float, default=0.0,
                        help="open the links one after another, evenly over this many seconds, as a room arrives "
                             "(default 0: all at the same moment); times count from each page's own request")
    args = parser.parse_args()
    sizes = [int(n) for n in args.pages.split(",")]
    designs = [DESIGNS[d] for d in args.designs.split(",")]
    load = os.getloadavg()
    when = f"one after another over {args.spread:.0f} s" if args.spread else "at once"
    print(f"{TEAMS}-team example workshop; pages opened {when} in Chromium; timeout {args.timeout:.0f} s")
    for d in designs:
        print(f"  {d.name:12} {d.what}")
    print(f"\n{'design':12}{'pages':>6}  {'usable':>9}{'median':>7}{'p95':>7}{'max':>7}{'CPU-s':>9}{'peak MiB':>9}")
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="playbook-room-") as tmp:
        for pages in sizes:
            for d in designs:
                runs.append(run(d, pages, args.timeout, Path(tmp), args.spread))
    base = {r.pages: r for r in runs if r.design == "voila"}
    for r in runs:
        b = base.get(r.pages)
        if b is None or r is b:
            continue
        slow = (max(r.times()) / max(b.times())) if r.times() and b.times() else float("nan")
        print(f"{r.design} / voila at {r.pages} pages: usable {len(r.times())}/{len(b.times())}, "
              f"slowest usable {slow:.2f}, CPU {r.cpu_s / max(b.cpu_s, 1e-9):.2f}, "
              f"peak memory {r.peak_rss / max(b.peak_rss, 1):.2f}")
    print(f"\nload average before, after: {load[0]:.1f}, {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
