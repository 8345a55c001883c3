"""One workshop served from two hosts through one store: 8 writers on each of two serve processes.

    python benchmarks/shared_store.py [--writers 8] [--teams 8] [--saves 60] [--pause 0.1] [--rounds 3] [--url URL]

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
holding the workshop lock). The writer processes start once; each of `--rounds` rounds runs
every store once, in a rotating order, each on an empty database and a workshop of its own,
so that a machine busy with other work weighs on all of them alike: the figures pool the
rounds, and each round's p95 is printed too. Target: PostgreSQL's save p95 under 20 ms.
Prints, asserts nothing; timings on a shared machine are rough.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import queue
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
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
    """What one writer measured in one run and what it expects the store to hold."""

    host: str
    writer: int
    latencies: list[float] = field(default_factory=list)
    merged: int = 0
    conflicts: int = 0
    appended: int = 0
    last: dict[tuple[str, str, str], Any] = field(default_factory=dict)  # its own answers' last values
    notes: list[str] = field(default_factory=list)  # ids of the notes it added


@dataclass(frozen=True)
class Task:
    """One run for every writer: the store, the hosts' folders, the save of today or before."""

    url: str
    folders: dict[str, str]
    tries: int
    saves: int
    pause: float


def workshop(folders: dict[str, Path], teams: int, workshop_id: str) -> None:
    """The workshop on host A and its copy on host B: an explicit id and the same secret."""
    folders["A"].mkdir(parents=True)
    roster = "\n".join(f"  - {{id: t{n:02d}, name: Team {n:02d}}}" for n in range(teams))
    (folders["A"] / "workshop.yml").write_text(
        f"id: {workshop_id}\nclient: Bench\ntitle: Two hosts\ndate: 2026-11-18\nfacilitator: Bench\n"
        f"exercises: [empathy_audit, fit_assessment]\nteams:\n{roster}\n", encoding="utf-8")
    access.secret(folders["A"])
    shutil.copytree(folders["A"], folders["B"])


def own_fields(store: Store, seat: int, seats: int) -> list[tuple[str, str]]:
    """The short answers only this laptop of its team types: no scalar conflict by design."""
    fields = [(ex.id, f.id) for ex in store.exercises.values() for f in ex.fields.values() if f.type == "short_text"]
    return fields[seat::seats]


def write(task: Task, host: str, number: int, team: str, seat: int, seats: int, start: Any) -> Outcome:
    """One page's kernel in one run: opens the store as a served page does, waits for the
    others, then saves as people type."""
    os.environ[ENV_URL] = task.url
    store_module.SAVE_TRIES = task.tries
    out = Outcome(host, number)
    rng = random.Random(number)
    with Store.for_folder(Folder(task.folders[host])) as store:
        mine = own_fields(store, seat, seats)
        limit = getattr(store.exercises[NOTES[0]].fields[NOTES[1]], "max_items", None) or 60
        bases: dict[tuple[str, str], int] = {}
        notes: list[dict[str, Any]] = []
        seen, checked = store.revision(), time.monotonic()
        start.wait(timeout=300)
        for i in range(task.saves):
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
            time.sleep(task.pause * rng.uniform(0.5, 1.5))
    return out


def writer(host: str, number: int, team: str, seat: int, seats: int, tasks: Any, start: Any, results: Any) -> None:
    """A writer process: one run per task until told to stop (None); a failure is sent back as
    its traceback, and stops the others waiting to start."""
    while (task := tasks.get()) is not None:
        try:
            results.put(write(task, host, number, team, seat, seats, start))
        except BaseException:
            start.abort()
            results.put(f"writer {number} on host {host}:\n{traceback.format_exc()}")
            return


