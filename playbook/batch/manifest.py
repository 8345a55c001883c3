"""`out/manifest.json`: every report job of a workshop as the batches left it.

One entry per job key (workshop / team / notebook): status, duration, outputs (relative to the
workshop folder), error, attempts, the hash of the answers snapshot it rendered (`answers`) and
of all its inputs (`inputs`). Entries of jobs a batch left out (`--team`) stay. The runner saves
the manifest after every job, so a run killed midway resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from playbook import fsio
from playbook.batch.jobs import Job, JobResult
from playbook.version import __version__
from playbook.workshop import Folder

FORMAT = "playbook-manifest/1"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Manifest:
    """A workshop's manifest, read once per batch and saved (atomically) as jobs finish."""

    def __init__(self, folder: Folder) -> None:
        self.folder = folder
        self.root = folder.path.resolve()
        self.path = folder.manifest_path
        self.entries: dict[str, dict[str, Any]] = read(folder)

    def unchanged(self, job: Job) -> bool:
        """Built before from the same answers snapshot and inputs, and every output still there."""
        prev = self.entries.get(job.key)
        return bool(prev and prev.get("status") in ("ok", "skipped") and prev.get("answers") == job.answers
                    and prev.get("inputs") == job.inputs and prev.get("outputs")
                    and all((self.root / o).is_file() for o in prev["outputs"]))

    def outputs(self, job: Job) -> tuple[Path, ...]:
        return tuple(self.root / o for o in (self.entries.get(job.key) or {}).get("outputs", []))

    def record(self, result: JobResult) -> None:
        job, prev = result.job, self.entries.get(result.job.key) or {}
        built = result.status != "failed"
        self.entries[job.key] = {
            "key": job.key, "workshop": job.workshop, "team": job.team, "name": job.team_name,
            "notebook": job.notebook.name, "status": result.status, "duration": result.duration,
            "outputs": [self._rel(p) for p in result.outputs],
            "error": result.error.to_dict() if result.error else None, "attempts": result.attempts,
            "answers": job.answers if built else None,
            "inputs": job.inputs if built else None,
            "finished": prev.get("finished") if result.status == "skipped" else _now(),
        }

    def add_output(self, job: Job, path: Path) -> None:
        entry = self.entries.get(job.key)
        if entry is not None and self._rel(path) not in entry["outputs"]:
            entry["outputs"].append(self._rel(path))

    def snapshots(self) -> set[str]:
        """The answers snapshots the recorded reports rendered (kept; any other is stale)."""
        return {e["answers"] for e in self.entries.values() if e.get("answers")}

    def save(self) -> Path:
        doc = {"format": FORMAT, "kit_version": __version__, "workshop": self.folder.workshop_id,
               "updated": _now(), "jobs": list(self.entries.values())}
        return fsio.write_atomic(self.path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")

    def _rel(self, p: Path) -> str:
        try:
            return p.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(p)


def read(folder: Folder) -> dict[str, dict[str, Any]]:
    """Entries of the last run by job key; an unreadable manifest counts as none (every job runs)."""
    try:
        data = json.loads(folder.manifest_path.read_text(encoding="utf-8"))
        return {e["key"]: e for e in data["jobs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def entries(folder: str | Path) -> list[dict[str, Any]]:
    """The jobs recorded in a workshop's manifest (for tests and tools)."""
    return list(read(Folder(folder)).values())
