"""The response store: every save is an append-only revision of one field's value.

SQLite (`responses.db` in the workshop folder) by default; any SQLAlchemy URL works too, so
several facilitators can share a PostgreSQL database (rows carry the workshop id). Nothing is
ever updated or deleted: the latest revision of a field is its value, a null value clears it,
and restoring a team appends revisions that bring back the values of an earlier point.

Every value is checked against its field definition before anything is written, and every
database error is turned into a `StoreError` here, so no sqlite3 or SQLAlchemy exception
reaches a user.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import replace as _with
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    URL,
    BigInteger,
    Column,
    Connection,
    Index,
    Insert,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    inspect,
    literal_column,
    make_url,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from playbook import answers
from playbook.answers import merge
from playbook.errors import AnswersError, PlaybookError, StoreError
from playbook.model import exercises
from playbook.model.exercises import Exercise

if TYPE_CHECKING:
    import psycopg

    from playbook.workshop import Folder

ENV_URL = answers.ENV_URL
BUSY_TIMEOUT_S = 10.0
SAVE_TRIES = 3  # optimistic attempts of a save against a base before merging under the lock

Latest = dict[str, dict[str, Any]]  # exercise -> field -> value
Row = tuple[str, str, str, Any]  # team, exercise, field, value
Key = tuple[str, str, str]  # team, exercise, field


@dataclass(frozen=True)
class Revision:
    """One saved value; `value` None means the field was cleared."""

    id: int
    workshop: str
    team: str
    exercise: str
    field: str
    value: Any
    author: str | None
    created_at: dt.datetime


class SaveConflict(StoreError):
    """A save made against an older value than the stored one, which the store cannot merge
    (a scalar both sides changed): nothing was written. `theirs` is the stored revision; the
    page shows both versions and saves again with `base=theirs.id` if the user keeps theirs
    or mine."""

    def __init__(self, theirs: Revision, mine: Any) -> None:
        self.theirs = theirs
        self.mine = mine
        who = theirs.author or "someone on another laptop"
        super().__init__(
            f"{who} changed this answer since this page loaded it", team=theirs.team,
            field=f"{theirs.exercise}.{theirs.field}",
            fix="choose which version to keep (mine or theirs), then save again",
        )


# --- schema ---------------------------------------------------------------------------
# The tables as the current code reads them. Migrations below never use these objects:
# each migration keeps the DDL of its own release, so an old database upgrades step by step.

_md = MetaData()
_Id = BigInteger().with_variant(Integer(), "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid
revisions = Table(
    "revisions", _md,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("workshop", String(200), nullable=False),
    Column("team", Text, nullable=False),
    Column("exercise", String(100), nullable=False),
    Column("field", String(100), nullable=False),
    Column("value", Text),
    Column("author", Text),
    Column("created_at", String(40), nullable=False),
)
# Workshop-level records (the presenter's current step, its timer, what the projector shows):
# append-only like `revisions`, the latest row per name is the value.
workshop_state = Table(
    "workshop_state", _md,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("workshop", String(200), nullable=False),
    Column("name", String(100), nullable=False),
    Column("value", Text),
    Column("author", Text),
    Column("created_at", String(40), nullable=False),
)
schema_version = Table(
    "schema_version", _md,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(40), nullable=False),
)


def _append_if_newest() -> Insert:
    """INSERT one revision unless the field has one newer than :expected (0: none): the
    check and the write in one statement, which `Store.save` runs under the workshop lock."""
    r = revisions.c
    names = ["workshop", "team", "exercise", "field", "value", "author", "created_at"]
    bound = {n: bindparam(n, type_=r[n].type) for n in names}
    newest = (select(func.coalesce(func.max(r.id), literal_column("0")))
              .where(r.workshop == bound["workshop"], r.team == bound["team"], r.exercise == bound["exercise"],
                     r.field == bound["field"])
              .scalar_subquery())
    rows = select(*[bound[n].label(n) for n in names]).where(newest <= bindparam("expected", type_=BigInteger))
    return insert(revisions).from_select(names, rows).returning(r.id)


_APPEND_IF_NEWEST = _append_if_newest()


def _v1(conn: Connection) -> None:
    # The table as version 1 made it, written out again on purpose: a migration must keep
    # doing what it did when released, whatever `revisions` above becomes later.
    md = MetaData()
    Table(
        "revisions", md,
        Column("id", _Id, primary_key=True, autoincrement=True),
        Column("workshop", String(200), nullable=False),
        Column("team", Text, nullable=False),
        Column("exercise", String(100), nullable=False),
        Column("field", String(100), nullable=False),
        Column("value", Text),
        Column("author", Text),
        Column("created_at", String(40), nullable=False),
        Index("ix_revisions_field", "workshop", "team", "exercise", "field", "id"),
        sqlite_autoincrement=True,  # ids are never reused, so `revision()` only grows
    )
    md.create_all(conn)


def _v2(conn: Connection) -> None:
    # `revision()` and restore-by-id ask for the newest id of one workshop in a shared store.
    # The two columns it indexes, as version 1 made them: reflecting the whole table took
    # PostgreSQL a dozen catalogue queries, most of a new store's opening.
    t = Table("revisions", MetaData(), Column("id", _Id), Column("workshop", String(200)))
    Index("ix_revisions_workshop_id", t.c.workshop, t.c.id).create(conn)


def _v3(conn: Connection) -> None:
    # Workshop-level state kept apart from the answers: saving it moves no team's revision.
    md = MetaData()
    Table(
        "workshop_state", md,
        Column("id", _Id, primary_key=True, autoincrement=True),
        Column("workshop", String(200), nullable=False),
        Column("name", String(100), nullable=False),
        Column("value", Text),
        Column("author", Text),
        Column("created_at", String(40), nullable=False),
        Index("ix_workshop_state_name", "workshop", "name", "id"),
        sqlite_autoincrement=True,
    )
    md.create_all(conn)


# Ordered; append only. Each runs once, in the transaction that records it.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "revisions table", _v1),
    (2, "index for the revision counter", _v2),
    (3, "workshop-level state", _v3),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _iso(point: dt.datetime) -> str:
    """A point in time as stored text; a naive datetime is local time."""
    return point.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _refuse_newer(current: int | None) -> int:
    """The schema version, unless a newer kit wrote it: this kit would misread it."""
    if (current or 0) > SCHEMA_VERSION:
        raise StoreError(
            f"the store was written by a newer version of the kit (schema {current}; "
            f"this kit reads up to {SCHEMA_VERSION})",
            fix="upgrade the kit: pip install --upgrade workshop-playbook",
        )
    return current or 0


def migrate(conn: Connection) -> None:
    """Apply the migrations a database lacks, inside the caller's transaction (DDL is
    transactional in SQLite and PostgreSQL: a failed upgrade leaves the old schema)."""
    schema_version.create(conn, checkfirst=True)
    current = _refuse_newer(conn.execute(select(func.max(schema_version.c.version))).scalar())
    for version, _, step in MIGRATIONS:
        if version > current:
            step(conn)
            conn.execute(insert(schema_version).values(version=version, applied_at=_now()))


# --- values ---------------------------------------------------------------------------


def _finite(value: Any) -> None:
    """JSON has no NaN or infinity, and huge integers break the field checks' float maths."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a number that can be stored")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        raise ValueError(f"{value} is too large")
    if isinstance(value, dict):
        for v in value.values():
            _finite(v)
    elif isinstance(value, list):
        for v in value:
            _finite(v)