class Room:
    """`--writers` writer processes per host, started once for every run."""

    def __init__(self, args: argparse.Namespace) -> None:
        teams = [f"t{n:02d}" for n in range(args.teams)]
        total = args.writers * len(HOSTS)
        seats = max(1, total // len(teams))
        self.start, self.results = SPAWN.Barrier(total + 1), SPAWN.Queue()
        self.tasks = [SPAWN.Queue() for _ in range(total)]
        self.procs = []
        for number in range(total):
            host = HOSTS[number // args.writers]
            team = teams[number % len(teams)]  # a team's laptops land on both hosts
            self.procs.append(SPAWN.Process(target=writer, args=(
                host, number, team, number // len(teams), seats, self.tasks[number], self.start, self.results)))
        for p in self.procs:
            p.start()

    def run(self, task: Task) -> tuple[list[Outcome], float]:
        """Every writer of both hosts at once; their outcomes and the wall time of the saves."""
        for tasks in self.tasks:
            tasks.put(task)
        with contextlib.suppress(threading.BrokenBarrierError):  # a writer failed: its traceback follows
            self.start.wait(timeout=300)
        began = time.perf_counter()
        outcomes: list[Outcome] = []
        while len(outcomes) < len(self.procs):
            try:
                got = self.results.get(timeout=1)
            except queue.Empty:
                if failed := [p.exitcode for p in self.procs if p.exitcode is not None]:
                    raise SystemExit(f"{len(failed)} writer(s) died (exit status {failed[0]})") from None
                continue
            if isinstance(got, str):
                raise SystemExit(got)
            outcomes.append(got)
        return outcomes, time.perf_counter() - began

    def close(self) -> None:
        for tasks in self.tasks:
            tasks.put(None)
        self.start.abort()  # a writer still waiting for a run that will not start
        for p in self.procs:
            p.join(timeout=30)
            if p.is_alive():
                p.terminate()


def lost(task: Task, outcomes: list[Outcome]) -> tuple[int, int]:
    """(rows in the database, expected items missing from it): rows against the saves that
    appended one, each writer's last answers and every note it added against the final answers."""
    os.environ[ENV_URL] = task.url
    with Store.for_folder(Folder(task.folders["A"])) as store:
        final = store.latest_all()
        workshop_id = store.workshop
    engine = create_engine(task.url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(revisions)
                                .where(revisions.c.workshop == workshop_id)).scalar_one()
    finally:
        engine.dispose()
    missing = abs(rows - sum(o.appended for o in outcomes))
    for o in outcomes:
        missing += sum(final.get(t, {}).get(e, {}).get(f) != v for (t, e, f), v in o.last.items())
    kept = {n["id"] for answers in final.values() for n in answers.get(NOTES[0], {}).get(NOTES[1], [])}
    missing += sum(note not in kept for o in outcomes for note in o.notes)
    return int(rows), missing


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass
class Figures:
    """One store's runs, pooled over the rounds."""

    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    wall: float = 0.0
    rows: int = 0
    missing: int = 0
    p95s: list[float] = field(default_factory=list)  # each round's

    def samples(self, host: str | None = None) -> list[float]:
        return [s for o in self.outcomes if host in (None, o.host) for s in o.latencies]


def line(name: str, samples: list[float], rate: str = "", extra: str = "") -> str:
    ms = [s * 1000 for s in samples]
    return (f"  {name:<22}{len(samples):6d}{statistics.median(ms):9.2f}{pct(ms, 0.95):9.2f}{max(ms):9.2f}"
            f"{rate:>8}  {extra}")


def show(fig: Figures) -> None:
    merged, conflicts = sum(o.merged for o in fig.outcomes), sum(o.conflicts for o in fig.outcomes)
    rate = f"{len(fig.samples()) / fig.wall:.0f}"
    rounds = ", ".join(f"{p * 1000:.1f}" for p in fig.p95s)
    print(line(fig.name, fig.samples(), rate, f"{merged:6d} {conflicts:9d} {fig.rows:6d} {fig.missing:5d}"
                                              f"   p95 per round: {rounds} ms"))
    for host in HOSTS:
        print(line(f"  through host {host}", fig.samples(host)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8, help="writer processes per host (two hosts)")
    parser.add_argument("--teams", type=int, default=8, help="teams; their laptops are spread over both hosts")
    parser.add_argument("--saves", type=int, default=60, help="saves per writer and run")
    parser.add_argument("--pause", type=float, default=0.1, help="think time between a writer's saves, seconds")
    parser.add_argument("--rounds", type=int, default=3, help="runs of every store, in a rotating order")
    parser.add_argument("--url", help="an existing PostgreSQL database instead of a throwaway server "
                                      "(each run adds a workshop of its own)")
    args = parser.parse_args()

    cluster = None
    if args.url is None:
        cluster = pg_cluster.Cluster(durable=True)
        role = cluster.password_role(PASSWORD)
        os.environ["PGPASSWORD"] = PASSWORD  # inherited by the writers, as kernels inherit it from serve
    runs = count()
    room = None
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as tmp:

        def sqlite() -> str:
            return f"sqlite:///{Path(tmp) / f'responses-{next(runs)}.db'}"

        def postgresql() -> str:
            return cluster.schema_url(owner=role) if cluster is not None else args.url

        stores: list[tuple[Figures, Callable[[], str], int]] = [
            (Figures("SQLite (baseline)"), sqlite, store_module.SAVE_TRIES),
            (Figures("PostgreSQL"), postgresql, store_module.SAVE_TRIES),
            (Figures("PostgreSQL, before"), postgresql, 0),
        ]
        try:
            print(f"shared store: {len(HOSTS)} hosts x {args.writers} writers (one process and Store each, as a "
                  f"served page's kernel), {args.teams} teams, {args.saves} saves each, pause {args.pause:g} s, "
                  f"{args.rounds} rounds")
            room = Room(args)
            for r in range(args.rounds):
                for fig, url, tries in stores[r % len(stores):] + stores[:r % len(stores)]:
                    n = next(runs)
                    folders = {h: Path(tmp) / f"run{n}" / f"host-{h.lower()}" / "room" for h in HOSTS}
                    workshop(folders, args.teams, f"bench-{n}")
                    task = Task(url(), {h: str(f) for h, f in folders.items()}, tries, args.saves, args.pause)
                    outcomes, wall = room.run(task)
                    rows, missing = lost(task, outcomes)
                    fig.outcomes += outcomes
                    fig.wall += wall
                    fig.rows += rows
                    fig.missing += missing
                    fig.p95s.append(pct([s for o in outcomes for s in o.latencies], 0.95))
            print(f"\n  {'store':<22}{'saves':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'saves/s':>8}"
                  f"  {'merged':>6} {'conflicts':>9} {'rows':>6} {'lost':>5}")
            for fig, _, _ in stores:
                show(fig)
        finally:
            if room is not None:
                room.close()
            if cluster is not None:
                cluster.stop()
    base, today, before = (pct(fig.samples(), 0.95) for fig, _, _ in stores)
    where = "a throwaway server on 127.0.0.1, fsync on" if cluster else shown_url(make_url(args.url))
    print(f"\n  PostgreSQL: {where}")
    print(f"  PostgreSQL save p95 {today * 1000:.2f} ms: target < 20 ms, ratio {today / 0.020:.2f}; "
          f"SQLite p95 {base * 1000:.2f} ms (PostgreSQL / SQLite {today / base:.2f}x)")
    print(f"  before (every save against a base merged under the workshop lock): p95 {before * 1000:.2f} ms, "
          f"{before / today:.2f}x today's")


if __name__ == "__main__":
    main()
