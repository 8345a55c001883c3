"""`build_reports`: the report pipeline, in one direction.

plan (validate everything, read each workshop's answers once: `playbook.batch.plan`) ->
write the answers snapshots -> skip what is unchanged (`playbook.batch.manifest`) -> run and
render the rest on an executor (`playbook.batch.executors`, the local pool by default) -> print
the PDFs with one browser -> write each workshop's index page. Every job's status, duration,
outputs and error go to `out/manifest.json` as it finishes, so a run killed midway resumes
where it stopped; one failing job never stops the others. Nothing here prints: progress goes
to a callback, and the CLI and the demo print the `BatchResult`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from playbook import fsio
from playbook.answers import snapshot
from playbook.batch import heap
from playbook.batch.executors import DEFAULT, Executor, executors
from playbook.batch.jobs import BatchResult, Job, JobResult, Outcome
from playbook.batch.manifest import Manifest
from playbook.batch.plan import Plan, WorkshopPlan, plan
from playbook.publish import fonts, printing

Progress = Callable[[int, int, JobResult | None], None]  # (done, total, the job just finished: None at start)


def build_reports(
    folders: Sequence[str | Path],
    *,
    formats: Sequence[str] = ("html",),
    paper: str = "a4",
    jobs: int | None = None,
    teams: Sequence[str] = (),
    force: bool = False,
    executor: str | Executor | None = None,
    scheduler: str | None = None,
    collect: bool = False,
    progress: Progress | None = None,
    printer: Any = None,
    team_notebook: Path | None = None,
    summary_notebook: Path | None = None,
    timeout: int = 600,
    language: str = "",
) -> BatchResult:
    """Build every team's report and a summary per workshop, as HTML (and PDF with "pdf" in `formats`).

    `jobs` caps the reports run at once (default: one per core) on a named executor; `teams`
    limits the batch to those teams (the summaries are then left as they are); `force` rebuilds
    unchanged reports; `executor` is a registered name ("local", the default; "dask" with the
    `scheduler` address, and `collect` to have the files sent back and written here) or an
    `Executor` made by the caller; `progress` is called once the plan is known and after every job;
    `printer` is an open `PdfPrinter` to share with other documents; `team_notebook` and
    `summary_notebook` replace the bundled notebooks (custom reports, tests); `timeout` bounds
    each cell, in seconds; `language` replaces each workshop's language for this batch. Raises
    `PlaybookError` before anything runs if a folder, workshop.yml, answers, team, format, paper
    size, language, notebook or executor is wrong.
    """
    t0 = time.monotonic()
    if isinstance(executor, str) or executor is None:
        options: dict[str, Any] = {"scheduler": scheduler} if scheduler else {}
        if collect:
            options["collect"] = True
        runs: Executor = executors.create(executor or DEFAULT, workers=jobs or os.cpu_count() or 1, **options)
    else:
        runs = executor
    runs.prepare()  # e.g. the dask executor connects and checks its workers, before the answers are read
    batch = plan(folders, teams=teams, formats=formats, paper=paper, team_notebook=team_notebook,
                 summary_notebook=summary_notebook, timeout=timeout, language=language)
    for ws in batch.workshops:
        check_fonts(ws)
    manifests = {ws.root: _open(ws) for ws in batch.workshops}
    heap.release()  # what reading the answers and taking the snapshots freed, before the workers start
    result = BatchResult(manifests=[m.path for m in manifests.values()])
    by_id = {j.id: j for j in batch.jobs}
    total = len(batch.jobs)

    def record(res: JobResult, save: bool = True) -> None:
        manifest = manifests[res.job.folder]
        manifest.record(res)
        if save:
            manifest.save()
        result.jobs.append(res)
        if progress is not None:
            progress(len(result.jobs), total, res)

    if progress is not None:
        progress(0, total, None)
    to_run: list[Job] = []
    for job in batch.jobs:
        manifest = manifests[job.folder]
        if not force and manifest.unchanged(job):
            record(JobResult(job, "skipped", 0.0, manifest.outputs(job)), save=False)
        else:
            to_run.append(job)
    for m in manifests.values():
        m.save()

    # The index page's renderer warms up in a thread while the last reports run, once fewer
    # are left than this machine has cores: it then takes no time from the reports.
    spare = os.cpu_count() or 1
    warming: list[threading.Thread] = [_warm_index()] if 0 < len(to_run) < spare else []

    def done(o: Outcome) -> None:
        record(JobResult(by_id[o.job], o.status, o.duration, o.outputs, o.error, o.attempts))
        left = total - len(result.jobs)  # reports still running or waiting
        if not warming and 0 < left < spare:
            warming.append(_warm_index())

    runs.run(to_run, done)
    for thread in warming:
        thread.join()
    if "pdf" in batch.formats:
        result.pdfs = _print(batch, result, manifests, force, printer)
    result.indexes = [_index(ws, manifests[ws.root], batch.paper) for ws in batch.workshops]
    for ws in batch.workshops:
        _tidy(ws, manifests[ws.root])
    result.elapsed = round(time.monotonic() - t0, 3)
    return result


def check_fonts(ws: WorkshopPlan) -> bool:
    """Whether the workshop's reports will draw: False, with one `MissingFontWarning` before any
    report runs, when their names, answers or language are CJK and no CJK font is installed
    (the charts are drawn in kernels, whose warnings no one sees)."""
    c = ws.folder.config
    answers = (d.decode("utf-8", "replace") for d in ws.snapshots.values())  # one at a time, only if needed
    texts = itertools.chain([c.client, c.title], (t.name for t in c.teams), answers)
    return fonts.check(texts, f"the reports of {ws.folder.path}", c.language)


def _warm_index() -> threading.Thread:
    """A thread that gets the index page's renderer ready; a failure there shows when the index is written."""

    def warm() -> None:
        with contextlib.suppress(Exception):
            printing.warm()

    thread = threading.Thread(target=warm, name="playbook-warm-index", daemon=True)
    thread.start()
    return thread


