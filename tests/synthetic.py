"""The synthetic definitions that tests and benchmarks share, so neither depends on the bundled content.

- `MINI` (tests/data/mini.yml): every field type, rubric method, metric kind and condition, with
  numbers worked out by hand; for the scoring engine, definitions and concealment.
- `DRILL` (tests/data/drill.yml): one field of every type with small, known option ids; for the
  store, its import and export, and benchmarks/store_latency.py.

Benchmarks import this module by putting tests/ on `sys.path`.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini.yml"
DRILL = DATA / "drill.yml"


def write_drill(folder: Path, exercise_id: str = "drill") -> Path:
    """drill.yml as `folder/<exercise_id>.yml`, its id changed to `exercise_id` (a workshop needs unique ids)."""
    head, found, rest = DRILL.read_text(encoding="utf-8").partition("\nid: drill\n")
    if not found:
        raise AssertionError(f"{DRILL} no longer has a top-level 'id: drill' line")
    path = folder / f"{exercise_id}.yml"
    path.write_text(f"{head}\nid: {exercise_id}\n{rest}", encoding="utf-8")
    return path
