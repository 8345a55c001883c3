"""Report jobs on a Dask distributed cluster: `playbook report --executor dask --scheduler ADDR`.

The same `Job` records the local pool runs go over the wire as they are, with the notebooks
they run (sent once per batch, so a worker runs what the client planned whatever its own
install path); each Dask worker thread keeps one warm `playbook.batch.worker.Worker` (a
kernel and an HTML exporter) across jobs and batches, as a local pool process does, until
the Dask worker closes. Where outputs go is chosen by the caller:

- by default the workers write them, atomically, to the paths the jobs name: every worker
  must see the workshop folders at the same path and may write them (a shared file system);
  an output the client then cannot see fails its job, naming the worker;
- with `collect`, the workers write nothing: each job's files come back with its outcome
  and the client writes them (atomically), so the workers only read the workshop folders.

Either way the client writes the manifest from the outcomes, as with the local executor. A
worker that dies mid-job has its job re-run on another by the scheduler (Dask's
`distributed.scheduler.allowed-failures`); a job whose workers died too often is reported
failed. Dask is an optional extra (`pip install 'workshop-playbook[dask]'`): this module is
imported only when the dask executor is chosen.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from distributed import Client, WorkerPlugin, as_completed

from playbook import fsio
from playbook.batch.jobs import Job, JobError, Outcome
from playbook.batch.worker import Worker
from playbook.errors import PlaybookError
from playbook.version import __version__

CONNECT_TIMEOUT_S = 10
PLUGIN = "playbook-kernels"
Files = tuple[tuple[Path, str], ...]  # what a job wrote, with --collect: (path, text) in writing order

_workers: dict[int, Worker] = {}  # one warm worker per Dask worker thread, for the Dask worker's life
_sources: dict[str, Path] = {}  # SHA-256 of a notebook sent by a client -> its copy on this machine
_lock = threading.Lock()


def close_workers() -> None:
    """End this process's kernels (the Dask worker is closing)."""
    with _lock:
        for w in _workers.values():
            w.close()
        _workers.clear()


class Kernels(WorkerPlugin):
    """Installed on every worker of the cluster: its kernels end with the Dask worker."""

    idempotent = True  # a second batch must not replace it (replacing tears down: the kernels would go)
    name = PLUGIN

    def teardown(self, worker: Any) -> None:
        close_workers()


def kit_version() -> str:
    """The kit version installed where this runs (a worker, through `Client.run`)."""
    return __version__


def _local_copy(source: str) -> Path:
    """The notebook text a client sent, as a file on this machine (written once per process)."""
    sha = hashlib.sha256(source.encode("utf-8")).hexdigest()
    with _lock:
        path = _sources.get(sha)
        if path is None or not path.is_file():
            folder = Path(tempfile.mkdtemp(prefix="playbook-notebook-"))
            path = _sources[sha] = fsio.write_atomic(folder / "notebook.ipynb", source)
    return path


def run_job(job: Job, sources: dict[str, str], collect: bool) -> tuple[Outcome, Files]:
    """Run one job on this Dask worker thread's warm kernel (started for the first job here).

    `sources` maps each notebook path of the batch to its text; with `collect` the job's files
    come back instead of being written here."""
    kit = job.metadata.get("provenance", {}).get("kit")
    if kit != __version__:
        return Outcome(job.id, "failed", 0.0, 1, JobError(
            f"{job.where()}: this Dask worker has kit {__version__}, the client {kit}", "worker")), ()
    notebook = _local_copy(sources[str(job.notebook)])
    if not job.cwd.is_dir():  # the client's notebook folder is not on this machine
        job = replace(job, cwd=notebook.parent)
    ident = threading.get_ident()
    with _lock:
        worker = _workers.get(ident)
        if worker is None:
            worker = _workers[ident] = Worker()
            worker.warm_for = (job.parameters["workshop"], job.parameters.get("answers")) if job.warm else None
    files: dict[Path, str] = {}
    worker.save = files.__setitem__ if collect else fsio.write_atomic
    try:
        return worker.run(job, read_from=notebook), tuple(files.items())
    except Exception as exc:  # a bug or a full disk: reported as the local pool reports it
        return Outcome(job.id, "failed", 0.0, 1, JobError(f"{job.where()}: {type(exc).__name__}: {exc}",
                                                          "internal")), ()
    finally:
        worker.save = fsio.write_atomic


