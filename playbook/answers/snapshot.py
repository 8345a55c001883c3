"""Answers frozen for a report: one JSON file named by the SHA-256 of its bytes.

A report batch reads a workshop's answers once, when it plans, and writes each job the part it
renders (one team's answers, or every team's for the summary) with `write`; the report
notebook reads that file with `read`, never the live store, so a report shows exactly the
answers whose hash the manifest records, whatever is saved while the batch runs. The file is
an answers document (`playbook-answers/1`), so `playbook import` reads it too.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from playbook.answers.format import FORMAT, Answers
from playbook.errors import AnswersError
from playbook.fsio import write_atomic

SUFFIX = ".json"


def encode(answers: Answers) -> tuple[bytes, str]:
    """The snapshot's bytes (compact JSON) and their SHA-256, which names the file.

    Keys keep their order (a report lists a note's attributes as they were given), so the same
    answers read the same way always give the same bytes.
    """
    data = json.dumps({"format": FORMAT, "teams": answers}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return data, hashlib.sha256(data).hexdigest()


def path(folder: Path, sha: str) -> Path:
    return folder / f"{sha}{SUFFIX}"


def write(folder: Path, data: bytes, sha: str) -> Path:
    """Write a snapshot under `folder` (atomically), unless a file of that name is there already."""
    target = path(folder, sha)
    if not target.is_file():
        write_atomic(target, data)
    return target


@lru_cache(maxsize=64)
def read(file: str | Path) -> Answers:
    """The answers of a snapshot, checked against the hash in its name (cached: a name is its content)."""
    p = Path(file)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise AnswersError(f"cannot read the answers snapshot: {exc.strerror or exc}", file=p,
                           fix="build the reports again: the batch writes a fresh snapshot") from None
    if hashlib.sha256(data).hexdigest() != p.stem:
        raise AnswersError("the answers snapshot does not match the hash in its name: it was changed", file=p,
                           fix="build the reports again with --force: the batch writes a fresh snapshot")
    doc = json.loads(data)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("teams"), dict):
        raise AnswersError(f"not an answers snapshot (format {FORMAT})", file=p, fix="pass a file the batch wrote")
    teams: Answers = doc["teams"]
    return teams
