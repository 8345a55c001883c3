"""Where report jobs run: the `Executor` protocol, a registry by name, and the local process pool.

An executor takes the planned jobs and reports an `Outcome` for each, from the calling thread,
as jobs finish. Executors register by name the way papermill's engines do
(`executors.register("dask", DaskExecutor)`), and `playbook report --executor NAME` picks one;
`local` (worker processes on this machine, each with one warm kernel) is the default.

The local pool starts each worker as a fresh Python process (`playbook.batch.worker.main`),
which imports nbclient, nbconvert and papermill while its kernel starts. Not a
multiprocessing forkserver: that keeps a process of its own for the whole batch, holding
everything it preloaded (about 60 MB), beside the resource tracker it needs (12 MB), and
multiprocessing runs the program that started the batch (the `playbook` command's script,
or a user's) again in every worker, importing what only that program needed.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any, Protocol, cast, runtime_checkable

from playbook.batch.jobs import Job, JobError, Outcome
from playbook.errors import PlaybookError

DEFAULT = "local"
# A pool worker's program: this process's sys.path (its arguments after the connection's file
# descriptor), so it imports the kit this process runs; playbook.startup before anything imports nbformat.
BOOT = ("import sys; sys.path[:] = sys.argv[2:]; import playbook.startup; "
        "from playbook.batch.worker import main; main(int(sys.argv[1]))")


@runtime_checkable
class Executor(Protocol):
    """Runs jobs and reports each outcome; `workers` is how many jobs may run at once."""

    def prepare(self) -> None:
        """Start what takes long and needs no job (called while the batch is planned)."""

    def run(self, jobs: Sequence[Job], done: Callable[[Outcome], None]) -> None:
        """Run every job, calling `done` once per job, in this thread, as each finishes."""


ExecutorFactory = Callable[..., Executor]  # called as factory(workers=N, **options)


class Executors:
    """The executors known by name (papermill's `PapermillEngines`, for report jobs)."""

    def __init__(self) -> None:
        self._known: dict[str, ExecutorFactory] = {}

    def register(self, name: str, factory: ExecutorFactory) -> None:
        self._known[name] = factory

    def names(self) -> list[str]:
        return sorted(self._known)

    def factory(self, name: str) -> ExecutorFactory:
        if name not in self._known:
            raise PlaybookError(f"unknown executor {name!r}", field="executor",
                                fix=f"use one of: {', '.join(self.names())}")
        return self._known[name]

    def create(self, name: str, *, workers: int, **options: Any) -> Executor:
        """An executor by name; `options` are its own (the dask executor's `scheduler`)."""
        factory = self.factory(name)
        takes = inspect.signature(factory).parameters
        unknown = sorted(o for o in options if o not in takes)
        if unknown:
            raise PlaybookError(f"the {name} executor takes no {', '.join(unknown)}", field="executor",
                                fix=f"leave out {', '.join('--' + o for o in unknown)}, "
                                    "or use an executor that takes it")
        return factory(workers=workers, **options)


class WorkerProcess:
    """A pool worker's process, as the pool waits for it, stops it and reports its exit code."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen

    @property
    def exitcode(self) -> int | None:
        """None while it runs; negative: the signal that ended it."""
        return self.popen.poll()

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def join(self, timeout: float | None = None) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)

    def terminate(self) -> None:
        if self.is_alive():
            self.popen.terminate()


def start_worker(*message: Any) -> tuple[WorkerProcess, Connection]:
    """A new pool worker process and the connection to it, `message` already sent: where its
    kernel starts and what it loads. The worker runs in its own process group: Ctrl-C is the
    parent's, which lets the running report finish whole (nbclient would otherwise shut the
    kernel down mid-notebook on SIGINT)."""
    parent, child = Pipe()
    try:
        popen = subprocess.Popen([sys.executable, "-c", BOOT, str(child.fileno()), *sys.path],
                                 pass_fds=[child.fileno()], process_group=0, stdin=subprocess.DEVNULL)
    finally:
        child.close()
    parent.send(message)
    return WorkerProcess(popen), parent


class LocalExecutor:
    """Worker processes on this machine, fed one job at a time over pipes; a worker that dies
    is replaced. Each keeps one kernel, warmed up for the first job's workshop."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.busy: dict[Connection, tuple[WorkerProcess, Job]] = {}
        self.idle: list[tuple[WorkerProcess, Connection]] = []
        self.retired: list[tuple[WorkerProcess, Connection]] = []  # told to stop: nothing left for them to run
        self.told: set[Connection] = set()  # busy, and told to stop after the job they run

    def prepare(self) -> None:
        """Nothing to start before the plan is known: each worker imports what it needs while its kernel starts."""

    def _spawn(self, first: Job) -> tuple[WorkerProcess, Connection]:
        warm = (first.parameters["workshop"], first.parameters.get("answers")) if first.warm else None
        return start_worker(first.cwd, warm)

    def run(self, jobs: Sequence[Job], done: Callable[[Outcome], None]) -> None:
        """Run the jobs; on Ctrl-C, start no more, wait for the running ones (their files are
        written whole, their outcomes reported), then let the interrupt through."""
        if not jobs:
            return
        queue = deque(jobs)
        first = jobs[0]
        self.idle = [self._spawn(first) for _ in range(min(self.workers, len(queue)))]
        try:
            while queue or self.busy:
                while queue and self.idle:
                    proc, conn = self.idle.pop()
                    job = queue.popleft()
                    conn.send(job)
                    self.busy[conn] = (proc, job)
                if not queue:
                    self._retire()
                self._receive(done, first if queue else None)
        except KeyboardInterrupt:
            while self.busy:  # a second Ctrl-C stops waiting: close() then ends the workers
                self._receive(done, None)
            raise
        finally:
            self.close()

    def _receive(self, done: Callable[[Outcome], None], respawn: Job | None) -> None:
        """Report the outcomes of the workers that finished a job; a worker that died is
        replaced (warmed for `respawn`) while jobs are waiting."""
        for ready in wait(list(self.busy)):
            conn = cast(Connection, ready)
            proc, job = self.busy.pop(conn)
            try:
                outcome: Outcome = conn.recv()
            except (EOFError, OSError):
                proc.join(5)
                conn.close()
                outcome = Outcome(job.id, "failed", 0.0, 1, JobError(
                    f"{job.where()}: the worker process died (exit code {proc.exitcode})", "worker"))
                if respawn is not None:
                    self.idle.append(self._spawn(respawn))
            else:
                (self.retired if conn in self.told else self.idle).append((proc, conn))
            self.told.discard(conn)
            done(outcome)

    def _retire(self) -> None:
        """Once no job is waiting, stop the idle workers, and tell the busy ones that the job
        they run is their last (a worker then ends its kernel before it renders the report):
        the kernels' memory is given back while the last reports (the workshop summary, the
        largest) still run, not after."""
        for proc, conn in self.idle:
            with contextlib.suppress(OSError):
                conn.send(None)
            self.retired.append((proc, conn))
        self.idle = []
        for conn in self.busy.keys() - self.told:
            with contextlib.suppress(OSError):
                conn.send(None)
            self.told.add(conn)

    def close(self) -> None:
        self._retire()  # busy workers stop after their report
        everyone = self.retired + [(p, c) for c, (p, _) in self.busy.items()]
        for proc, conn in everyone:
            proc.join(10)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
            conn.close()
        self.idle, self.busy, self.retired, self.told = [], {}, [], set()


def _dask(workers: int | None = None, scheduler: str | None = None, collect: bool = False) -> Executor:
    """The dask executor (`playbook.batch.cluster`); Dask is an optional extra, imported when chosen."""
    try:
        from playbook.batch.cluster import DaskExecutor
    except ImportError as exc:
        raise PlaybookError(f"the dask executor needs Dask distributed installed ({exc})", field="executor",
                            fix="pip install 'workshop-playbook[dask]', or use --executor local") from None
    return DaskExecutor(workers=workers, scheduler=scheduler, collect=collect)


executors = Executors()
executors.register(DEFAULT, LocalExecutor)
executors.register("dask", _dask)
