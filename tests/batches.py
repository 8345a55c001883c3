"""Helpers for the report-batch tests of both executors (test_runner.py, test_dask.py): tiny
notebooks, a batch interrupted the way Ctrl-C in a terminal does it, and what a batch must
leave behind however it ended."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from playbook import fsio
from playbook.batch.manifest import entries as manifest_entries

INTERRUPTED = "interrupted: the reports finished so far are written whole and recorded in out/manifest.json"


def make_notebook(path: Path, *cells: str) -> Path:
    """A notebook with the standard parameters cell followed by `cells`."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'workshop = "../examples/acme"\nteam = "north"\nmode = "report"\nlanguage = ""\nanswers = ""',
        metadata={"tags": ["parameters"]},
    )
    nb.cells = [nbformat.v4.new_markdown_cell("# Test"), params, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def no_temp_files(folder: Path) -> list[Path]:
    return [p for p in (folder / "out").rglob("*") if p.name.startswith(fsio.TMP_PREFIX)]


def interrupt_report(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`playbook report FOLDER -q OPTIONS` in its own process group, sent SIGINT (what Ctrl-C in a
    terminal sends to the whole foreground group) once its first report is recorded."""
    proc = subprocess.Popen([sys.executable, "-m", "playbook.cli", "report", str(folder), "-q", *options],
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    manifest = folder / "out" / "manifest.json"
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if manifest.is_file() and '"status": "ok"' in manifest.read_text(encoding="utf-8"):
                break
            time.sleep(0.05)
        else:
            pytest.fail("the batch recorded no report within 90 s")
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def assert_whole(folder: Path) -> list[dict[str, object]]:
    """No temporary file, every report and notebook whole, every output the manifest records on
    disk; returns the manifest's entries."""
    assert no_temp_files(folder) == []
    for html in (folder / "out" / "reports").glob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
    for ipynb in (folder / "out" / "notebooks").glob("*.ipynb"):
        json.loads(ipynb.read_text(encoding="utf-8"))
    entries = manifest_entries(folder)
    for e in entries:
        for rel in e["outputs"]:
            assert (folder / rel).stat().st_size > 0, rel
    return entries
