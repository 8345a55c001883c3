"""A copy of the example workshop with any number of teams, shared by tests/test_batch_memory.py
and benchmarks/batch.py (which imports it by putting tests/ on `sys.path`).

The teams' answers are the example's four teams' in turn, each with its own number of client
meetings, all in one JSON answers file (the way a large workshop's export arrives).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import yaml

from playbook import paths
from playbook.answers import FORMAT, load_dir
from playbook.workshop import Folder


def make_workshop(dest: Path, n: int) -> list[str]:
    """A copy of the example with `n` teams; returns their ids."""
    src = paths.example("acme")
    shutil.rmtree(paths.copy_example(dest) / "answers")  # written below for n teams
    base = Folder(src)
    answers = load_dir(src / "answers", [t.id for t in base.config.teams])  # the files, not a store
    models = [t.id for t in base.config.teams]
    cfg = yaml.safe_load((dest / "workshop.yml").read_text(encoding="utf-8"))
    teams, out = [], {}
    for i in range(n):
        model = models[i % len(models)]
        tid = f"t{i + 1:03d}"
        teams.append({"id": tid, "name": f"Team {i + 1:03d}", "members": [f"Member {i + 1}"]})
        per_ex = copy.deepcopy(answers.get(model, {}))
        fit = per_ex.get("fit_assessment")
        if fit and "meetings_held" in fit:
            fit["meetings_held"] = (fit["meetings_held"] + i) % 40
        out[tid] = per_ex
    cfg["teams"] = teams
    (dest / "workshop.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (dest / "answers").mkdir()
    (dest / "answers" / "all.json").write_text(json.dumps({"format": FORMAT, "teams": out}, ensure_ascii=False),
                                              encoding="utf-8")
    return [t["id"] for t in teams]
