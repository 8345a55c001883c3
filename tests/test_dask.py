"""Report batches on a Dask distributed cluster: a real `LocalCluster` of worker processes,
started by the test, runs the same jobs as the local pool, survives a worker killed
mid-batch, and reports a failing notebook without stopping the others."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from playbook import paths
from playbook.batch.jobs import JobResult
from playbook.batch.runner import build_reports
from playbook.errors import PlaybookError

distributed = pytest.importorskip("distributed")

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"<\s]*")  # ISO times: when a notebook ran


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Two worker processes of one thread each, as `dask worker --nthreads 1` would start."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as c:
        yield c.scheduler_address


def _outputs(folder: Path) -> dict[str, str]:
    """Every report and executed notebook, with the times of execution taken out."""
    out = {}
    for sub in ("reports", "notebooks"):
        for p in sorted((folder / "out" / sub).iterdir()):
            out[f"{sub}/{p.name}"] = STAMP.sub("<time>", p.read_text(encoding="utf-8"))
    return out


def _manifest(folder: Path) -> list[dict[str, object]]:
    doc = json.loads((folder / "out" / "manifest.json").read_text(encoding="utf-8"))
    drop = {"duration", "finished", "started", "attempts"}
    return sorted(({k: v for k, v in e.items() if k not in drop} for e in doc["jobs"]), key=lambda e: str(e["key"]))


def test_a_dask_batch_writes_what_the_local_pool_writes(cluster: str, tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    local = build_reports([folder], jobs=2)
    assert local.ok and local.count("ok") == 5
    by_local, manifest = _outputs(folder), _manifest(folder)
    dask = build_reports([folder], executor="dask", scheduler=cluster, force=True)
    assert dask.ok and dask.count("ok") == 5, dask.text()
    assert _outputs(folder) == by_local
    assert _manifest(folder) == manifest
    again = build_reports([folder], executor="dask", scheduler=cluster)
    assert again.count("skipped") == 5  # the manifest it wrote is the local one: nothing to redo


def test_a_worker_killed_mid_batch_has_its_job_run_elsewhere(cluster: str, tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    with distributed.Client(cluster, set_as_default=False) as client:
        pids = list(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_one(done: int, total: int, result: JobResult | None) -> None:
        if result is None and not killed:  # the plan is known, the jobs are about to start
            timer = threading.Timer(1.5, lambda: os.kill(pids[0], signal.SIGKILL))
            timer.start()
            killed.append(pids[0])

    result = build_reports([folder], executor="dask", scheduler=cluster, force=True, progress=kill_one)
    assert killed and not _alive(pids[0])
    assert result.ok and result.count("ok") == 5, result.text()
    entries = json.loads((folder / "out" / "manifest.json").read_text(encoding="utf-8"))["jobs"]
    assert sorted(e["status"] for e in entries) == ["ok"] * 5
    for e in entries:
        for rel in e["outputs"]:
            assert (folder / rel).stat().st_size > 0
    assert not list((folder / "out").rglob(".playbook-tmp-*"))  # no half-written file left behind


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_failing_notebook_is_reported_and_the_others_finish(cluster: str, tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    nb = nbformat.read(paths.bundled("notebooks") / "team_report.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('if team == "summit":\n    raise ValueError(f"no report for {team}")'))
    failing = tmp_path / "team_report.ipynb"
    nbformat.write(nb, failing)
    result = build_reports([folder], executor="dask", scheduler=cluster, team_notebook=failing)
    assert result.count("ok") == 4 and [r.team for r in result.failed] == ["summit"]
    error = result.failed[0].error
    assert error is not None and error.kind == "cell" and "team 'summit'" in error.message
    assert "ValueError: no report for summit" in error.message


def test_dask_options_are_checked_before_anything_runs(tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    with pytest.raises(PlaybookError, match="needs a scheduler address") as exc:
        build_reports([folder], executor="dask")
    assert exc.value.field == "scheduler" and "--scheduler tcp://" in (exc.value.fix or "")
    with pytest.raises(PlaybookError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        build_reports([folder], executor="dask", scheduler="tcp://127.0.0.1:9")
    with pytest.raises(PlaybookError, match="the local executor takes no scheduler"):
        build_reports([folder], executor="local", scheduler="tcp://127.0.0.1:9")
    assert not (folder / "out").exists()  # nothing planned, nothing written


def test_the_cli_says_a_missing_scheduler_in_one_line(tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "report", str(folder), "--executor", "dask"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "needs a scheduler address" in proc.stderr and "--scheduler" in proc.stderr
