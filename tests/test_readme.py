"""The README's sample results are what `make demo` prints for the example workshop."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook import paths
from playbook.answers.results import score_folder
from playbook.answers.store import ENV_URL
from playbook.cli import results_table

ROOT = Path(__file__).resolve().parents[1]


def readme_block(title: str) -> str:
    blocks, current = [], None
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```") and current is None:
            current = []
        elif line.startswith("```"):
            blocks.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    found = [b for b in blocks if b.startswith(f"{title}\n")]
    assert len(found) == 1, f"the README has {len(found)} sample tables titled {title!r}"
    return found[0].rstrip("\n")


def test_the_readme_sample_table_is_what_the_demo_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    folder = paths.copy_example(tmp_path / "acme")
    printed = results_table(score_folder(folder))  # what playbook.demo prints after importing these answers
    sample = readme_block("Client-fit assessment")
    assert sample in printed, f"README sample:\n{sample}\n\nprinted:\n{printed}"
