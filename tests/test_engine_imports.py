"""The engine loads no UI package when it runs.

import-linter (`make test`) checks the imports written in the code: `playbook` never imports
`widgets` or `ipywidgets`, in layers, without cycles. What it cannot see is run time: an
import made by name, or one a third-party package makes on the engine's behalf. So every
engine module is imported here in one fresh interpreter, which records who loaded a
forbidden package first.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import playbook

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ["ipywidgets", "widgets"]
# Modules run as programs, not imported by the engine.
SKIPPED = {"playbook.cli.__main__"}

# Runs in the child interpreter: records, for the first import of each forbidden package, the
# chain of modules that led to it, then imports every module and reports as JSON.
_PROBE = """
import importlib, json, sys

FORBIDDEN = set(json.loads(sys.argv[1]))
chains = {}

class Tracer:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in FORBIDDEN and top not in chains:
            chain, frame = [], sys._getframe(1)
            while frame is not None:
                module = frame.f_globals.get("__name__", "?")
                if not module.startswith(("importlib", "_frozen_importlib")) and (
                    not chain or chain[-1] != module
                ):
                    chain.append(module)
                frame = frame.f_back
            chains[top] = [*reversed(chain), name]
        return None

sys.meta_path.insert(0, Tracer())
for module in json.loads(sys.argv[2]):
    importlib.import_module(module)
loaded = sorted(m for m in sys.modules if m.partition(".")[0] in FORBIDDEN)
print(json.dumps({"loaded": loaded, "chains": chains}))
"""


def _engine_modules() -> list[str]:
    found = pkgutil.walk_packages(playbook.__path__, prefix="playbook.")
    return ["playbook", *sorted(m.name for m in found if m.name not in SKIPPED)]


def _probe(forbidden: list[str], modules: list[str]) -> tuple[list[str], str]:
    """Import `modules` in a fresh interpreter: the forbidden packages it loaded, and how."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(forbidden), json.dumps(modules)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"importing the engine failed:\n{result.stderr}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    chains = "\n".join(f"  {' -> '.join(chain)}" for chain in report["chains"].values())
    return report["loaded"], chains


def test_engine_modules_load_no_ui_package() -> None:
    modules = _engine_modules()
    assert "playbook.scoring.engine" in modules and "playbook.serve" in modules, modules
    loaded, chains = _probe(FORBIDDEN, modules)
    assert not loaded, (
        f"the engine loaded {loaded}; playbook must not import {' or '.join(FORBIDDEN)}."
        f" Import chain:\n{chains}"
    )


def test_report_batches_load_no_store() -> None:
    """A report kernel reads its answers snapshot and a batch reads answers files: neither needs
    SQLAlchemy (20 MB in each kernel, worker and the batch itself) unless a folder has a store."""
    modules = ["playbook.batch.isolation", "playbook.publish.report", "playbook.batch.runner", "playbook.cli.report"]
    loaded, chains = _probe(["sqlalchemy"], modules)
    assert not loaded, f"a report batch loaded SQLAlchemy. Import chain:\n{chains}"
