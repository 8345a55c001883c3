"""Batch reports: the naive baseline against `playbook.build_reports`.

Copies the example workshop to a temporary folder, gives it N synthetic teams (answers
cycled from the four example teams, with small changes), then times

  (a) baseline: `papermill` CLI then `jupyter nbconvert --to html --no-input`, per team, one
      after the other (on a sample of the teams with --baseline-sample, extrapolated);
  (b) `build_reports` (warm kernels, one worker per core unless --jobs), every team plus the
      workshop summary, before and again (--force) after the baseline, as the load of a
      shared machine drifts; then once more with nothing changed (every job skipped).

With `--executor dask` it times, instead of the baseline, the same batch on a Dask
`LocalCluster` of --jobs worker processes of one thread (started before the batch, as a
cluster runs before work is sent to it), --rounds times, each Dask batch between two runs of
the local executor: the first Dask batch (the workers start their kernels, as the local pool
does in every batch), then batches with the kernels kept warm. Each Dask batch is compared
with the mean of the local runs either side of it: on a shared virtual machine identical runs
differ by 10-20% minutes apart, and a comparison with runs far away in time measures that
drift. The local runs after the first are made while the cluster stands idle beside them
(about 10% of one core for its scheduler, workers and nannies, measured here), which counts
against the local executor; the Dask runs carry the same cost while they work. (Peak memory
counts the cluster's processes, nannies included.)

Prints seconds per report, the ratio and the peak memory of the process tree (psutil,
sampled every 0.1 s; getrusage otherwise): the resident memory of this process and all its
descendants (workers, kernels; Dask's workers too), added up. No asserts: numbers depend on
the machine.

    .venv/bin/python benchmarks/batch.py                  # 20 teams
    .venv/bin/python benchmarks/batch.py --teams 200 --baseline-sample 10
    .venv/bin/python benchmarks/batch.py --teams 1000 --skip-baseline     # memory as teams grow
    .venv/bin/python benchmarks/batch.py --teams 200 --executor dask --jobs 2   # --rounds 3
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from many_teams import make_workshop  # shared with tests/test_batch_memory.py

import playbook.startup  # noqa: F401  # as `playbook report` does in its own process
from playbook import paths
from playbook.batch.runner import build_reports

BIN = Path(sys.executable).parent


class Peak:
    """Peak resident memory of this process and all its descendants, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        try:
            import psutil

            self._psutil = psutil
        except ImportError:  # pragma: no cover
            self._psutil = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = self._psutil.Process()
        while not self._stop.wait(0.1):
            total = 0
            for p in [me, *me.children(recursive=True)]:
                with contextlib.suppress(self._psutil.Error):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)

    def __enter__(self) -> Peak:
        if self._psutil is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._psutil is not None:
            self._thread.join()
        else:  # largest child + self, in KiB on Linux
            r = resource.getrusage
            self.peak = (r(resource.RUSAGE_SELF).ru_maxrss + r(resource.RUSAGE_CHILDREN).ru_maxrss) * 1024


