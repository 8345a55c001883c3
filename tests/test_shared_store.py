"""One store shared by several hosts, below the browser: the password from PGPASSWORD or a
.pgpass file (a role that must give one, scram-sha-256, in the throwaway PostgreSQL), the URL
never shown with its password, hosts opening an empty database at once, a dropped connection,
saves raced by other hosts' saves (SQLite and PostgreSQL), and `playbook.sharing`'s check at
serve time (the store opened, the secret compared).

The browser side, two `playbook serve` processes on one database, is tests/test_two_hosts.py.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pg_cluster
import ports
import pytest
from sqlalchemy import create_engine, make_url, text

from playbook import paths, serve, sharing
from playbook.answers.store import ENV_URL, SAVE_TRIES, SCHEMA_VERSION, Revision, SaveConflict, Store, shown_url
from playbook.errors import PlaybookError, StoreError, WorkshopError
from playbook.model.exercises import Exercise
from playbook.workshop import Folder, access, config

PASSWORD = "pl@y:book/s3cr'et"  # characters a URL must escape and SQL must quote


@pytest.fixture(scope="module")
def role(postgres: pg_cluster.Cluster) -> str:
    """A login role that must give PASSWORD (scram-sha-256 from 127.0.0.1)."""
    return postgres.password_role(PASSWORD)


@pytest.fixture
def role_url(postgres: pg_cluster.Cluster, role: str) -> str:
    """A new schema of `role`'s, its URL without the password."""
    return postgres.schema_url(owner=role)


@pytest.fixture(autouse=True)
def _no_password_from_the_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only what a test gives counts: no PGPASSWORD, and no ~/.pgpass of whoever runs the suite."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))


def _open(url: str, drill: Exercise) -> Store:
    return Store(url, workshop="acme", teams=["north"], exercises=[drill])


def _with_password(url: str) -> str:
    return make_url(url).set(password=PASSWORD).render_as_string(hide_password=False)


# --- the password ---------------------------------------------------------------------------

def test_the_password_comes_from_pgpassword(role_url: str, drill: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    assert make_url(role_url).password is None
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    with _open(role_url, drill) as store:
        store.save("north", "drill", "name", "through PGPASSWORD")
        assert store.latest("north") == {"drill": {"name": "through PGPASSWORD"}}


def test_the_password_comes_from_a_pgpass_file(role_url: str, role: str, postgres: pg_cluster.Cluster,
                                               drill: Exercise, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pgpass = tmp_path / ".pgpass"
    escaped = PASSWORD.replace("\\", "\\\\").replace(":", "\\:")  # .pgpass escapes : and \
    pgpass.write_text(f"127.0.0.1:{postgres.port}:postgres:{role}:{escaped}\n", encoding="utf-8")
    pgpass.chmod(0o600)  # libpq ignores a file others may read
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with _open(role_url, drill) as store:
        store.save("north", "drill", "name", "through .pgpass")
        assert store.latest("north") == {"drill": {"name": "through .pgpass"}}


def test_no_password_is_an_error_that_says_where_to_put_one(role_url: str, drill: Exercise) -> None:
    with pytest.raises(StoreError) as caught:
        _open(role_url, drill)
    assert "asks user 'pb_role" in caught.value.what and "for a password" in caught.value.what
    assert "PGPASSWORD" in (caught.value.fix or "") and ".pgpass" in (caught.value.fix or "")
    assert "workshop.yml" in (caught.value.fix or "")


def test_a_wrong_password_in_the_url_is_refused_without_showing_it(role_url: str, drill: Exercise) -> None:
    url = make_url(role_url).set(password="wr0ng-Passw0rd").render_as_string(hide_password=False)
    with pytest.raises(StoreError) as caught:
        _open(url, drill)
    assert "refused the password" in caught.value.what
    assert "wr0ng-Passw0rd" not in caught.value.message
    assert "***" in caught.value.message  # the URL is named, its password hidden


def test_a_password_in_the_url_works_and_is_never_shown(role_url: str, drill: Exercise) -> None:
    url = _with_password(role_url)
    assert PASSWORD not in url  # escaped in the URL: the test looks for its escaped form too
    with _open(url, drill) as store:
        store.save("north", "drill", "name", "through the URL")
        assert PASSWORD not in repr(store) and make_url(url).password not in repr(store)
    assert "%40" in url and make_url(url).password == PASSWORD
    assert "***" in shown_url(url) and "s3cr" not in shown_url(url)


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://ana:hunter2@db.lan:5432/playbook",
    "postgresql://ana:hunter2@db.lan/playbook?sslmode=require",
    "post gres://ana:hunter2@db.lan/playbook",  # not a URL SQLAlchemy reads
    "postgresql://ana:hun@ter2@db.lan/playbook",  # an @ left unescaped
])
def test_shown_urls_hide_the_password(url: str) -> None:
    assert "hunter2" not in shown_url(url) and "ter2" not in shown_url(url)
    assert "ana" in shown_url(url) and "db.lan" in shown_url(url)


