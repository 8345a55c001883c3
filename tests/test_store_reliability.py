"""The store under stress: concurrent writers, a writer killed mid-save, random import files
and awkward team names. Real SQLite files, real processes, no mocks; the tests that take a
`store_url` run on PostgreSQL too.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import sqlite3
import string
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from synthetic import write_drill
from test_store import count_rows

from playbook import answers
from playbook.answers import transfer
from playbook.answers.store import Store
from playbook.errors import PlaybookError
from playbook.model import exercises

BUNDLED = ["empathy_audit", "fit_assessment", "enablement"]
# Writers are forked from a server process that imported this module once and opened nothing:
# no inherited connections or locks, and no interpreter that imports the kit again for each
# writer (a spawned one did, 1.2 CPU-s each).
FRESH = mp.get_context("forkserver")
FRESH.set_forkserver_preload([__name__])


def _open(url: str, exercise_file: str, teams: list[str]) -> Store:
    return Store(url, workshop="acme", teams=teams, exercises=[exercises.load_file(exercise_file)])


# --- many writers ---------------------------------------------------------------------


def _writer(url: str, exercise_file: str, worker: int, saves: int, start: Any) -> None:
    """Runs in a child process: waits for the others, then saves `saves` unique values."""
    with _open(url, exercise_file, ["north", "south"]) as store:
        start.wait(timeout=120)
        for i in range(saves):
            store.save(("north", "south")[i % 2], "drill", "name", f"w{worker}-{i}")


@pytest.mark.slow
def test_eight_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    url, exercise_file = f"sqlite:///{tmp_path / 'responses.db'}", str(write_drill(tmp_path))
    _open(url, exercise_file, ["north"]).close()  # create the schema once, as a folder would
    workers, saves = 8, 200
    start = FRESH.Barrier(workers + 1)
    procs = [FRESH.Process(target=_writer, args=(url, exercise_file, w, saves, start)) for w in range(workers)]
    for p in procs:
        p.start()
    start.wait(timeout=120)
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * workers
    with sqlite3.connect(tmp_path / "responses.db") as conn:
        values = Counter(json.loads(v) for (v,) in conn.execute("SELECT value FROM revisions"))
    conn.close()
    assert sum(values.values()) == workers * saves
    assert set(values) == {f"w{w}-{i}" for w in range(workers) for i in range(saves)}
    assert max(values.values()) == 1


def _save_forever(url: str, exercise_file: str, log: str) -> None:
    """Runs in a child process: saves until killed, logging each save once it returned."""
    with _open(url, exercise_file, ["north"]) as store, open(log, "a", encoding="utf-8") as out:
        for i in range(10**9):
            rev = store.save("north", "drill", "notes", [{"text": f"note {i} " + "x" * 500}])
            out.write(f"{rev.id} {i}\n")
            out.flush()  # into the kernel: survives SIGKILL of this process


@pytest.mark.slow
def test_a_writer_killed_mid_save_leaves_a_sound_database(tmp_path: Path) -> None:
    db, log = tmp_path / "responses.db", tmp_path / "returned.log"
    url, exercise_file = f"sqlite:///{db}", str(write_drill(tmp_path))
    proc = FRESH.Process(target=_save_forever, args=(url, exercise_file, str(log)))
    proc.start()
    deadline = time.monotonic() + 60
    while (not log.exists() or log.stat().st_size < 100) and time.monotonic() < deadline:
        assert proc.is_alive(), "the writer died on its own"
        time.sleep(0.02)
    time.sleep(0.5)
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL

    returned = [line.split() for line in log.read_text().splitlines(keepends=True) if line.endswith("\n")]
    assert len(returned) > 10
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        saved = dict(conn.execute("SELECT id, value FROM revisions").fetchall())
    conn.close()
    for rev_id, i in returned:
        assert json.loads(saved[int(rev_id)])[0]["text"].startswith(f"note {i} ")
    with _open(url, exercise_file, ["north"]) as store:  # and it keeps working
        store.save("north", "drill", "name", "after the crash")


def test_threads_can_share_one_store(tmp_path: Path, store_url: str) -> None:
    url = store_url
    errors: list[BaseException] = []
    with _open(url, str(write_drill(tmp_path)), ["north"]) as store:

        def run(k: int) -> None:
            try:
                for i in range(25):
                    store.save("north", "drill", "count", k * 100 + i)
                    store.latest("north")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(store.history("north")) == 100


@pytest.mark.slow
def test_latest_answers_of_a_thousand_teams_all_come_back(tmp_path: Path, store_url: str) -> None:
    """Every team's latest answers at the scale of the store benchmark, whole and as saved; how
    fast is `benchmarks/store_latency.py`'s to say (no timing here)."""
    teams = [f"team-{n:04d}" for n in range(1000)]
    defs = [exercises.load_file(write_drill(tmp_path, name)) for name in ("drill", "drill_b", "drill_c")]
    with Store(store_url, workshop="acme", teams=teams, exercises=defs) as store:
        answers_ = {"name": "Team name", "story": "A story\nwith lines", "rating": 4, "colour": "red",
                    "tools": ["crm", "chat"], "count": 12, "share": 42.5,
                    "notes": [{"text": "heard it", "tags": {"evidence": "heard"}}]}
        store.save_many([(t, ex.id, f, v) for t in teams for ex in defs for f, v in answers_.items()])
        got = store.latest_all()
    assert sorted(got) == teams
    assert all(got[t][ex.id] == answers_ for t in teams for ex in defs)


