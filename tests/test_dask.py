"""Report batches on a Dask distributed cluster: a real `LocalCluster` of two worker processes,
started by this module, runs the same jobs as the local pool (the same files, the same
manifest, with the files written by the workers or sent back with --collect), survives a
worker killed mid-batch, reports a failing notebook without stopping the others, and stops
on Ctrl-C leaving no half-written file. Dask is an optional extra: without it the module is
skipped (`make test` installs it)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batches import INTERRUPTED, assert_whole, interrupt_report, make_notebook

from playbook import paths
from playbook.batch.jobs import Outcome
from playbook.batch.plan import plan
from playbook.batch.runner import build_reports
from playbook.errors import PlaybookError

distributed = pytest.importorskip("distributed", reason="the dask executor is an optional extra: "
                                                        "pip install -e '.[dask]' (make test installs it)")
import psutil  # noqa: E402  # comes with distributed

from playbook.batch import cluster as dask_cluster  # noqa: E402  # needs distributed

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"<\s]*")  # ISO times: when a notebook ran


def local_cluster(workers: int) -> Any:
    """A cluster on 127.0.0.1 without a dashboard; its HTTP server on a free port (not 8787,
    which another cluster on the machine may hold). Its workers start as the suite's processes
    do, with `playbook.startup` (pyproject's pytest options): without it each worker
    built jsonschema's IRI grammars when its first job imported nbformat (1-3 s a worker)."""
    return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                    dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"},
                                    silence_logs=40, preload=["playbook.startup"])


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Two worker processes of one thread each, as `dask worker --nthreads 1` would start."""
    with local_cluster(2) as c:
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
    drop = {"duration", "finished"}
    return sorted(({k: v for k, v in e.items() if k not in drop} for e in doc["jobs"]), key=lambda e: str(e["key"]))


@pytest.mark.slow
def test_a_dask_batch_writes_what_the_local_pool_writes(cluster: str, tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    local = build_reports([folder], jobs=2)
    assert local.ok and local.count("ok") == 5
    by_local, manifest = _outputs(folder), _manifest(folder)
    for collect in (False, True):  # written by the workers, then sent back and written here
        dask = build_reports([folder], executor="dask", scheduler=cluster, collect=collect, force=True)
        assert dask.ok and dask.count("ok") == 5, dask.text()
        assert _outputs(folder) == by_local, f"collect={collect}"
        assert _manifest(folder) == manifest
    again = build_reports([folder], executor="dask", scheduler=cluster)
    assert again.count("skipped") == 5  # the manifest it wrote is the local one: nothing to redo


@pytest.mark.slow
def test_a_worker_killed_mid_batch_has_its_job_run_elsewhere(cluster: str, tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    marker = tmp_path / "north-started"
    nb = make_notebook(tmp_path / "slow.ipynb", "import os, pathlib, time",
                       f'if team == "north" and not pathlib.Path({str(marker)!r}).exists():\n'
                       f'    pathlib.Path({str(marker)!r}).write_text(str(os.getpid()))\n'
                       '    time.sleep(120)  # until its worker is killed; the run elsewhere goes on',
                       'print("report for", team or "all teams")')
    killed: list[psutil.Process] = []  # north's kernel, then the Dask worker running it

    def kill_north_worker() -> None:
        deadline = time.monotonic() + 90
        while not marker.is_file() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # the pid is written before the file is closed
        kernel = psutil.Process(int(marker.read_text()))
        worker = kernel.parent()
        assert worker is not None
        killed.extend([kernel, worker])
        worker.send_signal(signal.SIGKILL)

    killer = threading.Thread(target=kill_north_worker, daemon=True)
    killer.start()
    result = build_reports([folder], executor="dask", scheduler=cluster, team_notebook=nb, summary_notebook=nb)
    killer.join(5)
    assert len(killed) == 2, "north's job never started"
    kernel, worker = killed
    assert result.ok and result.count("ok") == 5, result.text()
    assert {e["status"] for e in assert_whole(folder)} == {"ok"}
    assert "report for north" in (folder / "out" / "reports" / "team-north.html").read_text(encoding="utf-8")
    _, alive = psutil.wait_procs([kernel], timeout=15)  # an orphaned kernel ends (ipykernel's parent poller)
    assert not alive
    with distributed.Client(cluster, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)  # the nanny replaced the worker
        assert worker.pid not in client.run(os.getpid).values()


def test_a_failing_notebook_is_reported_and_the_others_finish(cluster: str, tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    nb = make_notebook(tmp_path / "failing.ipynb",
                       'if team == "summit":\n    raise ValueError(f"no report for {team}")')
    result = build_reports([folder], executor="dask", scheduler=cluster, team_notebook=nb, summary_notebook=nb)
    assert result.count("ok") == 4 and [r.team for r in result.failed] == ["summit"]
    error = result.failed[0].error
    assert error is not None and error.kind == "cell" and error.cell == 2 and "team 'summit'" in error.message
    assert "ValueError: no report for summit" in error.message
    entries = {e["team"]: e for e in assert_whole(folder)}
    assert entries["summit"]["status"] == "failed" and entries["summit"]["outputs"] == ["out/notebooks/team-summit.ipynb"]


@pytest.mark.slow
def test_ctrl_c_stops_a_collecting_batch_without_half_written_files(cluster: str, tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    proc = interrupt_report(folder, "--executor", "dask", "--scheduler", cluster, "--collect")
    assert proc.returncode == 130 and INTERRUPTED in proc.stderr and "Traceback" not in proc.stderr
    assert 0 < sum(e["status"] == "ok" for e in assert_whole(folder)) < 5  # stopped midway


def test_dask_options_are_checked_before_anything_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT_S", 1)
    folder = paths.copy_example(tmp_path / "acme")
    with pytest.raises(PlaybookError, match="needs a scheduler address") as exc:
        build_reports([folder], executor="dask")
    assert exc.value.field == "scheduler" and "--scheduler tcp://" in (exc.value.fix or "")
    with pytest.raises(PlaybookError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        build_reports([folder], executor="dask", scheduler="tcp://127.0.0.1:9")
    with pytest.raises(PlaybookError, match="the local executor takes no collect") as exc:
        build_reports([folder], collect=True)
    assert "--collect" in (exc.value.fix or "")
    with local_cluster(0) as empty, pytest.raises(PlaybookError, match="has no workers") as exc:
        build_reports([folder], executor="dask", scheduler=empty.scheduler_address)
    assert f"dask worker {empty.scheduler_address}" in (exc.value.fix or "")
    assert not (folder / "out").exists()  # nothing planned, nothing written


def test_a_worker_with_another_kit_version_runs_nothing(tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    job = plan([folder]).jobs[0]
    job.metadata["provenance"]["kit"] = "0.0.1"
    outcome, files = dask_cluster.run_job(job, {}, collect=True)
    assert outcome.status == "failed" and outcome.error is not None and outcome.error.kind == "worker"
    assert "this Dask worker has kit" in outcome.error.message and "the client 0.0.1" in outcome.error.message
    assert files == () and not (folder / "out").exists()


def test_outputs_the_client_cannot_see_fail_their_job(tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    job = plan([folder]).jobs[0]
    executor = dask_cluster.DaskExecutor(scheduler="tcp://127.0.0.1:9")
    landed = executor._land(job, Outcome(job.id, "ok", 1.0, 1, None, (job.html, job.ipynb)), ())
    assert landed.status == "failed" and landed.outputs == () and landed.error is not None
    assert "which this machine cannot see" in landed.error.message and "--collect" in landed.error.message
    sent = ((job.ipynb, "{}\n"), (job.html, "<html></html>\n"))  # --collect: the files come with the outcome
    landed = executor._land(job, Outcome(job.id, "ok", 1.0, 1, None, (job.html, job.ipynb)), sent)
    assert landed.status == "ok" and job.html.read_text(encoding="utf-8") == "<html></html>\n"


def test_the_cli_says_a_missing_scheduler_in_one_line(tmp_path: Path) -> None:
    folder = paths.copy_example(tmp_path / "acme")
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "report", str(folder), "--executor", "dask"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "needs a scheduler address" in proc.stderr and "--scheduler" in proc.stderr
