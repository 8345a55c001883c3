"""Report jobs on a Dask distributed cluster: `playbook report --executor dask --scheduler ADDR`.

The same `Job` records the local pool runs go over the wire as they are; each Dask worker
thread keeps one warm `playbook.batch.worker.Worker` (a kernel and an HTML exporter) across
jobs, as a local pool process does. Outputs are written by the workers, atomically, to the
paths the jobs name, so every worker must be able to write the workshop folder (a shared
file system); the client writes the manifest from the outcomes it gets back, so the manifest
is the local executor's. A worker that dies mid-job has its job re-run on another by the
scheduler (Dask's `allowed-failures`); a job whose worker died too often is reported failed.

Dask is an optional extra (`pip install 'workshop-playbook[dask]'`): this module is imported
only when the dask executor is chosen.
"""

from __future__ import annotations

import atexit
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from playbook.batch.jobs import Job, JobError, Outcome
from playbook.batch.worker import Worker
from playbook.errors import PlaybookError

CONNECT_TIMEOUT_S = 10

_workers: dict[int, Worker] = {}  # one warm worker per Dask worker thread, for the process's life
_lock = threading.Lock()


def _close_all() -> None:
    for w in list(_workers.values()):
        w.close()  # the kernels end with the Dask worker, not after it
    _workers.clear()


def run_job(job: Job) -> Outcome:
    """Run one job on this Dask worker thread's warm kernel (started for the first job here)."""
    ident = threading.get_ident()
    with _lock:
        worker = _workers.get(ident)
        if worker is None:
            if not _workers:
                atexit.register(_close_all)
            worker = _workers[ident] = Worker()
            worker.warm_for = (job.parameters["workshop"], job.parameters.get("answers")) if job.warm else None
    try:
        return worker.run(job)
    except Exception as exc:  # a bug or a full disk: reported as the local pool reports it
        return Outcome(job.id, "failed", 0.0, 1, JobError(f"{job.where()}: {type(exc).__name__}: {exc}", "internal"))


class DaskExecutor:
    """Jobs as Dask tasks on the scheduler at `scheduler` (tcp://HOST:PORT). How many run at
    once is the cluster's (its workers and their threads); `workers` is accepted for the
    executor protocol and not used."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        if not scheduler:
            raise PlaybookError("the dask executor needs a scheduler address", field="scheduler",
                                fix="pass --scheduler tcp://HOST:8786 (start one with `dask scheduler`)")
        self.workers = workers
        self.scheduler = scheduler
        self.client: Any = None

    def prepare(self) -> None:
        """Connect to the scheduler, so an unreachable cluster is said before anything runs."""
        try:
            from distributed import Client
        except ImportError:
            raise PlaybookError("the dask executor needs Dask distributed installed", field="executor",
                                fix="pip install 'workshop-playbook[dask]', or use --executor local") from None
        try:
            self.client = Client(self.scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise PlaybookError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}", field="scheduler",
                                fix="start it (`dask scheduler`) and its workers (`dask worker ADDRESS "
                                    "--nthreads 1`), or check the address and the firewall") from None

    def run(self, jobs: Sequence[Job], done: Callable[[Outcome], None]) -> None:
        from distributed import as_completed

        if not jobs:
            return
        if self.client is None:
            self.prepare()
        batch = uuid.uuid4().hex[:8]
        by_key = {f"playbook-{batch}-{n}": job for n, job in enumerate(jobs)}
        try:
            futures = [self.client.submit(run_job, job, key=key, pure=False) for key, job in by_key.items()]
            for future in as_completed(futures, loop=self.client.loop):
                job = by_key[future.key]
                try:
                    outcome: Outcome = future.result()
                except Exception as exc:  # KilledWorker: the job's worker died more often than allowed
                    outcome = Outcome(job.id, "failed", 0.0, 1, JobError(
                        f"{job.where()}: the Dask worker running it died ({type(exc).__name__}: {exc})", "worker"))
                done(outcome)
        finally:
            self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
