"""Shared fixtures: definitions and folders built from files in tests/data or tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook.model.exercises import Exercise, load_file

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini() -> Exercise:
    """A small definition using every field type, method, metric kind and condition."""
    return load_file(DATA / "mini.yml")


@pytest.fixture(scope="session", autouse=True)
def _examples_stay_untouched() -> Iterator[None]:
    """No test may write into the bundled examples: tests work on copies (copy_example)."""
    root = Path(__file__).parents[1] / "examples"

    def listing() -> dict[str, int]:
        return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")}

    before = listing()
    yield
    after = listing()
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"tests changed the bundled examples: {changed[:5]}"
