"""The response store: saving, reading, history, restore, validation, migrations and the errors
a user sees. Every test that takes a store runs on SQLite and on a real PostgreSQL (conftest's
`store_url`), except the SQLite and PostgreSQL specifics at the end. The definition is the
synthetic tests/data/drill.yml (conftest's `drill`), so nothing here depends on the bundled content.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ports
import pytest
from sqlalchemy import create_engine, inspect, text

from playbook.answers.store import SCHEMA_VERSION, Store, _store_error
from playbook.errors import AnswersError, PlaybookError, StoreError
from playbook.model import exercises
from playbook.workshop import Folder

TEAMS = ["north", "south"]


def count_rows(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM revisions")).scalar_one())
    finally:
        engine.dispose()


MakeStore = Callable[..., Store]  # conftest's make_store: a Store on drill.yml, teams north and south


# --- saving and reading ---------------------------------------------------------------

GOOD = [
    ("name", "Ana's team", "Ana's team"),
    ("story", "línea 1\nline 2 — 你好 🎉", "línea 1\nline 2 — 你好 🎉"),
    ("rating", 4.0, 4),
    ("colour", "blue", "blue"),
    ("tools", ["chat", "crm"], ["chat", "crm"]),
    ("checks", [], []),
    ("order", ["z", "x"], ["z", "x"]),
    ("count", 12, 12),
    ("share", 12, 12.0),
    ("notes", ["plain", {"text": "t", "tags": {"evidence": "heard"}, "date": dt.date(2026, 3, 1)}],
     [{"text": "plain", "tags": {}}, {"text": "t", "tags": {"evidence": "heard"}, "date": "2026-03-01"}]),
    ("raci", {"plan": {"ann": "r", "bo": ""}, "ship": {}}, {"plan": {"ann": "r"}}),
]


@pytest.mark.parametrize(("field", "given", "stored"), GOOD, ids=[g[0] for g in GOOD])
def test_save_stores_the_canonical_value(store: Store, field: str, given: Any, stored: Any) -> None:
    rev = store.save("north", "drill", field, given, author="ana")
    assert (rev.team, rev.exercise, rev.field, rev.value, rev.author) == ("north", "drill", field, stored, "ana")
    assert store.latest("north") == {"drill": {field: stored}}
    assert store.history("north")[-1] == rev


def test_latest_gives_the_newest_value_per_field(store: Store) -> None:
    store.save("north", "drill", "rating", 2)
    store.save("north", "drill", "rating", 5)
    store.save("north", "drill", "colour", "red")
    store.save("south", "drill", "rating", 1)
    assert store.latest("north") == {"drill": {"rating": 5, "colour": "red"}}
    assert store.latest_all() == {
        "north": {"drill": {"rating": 5, "colour": "red"}},
        "south": {"drill": {"rating": 1}},
    }
    assert list(store.latest("north")["drill"]) == ["rating", "colour"]  # definition order


def test_a_new_store_is_empty(store: Store) -> None:
    assert store.latest("north") == {}
    assert store.latest_all() == {}
    assert store.history("north") == []
    assert store.revision() == 0


def test_none_clears_a_field_and_keeps_its_history(store: Store) -> None:
    store.save("north", "drill", "name", "Ana")
    cleared = store.save("north", "drill", "name", None)
    assert cleared.value is None
    assert store.latest("north") == {}
    assert [r.value for r in store.history("north", "drill", "name")] == ["Ana", None]


def test_revision_grows_with_every_save(store: Store) -> None:
    seen = [store.revision()]
    for value in (1, 2, 2):
        store.save("north", "drill", "rating", value)
        seen.append(store.revision())
    assert seen == sorted(set(seen))


def test_revision_records_time_and_order(store: Store) -> None:
    before = dt.datetime.now(dt.UTC)
    a = store.save("north", "drill", "rating", 3)
    b = store.save("south", "drill", "rating", 4)
    assert b.id > a.id
    assert a.created_at.tzinfo is not None
    assert before <= a.created_at <= b.created_at <= dt.datetime.now(dt.UTC)


def test_history_filters_by_exercise_and_field(store: Store) -> None:
    store.save("north", "drill", "rating", 3)
    store.save("north", "drill", "name", "x")
    store.save("north", "drill", "rating", 4)
    store.save("south", "drill", "rating", 1)
    assert [r.value for r in store.history("north")] == [3, "x", 4]
    assert [r.value for r in store.history("north", "drill", "rating")] == [3, 4]
    assert store.history("north", "other") == []


def test_save_many_writes_all_in_one_go(store: Store, store_url: str) -> None:
    revs = store.save_many([("north", "drill", "rating", 2), ("south", "drill", "name", "S")], author="import")
    assert len({r.created_at for r in revs}) == 1
    assert [r.id for r in revs] == sorted(r.id for r in revs)
    assert count_rows(store_url) == 2
    assert store.save_many([]) == []


def test_save_many_writes_nothing_when_one_row_is_bad(store: Store, store_url: str) -> None:
    store.save("north", "drill", "rating", 2)
    with pytest.raises(AnswersError, match="out of range"):
        store.save_many([("north", "drill", "rating", 3), ("south", "drill", "rating", 9)])
    assert count_rows(store_url) == 1
    assert store.latest("north") == {"drill": {"rating": 2}}


def test_data_survives_reopening(make_store: MakeStore) -> None:
    with make_store() as first:
        first.save("north", "drill", "tools", ["wiki"])
    assert make_store().latest("north") == {"drill": {"tools": ["wiki"]}}


def test_workshops_sharing_a_database_do_not_see_each_other(make_store: MakeStore) -> None:
    a, b = make_store(workshop="a"), make_store(workshop="b")
    a.save("north", "drill", "rating", 1)
    b.save("north", "drill", "rating", 5)
    assert a.latest("north") == {"drill": {"rating": 1}}
    assert b.latest_all() == {"north": {"drill": {"rating": 5}}}
    assert len(a.history("north")) == 1


def test_teams_and_exercises_that_left_the_workshop_are_hidden_not_lost(make_store: MakeStore) -> None:
    make_store(teams=["north", "gone"]).save("gone", "drill", "rating", 3)
    assert make_store(teams=["north"]).latest_all() == {}
    assert make_store(teams=["north", "gone"]).latest("gone") == {"drill": {"rating": 3}}


# --- restore --------------------------------------------------------------------------


def test_restore_to_a_revision_appends_the_old_values(store: Store, store_url: str) -> None:
    store.save("north", "drill", "rating", 2)
    point = store.save("north", "drill", "name", "first")
    store.save("north", "drill", "rating", 5)
    store.save("north", "drill", "name", None)
    store.save("north", "drill", "tools", ["crm"])  # answered after the point: cleared
    store.save("south", "drill", "rating", 4)
    rows = count_rows(store_url)

    written = store.restore("north", point.id, author="facilitator")

    assert store.latest("north") == {"drill": {"rating": 2, "name": "first"}}
    assert {(r.field, r.value) for r in written} == {("rating", 2), ("name", "first"), ("tools", None)}
    assert {r.author for r in written} == {"facilitator"}
    assert count_rows(store_url) == rows + 3  # append-only: nothing deleted
    assert store.latest("south") == {"drill": {"rating": 4}}


def test_restore_to_a_time_and_undo_it(store: Store) -> None:
    store.save("north", "drill", "rating", 1)
    point = store.save("north", "drill", "colour", "red").created_at
    time.sleep(0.002)
    store.save("north", "drill", "rating", 3)
    later = store.revision()
    store.restore("north", point)
    assert store.latest("north") == {"drill": {"rating": 1, "colour": "red"}}
    store.restore("north", later)  # a restore is itself undone by restoring
    assert store.latest("north") == {"drill": {"rating": 3, "colour": "red"}}


def test_restore_to_the_beginning_clears_everything(store: Store) -> None:
    store.save("north", "drill", "rating", 1)
    store.restore("north", 0)
    assert store.latest("north") == {}
    assert store.restore("north", 0) == []  # nothing left to change


def test_restore_with_a_naive_time_means_local_time(store: Store) -> None:
    store.save("north", "drill", "rating", 1)
    store.restore("north", dt.datetime.now() - dt.timedelta(hours=1))
    assert store.latest("north") == {}


# --- validation: a rejected save writes nothing ---------------------------------------

BAD = [
    # team, exercise, field, value, words in the message
    ("west", "drill", "rating", 3, "team 'west' is not in this workshop"),
    ("north", "audit", "rating", 3, "exercise 'audit' is not part of this workshop"),
    ("north", "drill", "ratin", 3, "has no field 'ratin'"),
    ("north", "drill", "rating", "4", "expected a whole number"),
    ("north", "drill", "rating", 0, "out of range"),
    ("north", "drill", "rating", 6, "out of range"),
    ("north", "drill", "rating", 3.5, "expected a whole number"),
    ("north", "drill", "rating", True, "expected a whole number"),
    ("north", "drill", "colour", "purple", "not one of the options"),
    ("north", "drill", "tools", ["crm", "fax"], "not among the options"),
    ("north", "drill", "tools", "crm", "expected a list"),
    ("north", "drill", "order", ["x", "x"], "listed twice"),
    ("north", "drill", "count", -1, "out of range"),
    ("north", "drill", "count", 2.5, "whole number"),
    ("north", "drill", "share", float("nan"), "not a number that can be stored"),
    ("north", "drill", "share", float("inf"), "not a number that can be stored"),
    ("north", "drill", "count", 10**400, "too large"),
    ("north", "drill", "name", 42, "expected text"),
    ("north", "drill", "name", "x" * 401, "at most 400"),
    ("north", "drill", "name", "bad \ud800 text", "not valid Unicode"),
    ("north", "drill", "notes", [{"text": "t", "tags": {"evidence": "guessed"}}], "not one of"),
    ("north", "drill", "notes", [{"text": "t", "date": "31/12/2026"}], "not a date"),
    ("north", "drill", "raci", {"launch": {"ann": "r"}}, "unknown row"),
    ("north", "drill", "raci", [1], "expected a mapping"),
]


@pytest.mark.parametrize(("team", "exercise", "field", "value", "words"), BAD, ids=[b[4] for b in BAD])
def test_a_rejected_save_writes_nothing(
    store: Store, store_url: str, team: str, exercise: str, field: str, value: Any, words: str
) -> None:
    store.save("north", "drill", "rating", 2)
    with pytest.raises(AnswersError) as caught:
        store.save(team, exercise, field, value)
    assert words in caught.value.what
    assert caught.value.team == team  # says where: the team and the field
    assert count_rows(store_url) == 1
    assert store.latest_all() == {"north": {"drill": {"rating": 2}}}


def test_an_error_says_what_fits(store: Store) -> None:
    with pytest.raises(AnswersError) as caught:
        store.save("north", "drill", "colour", "purple")
    assert caught.value.field == "drill.colour"
    assert "red, blue, green" in caught.value.message
    with pytest.raises(AnswersError, match="did you mean 'rating'"):
        store.save("north", "drill", "ratin", 3)


def test_reading_an_unknown_team_is_an_error(store: Store) -> None:
    for read in (store.latest, store.history):
        with pytest.raises(AnswersError, match="not in this workshop"):
            read("west")
    with pytest.raises(AnswersError):
        store.restore("west", 0)


# --- schema versions ------------------------------------------------------------------


def test_a_new_store_records_every_migration_and_has_every_index(store: Store, store_url: str) -> None:
    engine = create_engine(store_url)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
        indexes = {i["name"]: i["column_names"] for table in ("revisions", "workshop_state")
                   for i in inspect(conn).get_indexes(table)}
    engine.dispose()
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert indexes == {"ix_revisions_field": ["workshop", "team", "exercise", "field", "id"],
                       "ix_revisions_workshop_id": ["workshop", "id"],
                       "ix_workshop_state_name": ["workshop", "name", "id"]}


def test_a_store_from_a_newer_kit_is_refused(make_store: MakeStore, store_url: str) -> None:
    make_store().save("north", "drill", "rating", 3)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')"))
    engine.dispose()
    with pytest.raises(StoreError) as caught:
        make_store()
    assert "newer version of the kit" in caught.value.what
    assert "upgrade" in (caught.value.fix or "")
    assert count_rows(store_url) == 1


# --- SQLite specifics: the file, its pragmas and its errors ------------------------------

# The schema exactly as release 1 (schema version 1) wrote it: a later kit must open it.
V1_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (version));
CREATE TABLE revisions (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, workshop VARCHAR(200) NOT NULL,
    team TEXT NOT NULL, exercise VARCHAR(100) NOT NULL, field VARCHAR(100) NOT NULL,
    value TEXT, author TEXT, created_at VARCHAR(40) NOT NULL);
CREATE INDEX ix_revisions_field ON revisions (workshop, team, exercise, field, id);
INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00.000000+00:00');
INSERT INTO revisions (workshop, team, exercise, field, value, author, created_at) VALUES
    ('acme', 'north', 'drill', 'rating', '2', 'ana', '2026-01-01T09:00:00.000000+00:00'),
    ('acme', 'north', 'drill', 'rating', '4', NULL, '2026-01-01T09:05:00.000000+00:00'),
    ('acme', 'south', 'drill', 'tools', '["wiki","crm"]', NULL, '2026-01-01T09:06:00.000000+00:00');
"""


