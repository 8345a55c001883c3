"""`playbook handouts --per-team [--server URL]` without a browser: a folder per team named from
its id, the team's name and members escaped, the printed link and short code, and nothing
written outside out/handouts but the workshop's secret. Reading the QR codes back from the
PDFs and opening the links on a real server is in test_handouts_teams_browser.py."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from click.testing import CliRunner
from hostile import HOSTILE, hostile_workshop
from test_handouts import Page

from playbook import fsio
from playbook.cli.handouts import handouts as handouts_cmd
from playbook.errors import PlaybookError
from playbook.paths import copy_example
from playbook.publish import handouts
from playbook.workshop import Folder, access

SERVER = "http://192.168.1.20:8866"
EXERCISES = ["empathy_audit.html", "enablement.html", "fit_assessment.html"]
SHARED = [*EXERCISES, "facilitator-guide.html"]


def files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def team_pages(folder: Path, team: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "out" / "handouts" / team).glob("*.html"))}


def qr_images(html: str) -> list[str]:
    """The src of every QR image of the page (attributes unescaped by the parser)."""
    return [img["src"] or "" for img in Page(html).images if img.get("class") == "pb-qr"]


def qr_payload(html: str) -> str:
    """The QR image's data: URI, decoded to its SVG text."""
    found = qr_images(html)
    assert len(found) == 1, "not one QR code on the page"
    assert found[0].startswith("data:image/svg+xml")
    return unquote(found[0].split(",", 1)[1])


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Path], handouts.Built]:
    """The example built with --per-team --server; what it added to its parent folder."""
    folder = copy_example(tmp_path_factory.mktemp("teams") / "acme")
    before = files(folder.parent)
    built = handouts.build(folder, per_team=True, server=SERVER)
    return folder, files(folder.parent) - before, built


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Path]]:
    """Hostile team names and members (a name that looks like a path, markup, RTL, CJK)."""
    folder = hostile_workshop(tmp_path_factory.mktemp("hostile"))
    cfg = yaml.safe_load((folder / "workshop.yml").read_text(encoding="utf-8"))
    for n, team in enumerate(cfg["teams"]):
        team["members"] = [HOSTILE[(n + k) % 8] for k in range(3)] + [HOSTILE[9], HOSTILE[10]]
    (folder / "workshop.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    before = files(folder.parent)
    handouts.build(folder, per_team=True, server=SERVER)
    return folder, files(folder.parent) - before


def test_one_folder_per_team_named_from_its_id(acme: tuple[Path, set[Path], handouts.Built]) -> None:
    folder, new, built = acme
    ids = [t.id for t in Folder(folder).config.teams]
    expected = {Path("acme/out/handouts") / name for name in SHARED}
    expected |= {Path("acme/out/handouts") / team / name for team in ids for name in EXERCISES}
    secret = Path("acme") / access.SECRET_DIR
    assert {p for p in new if secret not in p.parents} == expected
    assert {p for p in new if secret in p.parents} <= {secret / access.SECRET_FILE, secret / ".gitignore"}
    assert len(built.html) == len(expected) and not built.pdf
    assert not list(folder.rglob(f"{fsio.TMP_PREFIX}*"))


def test_each_team_handout_names_the_team_its_members_and_its_links(
    acme: tuple[Path, set[Path], handouts.Built],
) -> None:
    folder, _, built = acme
    ws = Folder(folder)
    codes = set()
    for team in ws.config.teams:
        link = built.links[team.id]
        assert link.url == access.served_team_link(SERVER, ws, team.id)
        query = parse_qs(urlsplit(link.url).query)
        assert query == {"team": [team.id], "key": [access.team_key(ws, team.id)],
                         "token": [access.server_token(ws)]}
        assert link.short == f"{SERVER}/t/{access.short_code(ws, team.id)}"
        codes.add(access.short_code(ws, team.id))
        for name, html in team_pages(folder, team.id).items():
            assert f"Team {escape(team.name, quote=False)}" in html, name
            assert escape(", ".join(team.members), quote=False) in html, name
            assert link.short in html, name
            assert "<svg" in qr_payload(html)
            assert qr_payload(html) == qr_payload(team_pages(folder, team.id)["empathy_audit.html"])
            page = Page(html)
            assert page.headings[0] == 1 and page.headings.count(1) == 1
            assert all(u.startswith(("#", "data:")) for u in page.urls), page.urls
            assert all(img.get("alt") for img in page.images)
            others = [t for t in ws.config.teams if t.id != team.id]
            assert not any(access.team_key(ws, t.id) in html for t in others)  # a team's paper opens its page only
            assert access.facilitator_key(ws) not in html
    assert len(codes) == len(ws.config.teams)
    for html in (folder / "out" / "handouts" / name for name in SHARED):
        assert not qr_images(html.read_text(encoding="utf-8"))  # the shared handouts stay blank


def test_the_qr_codes_differ_between_teams(acme: tuple[Path, set[Path], handouts.Built]) -> None:
    built = acme[2]
    qrs = {team: built.links[team].qr for team in built.links}
    assert len(set(qrs.values())) == len(qrs) == 4


def test_hostile_names_are_escaped_and_never_paths(hostile: tuple[Path, set[Path]]) -> None:
    folder, new = hostile
    ws = Folder(folder)
    ids = [t.id for t in ws.config.teams]
    outside = [p for p in new if Path("acme/out/handouts") not in p.parents and Path("acme/.playbook") not in p.parents]
    assert outside == [] and not (folder.parent / "etc").exists()
    assert {p.parent.name for p in new if p.parent.parent == Path("acme/out/handouts")} == set(ids)
    for team in ws.config.teams:
        for name, html in team_pages(folder, team.id).items():
            page = Page(html)
            assert not {"script", "iframe", "svg"} & set(page.tags), name
            assert not page.handlers and page.headings.count(1) == 1, name
            assert all(u.startswith(("#", "data:")) for u in page.urls), (name, page.urls)
            assert escape(team.name, quote=False) in html
            for member in team.members:
                assert escape(member, quote=False) in html, member
            for raw in (h for h in HOSTILE if "<" in h):  # markup never reaches the page as markup
                assert raw not in html
    north = team_pages(folder, ids[1])["empathy_audit.html"]
    assert escape(HOSTILE[2], quote=False) in north  # the team named `"><svg onload=...>`


def test_without_a_server_the_team_sets_have_no_link_and_need_no_secret(example_copy: Path) -> None:
    before = files(example_copy)
    built = handouts.build(example_copy, per_team=True)
    new = files(example_copy) - before
    assert all(Path("out/handouts") in p.parents for p in new) and len(new) == 16
    assert not built.links and not (example_copy / access.SECRET_DIR).exists()
    html = team_pages(example_copy, "north")["fit_assessment.html"]
    assert "Lena Park, Tomás Ruiz, Aiko Mori" in html and not qr_images(html) and "/t/" not in html


@pytest.mark.parametrize(("typed", "root"), [
    ("http://192.168.1.20:8866", "http://192.168.1.20:8866"),
    ("http://192.168.1.20:8866/", "http://192.168.1.20:8866"),
    (" 192.168.1.20:8866 ", "http://192.168.1.20:8866"),
    ("https://workshop.example.org", "https://workshop.example.org"),
    ("http://[fe80::1]:8866", "http://[fe80::1]:8866"),
])
def test_server_addresses(typed: str, root: str) -> None:
    assert handouts.server_root(typed) == root


@pytest.mark.parametrize("typed", [
    "ftp://192.168.1.20", "http://", "http://192.168.1.20:88x6", "http://192.168.1.20:70000",
    "http://192.168.1.20:8866/voila/render/worksheet.ipynb", "http://192.168.1.20:8866/?token=x",
    "http://user:pw@192.168.1.20:8866", "",
])
def test_bad_server_addresses_are_refused_naming_the_option(typed: str) -> None:
    with pytest.raises(PlaybookError) as err:
        handouts.server_root(typed)
    assert err.value.field == "--server" and "http://192.168.1.20:8866" in (err.value.fix or "")


def test_short_codes_are_typable_stable_and_read_leniently(example_copy: Path, tmp_path: Path) -> None:
    ws = Folder(example_copy)
    other = Folder(copy_example(tmp_path / "other" / "acme"))
    for team in ws.config.teams:
        code = access.short_code(ws, team.id)
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code), code
        assert access.short_code(Folder(example_copy), team.id) == code  # same secret, same code
        assert access.short_code(other, team.id) != code  # another workshop, another secret
        plain = code.replace("-", "")
        for typed in (code, plain, code.lower(), f" {plain[:4]} {plain[4:]} ",
                      plain.replace("0", "O").replace("1", "l")):
            assert access.short_team(ws, typed) == team.id, typed
        assert access.short_team(other, code) is None
        assert access.short_team(ws, plain[:-1]) is None and access.short_team(ws, plain + "0") is None
    assert access.short_team(ws, "") is None and access.short_team(ws, "UUUU-UUUU") is None
    assert access.short_team(ws, "../../etc") is None