def _open(ws: WorkshopPlan) -> Manifest:
    """The workshop's manifest, once a killed run's temporary files are gone and the snapshots
    its jobs read are on disk (and no longer in memory: with 1,000 teams they are tens of MB)."""
    folder = ws.folder
    fsio.clean_temp(folder.out)
    while ws.snapshots:
        sha, data = ws.snapshots.popitem()
        snapshot.write(folder.snapshots_dir, data, sha)
    return Manifest(folder)


def _print(batch: Plan, result: BatchResult, manifests: dict[Path, Manifest], force: bool, printer: Any) -> list[Path]:
    """PDFs of the reports built or unchanged, from one browser; recorded as the jobs' outputs."""
    built = [r.job for r in result.jobs if r.status != "failed" and r.job.pdf is not None]
    pages = [printing.Page(j.html, j.pdf, j.header) for j in built if j.pdf is not None]
    printed = printing.print_reports(pages, batch.paper, force=force, printer=printer)
    for job in built:
        if job.pdf is not None and job.pdf.is_file():
            manifests[job.folder].add_output(job, job.pdf)
    for m in manifests.values():
        m.save()
    return printed


def _index(ws: WorkshopPlan, manifest: Manifest, paper: str) -> Path:
    """The index page: every report the manifest records (also those this batch left out) that
    is on disk, team reports in roster order, then the summary."""
    order = {t.id: i for i, t in enumerate(ws.folder.config.teams)}
    listed: list[printing.Listed] = []
    for entry in manifest.entries.values():
        team = entry.get("team")
        html = next((manifest.root / o for o in entry.get("outputs", []) if o.endswith(".html")), None)
        if html is not None and html.is_file() and (team is None or team in order):
            listed.append(printing.Listed(team, entry.get("name") or team, html))
    listed.sort(key=lambda r: order.get(r.team, len(order)) if r.team is not None else len(order))
    return printing.write_index(ws.folder, listed, paper, ws.language)


def _tidy(ws: WorkshopPlan, manifest: Manifest) -> None:
    """Remove the answers snapshots no recorded report rendered, and what a worker killed while
    writing left (its job ran again elsewhere)."""
    fsio.clean_temp(ws.folder.out)
    keep = manifest.snapshots()
    for stale in ws.folder.snapshots_dir.glob(f"*{snapshot.SUFFIX}"):
        if stale.stem not in keep:
            stale.unlink(missing_ok=True)


__all__ = ["Progress", "build_reports"]
