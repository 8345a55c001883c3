"""The notebooks: the contract (parameters cell, no outputs), papermill runs of every exercise
notebook in report and blank modes, and nbval on every notebook with its defaults.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from playbook import paths

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = paths.bundled("notebooks")
EXERCISES = ["empathy_audit", "fit_assessment", "enablement"]
REPORTS = ["team_report", "workshop_summary"]  # run by `playbook report`, which passes the answers snapshot
ALL = [*EXERCISES, *REPORTS]


def load(name: str) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ALL)
def test_contract_parameters_and_no_outputs(name: str) -> None:
    nb = load(name)
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse("".join(tagged[0]["source"]))
    values = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)}
    assert set(values) == {"workshop", "team", "mode", "language"} | ({"answers"} if name in REPORTS else set())
    assert values["workshop"] == "../examples/acme" and values["mode"] == "report" and values["language"] == ""
    assert values.get("answers", "") == ""  # by hand: the live answers
    assert all(n.lineno == n.end_lineno for n in tree.body)  # one-line literals
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in nb["metadata"]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["report", "blank"])
@pytest.mark.parametrize("exercise", EXERCISES)
def test_papermill_runs_exercise_notebook(exercise: str, mode: str, tmp_path: Path, example_copy: Path) -> None:
    import papermill

    workshop = example_copy
    out = tmp_path / f"{exercise}-{mode}.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / f"{exercise}.ipynb"), str(out), kernel_name="python3", progress_bar=False,
        parameters={"workshop": str(workshop), "team": "harbour", "mode": mode, "language": ""},
        cwd=str(NOTEBOOKS),
    )
    html = "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in json.loads(out.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])
    )
    if mode == "report":
        assert "Product Marketing" in html and "Overall" in html and "<img" in html
    else:
        assert 'class="pb-worksheet"' in html and "Overall" not in html and "Product Marketing" not in html


@pytest.mark.slow
def test_nbval_every_notebook_with_defaults() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         *(str(NOTEBOOKS / f"{n}.ipynb") for n in ALL)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert f"{2 * len(ALL)} passed" in proc.stdout
