"""The engine stays importable without the UI layer: `playbook` never imports ipywidgets or
`widgets` (the dependency goes the other way). Each module is imported in a fresh interpreter,
so one module's imports cannot hide another's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

ENGINE_MODULES = [
    "playbook", "playbook.model.exercises", "playbook.scoring", "playbook.cli", "playbook.answers.store", "playbook.answers.transfer",
    "playbook.serve", "playbook.cli.serve", "playbook.workshop.access", "playbook.batch.runner", "playbook.publish.report",
]
FORBIDDEN = ["ipywidgets", "widgets"]

# Runs in the child interpreter: records, for the first import of each forbidden package, the
# chain of modules that led to it, then imports the module under test and reports as JSON.
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
importlib.import_module(sys.argv[2])
loaded = sorted(m for m in sys.modules if m.partition(".")[0] in FORBIDDEN)
print(json.dumps({"loaded": loaded, "chains": chains}))
"""


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_engine_module_does_not_import_ui_packages(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(FORBIDDEN), module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"`import {module}` failed:\n{result.stderr}", pytrace=False)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    chains = "\n".join(f"  {' -> '.join(chain)}" for chain in report["chains"].values())
    assert not report["loaded"], (
        f"`import {module}` loaded {report['loaded']}; playbook must not import"
        f" {' or '.join(FORBIDDEN)}. Import chain:\n{chains}"
    )
