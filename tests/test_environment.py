"""environment.yml stays in step with pyproject.toml: same packages, same lower bounds.

pyproject.toml is the source of truth (pip); environment.yml is its conda-forge mirror. Adding a
dependency to one without the other fails here, naming the package.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# PyPI name -> conda-forge name, both normalised, for the packages whose names differ.
# (pyyaml, sqlalchemy, playwright... are spelled the same on both.)
CONDA_NAMES: dict[str, str] = {}
# Entries of environment.yml that are not dependencies of the kit.
ENVIRONMENT_ONLY = {"python", "pip"}
# How the pip section installs the kit itself.
KIT_ENTRIES = {".", "-e .", "--editable ."}

# `name`, `name[extra]>=1.0; marker`, `conda-forge::name>=1.0`, `name=3.11`
_SPEC = re.compile(r"^\s*(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_LOWER = re.compile(r"(?:>=|~=|==|=)\s*([0-9][0-9A-Za-z.]*)")


def normalise(name: str) -> str:
    """PEP 503 normalisation: case-insensitive, runs of `-`, `_`, `.` are equal."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split_spec(spec: str) -> tuple[str, str]:
    """`pydantic>=2.6` -> ("pydantic", ">=2.6"), for PEP 508 and conda match specs alike."""
    match = _SPEC.match(spec)
    assert match, f"cannot read a package name from {spec!r}"
    return normalise(match[1]), match[2].split(";")[0].strip()


def lower_bound(constraint: str) -> tuple[int, ...] | None:
    """The version a constraint starts at: `>=3.11`, `=3.11`, `3.11.*` -> (3, 11)."""
    match = _LOWER.search(constraint) or re.match(r"\s*([0-9][0-9.]*)", constraint)
    if not match:
        return None
    parts = [int(part) for part in match[1].strip(".").split(".") if part.isdigit()]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def _environment() -> dict:
    with (ROOT / "environment.yml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def pyproject_requirements() -> dict[str, str]:
    """Runtime dependencies and every extra's (test, dask): normalised name -> constraint."""
    project = _pyproject()["project"]
    specs = project["dependencies"] + [s for extra in project["optional-dependencies"].values() for s in extra]
    return dict(split_spec(spec) for spec in specs)


def environment_entries() -> tuple[list[tuple[str, str]], list[str]]:
    """(conda and pip entries as (normalised name, constraint), the kit's own pip entries)."""
    entries: list[tuple[str, str]] = []
    kit: list[str] = []
    for item in _environment()["dependencies"]:
        if isinstance(item, dict):
            for pip_item in item.get("pip", []):
                if " ".join(pip_item.split()) in KIT_ENTRIES:
                    kit.append(pip_item)
                else:
                    entries.append(split_spec(pip_item))
        else:
            entries.append(split_spec(str(item)))
    return entries, kit


REQUIREMENTS = pyproject_requirements()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PyYAML", "pyyaml"),
        ("typing_extensions", "typing-extensions"),
        ("zope.interface", "zope-interface"),
        ("Foo__Bar", "foo-bar"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("spec", "name", "bound"),
    [
        ("pydantic>=2.6", "pydantic", (2, 6)),
        ("PyYAML >= 6.0", "pyyaml", (6,)),
        ("ruff>=0.5,<1", "ruff", (0, 5)),
        ("nbval[extra]>=0.11 ; python_version < '4'", "nbval", (0, 11)),
        ("python=3.11", "python", (3, 11)),
        ("python 3.11.*", "python", (3, 11)),
        ("conda-forge::voila>=0.5", "voila", (0, 5)),
        ("pip", "pip", None),
    ],
)
def test_split_spec_and_lower_bound(spec: str, name: str, bound: tuple[int, ...] | None) -> None:
    got_name, constraint = split_spec(spec)
    assert got_name == name
    assert lower_bound(constraint) == bound


def test_environment_uses_conda_forge() -> None:
    assert "conda-forge" in _environment()["channels"]


def test_environment_lists_each_package_once() -> None:
    entries, _ = environment_entries()
    repeated = sorted(name for name, count in Counter(n for n, _ in entries).items() if count > 1)
    assert not repeated, f"listed more than once in environment.yml: {repeated}"


@pytest.mark.parametrize("name", sorted(REQUIREMENTS))
def test_dependency_is_in_environment_with_same_lower_bound(name: str) -> None:
    conda_name = CONDA_NAMES.get(name, name)
    environment = dict(environment_entries()[0])
    assert conda_name in environment, (
        f"{name} is a dependency in pyproject.toml but missing from environment.yml"
        f" (add `- {conda_name}{REQUIREMENTS[name]}`)"
    )
    assert lower_bound(environment[conda_name]) == lower_bound(REQUIREMENTS[name]), (
        f"{name}: pyproject.toml says {REQUIREMENTS[name]!r}, environment.yml says {environment[conda_name]!r}"
    )


def test_environment_has_nothing_pyproject_lacks() -> None:
    expected = {CONDA_NAMES.get(name, name) for name in REQUIREMENTS} | ENVIRONMENT_ONLY
    extra = sorted({name for name, _ in environment_entries()[0]} - expected)
    assert not extra, f"in environment.yml but not a dependency in pyproject.toml: {extra}"


def test_python_pin_matches_requires_python() -> None:
    requires = _pyproject()["project"]["requires-python"]
    environment = dict(environment_entries()[0])
    assert "python" in environment, "environment.yml does not pin python"
    wanted = lower_bound(requires)
    assert wanted is not None, f"requires-python {requires!r} has no lower bound"
    assert lower_bound(environment["python"]) == wanted, (
        f"environment.yml pins python {environment['python']!r}, pyproject.toml requires-python is {requires!r}"
    )


def test_environment_installs_the_kit() -> None:
    _, kit = environment_entries()
    assert kit, f"environment.yml's pip section should install the kit itself ({KIT_ENTRIES})"
