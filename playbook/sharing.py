"""What the hosts serving one workshop through a shared store must agree on, checked as
`playbook serve` starts.

Several `playbook serve` processes (one per host, behind one reverse proxy) serve one workshop
when `PLAYBOOK_STORE_URL` points them at one PostgreSQL database: every page reads and writes
there, so a team's answers, the dashboard and the presenter's step are the same on every
host. `check` opens that store once before the server starts, so an unreachable server or a refused
password is one error at the start rather than a broken page per team later; the store creates
or upgrades its schema under a lock, so hosts starting at once do it once. It also compares the
workshop secret with the one the last serve recorded (by a fingerprint that reveals no key):
team links, the server token and short codes open only on hosts with the same secret.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from playbook.answers import ENV_URL
from playbook.workshop import Folder, access

STATE = "serve.secret"  # the workshop-level record: the fingerprint, host and time of the last serve


@dataclass(frozen=True)
class Shared:
    """A workshop served from a shared store, as `playbook serve` reports it."""

    url: str  # the store's URL, its password hidden
    workshop: str  # the id its rows carry: every host must use the same
    id_from_folder: bool  # workshop.yml has no `id:`: a copy in a folder named otherwise gets another id
    other_secret: str | None  # where and when this workshop was last served with another secret


def check(folder: Folder) -> Shared | None:
    """Open the shared store named by `$PLAYBOOK_STORE_URL` (None without one: the folder's own
    responses.db is nobody else's), creating its schema, and record this host's secret.

    A store that cannot be reached or refuses the password raises its `StoreError` (the URL in
    it shows no password).
    """
    url = os.environ.get(ENV_URL, "").strip()
    if not url:
        return None
    from playbook.answers.store import Store, shown_url  # here: SQLAlchemy only when a shared store is named

    mine = access.secret_fingerprint(folder)
    other = None
    with Store.for_folder(folder) as store:
        seen = store.state(STATE)
        if not isinstance(seen, dict) or seen.get("fingerprint") != mine:
            if isinstance(seen, dict):
                other = f"from {seen.get('host') or 'another host'} at {seen.get('at') or 'an unknown time'}"
            now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            store.save_state(STATE, {"fingerprint": mine, "host": socket.gethostname(), "at": now},
                             author="playbook serve")
    return Shared(shown_url(url), folder.workshop_id, folder.config.id is None, other)