# --- random import files --------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'responses.db'}"
    with Store(url, workshop="acme", teams=["north", "south"], exercises=BUNDLED) as store:
        store.save("north", "empathy_audit", "self_rating", 3)
        yield store


def _field_ids() -> list[str]:
    return sorted({f for e in exercises.all_exercises() for f in e.fields})


def _option_ids() -> list[str]:
    return sorted({o.id for e in exercises.all_exercises() for f in e.fields.values()
                   for o in getattr(f, "options", [])})


# Deferred: the spawned writers import this module too, and need not load the content.
scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | st.integers(1, 5) | st.deferred(lambda: st.sampled_from(_option_ids())))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6) | st.sampled_from(
        ["text", "tags", "date", "member"]), inner, max_size=4),
    max_leaves=8,
)
teams = st.sampled_from(["north", "south", "west", "", "North"]) | st.text(max_size=6)
exercise_ids = st.sampled_from([*BUNDLED, "drill"]) | st.text(max_size=6)
field_ids = st.deferred(lambda: st.sampled_from(_field_ids())) | st.text(max_size=8)
documents = st.fixed_dictionaries(
    {"format": st.sampled_from([answers.FORMAT, answers.FORMAT, "playbook-answers/2", None]),
     "teams": st.dictionaries(teams, st.dictionaries(exercise_ids, st.dictionaries(field_ids, values,
                                                                                   max_size=4), max_size=2),
                              max_size=2)},
    optional={"workshop": st.text(max_size=5), "exported": st.text(max_size=5), "extra": values},
)


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    return json.dumps(value)


csv_rows = st.lists(st.tuples(teams, exercise_ids, field_ids, values.map(_cell) | st.text(max_size=10)), max_size=6)
junk = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(string.punctuation + ":-{}[],\n ")),
               max_size=80)
# Pieces of answers files, to reach the checks behind the YAML parser.
YAML_BITS = [
    "format: playbook-answers/1\n", "teams:\n", "  north:\n", "  west:\n", "    empathy_audit:\n",
    "    enablement:\n", "      self_rating: ", "      persona: ", "      raci: ", "      segments: ",
    "2026-13-45", "2026-10-02", ".inf", ".nan", "1e999", "0x1F", "!!binary x", "!!python/name:os.system",
    "&a ", "*a", "<<: ", "{", "}", "[", "]", "- ", "\t", '"', "'", "\\ud800", "null", "~", "? ",
    "%YAML 1.1\n", "---\n", "...\n", "3", "\n", " ", ",", ": ",
]
yaml_junk = st.lists(st.sampled_from(YAML_BITS) | st.text(max_size=4), max_size=30).map("".join)