@pytest.mark.sqlite_only
def test_a_version_1_database_opens_and_upgrades(tmp_path: Path, make_store: MakeStore) -> None:
    db = tmp_path / "responses.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(V1_SCHEMA)
    conn.close()
    store = make_store()
    assert store.latest_all() == {"north": {"drill": {"rating": 4}}, "south": {"drill": {"tools": ["wiki", "crm"]}}}
    assert store.history("north")[0].author == "ana"
    assert store.save("north", "drill", "rating", 5).id == 4
    with sqlite3.connect(db) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")]
        indexes = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert "ix_revisions_workshop_id" in indexes


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(store: Store) -> None:
    with store._engine.connect() as conn:
        pragma = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in
                  ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")}
    assert pragma == {"journal_mode": "wal", "busy_timeout": 10_000, "foreign_keys": 1, "synchronous": 2}


@pytest.mark.sqlite_only
def test_a_corrupt_file_is_a_store_error(tmp_path: Path, make_store: MakeStore) -> None:
    db = tmp_path / "responses.db"
    db.write_bytes(b"this is not SQLite, just a file that happens to have the name" * 100)
    with pytest.raises(StoreError) as caught:
        make_store()
    assert caught.value.what == "not a database file"
    assert caught.value.file == str(db)
    assert "move the file aside" in (caught.value.fix or "")


