"""The README's sample results are what `make demo` prints for the example workshop."""

from __future__ import annotations

import subprocess
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


def _layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Layout")
    return text[start:text.index("\n## ", start + 1)]


def test_the_readme_layout_names_every_part_of_the_tree() -> None:
    """Each module and package of `playbook/` and each top-level folder the kit ships stands in
    the layout section, and nothing it names is gone from the tree."""
    layout = _layout()
    named = {line.split()[0] for line in layout.splitlines() if line.startswith(("  ", "playbook/", "widgets/"))
             and not line.startswith("   " * 6) and line.split()}
    parts = {p.name + ("/" if p.is_dir() else "") for p in (ROOT / "playbook").iterdir()
             if p.name != "__init__.py" and not p.name.startswith((".", "__")) and (p.is_dir() or p.suffix == ".py")}
    assert parts - named == set(), "README layout misses these parts of playbook/"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout: the tree's folders are those git tracks")
    top = {f.split("/")[0] + "/" for f in tracked if "/" in f and not f.startswith(".")}
    listed = {line.split()[0] for line in layout.splitlines() if line and not line.startswith((" ", "`", "#"))
              and line.split()[0].endswith("/")}
    listed = {n.split("/")[0] + "/" for n in listed}
    assert top - listed == set(), "README layout misses these top-level folders"
    gone = {n for n in named | listed if n.endswith((".py", "/")) and "/" not in n.rstrip("/")
            and not (ROOT / "playbook" / n).exists() and not (ROOT / n).exists()}
    assert gone == set(), "README layout names what the tree no longer has"
