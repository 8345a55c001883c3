"""How fast the response store saves one field and loads every team's latest answers.

    python benchmarks/store_latency.py [--saves 500] [--teams 1000]

Targets: a save's p95 under 20 ms (a worksheet autosaves on every change) and the latest
answers of 1,000 teams x 3 exercises under 1 s (the facilitator dashboard and batch reports).
As an in-run baseline the same save is timed as a bare sqlite3 INSERT + COMMIT with the same
pragmas, so the store's own overhead (validation, SQLAlchemy, RETURNING) shows as a ratio.
Uses the bundled exercises when they load, else three copies of the store tests' synthetic
definition (tests/data/drill.yml, via tests/synthetic.py). Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playbook.answers.store import Store
from playbook.errors import PlaybookError
from playbook.model import exercises

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from synthetic import write_drill  # the definition the store tests use


def load_exercises(folder: Path) -> tuple[list[exercises.Exercise], str]:
    try:
        bundled = exercises.all_exercises()
    except PlaybookError:
        bundled = []
    if len(bundled) >= 3:
        return bundled[:3], "bundled"
    return [exercises.load_file(write_drill(folder, name)) for name in ("bench_a", "bench_b", "bench_c")], "synthetic"


def simple_value(field: Any) -> Any:
    """A valid answer for the field types that need no nested structure; None for others."""
    options = [o.id for o in getattr(field, "options", [])]
    return {
        "scale": 3, "single_choice": options[0] if options else None, "short_text": "An answer",
        "long_text": "A longer answer,\nover two lines.", "number": getattr(field, "min", None),
        "multi_choice": options[:1], "checklist": options[:2], "ranking": options[:1],
    }.get(field.type)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_store_saves(store: Store, exercise: exercises.Exercise, saves: int) -> list[float]:
    field = next(f for f in exercise.fields.values() if f.type == "scale")
    out = []
    for i in range(saves):
        started = time.perf_counter()
        store.save(store.teams[i % len(store.teams)], exercise.id, field.id, i % 5 + 1)
        out.append(time.perf_counter() - started)
    return out


def time_bare_saves(db: Path, saves: int) -> list[float]:
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("busy_timeout = 10000", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE revisions (id INTEGER PRIMARY KEY AUTOINCREMENT, workshop TEXT, team TEXT,"
                 " exercise TEXT, field TEXT, value TEXT, author TEXT, created_at TEXT)")
    out = []
    for i in range(saves):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO revisions (workshop, team, exercise, field, value, author, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     ("bench", f"team-{i % 10}", "ex", "rating", json.dumps(i % 5 + 1), None,
                      dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")))
        conn.execute("COMMIT")
        out.append(time.perf_counter() - started)
    conn.close()
    return out


def row(name: str, value: float, target: float | None, unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    shown = f"{value * scale:9.2f} {unit}"
    if target is None:
        return f"  {name:<34}{shown}"
    return f"  {name:<34}{shown}   target < {target * scale:g} {unit}   ratio {value / target:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=500, help="single-field saves to time")
    parser.add_argument("--teams", type=int, default=1000, help="teams for the latest-answers load")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as tmp:
        folder = Path(tmp)
        defs, kind = load_exercises(folder)
        teams = [f"team-{n:04d}" for n in range(args.teams)]
        print(f"store latency: {args.saves} saves, {args.teams} teams x {len(defs)} {kind} exercises"
              f" ({', '.join(e.id for e in defs)}), SQLite in {tmp}")

        with Store(f"sqlite:///{folder / 'saves.db'}", workshop="bench", teams=teams[:10],
                   exercises=defs) as store:
            time_store_saves(store, defs[0], 20)  # warm up: pool, compiled statements
            saves = time_store_saves(store, defs[0], args.saves)
        bare = time_bare_saves(folder / "bare.db", args.saves)

        print("\nsave one field (validate, insert, commit):")
        print(row("store p50", statistics.median(saves), None))
        print(row("store p95", pct(saves, 0.95), 0.020))
        print(row("store max", max(saves), None))
        print(row("bare sqlite3 p50", statistics.median(bare), None))
        print(row("bare sqlite3 p95", pct(bare, 0.95), None))
        print(f"  {'store overhead (p50 / bare p50)':<34}{statistics.median(saves) / statistics.median(bare):9.2f} x")

        rows = [(t, e.id, f.id, v) for t in teams for e in defs for f in e.fields.values()
                if (v := simple_value(f)) is not None]
        with Store(f"sqlite:///{folder / 'teams.db'}", workshop="bench", teams=teams,
                   exercises=defs) as store:
            started = time.perf_counter()
            store.save_many(rows)
            fill = time.perf_counter() - started
            loads = []
            for _ in range(5):
                started = time.perf_counter()
                latest = store.latest_all()
                loads.append(time.perf_counter() - started)
        values = sum(len(v) for per_ex in latest.values() for v in per_ex.values())
        print(f"\nlatest answers of {len(latest)} teams x {len(defs)} exercises ({values} values, 5 runs):")
        print(row("latest_all median", statistics.median(loads), 1.0, "s"))
        print(row("latest_all max", max(loads), 1.0, "s"))
        print(row(f"save_many of {len(rows)} rows (setup)", fill, None, "s"))


if __name__ == "__main__":
    main()
