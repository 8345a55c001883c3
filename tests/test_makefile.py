"""The Makefile's choice of the Python that makes the virtual environment: the first candidate
that is 3.11 or newer with its venv module, the distribution's first (see the Makefile)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHICH = "which-python: ; @echo $(PYTHON)"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def chosen(*variables: str) -> str:
    """The PYTHON the Makefile settles on, with `variables` (NAME=value) given to make."""
    proc = subprocess.run(["make", "-s", "-C", str(ROOT), *variables, "--eval", WHICH, "which-python"],
                          capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def fake_python(folder: Path, name: str, version: tuple[int, int]) -> Path:
    """An interpreter that answers the Makefile's question as a Python `version` with venv would."""
    path = folder / name
    path.write_text(f"#!/bin/sh\nexec {sys.executable} -c 'import sys; sys.exit({version} < (3, 11))'\n")
    path.chmod(0o755)
    return path


def test_the_first_candidate_new_enough_is_chosen(tmp_path: Path) -> None:
    old, new, newer = (fake_python(tmp_path, n, v) for n, v in (("old", (3, 9)), ("new", (3, 11)), ("newer", (3, 13))))
    assert chosen(f"PYTHON_CANDIDATES={old} {new} {newer}") == str(new)
    assert chosen(f"PYTHON_CANDIDATES={tmp_path / 'missing'} {newer}") == str(newer)


def test_without_a_candidate_it_is_python3_whose_venv_step_says_what_is_missing(tmp_path: Path) -> None:
    assert chosen(f"PYTHON_CANDIDATES={fake_python(tmp_path, 'old', (3, 10))}") == "python3"


def test_a_python_given_on_the_command_line_wins() -> None:
    assert chosen("PYTHON=/opt/my/python3") == "/opt/my/python3"


def test_the_distributions_python_comes_first_when_it_is_new_enough() -> None:
    system = Path("/usr/bin/python3")
    usable = system.exists() and subprocess.run(
        [str(system), "-c", "import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))"],
        capture_output=True).returncode == 0
    assert chosen() == (str(system) if usable else "python3")  # python3 on PATH, or the fallback
