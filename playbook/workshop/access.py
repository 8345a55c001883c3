"""Who may open which served page: per-workshop keys carried in the link's query string.

Every workshop folder gets a random secret on first use (`.playbook/secret`, 32 bytes, mode
0600, written atomically). A team's key is an HMAC of its id under that secret, so a link lets
a team open its own worksheet only; the facilitator's key opens every team and the dashboard;
the presenter's key opens the presenter view (for the projector) and nothing else.
Voilà hands the page's query string to the kernel as `QUERY_STRING`; `authorise` reads it.
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
_PRESENTER = "\x00presenter"
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


NOTEBOOK_PATH = "voila/render/{name}"


def _page(base_url: str, name: str) -> str:
    """`base_url` may be the server's root or already the notebook's page."""
    base = base_url.split("?", 1)[0].rstrip("/")
    return base if base.endswith(".ipynb") else f"{base}/{NOTEBOOK_PATH.format(name=name)}"


def team_link(base_url: str, folder: str | Path | Folder, team_id: str,
              notebook: str = "worksheet.ipynb") -> str:
    """`<base>/voila/render/worksheet.ipynb?team=<id>&key=<team key>`."""
    query = urlencode({"team": team_id, "key": team_key(folder, team_id)})
    return f"{_page(base_url, notebook)}?{query}"


def facilitator_link(base_url: str, folder: str | Path | Folder, notebook: str = "dashboard.ipynb",
                     team: str | None = None) -> str:
    """`<base>/voila/render/dashboard.ipynb?key=<facilitator key>` (`team` adds `team=`)."""
    params = {"team": team} if team else {}
    query = urlencode({**params, "key": facilitator_key(folder)})
    return f"{_page(base_url, notebook)}?{query}"


def presenter_link(base_url: str, folder: str | Path | Folder, notebook: str = "presenter.ipynb") -> str:
    """`<base>/voila/render/presenter.ipynb?key=<presenter key>`."""
    return f"{_page(base_url, notebook)}?{urlencode({'key': presenter_key(folder)})}"


__all__ = [
    "Access", "AccessDenied", "authorise", "facilitator_key", "facilitator_link", "presenter_key",
    "presenter_link", "secret", "team_key", "team_link",
]
