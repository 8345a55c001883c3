"""Who may open which served page: per-workshop keys carried in the link's query string.

Every workshop folder gets a random secret on first use (`.playbook/secret`, 32 bytes, mode
0600, written atomically). A team's key is an HMAC of its id under that secret, so a link lets
a team open its own worksheet only; the facilitator's key opens every team and the dashboard;
the presenter's key opens the presenter view (for the projector) and nothing else.
The served page's query string reaches `widgets.pages` as `QUERY_STRING`; `authorise` reads it.
The server's token and each team's short code (`/t/K7M3-QP9X`, typed from a printed handout)
derive from the same secret, so a link printed before `playbook serve` starts still opens.
Nothing here imports a UI package.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlencode

from playbook import fsio
from playbook.errors import PlaybookError
from playbook.workshop import Folder

SECRET_DIR = ".playbook"
SECRET_FILE = "secret"
KEY_CHARS = 32
_FACILITATOR = "\x00facilitator"  # cannot collide with a team id (ids are [a-z0-9_-])
_TOKEN = "\x00server-token"
_SHORT = "\x00short:"
# Crockford's base32: no I, L, O or U, so nothing printed can be misread; typing O, I or L
# is read as 0, 1 and 1. 8 characters are 40 bits: guessing a team's code over HTTP would
# take longer than any workshop runs.
SHORT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_CHARS = 8
SHORT_PATH = "t"
_PRESENTER = "\x00presenter"
_FINGERPRINT = "\x00fingerprint"
Role = Literal["team", "facilitator", "presenter"]


class AccessDenied(PlaybookError):
    """A served page was opened without a valid key for what it asks for."""


@dataclass(frozen=True)
class Access:
    """What a link grants: one team's worksheet, (facilitator) every team and the dashboard, or
    (presenter) the presenter view only."""

    role: Role
    team: str | None = None


def _folder(folder: str | Path | Folder) -> Folder:
    return folder if isinstance(folder, Folder) else Folder(folder)


def secret_path(folder: str | Path | Folder) -> Path:
    return _folder(folder).path / SECRET_DIR / SECRET_FILE


def secret(folder: str | Path | Folder) -> bytes:
    """The workshop's secret, created on first use; concurrent first uses agree on one."""
    path = secret_path(folder)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():
        with contextlib.suppress(OSError):
            fsio.write_atomic(ignore, "*\n")  # keep the secret out of git
    with contextlib.suppress(FileExistsError):  # another process won the race: use its secret
        fsio.write_atomic(path, os.urandom(32), mode=0o600, exclusive=True)
    return _read(path)


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) < 32:
        raise AccessDenied(
            "the workshop's access secret is damaged", file=path,
            fix="delete the file and serve again; links handed out before stop working",
        )
    return data


def _key(folder: str | Path | Folder, subject: str) -> str:
    return hmac.new(secret(folder), subject.encode("utf-8"), hashlib.sha256).hexdigest()[:KEY_CHARS]


def team_key(folder: str | Path | Folder, team_id: str) -> str:
    """The key in a team's link (32 hex characters); the team must be in the workshop."""
    ws = _folder(folder)
    ws.config.team(team_id)  # a WorkshopError naming the known teams
    return _key(ws, team_id)


def facilitator_key(folder: str | Path | Folder) -> str:
    return _key(folder, _FACILITATOR)


def presenter_key(folder: str | Path | Folder) -> str:
    """The read-only key of the presenter view: safe on a projector laptop, opens no answers."""
    return _key(folder, _PRESENTER)


ENV_TOKEN = "PLAYBOOK_TOKEN"  # how `playbook serve` hands `server_token` to its server process (never argv)


def server_token(folder: str | Path | Folder) -> str:
    """The token `playbook serve` requires, the same on every run for this workshop."""
    return _key(folder, _TOKEN)


def secret_fingerprint(folder: str | Path | Folder) -> str:
    """16 hex characters that tell two copies of the secret apart without revealing it or any
    key: hosts sharing a store compare them (`playbook.sharing`)."""
    return _key(folder, _FINGERPRINT)[:16]


def short_code(folder: str | Path | Folder, team_id: str) -> str:
    """A team's short code as printed: 8 characters of `SHORT_ALPHABET` in two groups (K7M3-QP9X)."""
    ws = _folder(folder)
    ws.config.team(team_id)
    n = int(_key(ws, _SHORT + team_id)[:10], 16)  # 40 bits
    chars = "".join(SHORT_ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(SHORT_CHARS)))
    return f"{chars[:4]}-{chars[4:]}"