def baseline(workshop: Path, teams: list[str], out: Path) -> float:
    notebook = paths.bundled("notebooks") / "team_report.ipynb"
    t0 = time.perf_counter()
    for team in teams:
        executed = out / f"{team}.ipynb"
        subprocess.run([str(BIN / "papermill"), "-k", "python3", "--cwd", str(notebook.parent), "--no-progress-bar",
                        "--log-level", "WARNING", str(notebook), str(executed),
                        "-p", "workshop", str(workshop), "-p", "team", team],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--log-level", "WARN",
                        str(executed)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def timed_run(ws: Path, jobs: int | None, force: bool, label: str, scheduler: str | None = None) -> float:
    """One build_reports over the workshop (on the Dask cluster at `scheduler` if given); prints
    it and returns seconds per report."""
    with Peak() as mem:
        t0 = time.perf_counter()
        result = build_reports([ws], jobs=jobs, force=force, executor="dask" if scheduler else "local",
                               scheduler=scheduler)
        took = time.perf_counter() - t0
    n = len(result.jobs)
    print(f"{label}, jobs={jobs or os.cpu_count()}: {took:.1f} s for {n} reports ({result.count('ok')} ok, "
          f"{result.count('failed')} failed), {took / n:.2f} s/report, peak memory {mem.peak / 2**20:.0f} MiB")
    return took / n


def dask_runs(ws: Path, jobs: int | None, rounds: int) -> None:
    """The local executor and a Dask LocalCluster's batches, taken in turn: local, Dask (its
    first batch: kernels start), local, Dask (kernels warm), ... local. Each Dask batch is
    compared with the mean of the local runs on either side of it, so the machine's drift
    (on a shared virtual machine, identical runs differ by 10-20% minutes apart) falls on both."""
    from distributed import LocalCluster

    workers = jobs or os.cpu_count() or 1
    local = [timed_run(ws, jobs, force=False, label="(b) build_reports, local executor")]
    dask: list[float] = []
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"}, silence_logs=40) as c:
        for r in range(rounds):
            label = "(c) dask executor, first batch (kernels start)" if r == 0 else "(c) dask executor, kernels warm"
            dask.append(timed_run(ws, jobs, force=True, label=label, scheduler=c.scheduler_address))
            local.append(timed_run(ws, jobs, force=True, label="(b) local executor, --force"))
    overhead = [(d / ((local[n] + local[n + 1]) / 2) - 1) * 100 for n, d in enumerate(dask)]
    print(f"dask first batch: overhead {overhead[0]:+.0f}% against the local runs either side of it")
    if rounds > 1:
        print(f"dask batches with kernels warm: overhead {', '.join(f'{o:+.0f}%' for o in overhead[1:])} "
              f"(median {statistics.median(overhead[1:]):+.0f}%)")
    print(f"all local runs: {', '.join(f'{x:.2f}' for x in local)} s/report; "
          f"all dask runs: {', '.join(f'{x:.2f}' for x in dask)} s/report")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teams", type=int, default=20, help="synthetic teams (default 20)")
    ap.add_argument("--jobs", type=int, default=None, help="workers for build_reports (default: one per core)")
    ap.add_argument("--baseline-sample", type=int, default=None, metavar="K",
                    help="time the baseline on K teams only and extrapolate (default: every team)")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--executor", choices=["local", "dask"], default="local",
                    help="dask: the local executor beside a Dask LocalCluster, instead of the baseline")
    ap.add_argument("--rounds", type=int, default=3,
                    help="with --executor dask: Dask batches, each between two local runs (default 3)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as tmp:
        ws = Path(tmp) / "workshop"
        teams = make_workshop(ws, args.teams)
        print(f"{args.teams} teams, {os.cpu_count()} cores, python {sys.version.split()[0]}")
        if args.executor == "dask":
            dask_runs(ws, args.jobs, max(1, args.rounds))
            return
        per_base = None
        warm = [timed_run(ws, args.jobs, force=False, label="(b) build_reports, warm kernels")]
        if not args.skip_baseline:  # between two runs of (b): the machine's load drifts
            sample = teams[: args.baseline_sample] if args.baseline_sample else teams
            (Path(tmp) / "baseline").mkdir()
            with Peak() as mem:
                took = baseline(ws, sample, Path(tmp) / "baseline")
            per_base = took / len(sample)
            print(f"(a) baseline, papermill CLI + nbconvert CLI per team: {took:.1f} s for {len(sample)} reports, "
                  f"{per_base:.2f} s/report, peak memory {mem.peak / 2**20:.0f} MiB")
            warm.append(timed_run(ws, args.jobs, force=True, label="(b) again, --force"))
        per = sum(warm) / len(warm)
        t0 = time.perf_counter()
        again = build_reports([ws], jobs=args.jobs)
        print(f"    unchanged rerun: {time.perf_counter() - t0:.1f} s, {again.count('skipped')} skipped")
        if per_base is not None:
            print(f"ratio: {per_base / per:.1f}x faster per report ({per_base:.2f} s against {per:.2f} s, "
                  "the mean of the two runs of b)")


if __name__ == "__main__":
    main()