def _encode(value: Any) -> str | None:
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text.encode("utf-8")  # lone surrogates (from \ud800 escapes) cannot be stored as text
    return text


def _decode(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise StoreError(
            "a stored value is not valid JSON: the database was changed outside the kit",
            fix="put back a backup of the database, or export, fix and import the answers",
        ) from None


# --- errors ---------------------------------------------------------------------------

_SQLITE_PROBLEMS = (  # (part of SQLite's message, what, fix)
    ("locked", "the database stayed locked for {timeout:g} s by another program",
     "close other programs writing to it (another 'playbook', a database browser), then try again"),
    ("not a database", "not a database file",
     "move the file aside (it is damaged or not a responses.db) and the kit starts a new one, "
     "or put back a backup"),
    ("malformed", "the database file is damaged",
     "put back a backup, or rescue it: sqlite3 {db} .recover | sqlite3 repaired.db"),
    ("disk is full", "the disk is full; nothing was saved", "free some disk space, then save again"),
    ("disk i/o error", "the disk failed while writing; nothing was saved",
     "check free space and the disk, then save again"),
    ("unable to open", "cannot open the database file",
     "check that the folder exists and that you may write to it"),
    ("readonly", "the database file is read-only",
     "give yourself write permission on the file and its folder"),
)


_PASSWORD_FIX = ("give the password in the environment of the command (PGPASSWORD) or in ~/.pgpass "
                 "(a line host:port:database:user:password, mode 0600), never in workshop.yml")
_PG_PROBLEMS = (  # (part of PostgreSQL's or libpq's message, what, fix)
    ("no password supplied", "PostgreSQL asks user {user!r} for a password and none was given", _PASSWORD_FIX),
    ("password authentication failed", "PostgreSQL refused the password of user {user!r}",
     "check the password; " + _PASSWORD_FIX),
    ("lock timeout", "the database stayed locked for {timeout:g} s by another program",
     "try again; if it persists, look for a stuck session"),
)


def shown_url(url: str | URL) -> str:
    """A store URL as it may be printed or logged: its password, if any, hidden."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    if url.count("@") == 1:
        try:
            return make_url(url).render_as_string(hide_password=True)
        except ArgumentError:
            pass
    # Not a URL SQLAlchemy reads, or an "@" left unescaped, maybe in the password: hide all
    # from "//user:" to the last "@".
    return re.sub(r"(//[^/:@]*):.*@", r"\1:***@", url)


def _error_text(exc: BaseException, url: URL) -> str:
    """The first line of what the driver said, never repeating the URL's password."""
    orig = getattr(exc, "orig", None) or exc
    text = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    return text.replace(str(url.password), "***") if url.password else text


def _store_error(exc: BaseException, url: URL, timeout: float) -> StoreError:
    """A database error as a `StoreError` that names the file (or URL) and a next step."""
    text = _error_text(exc, url)
    where = shown_url(url)
    if url.get_backend_name() == "sqlite":
        where = url.database or ":memory:"
        for needle, what, fix in _SQLITE_PROBLEMS:
            if needle in text.lower():
                return StoreError(what.format(timeout=timeout), file=where, fix=fix.format(db=where))
    else:
        for needle, what, fix in _PG_PROBLEMS:
            if needle in text.lower():
                return StoreError(what.format(timeout=timeout, user=url.username), file=where, fix=fix)
    return StoreError(
        f"the response store failed: {text}", file=where,
        fix=f"check that the database is reachable (it is set by {ENV_URL} or the workshop folder)",
    )


# --- the store ------------------------------------------------------------------------


class Store:
    """The answers of one workshop's teams, read and written through clear verbs."""

    def __init__(
        self,
        url: str | URL,
        *,
        workshop: str,
        teams: Sequence[str],
        exercises: Sequence[str | Exercise],
        busy_timeout: float = BUSY_TIMEOUT_S,
    ) -> None:
        self.workshop = workshop
        self.teams = list(teams)
        self._team_set = set(self.teams)
        loaded = [_exercise(x) for x in exercises]
        self.exercises: dict[str, Exercise] = {e.id: e for e in loaded}
        self._fields = {e.id: list(e.fields) for e in loaded}  # definition order
        self.busy_timeout = busy_timeout
        self._append_sql: str | None = None  # _APPEND_IF_NEWEST as the psycopg driver reads it
        try:
            self.url = make_url(url)
        except ArgumentError:
            raise StoreError(
                f"not a database URL: {shown_url(url)!r}",
                fix="use e.g. sqlite:///path/responses.db or postgresql+psycopg://user@host/db",
            ) from None
        self._engine = self._create_engine()
        try:
            self._open()
        except BaseException:
            self._engine.dispose()  # no half-open connections left for the garbage collector
            raise

    def _open(self) -> None:
        """Create or upgrade the schema; a store that is up to date is only read."""
        with self._read() as conn:
            current: int | None = 0
            if inspect(conn).has_table(schema_version.name):
                current = conn.execute(select(func.max(schema_version.c.version))).scalar()
        if _refuse_newer(current) < SCHEMA_VERSION:
            with self._write(lock="playbook:schema") as conn:
                migrate(conn)  # checks again under the lock: another process may have won

    @classmethod
    def for_folder(cls, folder: Folder) -> Store:
        """The store of a workshop folder: `responses.db` in it, or `$PLAYBOOK_STORE_URL`."""
        env = os.environ.get(ENV_URL, "").strip()
        url = env or URL.create("sqlite", database=str(folder.db_path))
        return cls(
            url, workshop=folder.workshop_id,
            teams=[t.id for t in folder.config.teams], exercises=folder.config.exercises,
        )

    def _create_engine(self) -> Engine:
        try:
            # A server's connections may drop (a restart, a network between hosts): each is
            # checked as it leaves the pool, so the next save opens a new one instead of failing.
            sqlite = self.url.get_backend_name() == "sqlite"
            engine = create_engine(self.url, pool_pre_ping=not sqlite)
        except (NoSuchModuleError, ModuleNotFoundError) as exc:
            raise StoreError(
                f"no database driver for {self.url.drivername!r}: {_error_text(exc, self.url)}",
                fix="for PostgreSQL: pip install 'psycopg[binary]' and use postgresql+psycopg://",
            ) from None
        except (ArgumentError, SQLAlchemyError) as exc:
            raise _store_error(exc, self.url, self.busy_timeout) from None
        if engine.dialect.name == "sqlite":
            timeout_ms = int(self.busy_timeout * 1000)

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
                # We issue BEGIN ourselves (see _begin), so the driver must not.
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                cur.execute(f"PRAGMA busy_timeout = {timeout_ms}")
                cur.execute("PRAGMA journal_mode = WAL")  # readers never block the writer
                cur.execute("PRAGMA synchronous = FULL")  # a returned save survives power loss
                cur.execute("PRAGMA foreign_keys = ON")
                cur.close()

            @event.listens_for(engine, "begin")
            def _begin(conn: Connection) -> None:
                # A write takes the lock up front: a deferred transaction that reads first
                # cannot wait for the lock later and fails at once with "locked".
                write = conn.get_execution_options().get("playbook_write", False)
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    # -- plumbing ----------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except PlaybookError:
            raise
        except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
            raise _store_error(exc, self.url, self.busy_timeout) from None
        except Exception as exc:
            dbapi = getattr(self._engine.dialect, "dbapi", None)
            if dbapi is not None and isinstance(exc, getattr(dbapi, "Error", ())):
                raise _store_error(exc, self.url, self.busy_timeout) from None
            raise

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors(), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self, lock: str | None = None) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any error.

        Writers of one workshop take turns (SQLite: the database lock; PostgreSQL: an
        advisory lock named `lock`, the workshop by default), so revision ids commit in
        order and `revision()` never misses a save that committed late.
        """
        with self._errors(), self._engine.connect() as conn:
            conn = conn.execution_options(playbook_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    ms = int(self.busy_timeout * 1000)
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")
                    key = func.hashtext(lock or self._lock_name())
                    conn.execute(select(func.pg_advisory_xact_lock(key)))
                yield conn

    def _lock_name(self) -> str:
        """The advisory lock that writers of this workshop take turns on (PostgreSQL)."""
        return f"playbook:{self.workshop}"

    # -- validation --------------------------------------------------------------------

    def check(self, team: str, exercise: str, field: str, value: Any) -> Any:
        """The value in canonical form, or an `AnswersError` saying what and where."""
        self._known_team(team)
        ex = self.exercises.get(exercise)
        if ex is None:
            raise AnswersError(
                f"exercise {exercise!r} is not part of this workshop", team=team, field=exercise,
                fix=_suggest(exercise, self.exercises) or f"exercises are: {', '.join(self.exercises)}",
            )
        try:
            _finite(value)
        except ValueError as exc:
            raise AnswersError(str(exc), team=team, field=f"{exercise}.{field}") from None
        try:
            canonical = answers.check_value(ex, field, value, team=team)
            _encode(canonical)
        except AnswersError as exc:
            raise AnswersError(exc.what, team=team, field=f"{exercise}.{exc.field}",
                               fix=exc.fix) from None
        except UnicodeError:
            raise AnswersError("the text holds a character that is not valid Unicode "
                               "(a lone surrogate)", team=team, field=f"{exercise}.{field}",
                               fix="retype the text, or remove \\ud800-style escapes") from None
        except (TypeError, ValueError) as exc:
            raise AnswersError(f"this value cannot be stored as JSON ({exc})", team=team,
                               field=f"{exercise}.{field}") from None
        return canonical

    # -- writing -----------------------------------------------------------------------

    def save(self, team: str, exercise: str, field: str, value: Any, *,
             author: str | None = None, base: int | None = None) -> Revision:
        """Validate and append one value (None clears the field).

        `base` is the id of the field's revision the caller last saw (0: none). When another
        save came since, the value is merged with it (answers.merge) inside this write
        transaction, and the returned revision holds the merged value (the page shows it and
        saves its next change against its id); a scalar changed on
        both sides raises `SaveConflict` and writes nothing. Without `base` the value is
        written as given (imports, restores, scripts).
        """
        if base is None:
            return self.save_many([(team, exercise, field, value)], author=author)[0]
        mine = self.check(team, exercise, field, value)
        key: Key = (team, exercise, field)
        # Optimistic: append unless someone saved since `expected`; if they did, merge with
        # their save outside any lock and try again against it. The workshop lock is then held
        # for one statement only, so hosts and pages saving at once wait for each other less.
        expected, write = base, mine
        for _ in range(SAVE_TRIES):
            rev = self._append_if_newest(key, write, author, expected)
            if rev is not None:
                return rev
            with self._read() as conn:
                theirs, write = self._merged(conn, key, base, mine)
            if theirs is not None and write == theirs.value:
                return theirs  # nothing of mine is missing from what is stored
            expected = theirs.id if theirs is not None else expected
        with self._write() as conn:  # teammates kept saving this field: merge under the lock
            theirs, write = self._merged(conn, key, base, mine)
            if theirs is not None and write == theirs.value:
                return theirs
            return self._append(conn, [(*key, write)], author)[0]

    def _merged(self, conn: Connection, key: Key, base: int, mine: Any) -> tuple[Revision | None, Any]:
        """(the field's newest revision if saved since `base`, else None; the value to write):
        `mine` merged with what was saved since (answers.merge), or `SaveConflict`."""
        team, exercise, field = key
        theirs = self._head(conn, team, exercise, field)
        if theirs is None or theirs.id <= base:
            return None, mine
        kind = self.exercises[exercise].fields[field].type
        past = self._head(conn, team, exercise, field, upto=base)
        old = merge.with_ids(kind, past.value, past.id) if past else None
        theirs = _with(theirs, value=merge.with_ids(kind, theirs.value, theirs.id))
        try:
            merged = merge.merge(kind, old, theirs.value, mine)
            return theirs, self.check(team, exercise, field, merged)
        except (merge.Unmergeable, AnswersError):  # e.g. more notes together than fit
            raise SaveConflict(theirs, mine) from None

    def _append_if_newest(self, key: Key, value: Any, author: str | None, expected: int) -> Revision | None:
        """Append `value` if the field's newest revision is still `expected` (0: never saved),
        else None: one statement under the workshop lock. On PostgreSQL through psycopg, the
        lock, the statement and the commit go to the server in one round trip (a pipeline),
        so the lock is never held while the server waits for this process."""
        now = _now()
        team, exercise, field = key
        params = {"workshop": self.workshop, "team": team, "exercise": exercise, "field": field,
                  "value": _encode(value), "author": author, "created_at": now, "expected": expected}
        if self._engine.dialect.driver == "psycopg":
            new_id = self._pipelined(params)
        else:
            with self._write() as conn:
                new_id = conn.execute(_APPEND_IF_NEWEST, params).scalar()
        if new_id is None:
            return None
        stamp = dt.datetime.fromisoformat(now)
        return Revision(int(new_id), self.workshop, team, exercise, field, value, author, stamp)

    def _pipelined(self, params: dict[str, Any]) -> Any:
        """`_APPEND_IF_NEWEST` in a transaction of its own after taking the workshop lock, as
        `_write` does, in one psycopg pipeline; the new id, or None."""
        if self._append_sql is None:  # compiled once: the statement never changes, only its values
            self._append_sql = str(_APPEND_IF_NEWEST.compile(dialect=self._engine.dialect))
        with self._errors(), self._engine.connect() as sa:
            raw = cast("psycopg.Connection[Any]", sa.connection.dbapi_connection)
            with raw.pipeline():
                raw.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(self.busy_timeout * 1000)}ms"])
                raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [self._lock_name()])
                cursor = raw.execute(self._append_sql, params)
                raw.commit()
            found = cursor.fetchone()
        return None if found is None else found[0]

    def _head(self, conn: Connection, team: str, exercise: str, field: str,
              upto: int | None = None) -> Revision | None:
        """The field's newest revision (up to id `upto`), or None if it was never saved."""
        r = revisions.c
        q = select(revisions).where(r.workshop == self.workshop, r.team == team,
                                    r.exercise == exercise, r.field == field)
        if upto is not None:
            q = q.where(r.id <= upto)
        row = conn.execute(q.order_by(r.id.desc()).limit(1)).first()
        return None if row is None else _revision(row)

    def save_many(self, rows: Iterable[Row], *, author: str | None = None) -> list[Revision]:
        """Validate every row first, then write them all in one transaction, or none."""
        checked = [(t, e, f, self.check(t, e, f, v)) for t, e, f, v in rows]
        with self._write() as conn:
            return self._append(conn, checked, author)

    def _append(self, conn: Connection, rows: Sequence[Row], author: str | None) -> list[Revision]:
        if not rows:
            return []
        now = _now()
        params = [
            {"workshop": self.workshop, "team": t, "exercise": e, "field": f,
             "value": _encode(v), "author": author, "created_at": now}
            for t, e, f, v in rows
        ]
        stmt = insert(revisions).returning(revisions.c.id, sort_by_parameter_order=True)
        ids = conn.execute(stmt, params).scalars().all()
        stamp = dt.datetime.fromisoformat(now)
        return [
            Revision(i, self.workshop, t, e, f, v, author, stamp)
            for i, (t, e, f, v) in zip(ids, rows, strict=True)
        ]

    def restore(self, team: str, point: dt.datetime | int, *,
                author: str | None = None) -> list[Revision]:
        """Bring a team's answers back to what they were at `point` (a time or revision id).

        Appends one revision per field that differs; fields first answered after `point` are
        cleared. Nothing is deleted, so a restore can itself be undone. A naive datetime is
        local time.
        """
        self._known_team(team)
        with self._write() as conn:
            current = self._values(conn, team)
            past = self._values(conn, team, point)
            rows: list[Row] = []
            for key in sorted(current.keys() | past.keys()):
                _, ex_id, field_id = key
                if ex_id not in self.exercises or field_id not in self._fields[ex_id]:
                    continue  # no longer in the workshop: leave those answers alone
                old = past.get(key)
                if old != current.get(key):
                    rows.append((team, ex_id, field_id, self.check(team, ex_id, field_id, old)))
            return self._append(conn, rows, author)

    def _known_team(self, team: str) -> None:
        if team not in self._team_set:
            raise AnswersError(
                f"team {team!r} is not in this workshop", team=team,
                fix=_suggest(team, self.teams) or
                f"teams are: {', '.join(self.teams) or 'none yet (add them to workshop.yml)'}",
            )

    # -- reading -----------------------------------------------------------------------

    def _values(self, conn: Connection, team: str | None,
                point: dt.datetime | int | None = None) -> dict[Key, Any]:
        """(team, exercise, field) -> value (None if cleared) at `point` (None: now)."""
        r = revisions.c
        newest = select(func.max(r.id)).where(r.workshop == self.workshop)
        if team is not None:
            newest = newest.where(r.team == team)
        if isinstance(point, dt.datetime):
            newest = newest.where(r.created_at <= _iso(point))
        elif isinstance(point, int):
            newest = newest.where(r.id <= point)
        newest = newest.group_by(r.team, r.exercise, r.field)
        q = select(r.team, r.exercise, r.field, r.value).where(r.id.in_(newest.scalar_subquery()))
        rows = conn.execute(q).all()
        # One json.loads over all values is twice as fast as one per value (1,000 teams).
        values = _decode("[" + ",".join("null" if row[3] is None else row[3] for row in rows) + "]")
        return {(t, e, f): v for (t, e, f, _), v in zip(rows, values, strict=True)}

    def latest(self, team: str) -> Latest:
        """exercise -> field -> value for one team; cleared fields are left out."""
        self._known_team(team)
        with self._read() as conn:
            values = self._values(conn, team)
        return self._shape(values).get(team, {})

    def latest_all(self) -> dict[str, Latest]:
        """team -> exercise -> field -> value for every team of the workshop, in one query."""
        with self._read() as conn:
            values = self._values(conn, None)
        return self._shape(values)

    def _shape(self, values: Mapping[Key, Any]) -> dict[str, Latest]:
        """Nest the values in roster, workshop and definition order, leaving out cleared
        fields and teams, exercises or fields the workshop no longer has (their rows stay
        stored and come back if they return to workshop.yml)."""
        grouped: dict[str, dict[str, dict[str, Any]]] = {}
        for (team, ex_id, field_id), value in values.items():
            if value is not None:
                grouped.setdefault(team, {}).setdefault(ex_id, {})[field_id] = value
        out: dict[str, Latest] = {}
        for team in self.teams:
            per_ex = grouped.get(team)
            if not per_ex:
                continue
            nested = {
                ex_id: {f: per_ex[ex_id][f] for f in order if f in per_ex[ex_id]}
                for ex_id, order in self._fields.items() if ex_id in per_ex
            }
            nested = {k: v for k, v in nested.items() if v}
            if nested:
                out[team] = nested
        return out

    def history(self, team: str, exercise: str | None = None,
                field: str | None = None) -> list[Revision]:
        """Every revision of a team (optionally of one exercise or field), oldest first."""
        self._known_team(team)
        r = revisions.c
        q = select(revisions).where(r.workshop == self.workshop, r.team == team)
        if exercise is not None:
            q = q.where(r.exercise == exercise)
        if field is not None:
            q = q.where(r.field == field)
        with self._read() as conn:
            rows = conn.execute(q.order_by(r.id)).all()
        return [_revision(row) for row in rows]

    def heads(self, team: str) -> dict[tuple[str, str], Revision]:
        """(exercise, field) -> the newest revision of each field the team ever saved (a
        cleared field's value is None), notes carrying item ids: what a page shows and saves
        against (`save(base=revision.id)`)."""
        self._known_team(team)
        r = revisions.c
        newest = (select(func.max(r.id)).where(r.workshop == self.workshop, r.team == team)
                  .group_by(r.exercise, r.field))
        with self._read() as conn:
            rows = conn.execute(select(revisions).where(r.id.in_(newest.scalar_subquery()))).all()
        out: dict[tuple[str, str], Revision] = {}
        for row in rows:
            rev = _revision(row)
            ex = self.exercises.get(rev.exercise)
            if ex is not None and rev.field in ex.fields:
                kind = ex.fields[rev.field].type
                out[rev.exercise, rev.field] = _with(rev, value=merge.with_ids(kind, rev.value, rev.id))
        return out

    def revision(self) -> int:
        """A number that grows with every save to this workshop (0 when nothing is saved)."""
        r = revisions.c
        with self._read() as conn:
            return conn.execute(select(func.max(r.id)).where(r.workshop == self.workshop)).scalar() or 0

    # -- workshop-level state ------------------------------------------------------------

    def save_state(self, name: str, value: Any, *, author: str | None = None) -> int:
        """Append a workshop-level record (JSON-serialisable; None clears it); its id.

        For what every page of the workshop shares rather than one team's answers (the
        presenter's step and timer): kept in the store so that every served page, on any
        machine, reads the same. It never moves `revision()`.
        """
        if not name or len(name) > 100:
            raise StoreError(f"a workshop state name must have 1 to 100 characters, not {len(name)}",
                             field=name[:40], fix="use a short name such as 'presenter'")
        try:
            _finite(value)
            encoded = _encode(value)
        except (TypeError, ValueError, UnicodeError) as exc:
            raise StoreError(f"this state cannot be stored as JSON ({exc})", field=name) from None
        with self._write() as conn:
            stmt = insert(workshop_state).returning(workshop_state.c.id)
            row = {"workshop": self.workshop, "name": name, "value": encoded, "author": author,
                   "created_at": _now()}
            return int(conn.execute(stmt, row).scalar_one())

    def state(self, name: str) -> Any:
        """The latest value saved under `name` for this workshop (None when never saved)."""
        s = workshop_state.c
        q = (select(s.value).where(s.workshop == self.workshop, s.name == name)
             .order_by(s.id.desc()).limit(1))
        with self._read() as conn:
            return _decode(conn.execute(q).scalar())

    # -- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({shown_url(self.url)!r}, workshop={self.workshop!r})"


def _revision(row: Any) -> Revision:
    return Revision(row.id, row.workshop, row.team, row.exercise, row.field,
                    _decode(row.value), row.author, dt.datetime.fromisoformat(row.created_at))


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else ""


def _exercise(x: str | Exercise) -> Exercise:
    return exercises.get(x) if isinstance(x, str) else x
