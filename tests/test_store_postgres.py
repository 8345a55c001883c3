"""The backend-neutral store tests again, on a real PostgreSQL that this module starts.

The server runs as the `postgres` system user (PostgreSQL refuses to run as root) from a
temporary data folder, on 127.0.0.1 with a free port, and stops when the module ends. Every
test gets a fresh schema. Skipped, with the reason, where PostgreSQL or psycopg is missing;
`make test` installs Debian's postgresql first.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

# Re-collected here, where `store_url` is a PostgreSQL database (pytest collects test
# functions imported into a module like its own).
from test_store import (  # noqa: F401
    MakeStore,
    count_rows,
    drill,
    make_store,
    store,
    test_a_new_store_is_empty,
    test_a_new_store_records_every_migration,
    test_a_rejected_save_writes_nothing,
    test_a_store_from_a_newer_kit_is_refused,
    test_an_error_says_what_fits,
    test_data_survives_reopening,
    test_history_filters_by_exercise_and_field,
    test_latest_gives_the_newest_value_per_field,
    test_none_clears_a_field_and_keeps_its_history,
    test_reading_an_unknown_team_is_an_error,
    test_restore_to_a_revision_appends_the_old_values,
    test_restore_to_a_time_and_undo_it,
    test_restore_to_the_beginning_clears_everything,
    test_revision_grows_with_every_save,
    test_revision_records_time_and_order,
    test_save_many_writes_all_in_one_go,
    test_save_many_writes_nothing_when_one_row_is_bad,
    test_save_stores_the_canonical_value,
    test_teams_and_exercises_that_left_the_workshop_are_hidden_not_lost,
    test_workshops_sharing_a_database_do_not_see_each_other,
)

from playbook.answers.store import Store
from playbook.errors import StoreError

pytest.importorskip("psycopg", reason="the PostgreSQL driver is missing: pip install 'psycopg[binary]'")

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
if not BINARIES:
    pytest.skip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; "
                "on Debian: apt-get install postgresql)", allow_module_level=True)
BIN = Path(BINARIES[-1]).parent


def _as_postgres() -> list[str]:
    """The command prefix that runs a server tool as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no 'postgres' user to run PostgreSQL as")
    return ["runuser", "-u", "postgres", "--"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A running PostgreSQL; yields the URL of its server, without a database name."""
    prefix = _as_postgres()
    # Not under pytest's tmp_path: its parents are private to root, and postgres must reach it.
    base = Path(tempfile.mkdtemp(prefix="playbook-pg-"))
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    if prefix:
        for path in (base, sock):
            shutil.chown(path, "postgres")

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            pytest.fail(f"{' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}")

    port = _free_port()
    run(str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--locale=C", "--no-sync")
    run(str(BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "start",
        "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        run(str(BIN / "pg_ctl"), "-D", str(data), "-w", "-m", "fast", "stop")
        shutil.rmtree(base, ignore_errors=True)


_numbers = count()


@pytest.fixture
def store_url(server: str) -> str:
    """A fresh, empty schema on the test server (overrides test_store's SQLite file).

    A schema rather than a database: CREATE DATABASE copies a template and takes about
    0.4 s, a schema is instant, and the store sees the same empty namespace either way.
    """
    name = f"t{next(_numbers)}"
    engine = create_engine(f"{server}/postgres")
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    engine.dispose()
    return f"{server}/postgres?options=-csearch_path%3D{name}"


def test_the_server_is_postgresql(store: Store) -> None:  # noqa: F811 - the fixture
    assert store._engine.dialect.name == "postgresql"


def test_an_unreachable_server_is_a_store_error(drill: object) -> None:  # noqa: F811
    url = f"postgresql+psycopg://postgres:secret@127.0.0.1:{_free_port()}/nothing"
    with pytest.raises(StoreError) as caught:
        Store(url, workshop="w", teams=["north"], exercises=[drill])  # type: ignore[list-item]
    assert "the response store failed" in caught.value.what
    assert "secret" not in caught.value.message
    assert "PLAYBOOK_STORE_URL" in (caught.value.fix or "")


def test_threads_save_at_once(store: Store, store_url: str) -> None:  # noqa: F811
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


def test_a_writer_holding_the_workshop_lock_is_a_store_error(make_store: MakeStore, store_url: str) -> None:  # noqa: F811
    impatient = make_store(busy_timeout=0.2)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('playbook:acme'))"))
        with pytest.raises(StoreError, match=r"locked for 0\.2 s"):
            impatient.save("north", "drill", "rating", 3)
    engine.dispose()
    impatient.save("north", "drill", "rating", 3)
    assert count_rows(store_url) == 1