def test_an_unreadable_url_is_refused_without_showing_its_password(drill: Exercise) -> None:
    with pytest.raises(StoreError) as caught:
        _open("post gres://ana:hunter2@db.lan/playbook", drill)
    assert "not a database URL" in caught.value.what
    assert "hunter2" not in caught.value.message


@pytest.mark.parametrize("key", ["store", "store_url", "database", "PLAYBOOK_STORE_URL"])
def test_workshop_yml_refuses_a_store_url(key: str, tmp_path: Path) -> None:
    text_ = ("client: Acme\ntitle: T\ndate: 2026-11-18\nfacilitator: Marta\nexercises: [empathy_audit]\n"
             f"{key}: postgresql+psycopg://ana:hunter2@db.lan/playbook\n")
    with pytest.raises(WorkshopError) as caught:
        config.parse(text_, tmp_path / "workshop.yml")
    assert caught.value.line == 6 and caught.value.field == key
    assert "not set in workshop.yml" in caught.value.what
    assert "PLAYBOOK_STORE_URL" in (caught.value.fix or "") and "PGPASSWORD" in (caught.value.fix or "")
    assert "hunter2" not in caught.value.message


# --- several hosts on one database ------------------------------------------------------------

def test_hosts_opening_an_empty_database_at_once_create_the_schema_once(
        postgres: pg_cluster.Cluster, drill: Exercise) -> None:
    url = postgres.schema_url()
    hosts = 6
    go = threading.Barrier(hosts)
    failures: list[BaseException] = []

    def open_at_once() -> None:
        try:
            go.wait(timeout=60)
            with _open(url, drill) as store:
                store.save("north", "drill", "name", "hello")
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=open_at_once) for _ in range(hosts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            versions = [v for (v,) in conn.execute(text("SELECT version FROM schema_version ORDER BY version"))]
            saved = conn.execute(text("SELECT count(*) FROM revisions")).scalar_one()
    finally:
        engine.dispose()
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert saved == hosts


@pytest.mark.postgresql_only
def test_a_dropped_connection_does_not_fail_the_next_save(make_store: Callable[..., Store], store_url: str) -> None:
    store = make_store()
    store.save("north", "drill", "name", "before")
    with store._engine.connect() as conn:  # the pooled connection the next save would take
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = create_engine(store_url)
    try:
        with admin.begin() as conn:  # as a database restart or a network between hosts would
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    finally:
        admin.dispose()
    store.save("north", "drill", "name", "after")
    assert [r.value for r in store.history("north")] == ["before", "after"]


# --- saving while other hosts save ------------------------------------------------------------
# A save against a base appends only if nobody saved the field since; if somebody did, it merges
# with their save outside the lock and tries again, SAVE_TRIES times, then merges under the lock.

def _note(note_id: str) -> dict[str, Any]:
    return {"id": note_id, "text": f"note {note_id}", "tags": {"evidence": "heard"}}


def _raced(monkeypatch: pytest.MonkeyPatch, mine: Store, teammate: Store, races: int) -> list[int]:
    """Before each of `mine`'s first `races` tries, `teammate` adds a note (as a page on the other
    host would, against what it last saw); the bases `mine` tried against."""
    tried: list[int] = []
    append = Store._append_if_newest

    def racing(self: Store, key: Any, value: Any, author: str | None, expected: int) -> Revision | None:
        if self is mine:
            tried.append(expected)
            if len(tried) <= races:
                head = teammate.heads("north")[("drill", "notes")]
                teammate.save("north", "drill", "notes", [*head.value, _note(f"t{len(tried)}")],
                              author="Bo", base=head.id)
        return append(self, key, value, author, expected)

    monkeypatch.setattr(Store, "_append_if_newest", racing)
    return tried


@pytest.mark.parametrize("races", [1, SAVE_TRIES], ids=["merged-on-the-next-try", "merged-under-the-lock"])
def test_a_save_raced_by_a_teammate_keeps_every_note(make_store: Callable[..., Store], races: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    mine, teammate = make_store(), make_store()
    base = mine.save("north", "drill", "notes", [_note("first")], author="Ana").id
    tried = _raced(monkeypatch, mine, teammate, races)
    saved = mine.save("north", "drill", "notes", [_note("first"), _note("ana")], author="Ana", base=base)
    assert len(tried) == min(races + 1, SAVE_TRIES)  # tries; the last race is merged under the lock
    assert tried[0] == base and tried == sorted(tried)  # each try against the newer save it merged
    assert saved.author == "Ana" and saved.id == mine.revision()
    expected = {"first", "ana", *(f"t{n}" for n in range(1, races + 1))}
    assert {n["id"] for n in saved.value} == expected
    assert {n["id"] for n in mine.latest("north")["drill"]["notes"]} == expected


def test_a_scalar_raced_on_the_way_is_still_a_conflict(make_store: Callable[..., Store]) -> None:
    mine, teammate = make_store(), make_store()
    seen = mine.save("north", "drill", "name", "Acme", author="Ana")
    teammate.save("north", "drill", "name", "Acme Corp", author="Bo", base=seen.id)
    with pytest.raises(SaveConflict) as caught:
        mine.save("north", "drill", "name", "ACME Ltd", author="Ana", base=seen.id)
    assert caught.value.theirs.author == "Bo"
    assert [r.value for r in mine.history("north", "drill", "name")] == ["Acme", "Acme Corp"]


@pytest.mark.postgresql_only
def test_a_save_waiting_too_long_for_the_workshop_lock_is_a_store_error(
        make_store: Callable[..., Store], store_url: str) -> None:
    impatient = make_store(busy_timeout=0.2)
    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:  # another host's save, stuck while holding the lock
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('playbook:acme'))"))
            with pytest.raises(StoreError, match=r"locked for 0\.2 s"):
                impatient.save("north", "drill", "rating", 3, base=0)
    finally:
        engine.dispose()
    assert impatient.save("north", "drill", "rating", 4, base=0).value == 4  # and its connection still works
    assert [r.value for r in impatient.history("north")] == [4]


# --- the check as `playbook serve` starts -----------------------------------------------------

@pytest.fixture
def host_a(tmp_path: Path) -> Folder:
    folder = Folder(paths.copy_example(tmp_path / "host-a" / "acme"))
    access.secret(folder)
    return folder


def _copy(folder: Folder, dest: Path, *, same_secret: bool) -> Folder:
    """The workshop folder as another host holds it: the same secret, or one of its own."""
    ignore = None if same_secret else shutil.ignore_patterns(access.SECRET_DIR)
    shutil.copytree(folder.path, dest, ignore=ignore)
    return Folder(dest)


def test_without_a_store_url_nothing_is_shared_or_created(host_a: Folder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    assert sharing.check(host_a) is None
    assert not host_a.db_path.exists()


def test_the_check_opens_the_store_and_names_it_without_its_password(
        host_a: Folder, role_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, _with_password(role_url))
    shared = sharing.check(host_a)
    assert shared is not None
    assert shared.url == shown_url(_with_password(role_url)) and "***" in shared.url
    assert (shared.workshop, shared.id_from_folder, shared.other_secret) == ("acme", True, None)
    with Store.for_folder(host_a) as store:
        assert store.state(sharing.STATE)["fingerprint"] == access.secret_fingerprint(host_a)
        assert store.revision() == 0  # a workshop-level record: no team's answers moved


def test_a_host_with_the_same_secret_agrees_and_one_with_another_is_told(
        host_a: Folder, postgres: pg_cluster.Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, postgres.schema_url())
    assert sharing.check(host_a) is not None
    same = _copy(host_a, tmp_path / "host-b" / "acme", same_secret=True)
    assert access.team_key(same, "north") == access.team_key(host_a, "north")
    shared = sharing.check(same)
    assert shared is not None and shared.other_secret is None
    other = _copy(host_a, tmp_path / "host-c" / "acme", same_secret=False)
    assert access.team_key(other, "north") != access.team_key(host_a, "north")
    shared = sharing.check(other)
    assert shared is not None and shared.other_secret is not None and "UTC" in shared.other_secret
    again = sharing.check(host_a)  # host A serves again after host C: told as well
    assert again is not None and again.other_secret is not None


def test_an_unreachable_store_fails_the_check_without_its_password(host_a: Folder,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with ports.reserved() as port, pytest.raises(StoreError) as caught:  # held: nothing listens on it
        monkeypatch.setenv(ENV_URL, f"postgresql+psycopg://ana:hunter2@127.0.0.1:{port}/playbook")
        sharing.check(host_a)
    assert "hunter2" not in caught.value.message and "ana:***@127.0.0.1" in caught.value.message


@pytest.mark.parametrize("address", ["ftp://playbook.lan", "http://playbook.lan/room", "http://playbook.lan:http"])
def test_a_proxy_address_that_is_not_one_is_refused_before_serving(host_a: Folder, address: str) -> None:
    with pytest.raises(PlaybookError) as caught:
        serve.start(host_a, port=0, server=address)
    assert caught.value.field == "--server" and "http://" in (caught.value.fix or "")