@pytest.mark.sqlite_only
def test_a_file_damaged_after_opening_is_a_store_error(tmp_path: Path, make_store: MakeStore) -> None:
    store = make_store()
    store.save("north", "drill", "rating", 3)
    store.close()
    db = tmp_path / "responses.db"
    for extra in tmp_path.glob("responses.db-*"):
        extra.unlink()
    db.write_bytes(b"\0" * db.stat().st_size)
    with pytest.raises(StoreError):
        store.latest("north")


@pytest.mark.sqlite_only
def test_a_locked_database_is_a_store_error(store_url: str, tmp_path: Path, make_store: MakeStore) -> None:
    store = make_store(busy_timeout=0.2)
    blocker = sqlite3.connect(tmp_path / "responses.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as caught:
            store.save("north", "drill", "rating", 3)
        assert caught.value.what == "the database stayed locked for 0.2 s by another program"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert count_rows(store_url) == 0
    store.save("north", "drill", "rating", 3)


@pytest.mark.sqlite_only
def test_a_missing_folder_is_a_store_error(tmp_path: Path, make_store: MakeStore) -> None:
    with pytest.raises(StoreError, match="cannot open the database file"):
        make_store(url=f"sqlite:///{tmp_path / 'nowhere' / 'responses.db'}")


@pytest.mark.parametrize(("url", "words"), [
    ("not a url", "not a database URL"),
    ("postgresql+nosuchdriver://host/db", "no database driver"),
])
def test_a_bad_url_is_a_store_error(make_store: MakeStore, url: str, words: str) -> None:
    with pytest.raises(StoreError, match=words):
        make_store(url=url)


@pytest.mark.parametrize(("message", "what"), [
    ("database is locked", "locked for 10 s"),
    ("database or disk is full", "the disk is full; nothing was saved"),
    ("disk I/O error", "the disk failed"),
    ("file is not a database", "not a database file"),
    ("database disk image is malformed", "damaged"),
    ("attempt to write a readonly database", "read-only"),
    ("something new", "the response store failed: something new"),
])
def test_sqlite_errors_become_store_errors(message: str, what: str) -> None:
    from sqlalchemy import make_url

    err = _store_error(sqlite3.OperationalError(message), make_url("sqlite:////w/responses.db"), 10)
    assert isinstance(err, StoreError)
    assert what in err.what
    assert err.file == "/w/responses.db"


def test_a_password_never_appears_in_an_error() -> None:
    from sqlalchemy import make_url

    err = _store_error(OSError("refused"), make_url("postgresql+psycopg://u:secret@db/x"), 10)
    assert "secret" not in err.message


# --- the workshop folder --------------------------------------------------------------

WORKSHOP = """\
id: demo
client: Acme
title: Store test
date: 2026-11-18
facilitator: Marta
teams:
  - {id: north, name: North}
  - {id: south, name: South}
exercises: [empathy_audit]
"""


@pytest.fixture
def folder(tmp_path: Path) -> Folder:
    try:
        exercises.get("empathy_audit")
    except PlaybookError as exc:  # pragma: no cover - the bundled content is broken
        pytest.fail(f"the bundled exercises do not load: {exc}")
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "workshop.yml").write_text(WORKSHOP, encoding="utf-8")
    return Folder(tmp_path / "ws")


