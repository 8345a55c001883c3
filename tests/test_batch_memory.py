"""A report batch's memory stays flat as teams grow (`benchmarks/batch.py` measures it whole):
the batch's own process keeps what its reports need, not what reading the answers left behind,
and the local pool starts its workers and nothing beside them. Resident memory and processes
are read from Linux's /proc, in a fresh process where the amount matters.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from many_teams import make_workshop

from playbook.batch.executors import start_worker

pytestmark = pytest.mark.skipif(not Path("/proc/self/statm").is_file(), reason="reads /proc")

TEAMS = 600
# The batch's process once its reports would start, after planning TEAMS teams, against before:
# 3-8 MiB (its jobs take 3); 27-33 MiB when the jobs were made while the answers were still in
# memory and the memory they freed was not given back.
PARENT = """
import os, sys
from pathlib import Path

import playbook.startup
from playbook.batch.plan import plan
from playbook.batch.runner import build_reports


def rss():
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Measured(Exception):
    pass


class AtRun:
    def prepare(self):
        pass

    def run(self, jobs, done):
        self.rss = rss()
        raise Measured


plan([sys.argv[1]])  # what planning imports and caches, once
before, executor = rss(), AtRun()
try:
    build_reports([sys.argv[2]], executor=executor)
except Measured:
    print(executor.rss - before)
"""


def test_the_batch_process_keeps_no_more_for_many_teams(tmp_path: Path) -> None:
    make_workshop(tmp_path / "small", 20)
    make_workshop(tmp_path / "large", TEAMS)
    out = subprocess.run([sys.executable, "-c", PARENT, str(tmp_path / "small"), str(tmp_path / "large")],
                         capture_output=True, text=True, check=True).stdout
    grown = int(out) / 2**20
    assert grown < 15, f"the batch process grew by {grown:.1f} MiB planning {TEAMS} teams"


def _children() -> set[int]:
    me = str(os.getpid())
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (name)": state, ppid, ...
        except OSError:  # gone meanwhile
            continue
        if fields[1] == me:
            found.add(int(stat.parent.name))
    return found


def test_a_pool_worker_is_the_only_process_the_pool_starts() -> None:
    """No forkserver holding its imports for the whole batch, no resource tracker beside it."""
    before = _children()
    worker, conn = start_worker(None, None)  # no kernel: it waits for a job
    try:
        assert _children() - before == {worker.popen.pid}
    finally:
        conn.send(None)
        worker.join(10)
    assert worker.exitcode == 0
