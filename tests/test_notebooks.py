"""The notebooks: the contract (parameters cell, no outputs), papermill runs of every exercise
notebook in report and blank modes, and nbval on every notebook with its defaults.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from traitlets.config import Config

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
def test_papermill_runs_exercise_notebook(exercise: str, mode: str, tmp_path: Path, example_copy: Path,
                                         kernel_config: Callable[[], Config]) -> None:
    import papermill

    workshop = example_copy
    out = tmp_path / f"{exercise}-{mode}.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / f"{exercise}.ipynb"), str(out), kernel_name="python3", config=kernel_config(), progress_bar=False,
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
    proc = subprocess.run(  # nbval_ipc (in tests/): its kernels on Unix sockets, as in the rest of the suite
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "nbval_ipc", "--nbval-lax",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         *(str(NOTEBOOKS / f"{n}.ipynb") for n in ALL)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "tests"), os.environ.get("PYTHONPATH")]))},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert f"{2 * len(ALL)} passed" in proc.stdout


# --- mode "worksheet": the live form in a real kernel, as JupyterLab runs it ---------------------

LIVE = {"empathy_audit": "customers_in_scope", "fit_assessment": "client_name", "enablement": "definition"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# Runs in the notebook's kernel after the notebook: finds the displayed worksheet by its model
# id and types into one field the way a browser's message does (set_state), then lets the
# kernel's loop run the debounced save. Nothing here calls a save directly.
TYPE_INTO = """
import asyncio
from ipywidgets.widgets.widget import _instances
sheet = _instances[{model_id!r}]
box = sheet.form({exercise!r}).fields[{field!r}]
sheet.author.set_state({{"value": {author!r}}})
box.input.box.set_state({{"value": {text!r}}})
for _ in range(100):  # the debounced save runs on the kernel's loop: let it, up to 10 s
    await asyncio.sleep(0.1)
    if ">saved<" in box.status.value:  # the status is HTML: <span ...>saved</span>
        break
print(box.status.value)
"""
READ_BACK = """
from ipywidgets.widgets.widget import _instances
sheet = _instances[{model_id!r}]
print(repr(sheet.form({exercise!r}).fields[{field!r}].input.get()))
"""


def _live(config: Config, workshop: Path, team: str, then: dict[str, str]) -> dict[str, tuple[dict, str, dict]]:
    """Run each exercise notebook with mode "worksheet" in one real kernel, each followed by its
    `then` (its "{model_id}" replaced by that notebook's displayed widget): by exercise, (the
    notebook's display output, what `then` printed, the widget state a frontend would receive).
    One kernel for the three notebooks, as one JupyterLab session that opens them in turn."""
    import nbformat
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    out = {}
    host = nbformat.v4.new_notebook()
    client = NotebookClient(host, kernel_name="python3", config=config, timeout=120, resources={"metadata": {"path": str(NOTEBOOKS)}})
    with client.setup_kernel():
        for exercise, code in then.items():
            nb = load_notebook_node(str(NOTEBOOKS / f"{exercise}.ipynb"))  # as papermill reads it (tags on every cell)
            nb = parameterize_notebook(nb, {"workshop": str(workshop), "team": team, "mode": "worksheet", "language": ""})
            client.nb = nb
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
            errors = [o for o in shown if o.output_type == "error" or o.get("name") == "stderr"]
            assert not errors, errors
            views = [o for o in shown if WIDGET_VIEW in o.get("data", {})]
            assert len(views) == 1, shown
            model_id = views[0]["data"][WIDGET_VIEW]["model_id"]
            extra = nbformat.v4.new_code_cell(code.replace("{model_id}", model_id))
            nb.cells.append(extra)
            client.execute_cell(extra, len(nb.cells) - 1)
            client.set_widgets_metadata()
            printed = "".join(o.get("text", "") for o in extra.outputs if o.output_type == "stream")
            assert not [o for o in extra.outputs if o.output_type == "error"], extra.outputs
            state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
            out[exercise] = (views[0], printed, state)
    return out


@pytest.mark.slow
def test_worksheet_mode_shows_the_live_form_that_saves_with_an_author_and_restores(
        example_copy: Path, kernel_config: Callable[[], Config]) -> None:
    from playbook.answers.store import Store
    from playbook.workshop import Folder

    team, author = "north", "Ana Ruiz"
    texts = {exercise: f"Typed in JupyterLab into {exercise} <b>&</b>" for exercise in EXERCISES}
    typed = _live(kernel_config(), example_copy, team, {exercise: TYPE_INTO.format(
        model_id="{model_id}", exercise=exercise, field=LIVE[exercise], author=author, text=texts[exercise])
        for exercise in EXERCISES})
    with Store.for_folder(Folder(example_copy)) as store:
        for exercise, (view, printed, _) in typed.items():
            assert "playbook serve" not in json.dumps(view["data"].get("text/html", ""))  # not the old pointer
            assert "saved" in printed, (exercise, printed)
            last = store.history(team, exercise, LIVE[exercise])[-1]
            assert (last.value, last.author) == (texts[exercise], author)
    # reloaded: a new kernel shows what was saved, in the form and in what the browser receives
    again = _live(kernel_config(), example_copy, team, {exercise: READ_BACK.format(model_id="{model_id}", exercise=exercise,
                                                                   field=LIVE[exercise]) for exercise in EXERCISES})
    for exercise, (_, printed, state) in again.items():
        assert printed.strip() == repr(texts[exercise]), exercise
        assert any(m.get("state", {}).get("value") == texts[exercise] for m in state.get("state", {}).values()), exercise
