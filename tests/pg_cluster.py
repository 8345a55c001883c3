"""A throwaway PostgreSQL server for the store tests: `initdb` into a temporary folder, run as
the `postgres` system user (PostgreSQL refuses to run as root), on 127.0.0.1 with a free port.

conftest.py starts one per test process (each xdist worker has its own) the first time a test
asks for PostgreSQL, and stops it when the session ends. A server whose test process died without
stopping it (killed, timed out) is stopped by the next one that starts. Each store gets an empty schema of its
own: CREATE DATABASE copies a template and takes about 0.4 s, a schema is instant, and the store
sees the same empty namespace either way.

`password_role()` adds a login role that must give a password (scram-sha-256 in pg_hba.conf,
ahead of the trust lines), for the tests of a password from PGPASSWORD or a .pgpass file;
`schema_url(owner=...)` gives such a role a schema of its own.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path

import ports
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError


class Unavailable(Exception):
    """PostgreSQL cannot run here; the message says what to install."""


def _binaries() -> Path:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("the PostgreSQL driver is missing: pip install 'psycopg[binary]'") from None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise Unavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; "
                          "on Debian: apt-get install postgresql)")
    return Path(found[-1]).parent


def _as_postgres() -> list[str]:
    """The command prefix that runs a server tool as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable("running as root and there is no 'postgres' user to run PostgreSQL as") from None
    return ["runuser", "-u", "postgres", "--"]


PREFIX = "playbook-pg-"
OWNER = "owner.pid"  # the test process a server belongs to


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, killed but not yet waited for, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


class Cluster:
    """One running server; `schema_url()` gives the URL of a new, empty schema on it."""

    def __init__(self, *, durable: bool = False) -> None:
        """`durable` keeps fsync on, as a real server runs (benchmarks); tests skip it."""
        self._bin, self._prefix = _binaries(), _as_postgres()
        self._durable = durable
        self._reap_orphans()
        # Not under pytest's tmp_path: its parents are private to root, and postgres must reach it.
        self._base = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self._base / OWNER).write_text(str(os.getpid()), encoding="utf-8")
        self._data = self._base / "data"
        self._schemas = count()
        self._roles = count()
        sock = self._base / "sock"
        sock.mkdir()
        if self._prefix:
            for path in (self._base, sock):
                shutil.chown(path, "postgres")
        try:
            done = self._run("initdb", "-D", str(self._data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                             "--locale=C", "--no-sync")
            if done.returncode:
                raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
            self.port = self._start(sock)
        except BaseException:
            shutil.rmtree(self._base, ignore_errors=True)
            raise
        self.server = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"
        self._admin = create_engine(f"{self.server}/postgres")

    def _reap_orphans(self) -> None:
        """Stop and remove the servers of test processes that are gone."""
        for base in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
            try:
                owner = int((base / OWNER).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # not ours, or still being set up
            if _alive(owner):
                continue
            running = (base / "data" / "postmaster.pid").exists()
            if not running or self._run("pg_ctl", "-D", str(base / "data"), "-w", "-m", "immediate", "stop").returncode == 0:
                shutil.rmtree(base, ignore_errors=True)

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._prefix, str(self._bin / tool), *args], capture_output=True, text=True,
                              timeout=120, check=False)

    def _start(self, sock: Path) -> int:
        log = self._base / "server.log"
        with ports.reserved() as port:  # held until the server listens on it (PostgreSQL sets SO_REUSEADDR)
            done = self._run("pg_ctl", "-D", str(self._data), "-l", str(log), "-w", "-t", "60", "start",
                             "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1"
                             + ("" if self._durable else " -c fsync=off"))
        if done.returncode == 0:
            return port
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{tail}")

    def schema_url(self, owner: str | None = None) -> str:
        """A new empty schema's URL; with `owner` (a `password_role`), owned by and connecting as
        that role, without its password (the test supplies it)."""
        name = f"t{next(self._schemas)}"
        with self._admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {name}" + (f" AUTHORIZATION {owner}" if owner else "")))
        server = self.server.replace("//postgres@", f"//{owner}@") if owner else self.server
        return f"{server}/postgres?options=-csearch_path%3D{name}"

    def password_role(self, password: str) -> str:
        """A new login role that connects from 127.0.0.1 with `password` only (scram-sha-256); its name."""
        name = f"pb_role{next(self._roles)}"
        with self._admin.begin() as conn:
            conn.execute(text("SET password_encryption = 'scram-sha-256'"))
            quoted = password.replace("'", "''")  # DDL takes no bound parameters
            conn.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{quoted}'"))
        hba = self._data / "pg_hba.conf"
        rule = f"host all {name} 127.0.0.1/32 scram-sha-256\n"  # first match wins: ahead of trust
        hba.write_text(rule + hba.read_text(encoding="utf-8"), encoding="utf-8")
        with self._admin.begin() as conn:
            conn.execute(text("SELECT pg_reload_conf()"))
        # A wrong password, which only trust accepts: whatever PGPASSWORD or a .pgpass file says.
        probe = create_engine(f"{self.server.replace('//postgres@', f'//{name}:not-the-password@')}/postgres")
        try:  # the postmaster reloads on a signal: wait until the wrong password is refused
            for _ in range(200):
                try:
                    probe.connect().close()
                except OperationalError:
                    return name
                time.sleep(0.01)
        finally:
            probe.dispose()
        raise RuntimeError(f"pg_hba.conf reload did not take effect for {name}")

    def stop(self) -> None:
        self._admin.dispose()
        if self._run("pg_ctl", "-D", str(self._data), "-w", "-m", "fast", "stop").returncode == 0:
            shutil.rmtree(self._base, ignore_errors=True)  # else the next test process stops it
