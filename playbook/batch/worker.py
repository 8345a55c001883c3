"""One batch worker: a warm kernel that runs one notebook after another.

Each worker process keeps one Jupyter kernel (nbclient with a kernel manager it owns) and
one HTML exporter. A job's parameters are injected with papermill's own parameterisation, so
the executed notebook records them in `metadata.papermill.parameters`; the job's
`metadata.playbook` (branding, and provenance: kit and definition versions, workshop, team,
answers snapshot hash, parameters, time) is written when the notebook has run, and the HTML is
rendered from that notebook alone. Before each notebook the kernel is reset (`%reset -f`, then
`playbook.batch.isolation.restore()`); a kernel that dies is replaced and the job run once more;
a kernel that fails to start is retried three times. Jobs come in over a pipe from
`playbook.batch.executors.LocalExecutor`, whose parent process never imports nbformat or
nbclient (they cost a second).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from playbook import fsio
from playbook.batch import heap, kernels, render
from playbook.batch.isolation import RESET_SOURCE
from playbook.batch.jobs import ErrorKind, Job, JobError, Outcome

KERNEL_STARTS = 3  # tries to start a kernel before a job fails
RUNS = 2  # tries of one job when its kernel dies under it
START_BACKOFF = 0.5  # seconds before the second try to start a kernel, twice that before the third
RESET_TAG, INJECTED_TAG = "playbook-reset", "injected-parameters"  # the second is papermill's
Warm = tuple[str, str | None]  # (workshop, answers snapshot) a kernel loads before its first job


class KernelStartError(RuntimeError):
    pass


class Worker:
    """A warm kernel and an exporter, reused for every job this process runs."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: int = 60) -> None:
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.client: Any = None
        self.renderer = render.Renderer()
        self._notebooks: dict[Path, tuple[tuple[int, int], Any]] = {}
        self._ipc: str | None = None
        self.warm_for: Warm | None = None  # what a kernel (also a replacement) loads before its first job
        self.save: Callable[[Path, str], object] = fsio.write_atomic  # how outputs are written (or collected)
        self._running = 0  # index of the cell being run, in the prepared notebook

    # -- kernel ------------------------------------------------------------------------

    def _start(self, cwd: Path, warm: Warm | None = None) -> None:
        """Start a kernel in `cwd`; with `warm` (None: no warm-up), load the report code, the
        definitions, the workshop and its answers snapshot first, so the first job runs as fast
        as the rest."""
        import nbformat
        from jupyter_client.manager import AsyncKernelManager
        from nbclient import NotebookClient

        last: BaseException | None = None
        for attempt in range(KERNEL_STARTS):
            km = AsyncKernelManager(kernel_name=self.kernel_name, **kernels.sockets(self._ipc_dir()))
            client = NotebookClient(
                nbformat.v4.new_notebook(), km=km,
                kernel_name=self.kernel_name, startup_timeout=self.startup_timeout, timeout=120,
            )
            # The kernel is the kit's own process: its settings (`playbook.startup`) before the warm-up.
            boot = "import playbook.startup, playbook.batch.isolation\n"
            if warm is not None:
                boot += f"import playbook.publish.report\nplaybook.publish.report.warm({warm[0]!r}, {warm[1]!r})\n"
            boot += f"playbook.batch.isolation.capture({str(cwd)!r})"
            client.nb.cells = [nbformat.v4.new_code_cell(boot)]
            try:
                client.execute(cwd=str(cwd))
                self.client = client
                return
            except Exception as exc:  # any failure to start is retried the same way
                last = exc
                self._shutdown(client)
                if attempt + 1 < KERNEL_STARTS:
                    time.sleep(START_BACKOFF * (attempt + 1))
        raise KernelStartError(f"the kernel did not start after {KERNEL_STARTS} tries: {last}")

    def _ipc_dir(self) -> str:
        if self._ipc is None:
            self._ipc = tempfile.mkdtemp(prefix="playbook-kernels-")
        return self._ipc

    def _shutdown(self, client: Any) -> None:
        from jupyter_core.utils import run_sync

        try:
            if client.kc is not None:
                client.kc.stop_channels()
            if client.km is not None and client.km.has_kernel:
                run_sync(client.km.shutdown_kernel)(now=True)
        except Exception:
            pass

    def discard(self) -> None:
        if self.client is not None:
            self._shutdown(self.client)
            self.client = None

    def close(self) -> None:
        self.discard()
        if self._ipc is not None:
            shutil.rmtree(self._ipc, ignore_errors=True)
            self._ipc = None

    # -- notebooks -----------------------------------------------------------------------

    def _read(self, path: Path) -> Any:
        """The notebook as papermill loads it (with its `metadata.papermill`), read once per change."""
        from papermill.iorw import load_notebook_node

        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        hit = self._notebooks.get(path)
        if hit is None or hit[0] != stamp:
            hit = self._notebooks[path] = (stamp, load_notebook_node(str(path)))
        return copy.deepcopy(hit[1])

    def prepare(self, job: Job, read_from: Path | None = None) -> Any:
        """The notebook parameterised by papermill, with a reset cell first; read from `read_from`
        (a copy of the job's notebook on this machine) when given."""
        import nbformat
        from papermill.execute import prepare_notebook_metadata
        from papermill.parameterize import parameterize_notebook

        nb = parameterize_notebook(self._read(read_from or job.notebook), dict(job.parameters),
                                   kernel_name=self.kernel_name, language="python")
        nb = prepare_notebook_metadata(nb, str(job.notebook), str(job.ipynb))
        for cell in nb.cells:  # papermill gives its cell a random id: the same report is the same file
            if INJECTED_TAG in cell.metadata.get("tags", []):
                cell.id = INJECTED_TAG
        nb.cells.insert(0, nbformat.v4.new_code_cell(RESET_SOURCE, metadata={"tags": [RESET_TAG]}))
        return nb

    def run(self, job: Job, read_from: Path | None = None, last: Callable[[], bool] | None = None) -> Outcome:
        """Run and render one job. `last`, asked once the notebook has run, says whether it was
        this worker's last job: its kernel then goes before the report is rendered (the
        workshop summary's, the largest, holds every team's answers)."""
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        t0 = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            try:
                if self.client is None:
                    self._start(job.cwd, self.warm_for)
            except KernelStartError as exc:
                return self._failed(job, t0, attempts, JobError(str(exc), "kernel"))
            nb = self.prepare(job, read_from)
            self._running = 0
            self.client.on_cell_start = self._started
            self.client.nb = nb
            self.client.timeout = job.timeout
            try:
                self.client.execute()
            except DeadKernelError:
                self.discard()
                if attempts < RUNS:
                    continue
                return self._failed(job, t0, attempts, JobError(f"the kernel died, {RUNS} times", "dead"))
            except (CellExecutionError, CellTimeoutError) as exc:
                cell = _original_index(nb, self._running)
                if cell is None and attempts < RUNS:  # the reset or the parameters failed: a new kernel
                    self.discard()
                    continue
                timeout = isinstance(exc, CellTimeoutError)
                if timeout:  # the kernel may still be busy: replace it
                    self.discard()
                self._write(job, nb, html=False)
                return self._failed(job, t0, attempts, _error(exc, cell, "timeout" if timeout else "cell"),
                                    (job.ipynb,))
            break
        if last is not None and last():
            self.discard()
        outputs = self._write(job, nb, html=True)
        return Outcome(job.id, "ok", round(time.monotonic() - t0, 3), attempts, None, outputs)

    def _started(self, cell: Any, cell_index: int) -> None:
        self._running = cell_index

    def _write(self, job: Job, nb: Any, html: bool) -> tuple[Path, ...]:
        """The executed notebook with its provenance, then (`html`) the report rendered from it."""
        nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
        executed = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        meta = copy.deepcopy(job.metadata)
        meta.setdefault("provenance", {})["executed"] = executed
        nb.metadata["playbook"] = meta
        self.save(job.ipynb, render.notebook_json(nb))
        if not html:
            return (job.ipynb,)
        self.save(job.html, self.renderer.html(nb, job.title))
        return (job.html, job.ipynb)

    @staticmethod
    def _failed(job: Job, t0: float, attempts: int, error: JobError, outputs: tuple[Path, ...] = ()) -> Outcome:
        where = job.where() + (f", cell {error.cell}" if error.cell is not None else "")
        error = JobError(f"{where}: {error.message}", error.kind, error.cell, error.ename, error.evalue)
        return Outcome(job.id, "failed", round(time.monotonic() - t0, 3), attempts, error, outputs)