def short_team(folder: str | Path | Folder, typed: str) -> str | None:
    """The team whose short code `typed` is (case, dashes and spaces ignored; O, I, L read as 0, 1, 1)."""
    ws = _folder(folder)
    want = _normalise(typed)
    if len(want) != SHORT_CHARS:
        return None
    found = None
    for t in ws.config.teams:  # compare with every team: the time taken tells nothing
        if hmac.compare_digest(want.encode("ascii"), short_code(ws, t.id).replace("-", "").encode("ascii")):
            found = t.id
    return found


def _normalise(typed: str) -> str:
    text = typed.upper().replace("-", "").replace(" ", "").translate(str.maketrans("OIL", "011"))
    return text if all(c in SHORT_ALPHABET for c in text) else ""


def authorise(folder: str | Path | Folder, query_string: str | None) -> Access:
    """The access a query string (`team=...&key=...`) grants, or `AccessDenied`.

    A facilitator key without `team` grants the facilitator role with no team; with `team`,
    that team's worksheet in facilitator mode. The presenter key counts only without `team`.
    The message never reveals a valid key.
    """
    ws = _folder(folder)
    params = parse_qs(query_string or "", keep_blank_values=True)
    key = (params.get("key") or [""])[-1]
    team = (params.get("team") or [""])[-1] or None
    fix = "ask the facilitator for your team's link"
    if team is not None and team not in {t.id for t in ws.config.teams}:
        raise AccessDenied("this link names a team that is not in the workshop", fix=fix)
    if not key:
        raise AccessDenied("this link has no key", fix=fix)
    if hmac.compare_digest(key.encode("utf-8"), facilitator_key(ws).encode("utf-8")):
        return Access("facilitator", team)
    if team is None and hmac.compare_digest(key.encode("utf-8"), presenter_key(ws).encode("utf-8")):
        return Access("presenter")
    if team is not None and hmac.compare_digest(key.encode("utf-8"), _key(ws, team).encode("utf-8")):
        return Access("team", team)
    raise AccessDenied("this link's key is not valid", team=team, fix=fix)


PAGES = ("worksheet", "dashboard", "presenter")  # the pages `playbook serve` serves, one path each


def _page(base_url: str, name: str) -> str:
    """`base_url` may be the server's root or already one of its `PAGES`."""
    base = base_url.split("?", 1)[0].rstrip("/")
    return base if base.rsplit("/", 1)[-1] in PAGES else f"{base}/{name}"


def team_link(base_url: str, folder: str | Path | Folder, team_id: str,
              page: str = "worksheet", token: str | None = None) -> str:
    """`<base>/worksheet?team=<id>&key=<team key>` (`token` adds `&token=`)."""
    params = {"team": team_id, "key": team_key(folder, team_id)}
    query = urlencode({**params, "token": token} if token else params)
    return f"{_page(base_url, page)}?{query}"


def served_team_link(base_url: str, folder: str | Path | Folder, team_id: str) -> str:
    """The team's link as `playbook serve` at `base_url` prints it, token included."""
    return team_link(base_url, folder, team_id, token=server_token(folder))


def short_link(base_url: str, folder: str | Path | Folder, team_id: str) -> str:
    """`<base>/t/<code>`: the server redirects it to the team's link (`playbook.shortlinks`)."""
    return f"{base_url.split('?', 1)[0].rstrip('/')}/{SHORT_PATH}/{short_code(folder, team_id)}"


def facilitator_link(base_url: str, folder: str | Path | Folder, page: str = "dashboard",
                     team: str | None = None) -> str:
    """`<base>/dashboard?key=<facilitator key>` (`team` adds `team=`)."""
    params = {"team": team} if team else {}
    query = urlencode({**params, "key": facilitator_key(folder)})
    return f"{_page(base_url, page)}?{query}"


def presenter_link(base_url: str, folder: str | Path | Folder, page: str = "presenter") -> str:
    """`<base>/presenter?key=<presenter key>`."""
    return f"{_page(base_url, page)}?{urlencode({'key': presenter_key(folder)})}"


__all__ = [
    "Access", "AccessDenied", "authorise", "facilitator_key", "facilitator_link", "presenter_key",
    "presenter_link", "secret", "secret_fingerprint", "served_team_link", "server_token", "short_code",
    "short_link", "short_team", "team_key", "team_link",
]