@st.composite
def import_files(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["json", "yml", "csv", "junk", "yaml_junk"]))
    if kind == "yaml_junk":
        return ".yml", draw(yaml_junk).encode("utf-8", "surrogatepass")
    if kind == "json":
        return ".json", json.dumps(draw(documents), ensure_ascii=draw(st.booleans())).encode()
    if kind == "yml":
        return ".yml", yaml.safe_dump(draw(documents), allow_unicode=True).encode()
    if kind == "csv":
        header = draw(st.sampled_from(["team,exercise,field,value", "\ufeffteam;exercise;field;value",
                                       "team,field,value", ""]))
        delimiter = ";" if ";" in header else ","
        lines = [header] + [delimiter.join(_quote(c, delimiter) for c in row) for row in draw(csv_rows)]
        return ".csv", "\n".join(lines).encode("utf-8", "surrogatepass")  # st.text may hold lone surrogates
    raw = draw(junk.map(str.encode) | st.binary(max_size=60))
    return draw(st.sampled_from([".json", ".yml", ".csv"])), raw


def _quote(cell: str, delimiter: str) -> str:
    if any(c in cell for c in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


ANSWERS_HEAD = "format: playbook-answers/1\nteams:\n  north:\n    empathy_audit:\n"


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(upload=import_files())
# Files that once got past the checks with a raw exception: keep trying them every run.
@example(upload=(".yml", b"2026-13-45"))
@example(upload=(".yml", (ANSWERS_HEAD + "      persona: 2026-02-30 10:00:00\n").encode()))
@example(upload=(".yml", b"a: &a [*a, *a]"))
@example(upload=(".yml", b"[" * 1100))
@example(upload=(".yml", (ANSWERS_HEAD + "      conversations_30: 1" + "0" * 5000).encode()))
@example(upload=(".json", b'{"format": "playbook-answers/1", "teams": {"north": '
                          b'{"empathy_audit": {"conversations_30": 1e999}}}}'))
@example(upload=(".yml", (ANSWERS_HEAD + "      self_rating: .inf\n").encode()))
@example(upload=(".csv", b"team,exercise,field,value\nnorth,empathy_audit,self_rating,inf\n"))
@example(upload=(".csv", b"\xff\xfeteam,exercise,field,value\n"))
def test_a_random_import_file_is_saved_whole_or_refused_cleanly(bundled_store: Store, upload: tuple[str, bytes]) -> None:
    suffix, content = upload
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        before = (bundled_store.revision(), count_rows(str(bundled_store.url)), bundled_store.latest_all())
        try:
            written = transfer.import_file(bundled_store, path)
        except PlaybookError as exc:
            event(f"refused {suffix}")
            assert exc.message  # says something, and nothing changed
            after = (bundled_store.revision(), count_rows(str(bundled_store.url)), bundled_store.latest_all())
            assert after == before
        else:
            event(f"saved {suffix}")
            assert count_rows(str(bundled_store.url)) == before[1] + written


# --- awkward team names ---------------------------------------------------------------

ODD_TEAMS = [
    "o'brien \"the quoted\"",
    "a/b\\c",
    "..",
    "../../etc/passwd",
    "🎉 party 🎉",
    "北方团队",
    "x" * 300,
    "semi;colon,comma",
    "two\nlines",
    "'); DROP TABLE revisions; --",
    "null",
    "yes",
    "123",
    "%_wildcards_%",
]


@pytest.mark.parametrize("suffix", [".json", ".yml", ".csv"])
def test_any_team_name_works_end_to_end(tmp_path: Path, new_store_url: Callable[..., str], suffix: str) -> None:
    kw: dict[str, Any] = {"workshop": "acme", "teams": ODD_TEAMS, "exercises": BUNDLED}
    with Store(new_store_url("a"), **kw) as store:
        for n, team in enumerate(ODD_TEAMS):
            store.save(team, "empathy_audit", "self_rating", n % 5 + 1)
            store.save(team, "empathy_audit", "persona", f"persona of {team[:50]}")
        expected = {t: {"empathy_audit": {"self_rating": n % 5 + 1, "persona": f"persona of {t[:50]}"}}
                    for n, t in enumerate(ODD_TEAMS)}
        assert store.latest_all() == expected
        assert all(store.latest(t) == expected[t] for t in ODD_TEAMS)
        assert len(store.history("%_wildcards_%")) == 2
        path = transfer.export_file(store, tmp_path / f"export{suffix}")
    with Store(new_store_url("b"), **kw) as again:
        assert transfer.import_file(again, path) == 2 * len(ODD_TEAMS)
        assert again.latest_all() == expected