def _original_index(nb: Any, index: int) -> int | None:
    """Index, in the notebook as written, of cell `index` of the prepared notebook; None for the
    reset and parameter cells the runner added."""
    tags = nb.cells[index].metadata.get("tags", [])
    if RESET_TAG in tags or INJECTED_TAG in tags:
        return None
    return sum(1 for c in nb.cells[:index] if not {RESET_TAG, INJECTED_TAG} & set(c.metadata.get("tags", [])))


def _error(exc: Exception, cell: int | None, kind: ErrorKind) -> JobError:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc).splitlines()[0] if str(exc) else "")
    return JobError(f"{ename}: {evalue}", kind, cell, ename, evalue)


def main(fd: int) -> None:
    """A local pool worker process (`playbook.batch.executors.start_worker`): its connection to
    the pool is file descriptor `fd`, whose first message is `serve`'s `cwd` and `warm`."""
    conn = Connection(fd)
    try:
        cwd, warm = conn.recv()
    except (EOFError, OSError):  # the pool went away before this worker was needed
        return
    serve(conn, cwd, warm)


def _ready(worker: Worker) -> None:
    """What the first job needs besides its kernel, imported and warmed up: papermill's
    parameters and the HTML exporter (its first use compiles the templates)."""
    import papermill.execute
    import papermill.parameterize  # noqa: F401

    worker.renderer.warm()