def test_the_token_is_the_workshops_and_stable(example_copy: Path, tmp_path: Path) -> None:
    token = access.server_token(example_copy)
    assert re.fullmatch(r"[0-9a-f]{32}", token) and access.server_token(Folder(example_copy)) == token
    assert token not in {access.facilitator_key(example_copy), *(access.team_key(example_copy, t)
                                                                for t in ("north", "harbour"))}
    assert access.server_token(copy_example(tmp_path / "b" / "acme")) != token


def test_cli_per_team_prints_paths_and_short_links(example_copy: Path) -> None:
    result = CliRunner().invoke(handouts_cmd, [str(example_copy), "--per-team", "--server", SERVER])
    assert result.exit_code == 0, result.output
    assert result.output.count(".html") == 16
    for team in ("north", "harbour", "summit", "delta"):
        assert f"{team}: {SERVER}/t/{access.short_code(example_copy, team)}" in result.output
        assert str(example_copy / "out" / "handouts" / team / "enablement.html") in result.output
    assert "note:" not in result.output


def test_cli_warns_when_the_address_is_this_machine_only(example_copy: Path) -> None:
    result = CliRunner().invoke(handouts_cmd, [str(example_copy), "--per-team", "--server", "127.0.0.1:8866"])
    assert result.exit_code == 0, result.output
    assert "reachable from this machine only" in result.output and "--lan" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--server", SERVER], "printed on team handouts only"),
    (["--per-team", "--server", "http://192.168.1.20:8866/x"], "has a path"),
])
def test_cli_refusals_exit_2_without_a_traceback(example_copy: Path, args: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from playbook.cli import main

    assert main(["handouts", str(example_copy), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "--server" in err and "Traceback" not in err
    assert not (example_copy / "out" / "handouts").exists()  # checked before anything is written


def test_cli_help_shows_the_per_team_example() -> None:
    result = CliRunner().invoke(handouts_cmd, ["--help"])
    assert "--per-team" in result.output and "--server" in result.output
    assert "playbook handouts examples/acme --per-team --server http://192.168.1.20:8866" in result.output
