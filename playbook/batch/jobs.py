"""The records a report batch passes along: a job as planned, its outcome, the batch's result.

A `Job` carries everything a later step needs (team, title, paths, parameters, the hash of the
answers it renders, the notebook metadata to write), so no step recovers it from a file name,
a notebook's source or a second read of workshop.yml. Jobs are plain data: they cross process
boundaries (the local pool's pipes, and a distributed executor's wire) as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["ok", "skipped", "failed"]
ErrorKind = Literal["cell", "timeout", "dead", "kernel", "worker", "internal"]


@dataclass(frozen=True)
class Job:
    """One report to build: a notebook run for one team (or the workshop summary), then rendered."""

    id: str  # unique in the batch: "<workshop number>:<key>"
    key: str  # unique in its workshop's manifest: "<workshop id>/<team id or ->/<notebook>"
    workshop: str  # the workshop id
    folder: Path  # the workshop folder, absolute
    team: str | None  # the team id; None for the workshop summary
    team_name: str | None  # the team's name as workshop.yml gives it
    title: str  # the HTML document's title
    notebook: Path
    parameters: dict[str, str]  # injected with papermill: workshop, team, mode, language, answers
    answers: str  # SHA-256 of the answers snapshot the report renders (`playbook.answers.snapshot`)
    inputs: str  # hash of everything the outputs depend on: an unchanged job is skipped
    metadata: dict[str, Any]  # `metadata.playbook` of the executed notebook: branding and provenance
    html: Path
    ipynb: Path
    pdf: Path | None  # None when the batch prints no PDFs
    header: dict[str, str]  # the PDF's page bands: client, title, date, team
    cwd: Path  # where the kernel runs (the notebook's folder)
    timeout: int = 600  # seconds per cell
    warm: bool = True  # start kernels with the kit's report code loaded (bundled notebooks only)

    def where(self) -> str:
        """How an error names the job: workshop, team, notebook."""
        return f"workshop {self.workshop!r}, " + (f"team {self.team!r}, " if self.team else "") + \
            f"notebook {self.notebook.name}"


@dataclass(frozen=True)
class JobError:
    """Why a job failed; `cell` counts the notebook's cells as written, from 0."""

    message: str  # names workshop, team, notebook and cell, then the error
    kind: ErrorKind  # a cell raised, ran too long; the kernel died, did not start; the worker died; a bug
    cell: int | None = None
    ename: str | None = None
    evalue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "kind": self.kind, "cell": self.cell, "ename": self.ename,
                "evalue": self.evalue}


@dataclass(frozen=True)
class Outcome:
    """What an executor reports for a job it ran."""

    job: str  # Job.id
    status: Literal["ok", "failed"]
    duration: float
    attempts: int = 1
    error: JobError | None = None
    outputs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class JobResult:
    """A job after the batch: built, skipped as unchanged, or failed."""

    job: Job
    status: Status
    duration: float
    outputs: tuple[Path, ...]  # absolute paths of the files it wrote (or, skipped, has)
    error: JobError | None = None
    attempts: int = 0

    @property
    def team(self) -> str | None:
        return self.job.team


@dataclass
class BatchResult:
    """The outcome of `playbook.build_reports`: every job, and the files written for the batch."""

    jobs: list[JobResult] = field(default_factory=list)
    elapsed: float = 0.0
    manifests: list[Path] = field(default_factory=list)  # one per workshop: <folder>/out/manifest.json
    indexes: list[Path] = field(default_factory=list)  # one per workshop: <folder>/out/reports/index.html
    pdfs: list[Path] = field(default_factory=list)  # PDFs printed by this batch

    def count(self, status: Status) -> int:
        return sum(1 for r in self.jobs if r.status == status)

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.jobs if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def text(self) -> str:
        """A summary for people, in the language in use: counts, time, each failure, where the manifests are."""
        from playbook.i18n import _, ngettext

        n = len(self.jobs)
        lines = [ngettext("%(num)s report: %(built)s built, %(unchanged)s unchanged, %(failed)s failed, in %(time)s s",
                          "%(num)s reports: %(built)s built, %(unchanged)s unchanged, %(failed)s failed, in %(time)s s",
                          n) % {"num": n, "built": self.count("ok"), "unchanged": self.count("skipped"),
                                "failed": self.count("failed"), "time": f"{self.elapsed:.1f}"}]
        lines += [_("  failed: %(error)s") % {"error": r.error.message if r.error else _("unknown error")}
                  for r in self.failed]
        lines += [_("  manifest: %(path)s") % {"path": m} for m in self.manifests]
        return "\n".join(lines)
