"""What a one-second teammate sync and a merging save cost the store.

    python benchmarks/teammate_sync.py [--pages 36] [--revisions 20000] [--rounds 300]

Every open worksheet asks the store once a second whether anything was saved
(`Store.revision()`, one indexed max(id)); only when something was does it read its team's
newest revisions (`Store.heads`). Printed against the 5-second poll of before, measured in the
same run: the CPU share of one core that `--pages` pages take for the checks, and a save
against a stale base (a merge of two laptops' notes inside the write transaction) against a
plain save. A SQLite store in a temporary folder, the bundled exercises, 12 teams.
Prints, asserts nothing; timings on a shared machine are rough.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playbook.answers.store import Store
from playbook.model import exercises

TEAMS = [f"team{n:02d}" for n in range(12)]


def timed(fn: Callable[[], Any], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=36)
    ap.add_argument("--revisions", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=300)
    args = ap.parse_args()
    ex = exercises.get("empathy_audit")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'responses.db'}", workshop="bench", teams=TEAMS, exercises=[ex])
        names = [f.id for f in ex.fields.values() if f.type == "short_text"]
        rows = [(TEAMS[i % len(TEAMS)], ex.id, names[i % len(names)], f"answer {i}") for i in range(args.revisions)]
        for start in range(0, len(rows), 2000):
            store.save_many(rows[start:start + 2000], author="bench")
        print(f"store: SQLite, {args.revisions:,} revisions, {len(TEAMS)} teams")

        check = timed(store.revision, args.rounds)
        heads = timed(lambda: store.heads(TEAMS[0]), max(args.rounds // 10, 10))
        check_s = statistics.median(check)
        for every, what in ((5.0, "before: every 5 s"), (1.0, "now: every 1 s")):
            share = args.pages * check_s / every
            print(f"  revision check, {what}: {args.pages} pages take {share * 100:.3f}% of one core")
        print(f"  revision check p50 {check_s * 1e3:.3f} ms, p95 {p(check, 0.95) * 1e3:.3f} ms")
        print(f"  heads(team) when something changed: p50 {statistics.median(heads) * 1e3:.2f} ms, "
              f"p95 {p(heads, 0.95) * 1e3:.2f} ms")

        def note(i: int, who: str) -> dict[str, Any]:
            return {"id": f"{who}{i}", "text": f"note {i} by {who}", "tags": {"evidence": "heard"}}

        team, n = TEAMS[1], 0
        base = store.save(team, ex.id, "empathy_map", [note(0, "base")]).id

        def plain() -> None:
            nonlocal base, n
            n += 1
            rev = store.save(team, ex.id, "empathy_map", [note(0, "base"), note(n, "a")], base=base)
            base = rev.id

        saves = max(args.rounds // 3, 20)
        plain_s = statistics.median(timed(plain, saves))
        merging = []
        for _ in range(saves):  # another laptop saved since this one's base: only that save is timed
            n += 1
            store.save(team, ex.id, "empathy_map", [note(0, "base"), note(n, "a")], base=base)
            start = time.perf_counter()
            rev = store.save(team, ex.id, "empathy_map", [note(0, "base"), note(n, "b")], base=base)
            merging.append(time.perf_counter() - start)
            base = rev.id
        merge_s = statistics.median(merging)
        print(f"  save on an unchanged base p50 {plain_s * 1e3:.2f} ms; merging save p50 {merge_s * 1e3:.2f} ms "
              f"({merge_s / plain_s:.2f}x)")
        store.close()


if __name__ == "__main__":
    main()
