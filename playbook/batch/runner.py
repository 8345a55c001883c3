"""Batch reports: jobs (team x notebook, one summary per workshop) run on warm-kernel workers.

`run_reports` validates everything first (folders, answers, teams), skips jobs whose inputs
are unchanged since the last run (recorded in `out/manifest.json`), runs the rest on worker
processes that each keep one kernel (`playbook.batch.worker`), and records every job's status,
duration, outputs and error in the manifest as it finishes, so a run killed midway resumes
where it stopped. One failing job never stops the others. Only `report_cmd` prints a summary.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from playbook import __version__, fsio, paths
from playbook.answers.results import load_answers
from playbook.batch.worker import JobSpec, Outcome, serve
from playbook.errors import PlaybookError
from playbook.workshop import Folder

MANIFEST = "manifest.json"
FORMAT = "playbook-manifest/1"
TEAM_NOTEBOOK, SUMMARY_NOTEBOOK = "team_report.ipynb", "workshop_summary.ipynb"
# imported once by the forkserver, before it forks the workers; fastimport must come first
PRELOAD = ["playbook.batch.fastimport", "playbook.batch.worker", "nbformat", "nbclient", "nbconvert", "jupyter_client"]


@dataclass(frozen=True)
class JobResult:
    workshop: str
    folder: str
    team: str | None
    notebook: str
    status: str  # ok | skipped | failed
    duration: float
    outputs: list[str]
    error: dict[str, Any] | None = None
    attempts: int = 0


@dataclass
class Summary:
    results: list[JobResult] = field(default_factory=list)
    elapsed: float = 0.0
    manifests: list[Path] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def text(self) -> str:
        n = len(self.results)
        lines = [f"{n} report{'' if n == 1 else 's'}: {self.count('ok')} built, {self.count('skipped')} unchanged, "
                 f"{self.count('failed')} failed, in {self.elapsed:.1f} s"]
        lines += [f"  failed: {(r.error or {}).get('message', 'unknown error')}" for r in self.failed]
        lines += [f"  manifest: {m}" for m in self.manifests]
        return "\n".join(lines)


@dataclass
class _Plan:
    folder: Folder
    spec: JobSpec  # spec.key is unique in the batch: "<folder number>:<manifest key>"
    inputs: str

    @property
    def key(self) -> str:
        """The job's key in its workshop's manifest: workshop id / team / notebook."""
        return self.spec.key.split(":", 1)[1]


def _hash(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def plan(folders: Sequence[str | Path], *, teams: Sequence[str] = (), team_notebook: Path | None = None,
         summary_notebook: Path | None = None, timeout: int = 600) -> list[_Plan]:
    """Every job of the batch, with the hash of its inputs; raises PlaybookError before anything runs."""
    nb_dir = paths.bundled("notebooks")
    team_nb = Path(team_notebook or nb_dir / TEAM_NOTEBOOK).resolve()
    summary_nb = Path(summary_notebook or nb_dir / SUMMARY_NOTEBOOK).resolve()
    for nb in (team_nb, summary_nb):
        if not nb.is_file():
            raise PlaybookError(f"notebook {nb.name!r} not found", file=nb, fix="reinstall the kit")
    seen: dict[Path, Folder] = {}
    for f in folders:
        folder = Folder(f)
        seen.setdefault(folder.path.resolve(), folder)
    if not seen:
        raise PlaybookError("no workshop folder given", fix="pass one or more folders that hold workshop.yml")
    for tid in teams:
        if not any(tid in {x.id for x in fo.config.teams} for fo in seen.values()):
            known = sorted({x.id for fo in seen.values() for x in fo.config.teams})
            raise PlaybookError(f"no team {tid!r} in {'this workshop' if len(seen) == 1 else 'these workshops'}",
                                team=tid, fix=f"teams are: {', '.join(known) or 'none yet'}")
    kit = __version__
    nb_bytes = {team_nb: team_nb.read_bytes(), summary_nb: summary_nb.read_bytes()}
    out: list[_Plan] = []
    for n, folder in enumerate(seen.values()):
        answers = load_answers(folder)
        config = folder.config.model_dump_json()
        defs = "".join(ex.model_dump_json() for ex in folder.exercises())
        wid, path = folder.workshop_id, folder.path.resolve()
        common = {"workshop": str(path), "mode": "report", "language": ""}
        for t in folder.config.teams:
            if teams and t.id not in teams:
                continue
            params = {**common, "team": t.id}
            spec = JobSpec(
                key=f"{n}:{wid}/{t.id}/{team_nb.name}", workshop=wid, team=t.id, notebook=team_nb,
                parameters=params, html=path / "out" / "reports" / f"team-{t.id}.html",
                ipynb=path / "out" / "notebooks" / f"team-{t.id}.ipynb",
                title=f"{folder.config.client}: {t.name}", cwd=nb_dir, timeout=timeout,
            )
            inputs = _hash(_json(answers.get(t.id, {})), nb_bytes[team_nb], kit, _json(params), config, defs)
            out.append(_Plan(folder, spec, inputs))
        if not teams:
            params = {**common, "team": ""}
            spec = JobSpec(
                key=f"{n}:{wid}/-/{summary_nb.name}", workshop=wid, team=None, notebook=summary_nb,
                parameters=params, html=path / "out" / "reports" / "workshop-summary.html",
                ipynb=path / "out" / "notebooks" / "workshop-summary.ipynb",
                title=f"{folder.config.client}: workshop summary", cwd=nb_dir, timeout=timeout,
            )
            inputs = _hash(_json(answers), nb_bytes[summary_nb], kit, _json(params), config, defs)
            out.append(_Plan(folder, spec, inputs))
    return out


# --- manifest ------------------------------------------------------------------------------


def read_manifest(folder: Folder) -> dict[str, dict[str, Any]]:
    """Entries of the last run by job key; an unreadable manifest counts as none."""
    try:
        data = json.loads((folder.out / MANIFEST).read_text(encoding="utf-8"))
        return {e["key"]: e for e in data["jobs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_manifest(folder: Folder, entries: dict[str, dict[str, Any]]) -> Path:
    path = folder.out / MANIFEST
    doc = {"format": FORMAT, "kit_version": __version__, "workshop": folder.workshop_id,
           "updated": _now(), "jobs": list(entries.values())}
    fsio.write_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return path


def _rel(folder: Folder, p: str) -> str:
    try:
        return Path(p).resolve().relative_to(folder.path.resolve()).as_posix()
    except ValueError:
        return p


def _unchanged(prev: dict[str, Any] | None, p: _Plan) -> bool:
    return bool(prev and prev.get("status") in ("ok", "skipped") and prev.get("inputs") == p.inputs
                and prev.get("outputs") and all((p.folder.path / o).is_file() for o in prev["outputs"]))


# --- the pool ------------------------------------------------------------------------------


def _context() -> Any:
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)  # workers fork with nbclient & co. already imported
        return ctx
    return mp.get_context("spawn")  # pragma: no cover - Windows


def _start_forkserver() -> None:
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class _Pool:
    """Worker processes fed one job at a time over pipes; a worker that dies is replaced."""

    def __init__(self, size: int, cwd: Path, workshop: str | None = None) -> None:
        self.ctx = _context()
        self.size = size
        self.cwd, self.workshop = cwd, workshop
        self.busy: dict[Any, tuple[Any, JobSpec]] = {}  # connection -> (process, job)
        self.idle: list[tuple[Any, Any]] = []

    def _spawn(self) -> tuple[Any, Any]:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=serve, args=(child, self.cwd, self.workshop), daemon=True,
                                name="playbook-worker")
        proc.start()
        child.close()
        return proc, parent

    def run(self, specs: Iterable[JobSpec], done: Callable[[Outcome], None]) -> None:
        queue = deque(specs)
        self.idle = [self._spawn() for _ in range(min(self.size, len(queue)))]
        try:
            while queue or self.busy:
                while queue and self.idle:
                    proc, conn = self.idle.pop()
                    job = queue.popleft()
                    conn.send(job)
                    self.busy[conn] = (proc, job)
                ready: list[Any] = wait(list(self.busy))
                for conn in ready:
                    proc, job = self.busy.pop(conn)
                    try:
                        outcome = conn.recv()
                    except (EOFError, OSError):
                        proc.join(5)
                        conn.close()
                        outcome = Outcome(job.key, "failed", 0.0, 1, {
                            "message": f"workshop {job.workshop!r}, team {job.team!r}, notebook {job.notebook.name}: "
                                       f"the worker process died (exit code {proc.exitcode})", "kind": "worker"})
                        if queue:
                            self.idle.append(self._spawn())
                    else:
                        self.idle.append((proc, conn))
                    done(outcome)
        finally:
            self.close()

    def close(self) -> None:
        everyone = self.idle + [(p, c) for c, (p, _) in self.busy.items()]
        for _, conn in everyone:
            with contextlib.suppress(OSError):
                conn.send(None)
        for proc, conn in everyone:
            proc.join(10)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
            conn.close()
        self.idle, self.busy = [], {}


# --- the batch -------------------------------------------------------------------------------


def _progress(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with papermill
        return None
    return tqdm(total=total, unit="report", file=sys.stderr, desc="reports", leave=True)


def run_reports(
    folders: Sequence[str | Path],
    *,
    jobs: int | None = None,
    teams: Sequence[str] = (),
    force: bool = False,
    progress: bool = True,
    team_notebook: Path | None = None,
    summary_notebook: Path | None = None,
    timeout: int = 600,
) -> Summary:
    """Build every report of the given workshops; see the module docstring.

    `team_notebook`/`summary_notebook` replace the bundled notebooks (custom reports, tests).
    """
    t0 = time.monotonic()
    _start_forkserver()  # its imports (about a second) overlap with reading answers below
    plans = plan(folders, teams=teams, team_notebook=team_notebook, summary_notebook=summary_notebook,
                 timeout=timeout)
    folders_by_id: dict[Path, Folder] = {p.folder.path.resolve(): p.folder for p in plans}
    entries: dict[Path, dict[str, dict[str, Any]]] = {}
    for key, folder in folders_by_id.items():
        fsio.clean_temp(folder.out)
        entries[key] = read_manifest(folder)
    summary = Summary(manifests=[f.out / MANIFEST for f in folders_by_id.values()])
    bar = _progress(len(plans), progress)
    by_key = {p.spec.key: p for p in plans}
    to_run = []

    def record(p: _Plan, status: str, duration: float, outputs: list[str], error: dict[str, Any] | None,
               attempts: int, write: bool = True) -> None:
        fkey = p.folder.path.resolve()
        rel = [_rel(p.folder, o) for o in outputs]
        prev = entries[fkey].get(p.key) or {}
        entries[fkey][p.key] = {
            "key": p.key, "workshop": p.spec.workshop, "team": p.spec.team, "notebook": p.spec.notebook.name,
            "status": status, "duration": duration, "outputs": rel, "error": error, "attempts": attempts,
            "inputs": p.inputs if status != "failed" else None,
            "finished": prev.get("finished") if status == "skipped" else _now(),
        }
        if write:
            _write_manifest(p.folder, entries[fkey])
        summary.results.append(JobResult(p.spec.workshop, str(p.folder.path), p.spec.team, p.spec.notebook.name,
                                         status, duration, rel, error, attempts))
        if bar is not None:
            bar.update(1)

    for p in plans:
        prev = entries[p.folder.path.resolve()].get(p.key)
        if not force and _unchanged(prev, p):
            outputs = [str(p.folder.path / o) for o in prev["outputs"]]  # type: ignore[index]
            record(p, "skipped", 0.0, outputs, None, 0, write=False)
        else:
            to_run.append(p.spec)
    for folder in folders_by_id.values():
        _write_manifest(folder, entries[folder.path.resolve()])
    try:
        if to_run:
            size = max(1, min(jobs or os.cpu_count() or 1, len(to_run)))

            def done(o: Outcome) -> None:
                record(by_key[o.key], o.status, o.duration, o.outputs, o.error, o.attempts)

            # warm the kernels up for the bundled notebooks only: custom ones may not use report_view
            bundled = team_notebook is None and summary_notebook is None
            _Pool(size, to_run[0].cwd, to_run[0].parameters["workshop"] if bundled else None).run(to_run, done)
    finally:
        if bar is not None:
            bar.close()
    summary.elapsed = round(time.monotonic() - t0, 3)
    return summary


def manifest_entries(folder: str | Path) -> list[dict[str, Any]]:
    """The jobs recorded in a workshop's manifest (for tests and tools)."""
    return list(read_manifest(Folder(folder)).values())


__all__ = ["JobResult", "Summary", "manifest_entries", "plan", "run_reports"]
