"""One workshop served from two hosts through one store: 8 writers on each of two serve processes.

    python benchmarks/shared_store.py [--writers 8] [--teams 8] [--saves 60] [--pause 0.1] [--url URL]

A served page is a kernel process holding its own Store, opened with `Store.for_folder` on its
host's copy of the workshop folder and `PLAYBOOK_STORE_URL`. So each writer here is such a
process: `--writers` per host, two hosts (each its own folder copy, the same id and secret),
`--teams` teams whose laptops are spread over both hosts. A writer does what a worksheet does as
people type: saves with its author and the base revision it last saw (`Store.save(...,
base=)`), alternating a short answer of its own with a note added to its team's empathy map,
which its teammates on the other host add to at the same time (the store merges those inside
its write transaction), and every second it asks for teammates' saves (`revision()`, then
`heads(team)` when something changed) as a page does. `--pause` is the think time between
saves: 0.1 s makes 16 writers save about 150 times a second, more than a room of 36 pages
typing at once (a page saves at most every 0.6 s).

Printed per store: saves, p50 / p95 / max save latency (all writers, then per host), saves per
second, merges, conflicts, and what was lost: every row counted in the database, every
writer's last answer and every note it added looked up in the final answers. SQLite (one file
both hosts write, which only one machine can do) is the baseline of the same run; PostgreSQL is
a throwaway server on 127.0.0.1 with fsync on (or `--url`, an existing database), reached as a
role that gives its password from PGPASSWORD. "PostgreSQL, before" is the same run with the
save of before (`SAVE_TRIES = 0`: every save against a base reads, merges and writes while
holding the workshop lock). Target: PostgreSQL's save p95 under 20 ms.
Prints, asserts nothing; timings on a shared machine are rough.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, make_url, select

from playbook.answers import store as store_module
from playbook.answers.store import ENV_URL, SaveConflict, Store, revisions, shown_url
from playbook.workshop import Folder, access

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import pg_cluster  # the throwaway PostgreSQL the store tests use

SPAWN = mp.get_context("spawn")  # a fresh interpreter per writer, as a kernel is
HOSTS = ("A", "B")
NOTES = ("empathy_audit", "empathy_map")
CHECK_S = 1.0  # a page's look for teammates' saves
PASSWORD = "bench-s3cret"


@dataclass
class Outcome:
    """What one writer measured and what it expects the store to hold."""

    host: str
    writer: int
    latencies: list[float] = field(default_factory=list)
    merged: int = 0
    conflicts: int = 0
    appended: int = 0
    last: dict[tuple[str, str, str], Any] = field(default_factory=dict)  # its own answers' last values
    notes: list[str] = field(default_factory=list)  # ids of the notes it added


def workshop(folder: Path, teams: int) -> None:
    """A workshop folder with `teams` teams and an explicit id, so that copies share rows."""
    folder.mkdir(parents=True)
    roster = "\n".join(f"  - {{id: t{n:02d}, name: Team {n:02d}}}" for n in range(teams))
    (folder / "workshop.yml").write_text(
        "id: bench-room\nclient: Bench\ntitle: Two hosts\ndate: 2026-11-18\nfacilitator: Bench\n"
        f"exercises: [empathy_audit, fit_assessment]\nteams:\n{roster}\n", encoding="utf-8")


def own_fields(store: Store, seat: int, seats: int) -> list[tuple[str, str]]:
    """The short answers only this laptop of its team types: no scalar conflict by design."""
    fields = [(ex.id, f.id) for ex in store.exercises.values() for f in ex.fields.values() if f.type == "short_text"]
    return fields[seat::seats]


def writer(folder: str, url: str, host: str, number: int, team: str, seat: int, seats: int, saves: int,
           pause: float, tries: int, start: Any, results: Any) -> None:
    """One page's kernel: opens the store as a served page does, waits for the others, saves."""
    os.environ[ENV_URL] = url
    store_module.SAVE_TRIES = tries
    out = Outcome(host, number)
    rng = random.Random(number)
    with Store.for_folder(Folder(folder)) as store:
        mine = own_fields(store, seat, seats)
        limit = getattr(store.exercises[NOTES[0]].fields[NOTES[1]], "max_items", None) or 60
        bases: dict[tuple[str, str], int] = {}
        notes: list[dict[str, Any]] = []
        seen, checked = store.revision(), time.monotonic()
        start.wait(timeout=300)
        for i in range(saves):
            if time.monotonic() - checked >= CHECK_S:  # teammates' saves, as the page looks each second
                checked = time.monotonic()
                if (now := store.revision()) != seen:
                    seen = now
                    heads = store.heads(team)
                    if NOTES in heads:
                        notes = list(heads[NOTES].value or [])
                        bases[NOTES] = heads[NOTES].id
            if i % 2 and len(out.notes) < limit // seats:
                key, note_id = NOTES, f"{host}{number}n{i}"
                notes = [*notes, {"id": note_id, "text": f"heard by writer {number} on host {host}, save {i}",
                                  "tags": {"area": "says", "evidence": "imagined"}}]
                value: Any = notes
            else:
                key, note_id = mine[i % len(mine)], ""
                value = f"{host}{number} answer {i}"
            began = time.perf_counter()
            try:
                rev = store.save(team, key[0], key[1], value, author=f"writer {number}", base=bases.get(key, 0))
            except SaveConflict:
                out.conflicts += 1
                continue
            finally:
                out.latencies.append(time.perf_counter() - began)
            out.appended += rev.author == f"writer {number}"  # else what was stored held all of mine
            bases[key] = rev.id
            if note_id:
                out.merged += {n["id"] for n in rev.value} != {n["id"] for n in value}
                notes = list(rev.value)
                out.notes.append(note_id)
            else:
                out.last[(team, key[0], key[1])] = value
            time.sleep(pause * rng.uniform(0.5, 1.5))
    results.put(out)


