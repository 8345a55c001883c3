"""Per-workshop keys in served links: who may open which worksheet."""

from __future__ import annotations

import stat
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from playbook import paths
from playbook.errors import PlaybookError, WorkshopError
from playbook.workshop import access
from playbook.workshop.access import Access, AccessDenied


@pytest.fixture
def ws(example_copy: Path) -> Path:
    return example_copy


def test_secret_is_created_once_private_and_ignored_by_git(ws: Path) -> None:
    first = access.secret(ws)
    path = ws / ".playbook" / "secret"
    assert len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert access.secret(ws) == first
    assert (ws / ".playbook" / ".gitignore").read_text() == "*\n"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".secret-")]  # no temp left


def test_concurrent_first_use_agrees_on_one_secret(ws: Path) -> None:
    got: list[bytes] = []
    threads = [threading.Thread(target=lambda: got.append(access.secret(ws))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 1


def test_keys_differ_per_team_and_per_workshop(ws: Path, tmp_path: Path) -> None:
    other = paths.copy_example(tmp_path / "other")
    north = access.team_key(ws, "north")
    assert len(north) == 32 and int(north, 16) >= 0
    assert north != access.team_key(ws, "harbour")
    assert north != access.facilitator_key(ws)
    assert north != access.team_key(other, "north")
    assert north == access.team_key(ws, "north")


def test_team_key_for_unknown_team_names_the_known_ones(ws: Path) -> None:
    with pytest.raises(WorkshopError, match="north"):
        access.team_key(ws, "nope")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("team=north&key={north}", Access("team", "north")),
        ("token=abc&team=north&key={north}", Access("team", "north")),
        ("key={fac}", Access("facilitator", None)),
        ("team=harbour&key={fac}", Access("facilitator", "harbour")),
    ],
)
def test_authorise_grants(ws: Path, query: str, expected: Access) -> None:
    keys = {"north": access.team_key(ws, "north"), "fac": access.facilitator_key(ws)}
    assert access.authorise(ws, query.format(**keys)) == expected


@pytest.mark.parametrize(
    "query",
    [
        None,
        "",
        "team=north",
        "team=north&key=",
        "team=north&key=0123456789abcdef0123456789abcdef",
        "team=harbour&key={north}",  # another team's key
        "key={north}",  # a team key without its team
        "team=ghost&key={fac}",
        "team=north&key={north}x",
    ],
)
def test_authorise_denies_without_leaking_keys(ws: Path, query: str | None) -> None:
    keys = {"north": access.team_key(ws, "north"), "fac": access.facilitator_key(ws)}
    with pytest.raises(AccessDenied) as info:
        access.authorise(ws, None if query is None else query.format(**keys))
    assert isinstance(info.value, PlaybookError)
    text = str(info.value)
    for team in ("north", "harbour", "summit", "delta"):
        assert access.team_key(ws, team) not in text
    assert keys["fac"] not in text


def test_links_carry_team_and_key_url_encoded(ws: Path) -> None:
    link = access.team_link("http://127.0.0.1:8866", ws, "north")
    parts = urlsplit(link)
    assert parts.path == "/worksheet"
    assert access.authorise(ws, parts.query) == Access("team", "north")
    dash = access.facilitator_link("http://127.0.0.1:8866/", ws)
    assert urlsplit(dash).path == "/dashboard"
    assert access.authorise(ws, urlsplit(dash).query) == Access("facilitator", None)
    # the serve helper passes the page itself
    page = "http://[::1]:9000/worksheet"
    assert access.team_link(page, ws, "delta").startswith(page + "?team=delta&key=")
    as_team = access.facilitator_link(page, ws, team="north")
    assert parse_qs(urlsplit(as_team).query)["team"] == ["north"]


def test_damaged_secret_is_a_playbook_error(ws: Path) -> None:
    path = ws / ".playbook" / "secret"
    path.parent.mkdir()
    path.write_bytes(b"short")
    with pytest.raises(AccessDenied, match="damaged"):
        access.team_key(ws, "north")


def test_the_presenter_key_opens_the_presenter_view_only(ws: Path) -> None:
    link = access.presenter_link("http://127.0.0.1:8866", ws)
    parts = urlsplit(link)
    assert parts.path == "/presenter"
    assert access.authorise(ws, parts.query) == Access("presenter")
    key = access.presenter_key(ws)
    assert key not in {access.facilitator_key(ws), *(access.team_key(ws, t) for t in ("north", "harbour"))}
    with pytest.raises(AccessDenied):  # never a team's worksheet, not even read-only
        access.authorise(ws, f"team=north&key={key}")
    # a team's key is no presenter key
    assert access.authorise(ws, f"team=north&key={access.team_key(ws, 'north')}").role == "team"
    with pytest.raises(AccessDenied):
        access.authorise(ws, f"key={access.team_key(ws, 'north')}")