def test_a_folder_store_lives_in_responses_db(folder: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLAYBOOK_STORE_URL", raising=False)
    with Store.for_folder(folder) as store:
        assert (store.workshop, store.teams, list(store.exercises)) == ("demo", TEAMS, ["empathy_audit"])
    assert folder.db_path.is_file()


def test_the_environment_can_point_a_folder_at_a_shared_store(
    folder: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared.db"
    monkeypatch.setenv("PLAYBOOK_STORE_URL", f"sqlite:///{shared}")
    with Store.for_folder(folder) as store:
        assert store.latest_all() == {}
    assert shared.is_file()
    assert not folder.db_path.exists()


# --- PostgreSQL specifics: the server, threads and the workshop lock ---------------------


@pytest.mark.postgresql_only
def test_the_server_is_postgresql(store: Store) -> None:
    assert store._engine.dialect.name == "postgresql"


def test_an_unreachable_server_is_a_store_error(drill: exercises.Exercise) -> None:
    pytest.importorskip("psycopg", reason="the PostgreSQL driver is missing: pip install 'psycopg[binary]'")
    with ports.reserved() as port, pytest.raises(StoreError) as caught:  # held: nothing listens on it
        Store(f"postgresql+psycopg://postgres:secret@127.0.0.1:{port}/nothing", workshop="w", teams=["north"],
              exercises=[drill])
    assert "the response store failed" in caught.value.what
    assert "secret" not in caught.value.message
    assert "PLAYBOOK_STORE_URL" in (caught.value.fix or "")


@pytest.mark.postgresql_only
def test_threads_save_at_once(store: Store) -> None:
    def run(k: int) -> None:
        for i in range(25):
            store.save("north", "drill", "count", k * 100 + i)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.value for r in store.history("north")) == sorted(k * 100 + i for k in range(4) for i in range(25))
    assert store.revision() == max(r.id for r in store.history("north"))


@pytest.mark.postgresql_only
def test_a_writer_holding_the_workshop_lock_is_a_store_error(make_store: MakeStore, store_url: str) -> None:
    impatient = make_store(busy_timeout=0.2)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('playbook:acme'))"))
        with pytest.raises(StoreError, match=r"locked for 0\.2 s"):
            impatient.save("north", "drill", "rating", 3)
    engine.dispose()
    impatient.save("north", "drill", "rating", 3)
    assert count_rows(store_url) == 1