class DaskExecutor:
    """Jobs as Dask tasks on the scheduler at `scheduler` (tcp://HOST:PORT). How many run at
    once is the cluster's (its workers and their threads); `workers` is accepted for the
    executor protocol and not used. `collect` sends the files back to this process."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None, collect: bool = False) -> None:
        if not scheduler:
            raise PlaybookError("the dask executor needs a scheduler address", field="scheduler",
                                fix="pass --scheduler tcp://HOST:8786 (start one with `dask scheduler`)")
        self.workers = workers
        self.scheduler = scheduler
        self.collect = collect
        self.client: Client | None = None

    def prepare(self) -> None:
        """Connect, and check the cluster has workers running this kit version, before anything runs."""
        try:
            self.client = Client(self.scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise PlaybookError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}", field="scheduler",
                                fix="start it (`dask scheduler`) and its workers (`dask worker ADDRESS "
                                    "--nthreads 1`), or check the address and the firewall") from None
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        except TimeoutError:
            self.close()
            raise PlaybookError(f"the Dask scheduler at {self.scheduler} has no workers", field="scheduler",
                                fix=f"start one or more: `dask worker {self.scheduler} --nthreads 1` on each "
                                    "machine (the kit installed with its dask extra)") from None
        versions = self.client.run(kit_version)
        other = {addr: v for addr, v in versions.items() if v != __version__}
        if other:
            self.close()
            found = ", ".join(f"{addr} has {v}" for addr, v in sorted(other.items()))
            raise PlaybookError(f"Dask workers run another kit version than this one ({__version__}): {found}",
                                field="scheduler", fix=f"install workshop-playbook {__version__} on every worker, "
                                                       "then restart the workers")
        self.client.register_plugin(Kernels(), name=PLUGIN)

    def run(self, jobs: Sequence[Job], done: Callable[[Outcome], None]) -> None:
        if not jobs:
            return
        if self.client is None:
            self.prepare()
        client = self.client
        assert client is not None
        batch = uuid.uuid4().hex[:8]
        by_key = {f"playbook-{batch}-{n}": job for n, job in enumerate(jobs)}
        texts = {str(p): p.read_text(encoding="utf-8") for p in {j.notebook for j in jobs}}
        [sources] = client.scatter([texts], broadcast=True, hash=False)
        pending = as_completed(loop=client.loop)
        try:
            for key, job in by_key.items():
                pending.add(client.submit(run_job, job, sources, self.collect, key=key, pure=False))
            for future in pending:  # each future is dropped once handled: its result leaves the cluster
                job = by_key[future.key]
                try:
                    outcome, files = future.result()
                except Exception as exc:  # KilledWorker: the job's workers died more often than allowed
                    outcome, files = Outcome(job.id, "failed", 0.0, 1, JobError(
                        f"{job.where()}: the Dask worker running it died ({type(exc).__name__}: {exc})",
                        "worker")), ()
                future.release()
                done(self._land(job, outcome, files))
        finally:
            self.close()

    def _land(self, job: Job, outcome: Outcome, files: Files) -> Outcome:
        """The outcome with its files where the client sees them: written here (`collect`), or checked."""
        for path, text in files:
            fsio.write_atomic(path, text)
        missing = [p for p in outcome.outputs if not p.is_file()]
        if not missing:
            return outcome
        return replace(outcome, status="failed", outputs=(), error=JobError(
            f"{job.where()}: the Dask worker wrote {missing[0]}, which this machine cannot see: give the workers "
            "the workshop folder at the same path (a shared file system), or use --collect", "worker"))

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