def serve(conn: Connection, cwd: Path | None = None, warm: Warm | None = None) -> None:
    """Worker process main loop: receive a Job, send back its Outcome; None or EOF ends it.

    With `cwd`, the kernel starts at once (warmed up with `warm`, see `Worker._start`) while a
    thread gets the rest ready (`_ready`). This process is out of the terminal's process group
    (`start_worker`): Ctrl-C is the parent's, which lets the job finish whole.
    """
    worker = Worker()
    worker.warm_for = warm
    if cwd is not None:
        import nbclient  # noqa: F401  # what starting a kernel needs, before the thread imports what builds on it

        thread = threading.Thread(target=_ready, args=(worker,), daemon=True)
        thread.start()
        with contextlib.suppress(KernelStartError):  # the first job tries again and reports it
            worker._start(cwd, worker.warm_for)
        thread.join()
    waiting: deque[Job | None] = deque()  # what the pool sent while a job ran: None, stop after it

    def last() -> bool:
        with contextlib.suppress(EOFError, OSError):
            while conn.poll():
                waiting.append(conn.recv())
            return None in waiting
        return True  # the pool is gone

    try:
        while True:
            try:
                job = waiting.popleft() if waiting else conn.recv()
            except (EOFError, OSError):
                break
            if job is None:
                break
            try:
                outcome = worker.run(job, last=last)
            except Exception as exc:  # a bug or a full disk: report it, keep serving
                outcome = Outcome(job.id, "failed", 0.0, 1, JobError(
                    f"{job.where()}: {type(exc).__name__}: {exc}", "internal"))
            conn.send(outcome)
            heap.release()  # the report's notebook and HTML, freed: while the next job is on its way
    finally:
        worker.close()
