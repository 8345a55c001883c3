"""The wheel carries everything an installed kit needs to render a report in a fresh venv.

Expectations are read from the checkout (content files, notebooks, templates), so the test stays
true as files are added; a file in the repository but not in the wheel fails here by name.
"""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent

EXERCISE_FILES = ["empathy_audit.yml", "fit_assessment.yml", "enablement.yml"]
TEMPLATES_IN_WHEEL = "data/share/jupyter/nbconvert/templates"  # under <dist>-<version>.data/
NOTEBOOKS_IN_WHEEL = "playbook/_notebooks"
TOP_LEVEL_PACKAGES = {"playbook", "widgets"}
_SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


@pytest.fixture(scope="module")
def wheel_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once, as pip would from the checkout."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"pip wheel failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, f"expected one wheel, got {wheels}"
    return wheels[0]


@pytest.fixture(scope="module")
def wheel(wheel_path: Path) -> list[str]:
    """The wheel's member names."""
    with zipfile.ZipFile(wheel_path) as archive:
        return archive.namelist()


def _repo_files(folder: Path) -> list[str]:
    """Files under a checkout folder, relative to it, without editor and cache litter."""
    if not folder.is_dir():
        return []
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and not _SKIPPED_PARTS & set(path.relative_to(folder).parts)
    )


def _missing(expected: list[str], names: list[str]) -> list[str]:
    present = set(names)
    return [name for name in expected if name not in present]


def test_wheel_has_the_exercise_definitions(wheel: list[str]) -> None:
    expected = [f"playbook/content/{name}" for name in EXERCISE_FILES]
    expected += [f"playbook/content/{path.name}" for path in sorted((ROOT / "playbook/content").glob("*.yml"))]
    expected = list(dict.fromkeys(expected))
    assert not _missing(expected, wheel), f"missing from the wheel: {_missing(expected, wheel)}"


def test_wheel_has_every_language_catalogue(wheel: list[str]) -> None:
    """Languages are found from the catalogues: each translation of the definitions and each
    message catalogue (compiled from its .po when first used: nothing to build) ships."""
    expected = [f"playbook/content/{name}" for name in _repo_files(ROOT / "playbook/content") if "/" in name]
    expected += [f"playbook/locale/{name}" for name in _repo_files(ROOT / "playbook/locale")]
    assert "playbook/locale/messages.pot" in expected
    assert not _missing(expected, wheel), f"missing from the wheel: {_missing(expected, wheel)}"


def test_wheel_has_both_packages_and_nothing_else(wheel: list[str]) -> None:
    assert "playbook/__init__.py" in wheel
    assert "widgets/__init__.py" in wheel
    top_level = {name.split("/")[0] for name in wheel}
    unexpected = sorted(name for name in top_level - TOP_LEVEL_PACKAGES if not name.endswith((".dist-info", ".data")))
    assert not unexpected, f"unexpected top-level entries in the wheel: {unexpected}"


def test_wheel_marks_the_packages_as_typed(wheel: list[str]) -> None:
    """PEP 561: type checkers read the kit's annotations only when the wheel carries py.typed."""
    assert "playbook/py.typed" in wheel
    assert "widgets/py.typed" in wheel


def test_wheel_has_every_notebook_as_package_data(wheel: list[str]) -> None:
    expected = [f"{NOTEBOOKS_IN_WHEEL}/{path.name}" for path in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    assert not _missing(expected, wheel), f"missing from the wheel: {_missing(expected, wheel)}"


def test_wheel_installs_every_template_as_shared_data(wheel: list[str]) -> None:
    data_dirs = {name.split("/")[0] for name in wheel if name.split("/")[0].endswith(".data")}
    expected = _repo_files(ROOT / "templates")
    if not expected:
        return
    assert len(data_dirs) == 1, f"expected one .data folder in the wheel, got {sorted(data_dirs)}"
    prefix = f"{data_dirs.pop()}/{TEMPLATES_IN_WHEEL}"
    wanted = [f"{prefix}/{name}" for name in expected]
    assert not _missing(wanted, wheel), f"missing from the wheel: {_missing(wanted, wheel)}"


def test_wheel_declares_the_playbook_command(wheel_path: Path, wheel: list[str]) -> None:
    entry_points = [name for name in wheel if name.endswith(".dist-info/entry_points.txt")]
    assert len(entry_points) == 1, f"expected one entry_points.txt, got {entry_points}"
    with zipfile.ZipFile(wheel_path) as archive:
        text = archive.read(entry_points[0]).decode("utf-8")
    parser = configparser.ConfigParser()
    parser.read_string(text)
    assert parser.has_section("console_scripts"), text
    assert parser["console_scripts"].get("playbook") == "playbook.cli:main", text