def run(url: str, folders: dict[str, Path], args: argparse.Namespace, tries: int) -> tuple[list[Outcome], float]:
    """Every writer of both hosts at once on `url`; their outcomes and the wall time of the saves."""
    per_host, teams = args.writers, [f"t{n:02d}" for n in range(args.teams)]
    total = per_host * len(HOSTS)
    seats = max(1, total // len(teams))
    start, results = SPAWN.Barrier(total + 1), SPAWN.Queue()
    procs = []
    for h, host in enumerate(HOSTS):
        for w in range(per_host):
            number = h * per_host + w
            team = teams[number % len(teams)]  # a team's laptops land on both hosts
            procs.append(SPAWN.Process(target=writer, args=(
                str(folders[host]), url, host, number, team, number // len(teams), seats, args.saves, args.pause,
                tries, start, results)))
    for p in procs:
        p.start()
    start.wait(timeout=300)
    began = time.perf_counter()
    outcomes: list[Outcome] = []
    while len(outcomes) < len(procs):
        try:
            outcomes.append(results.get(timeout=1))
        except queue.Empty:
            if failed := [p.exitcode for p in procs if p.exitcode not in (None, 0)]:
                for p in procs:
                    p.terminate()
                raise SystemExit(f"{len(failed)} writer(s) failed (exit status {failed[0]}): see above") from None
    wall = time.perf_counter() - began
    for p in procs:
        p.join(timeout=60)
    return outcomes, wall


def lost(url: str, folder: Path, outcomes: list[Outcome]) -> tuple[int, int]:
    """(rows in the database, expected items missing from it): rows against the saves that
    appended one, each writer's last answers and every note it added against the final answers."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(revisions)
                                .where(revisions.c.workshop == "bench-room")).scalar_one()
    finally:
        engine.dispose()
    missing = abs(rows - sum(o.appended for o in outcomes))
    os.environ[ENV_URL] = url
    with Store.for_folder(Folder(folder)) as store:
        final = store.latest_all()
    for o in outcomes:
        missing += sum(final.get(t, {}).get(e, {}).get(f) != v for (t, e, f), v in o.last.items())
    by_team: dict[str, set[str]] = {}
    for team, answers in final.items():
        by_team[team] = {n["id"] for n in answers.get(NOTES[0], {}).get(NOTES[1], [])}
    every = set().union(*by_team.values()) if by_team else set()
    missing += sum(note not in every for o in outcomes for note in o.notes)
    return int(rows), missing


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def line(name: str, samples: list[float], wall: float | None = None, extra: str = "") -> str:
    ms = [s * 1000 for s in samples]
    rate = f"{len(samples) / wall:8.0f}" if wall else f"{'':8}"
    return (f"  {name:<22}{len(samples):6d}{statistics.median(ms):9.2f}{pct(ms, 0.95):9.2f}{max(ms):9.2f}"
            f"{rate}  {extra}")


def report(name: str, url: str, folders: dict[str, Path], args: argparse.Namespace,
           tries: int = store_module.SAVE_TRIES) -> float:
    """Run every writer on `url`, print its figures; the p95 in seconds."""
    outcomes, wall = run(url, folders, args, tries)
    rows, missing = lost(url, folders["A"], outcomes)
    every = [s for o in outcomes for s in o.latencies]
    merged, conflicts = sum(o.merged for o in outcomes), sum(o.conflicts for o in outcomes)
    print(line(name, every, wall, f"{merged:6d} {conflicts:9d} {rows:6d} {missing:5d}"))
    for host in HOSTS:
        print(line(f"  through host {host}", [s for o in outcomes if o.host == host for s in o.latencies]))
    return pct(every, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8, help="writer processes per host (two hosts)")
    parser.add_argument("--teams", type=int, default=8, help="teams; their laptops are spread over both hosts")
    parser.add_argument("--saves", type=int, default=60, help="saves per writer")
    parser.add_argument("--pause", type=float, default=0.1, help="think time between a writer's saves, seconds")
    parser.add_argument("--url", help="an existing, empty PostgreSQL database instead of a throwaway server")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as tmp:
        folders = {"A": Path(tmp) / "host-a" / "room", "B": Path(tmp) / "host-b" / "room"}
        workshop(folders["A"], args.teams)
        access.secret(folders["A"])
        shutil.copytree(folders["A"], folders["B"])  # host B's copy: the same id and secret
        print(f"shared store: {len(HOSTS)} hosts x {args.writers} writers (one process and Store each, as a served "
              f"page's kernel), {args.teams} teams, {args.saves} saves each, pause {args.pause:g} s\n")
        print(f"  {'store':<22}{'saves':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'saves/s':>8}"
              f"  {'merged':>6} {'conflicts':>9} {'rows':>6} {'lost':>5}")
        sqlite = f"sqlite:///{Path(tmp) / 'responses.db'}"
        base = report("SQLite (baseline)", sqlite, folders, args)
        cluster = None
        url = args.url
        if url is None:
            cluster = pg_cluster.Cluster(durable=True)
            url = cluster.schema_url(owner=cluster.password_role(PASSWORD))
            os.environ["PGPASSWORD"] = PASSWORD  # inherited by the writers, as kernels inherit it from serve
        try:
            p95 = report("PostgreSQL", url, folders, args)
            if cluster is not None:  # the design before, on an empty schema of the same server
                url_before = cluster.schema_url(owner=make_url(url).username)
                before = report("PostgreSQL, before", url_before, folders, args, tries=0)
        finally:
            if cluster is not None:
                cluster.stop()
        print(f"\n  PostgreSQL: {shown_url(url)}{' (throwaway, fsync on)' if cluster else ''}")
        print(f"  PostgreSQL save p95 {p95 * 1000:.2f} ms: target < 20 ms, ratio {p95 / 0.020:.2f}; "
              f"SQLite p95 {base * 1000:.2f} ms (PostgreSQL / SQLite {p95 / base:.2f}x)")
        if cluster is not None:
            print(f"  before (every merging save under the workshop lock): p95 {before * 1000:.2f} ms, "
                  f"{before / p95:.2f}x today's")


if __name__ == "__main__":
    main()
