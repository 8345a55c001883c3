"""Team ids and roster import: any name gives a safe, stable id; any spreadsheet export
either imports cleanly (comments of workshop.yml kept) or fails with file, line and column,
leaving workshop.yml byte for byte as it was."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.errors import WorkshopError
from playbook.workshop import WORKSHOP_FILE, Folder, load
from playbook.workshop.ids import TEAM_ID_PATTERN, base_id, short_hash, team_id
from playbook.workshop.roster import import_roster, read_roster
from playbook.workshop.starter import init_workshop

WORKSHOP = """\
# Acme, Q4: edited by hand.
client: Acme   # the client's name as on the contract
title: Knowing our customers
date: 2026-11-18
facilitator: Marta
teams:
  # existing teams keep their ids
  - id: north
    name: Customer Success
    members: [Lena Park]   # Lena leads
exercises:
  - empathy_audit
"""

ID = re.compile(TEAM_ID_PATTERN)


# --- team ids -------------------------------------------------------------------------

HASHED = "team-" + short_hash("北京团队")


@pytest.mark.parametrize(("name", "expected"), [
    ("Customer Success", "customer-success"),
    ("  North  ", "north"),
    ("Équipe Nord", "equipe-nord"),
    ("Straße & Söhne", "strasse-sohne"),
    ("Østfold Ærø", "ostfold-aero"),
    ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
    ("北京团队", HASHED),
    ("🚀🚀", "team-" + short_hash("🚀🚀")),
    ("🚀 Rocket", "rocket"),
    ("Team 北京", "team-" + short_hash("Team 北京")),
    ("O'Brien \"Q4\"", "o-brien-q4"),
    ("a/b\\c", "a-b-c"),
    ("..", "team-" + short_hash("..")),
    ("../../etc", "etc"),
    ("team.html", "team-html"),
    ("", "team"),
    ("   \t", "team"),
    ("-x-", "x"),
    ("2024", "2024"),
])
def test_team_id(name: str, expected: str) -> None:
    assert team_id(name, set()) == expected
    assert ID.fullmatch(expected)


def test_team_id_long_names_stay_readable() -> None:
    name = "word " * 60  # 300 characters
    tid = team_id(name, set())
    assert ID.fullmatch(tid) and len(tid) <= 40 and not tid.endswith("-")
    assert team_id("x" * 300, set()) == "x" * 40


def test_team_id_collisions_are_numbered() -> None:
    taken: set[str] = set()
    ids = []
    for _ in range(4):
        ids.append(team_id("North", taken))
        taken.add(ids[-1])
    assert ids == ["north", "north-2", "north-3", "north-4"]
    assert team_id("x" * 300, {"x" * 40}) == "x" * 40 + "-2"


def test_team_id_is_deterministic_across_forms() -> None:
    composed, decomposed = "Équipe 北", unicodedata.normalize("NFD", "Équipe 北")
    assert team_id(composed, set()) == team_id(decomposed, set()) == base_id(composed)
    assert team_id("北京", set()) == team_id("北京", set()) != team_id("上海", set())


@given(st.text(max_size=300), st.sets(st.text(max_size=10), max_size=5))
def test_team_id_always_valid(name: str, taken: set[str]) -> None:
    tid = team_id(name, taken)
    assert ID.fullmatch(tid) and tid not in taken
    assert tid == team_id(name, taken)


# --- import ---------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / WORKSHOP_FILE).write_text(WORKSHOP, encoding="utf-8")
    return tmp_path


def _csv(tmp_path: Path, text: str, *, bom: bool = False, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))
    return path


ONE_CELL = [["team", "members"], ["Customer Success", "Lena Park; Aiko Mori"],
            ["Équipe Nord", "Ana, Bo"]]
PER_ROW = [["Team ", " Member"], ["Customer Success", "Lena Park"],
           ["Customer Success", "Aiko Mori"], ["Équipe Nord", "Ana"], [], ["Équipe Nord", "Bo"]]


def _rows(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)  # quotes cells holding `delimiter`
    return out.getvalue()


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("delimiter", [",", ";"], ids=["comma", "semicolon"])
@pytest.mark.parametrize("shape", [ONE_CELL, PER_ROW], ids=["one-cell", "row-per-member"])
def test_import_shapes(folder: Path, bom: bool, delimiter: str, shape: list[list[str]]) -> None:
    changed = import_roster(folder, _csv(folder, _rows(shape, delimiter), bom=bom))
    teams = load(folder / WORKSHOP_FILE).teams
    assert [(t.id, t.name, t.members) for t in teams] == [
        ("north", "Customer Success", ["Lena Park", "Aiko Mori"]),
        ("equipe-nord", "Équipe Nord", ["Ana", "Bo"]),
    ]
    assert changed == teams


def test_reimport_is_idempotent_and_keeps_comments(folder: Path) -> None:
    roster = _csv(folder, _rows([*ONE_CELL, ["北京团队", "王"], ["2024", ""]]))
    first = import_roster(folder, roster)
    after_first = (folder / WORKSHOP_FILE).read_bytes()
    assert import_roster(folder, roster) == []
    assert (folder / WORKSHOP_FILE).read_bytes() == after_first
    text = after_first.decode()
    for comment in ("# Acme, Q4: edited by hand.", "# the client's name as on the contract",
                    "# existing teams keep their ids", "# Lena leads"):
        assert comment in text
    assert [t.id for t in first] == ["north", "equipe-nord", HASHED, "2024"]
    # reordered, with a new team first: nobody's id moves
    shuffled = _csv(folder, "team\nNew Team\n2024\nÉquipe Nord\n北京团队\n", name="b.csv")
    assert [t.id for t in import_roster(folder, shuffled)] == ["new-team"]
    assert [t.id for t in load(folder / WORKSHOP_FILE).teams] == [
        "north", "equipe-nord", HASHED, "2024", "new-team"]


def test_import_matches_by_id_then_by_name(folder: Path) -> None:
    roster = _csv(folder, "id;team;members\nnorth;CS renamed;Zed\n;Customer Success;Other\n")
    with pytest.raises(WorkshopError, match="both refer to team 'north'") as info:
        import_roster(folder, roster)
    assert (info.value.line, info.value.field) == (3, "team (column B)")
    import_roster(folder, _csv(folder, "id;team\nnorth;CS renamed\n", name="b.csv"))
    team = load(folder / WORKSHOP_FILE).teams[0]
    assert (team.id, team.name, team.members) == ("north", "CS renamed", ["Lena Park"])


def test_import_uses_given_ids_and_keeps_unlisted_teams(folder: Path) -> None:
    import_roster(folder, _csv(folder, "team,id\nEast,e1\nWest,\n"))
    teams = load(folder / WORKSHOP_FILE).teams
    assert [(t.id, t.name) for t in teams] == [
        ("north", "Customer Success"), ("e1", "East"), ("west", "West")]


def test_import_team_name_column_with_member_rows(folder: Path) -> None:
    import_roster(folder, _csv(folder, "Team,Name,Email\nEast,Ana,a@x\nEast,Bo,b@x\n"))
    assert load(folder / WORKSHOP_FILE).teams[1].members == ["Ana", "Bo"]


def test_import_into_a_starter_keeps_its_comments(tmp_path: Path) -> None:
    f = init_workshop(tmp_path, client="Acme", title="T", date="2026-11-18", facilitator="M")
    before = f.config_path.read_text()
    import_roster(f, _csv(tmp_path, "team\nEast\nWest\n"))
    after = f.config_path.read_text()
    assert [t.id for t in f.config.teams] == ["east", "west"]
    comments = [ln.strip() for ln in before.splitlines() if ln.strip().startswith("#")]
    assert comments == [ln.strip() for ln in after.splitlines() if ln.strip().startswith("#")]
    assert after.index("id: east") < after.index("# - id: north") < after.index("exercises:")


def test_import_without_a_teams_key(folder: Path) -> None:
    path = folder / WORKSHOP_FILE
    path.write_text(WORKSHOP.split("teams:")[0] + "exercises: [empathy_audit]\n")
    import_roster(folder, _csv(folder, "team\nEast\n"))
    text = path.read_text()
    assert text.index("teams:") < text.index("exercises:")
    assert [t.id for t in load(path).teams] == ["east"]


def test_import_keeps_crlf_bom_and_block_lists(folder: Path) -> None:
    path = folder / WORKSHOP_FILE
    block = WORKSHOP.replace("members: [Lena Park]   # Lena leads",
                             "members:\n      - Lena Park   # Lena leads")
    path.write_bytes(codecs.BOM_UTF8 + block.replace("\n", "\r\n").encode())
    import_roster(folder, _csv(folder, "team,members\nCustomer Success,Lena Park;Bo\n"))
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and b"\n" not in raw.replace(b"\r\n", b"")
    assert "      - Lena Park   # Lena leads\r\n      - Bo\r\n" in raw.decode("utf-8-sig")
    assert load(path).teams[0].members == ["Lena Park", "Bo"]


def test_import_keeps_four_space_style(folder: Path) -> None:
    path = folder / WORKSHOP_FILE
    path.write_text("client: A\ntitle: T\ndate: 2026-11-18\nfacilitator: M\n"
                    "teams:\n-   id: north\n    name: N\nexercises:\n- empathy_audit\n"
                    "branding:\n    accent: '#000000'\n")
    import_roster(folder, _csv(folder, "team\nEast\n"))
    text = path.read_text()
    assert "- id: east\n  name: East\n" in text or "-   id: east\n    name: East\n" in text
    assert "branding:\n    accent: '#000000'\n" in text
    assert [t.id for t in load(path).teams] == ["north", "east"]


@pytest.mark.parametrize(("teams", "expected"), [
    ("teams: [{id: north, name: N, members: [a]}]\n",
     "teams: [{id: north, name: N, members: [z]}, {id: east, name: East, members: [q]}]\n"),
    ("teams:\n- id: north\n  name: N\n  members: &m [a, b]\n- id: south\n  name: S\n"
     "  members: *m\n", "  members: [z]\n- id: south\n  name: S\n  members: [a, b]\n"),
], ids=["flow", "shared-by-anchor"])
def test_import_into_other_layouts(folder: Path, teams: str, expected: str) -> None:
    path = folder / WORKSHOP_FILE
    path.write_text("client: A\ntitle: T\ndate: 2026-11-18\nfacilitator: M\n" + teams
                    + "exercises: [empathy_audit]\n")
    import_roster(folder, _csv(folder, "team,members\nN,z\nEast,q\n"))
    assert expected in path.read_text()
    assert load(path).teams[0].members == ["z"]


STRANGE = [
    "O'Brien \"Q4\"", "a/b\\c", "..", "../../etc", "🚀", "👨‍👩‍👧 family", "北京团队", "n" * 300,
    "Yes", "no", "null", "~", "2024", "1:20", "0x1f", "- dash", "#hash", "a: b", "a #b",
    "*star", "&amp", "!bang", "%pct", "@at", "`tick", "|pipe", ">gt", "[x]", "{y}", "'q'",
    '"dq"', "?q", "=", "<<", "tab\tinside", "line\nbreak", "end:", " spaced ",
]


def test_strange_names_round_trip(folder: Path) -> None:
    roster = _csv(folder, _rows([["team", "members"], *[[n, f"{n[:200]}; x"] for n in STRANGE]]))
    import_roster(folder, roster)
    teams = load(folder / WORKSHOP_FILE).teams[1:]
    expected = [" ".join(n.split()) for n in STRANGE]
    assert [t.name for t in teams] == expected
    assert [t.members[0] for t in teams] == [" ".join(n[:200].split()) for n in STRANGE]
    assert all(ID.fullmatch(t.id) for t in teams)
    assert len({t.id for t in teams}) == len(teams)
    assert import_roster(folder, roster) == []


# (case, bytes, line, field, words in the fix)
BAD = [
    ("no team column", b"name_of_team,members\nA,b\n", 1, None, "team, members"),
    ("data without header", b"North,Ana\n", 1, None, "team, members"),
    ("empty team name", b"team,members\nA,x\n ,y\n", 3, "team (column A)", "fill in"),
    ("empty name, semicolons", b"members;team\nx;A\n\ny;\n", 4, "team (column B)", "fill in"),
    ("bad id", b"team,id\nA,Bad Id\n", 2, "id (column B)", "'a'"),
    ("id with a dot", b"team,id\nA,../x\n", 2, "id (column B)", "lower-case"),
    ("id used twice", b"team,id\nA,x\nB,x\n", 3, "id (column B)", "own id"),
    ("two ids for a team", b"team,id\nA,x\nA,y\n", 3, "id (column B)", "same id"),
    ("id of another team", b"team,id\nCustomer Success,cs\n", 2, "id (column B)", "'north'"),
    ("header after blank lines", b"\n\nmembers,team\nx,\n", 4, "team (column B)", "fill in"),
    ("two team columns", b"team,Team\nA,B\n", 1, "column B", "rename"),
    ("latin-1", "team\nA\nÉquipe\n".encode("latin-1"), 3, None, "CSV UTF-8"),
    ("utf-16", "team\nA\n".encode("utf-16"), 1, None, "CSV UTF-8"),
    ("empty", b"", 1, None, "header row"),
    ("blank lines", b"\n \n", 1, None, "header row"),
    ("header only", b"team,members\n", 2, None, "one row per team"),
    ("long member", b"team,members\nA," + b"m" * 201 + b"\n", 2, "members (column B)",
     "shorten"),
    ("multi-line cell before", b'team,members\nA,"x\ny"\n,z\n', 4, "team (column A)",
     "fill in"),
]


@pytest.mark.parametrize(("content", "line", "field", "fix"), [c[1:] for c in BAD],
                         ids=[c[0] for c in BAD])
def test_bad_rosters(
    folder: Path, content: bytes, line: int, field: str | None, fix: str
) -> None:
    before = (folder / WORKSHOP_FILE).read_bytes()
    roster = folder / "roster.csv"
    roster.write_bytes(content)
    with pytest.raises(WorkshopError) as info:
        import_roster(folder, roster)
    err = info.value
    assert err.file == str(roster)
    assert (err.line, err.field) == (line, field), err.message
    assert err.fix and fix in err.fix, err.message
    assert (folder / WORKSHOP_FILE).read_bytes() == before


def test_missing_roster_and_folder(folder: Path) -> None:
    with pytest.raises(WorkshopError, match="not found"):
        import_roster(folder, folder / "nope.csv")
    with pytest.raises(WorkshopError, match="is a folder, not a file"):
        read_roster(folder)
    with pytest.raises(WorkshopError, match="not a workshop folder"):
        import_roster(folder / "nowhere", folder / "nope.csv")


def test_invalid_workshop_is_reported_before_the_roster(folder: Path) -> None:
    (folder / WORKSHOP_FILE).write_text(WORKSHOP.replace("2026-11-18", "2026-02-30"))
    f = folder / WORKSHOP_FILE
    with pytest.raises(WorkshopError) as info:
        import_roster(folder, _csv(folder, "team\nA\n"))
    assert (info.value.file, info.value.field) == (str(f), "date")


def test_stale_folder_object_sees_the_file_as_it_is(folder: Path) -> None:
    f = Folder(folder)
    (folder / WORKSHOP_FILE).write_text(WORKSHOP.replace("client: Acme", "client: Acme Corp"))
    import_roster(f, _csv(folder, "team\nEast\n"))
    assert f.config.client == "Acme Corp"
    assert [t.id for t in f.config.teams] == ["north", "east"]


# --- generated rosters ----------------------------------------------------------------

HYPO = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rosters")


def _import_or_reject(scratch: Path, content: bytes) -> None:
    config = scratch / WORKSHOP_FILE
    config.write_text(WORKSHOP, encoding="utf-8")
    roster = scratch / "roster.csv"
    roster.write_bytes(content)
    try:
        import_roster(scratch, roster)
    except WorkshopError as exc:
        assert exc.file and exc.message
        assert config.read_text(encoding="utf-8") == WORKSHOP
        return
    teams = load(config).teams
    assert teams[0].id == "north"
    assert all(ID.fullmatch(t.id) for t in teams)
    assert not [p for p in scratch.iterdir() if p.name.endswith(".tmp")]


@HYPO
@given(content=st.binary(max_size=300))
def test_generated_bytes(scratch: Path, content: bytes) -> None:
    _import_or_reject(scratch, content)


cell = st.text(max_size=30) | st.sampled_from(["", " ", "north", "Customer Success", "a;b",
                                               "x,y", '"', "Bad Id", "-x", "a" * 70])
header = st.lists(st.sampled_from(["team", "Team ", "name", "members", "member", "id", "email",
                                   "", "TEAM"]), min_size=1, max_size=4)


@HYPO
@given(header=header, rows=st.lists(st.lists(cell, max_size=5), max_size=6),
       delimiter=st.sampled_from([",", ";", "\t", "|"]), bom=st.booleans(),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), quoted=st.booleans())
def test_generated_rosters(
    scratch: Path, header: list[str], rows: list[list[str]], delimiter: str, bom: bool,
    newline: str, quoted: bool,
) -> None:
    out = io.StringIO()
    if quoted:
        csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows([header, *rows])
    else:
        out.write(newline.join(delimiter.join(r) for r in [header, *rows]))
    _import_or_reject(scratch, (codecs.BOM_UTF8 if bom else b"") + out.getvalue().encode())


@HYPO
@given(names=st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=6))
def test_generated_names_round_trip(scratch: Path, names: list[str]) -> None:
    config = scratch / WORKSHOP_FILE
    config.write_text(WORKSHOP, encoding="utf-8")
    out = io.StringIO()
    csv.writer(out).writerows([["team"], *[[n] for n in names]])
    roster = scratch / "roster.csv"
    roster.write_text(out.getvalue(), encoding="utf-8")
    try:
        import_roster(scratch, roster)
    except WorkshopError as exc:
        # names of whitespace (a blank row) or of control characters only
        assert exc.what in ("empty team name", "the roster has a header but no teams")
        assert config.read_text(encoding="utf-8") == WORKSHOP
        return
    loaded = [t.name for t in load(config).teams]
    assert loaded[0] == "Customer Success"
    assert all(name == " ".join(name.split()) for name in loaded)
    assert not [c for name in loaded for c in name if unicodedata.category(c) == "Cc"]
    clean = {n for n in names if n.isprintable() and n == " ".join(n.split())}
    assert {unicodedata.normalize("NFC", n) for n in clean} <= set(loaded)
    assert import_roster(scratch, roster) == []
