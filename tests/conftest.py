"""Shared fixtures: definitions and folders built from files in tests/data or tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.exercises import Exercise, load_file

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mini() -> Exercise:
    """A small definition using every field type, method, metric kind and condition."""
    return load_file(DATA / "mini.yml")
