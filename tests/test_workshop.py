"""workshop.yml: every mistake a facilitator can make is a `WorkshopError` naming the file,
the line, the field and a fix; `init_workshop` writes a starter that loads as it is."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.errors import WorkshopError
from playbook.workshop import WORKSHOP_FILE, Folder, load, parse, write_config
from playbook.workshop.starter import init_workshop

VALID = """\
# a comment
client: Acme
title: Knowing our customers
date: 2026-11-18
language: en
facilitator: Marta
teams:
  - id: north
    name: North
    members: [Lena, Tomás]
  - id: south
    name: South
exercises:
  - empathy_audit
  - fit_assessment
branding:
  logo: logo.svg
  accent: "#1F5F8B"
"""


def _folder(tmp_path: Path, text: str, *, logo: bool = True) -> Path:
    if logo:
        (tmp_path / "logo.svg").write_text("<svg/>")
    path = tmp_path / WORKSHOP_FILE
    path.write_text(text, encoding="utf-8")
    return path


def _with(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def test_valid_file_loads(tmp_path: Path) -> None:
    folder = Folder(_folder(tmp_path, VALID).parent)
    ws = folder.config
    assert ws.date == dt.date(2026, 11, 18)
    assert [t.id for t in ws.teams] == ["north", "south"]
    assert ws.teams[1].members == []
    assert ws.branding.accent == "#1f5f8b"
    assert folder.workshop_id == tmp_path.name.lower().replace("_", "-")[:63]
    assert [e.id for e in folder.exercises()] == ["empathy_audit", "fit_assessment"]


def test_settings_reach_scoring(tmp_path: Path) -> None:
    folder = Folder(_folder(tmp_path, VALID + "settings:\n  fit_assessment:\n    revenue_ceiling: 20\n").parent)
    ctx = folder.scoring_context("fit_assessment")
    assert ctx.as_of == dt.date(2026, 11, 18) and dict(ctx.settings) == {"revenue_ceiling": 20}
    assert dict(folder.scoring_context("empathy_audit").settings) == {}


def test_example_workshop_loads(example_readonly: Path) -> None:
    folder = Folder(example_readonly)
    assert len(folder.config.teams) == 4


# (case, text, line, field, words the fix must contain)
ERRORS = [
    ("unknown top-level key", _with("language: en", "colour: red"), 5, "colour", "allowed here"),
    ("unknown team key", _with("    name: South", "    name: South\n    role: x"), 13,
     "teams[1].role", "members"),
    ("unknown branding key", _with("  logo: logo.svg", "  logo: logo.svg\n  font: x"), 18,
     "branding.font", "accent"),
    ("impossible date", _with("2026-11-18", "2026-13-45"), 4, "date", "YYYY-MM-DD"),
    ("date as a number", _with("2026-11-18", "20261118"), 4, "date", "YYYY-MM-DD"),
    ("date in another order", _with("2026-11-18", "18/11/2026"), 4, "date", "YYYY-MM-DD"),
    ("date with a time", _with("2026-11-18", "2026-11-18 10:00:00"), 4, "date", "YYYY-MM-DD"),
    ("colour by name", _with('"#1F5F8B"', "blue"), 18, "branding.accent", "#1f5f8b"),
    ("unquoted colour", _with('"#1F5F8B"', "#1f5f8b"), 18, "branding.accent", "quoted"),
    ("duplicate team id", _with("id: south", "id: north"), 11, "teams[1].id", "line 8"),
    ("invalid team id", _with("id: south", "id: South Team"), 11, "teams[1].id", "lower-case"),
    ("unknown exercise", _with("  - fit_assessment", "  - fit_asesment"), 15, "exercises[1]",
     "fit_assessment"),
    ("exercise twice", _with("  - fit_assessment", "  - empathy_audit"), 15, "exercises[1]",
     "remove"),
    ("no exercises", _with("  - empathy_audit\n  - fit_assessment\n", ""), 13, "exercises",
     "empathy_audit"),
    ("missing client", _with("client: Acme\n", ""), 2, "client", "client: "),
    ("members as text", _with("[Lena, Tomás]", "Lena, Tomás"), 10, "teams[0].members",
     "[Lena Park"),
    ("client as a number", _with("client: Acme", "client: 2024"), 2, "client", "text"),
    ("unknown language", _with("language: en", "language: xx"), 5, "language", "en"),
    ("missing logo", _with("logo: logo.svg", "logo: missing.png"), 17, "branding.logo",
     "copy the image"),
    ("logo above the folder", _with("logo: logo.svg", "logo: ../logo.svg"), 17,
     "branding.logo", "copy the image"),
    ("logo deep above", _with("logo: logo.svg", "logo: a/../../logo.svg"), 17,
     "branding.logo", "copy the image"),
    ("absolute logo", _with("logo: logo.svg", "logo: /etc/passwd"), 17, "branding.logo",
     "copy the image"),
    ("windows logo", _with("logo: logo.svg", "logo: 'C:\\logo.svg'"), 17, "branding.logo",
     "copy the image"),
    ("home logo", _with("logo: logo.svg", "logo: ~/logo.svg"), 17, "branding.logo",
     "copy the image"),
    ("logo is a folder", _with("logo: logo.svg", "logo: ."), 17, "branding.logo",
     "copy the image"),
    ("empty file", "", 1, None, "playbook init"),
    ("comments only", "# nothing yet\n\n", 1, None, "playbook init"),
    ("a list", "- client: Acme\n- title: x\n", 1, None, "without a leading '- '"),
    ("a single value", "Acme workshop\n", 1, None, "client: Acme"),
    ("bad indentation", _with("    name: North", "   name: North"), 9, None, "indentation"),
    ("duplicate key", _with("language: en", "language: en\nclient: Again"), 6, None, "one"),
    ("alias inside itself", _with("members: [Lena, Tomás]", "members: &m [*m]"), 10,
     "teams[0].members[0]", "write the value out"),
    ("unreadable tagged value", _with("client: Acme", "client: !!int abc"), 2, "client",
     "quote"),
    ("settings for an exercise not run", VALID + "settings:\n  enablement: {x: 1}\n", 20, "settings.enablement",
     "empathy_audit, fit_assessment"),
    ("unknown setting", VALID + "settings:\n  fit_assessment:\n    revenue_cap: 20\n", 21,
     "settings.fit_assessment.revenue_cap", "revenue_ceiling"),
    ("setting out of range", VALID + "settings:\n  fit_assessment:\n    revenue_ceiling: 80\n", 21,
     "settings.fit_assessment.revenue_ceiling", "from 5 to 60"),
    ("setting not a number", VALID + "settings:\n  fit_assessment:\n    revenue_ceiling: high\n", 21,
     "settings.fit_assessment.revenue_ceiling", "revenue_ceiling: 20"),
]


@pytest.mark.parametrize(("text", "line", "field", "fix"),
                         [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors_name_file_line_field_and_fix(
    tmp_path: Path, text: str, line: int, field: str | None, fix: str
) -> None:
    path = _folder(tmp_path, text)
    with pytest.raises(WorkshopError) as info:
        load(path)
    err = info.value
    assert err.file == str(path)
    assert (err.line, err.field) == (line, field), err.message
    assert err.fix and fix in err.fix, err.message
    assert str(path) in str(err)


def test_logo_symlink_out_of_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "secret.svg"
    outside.write_text("<svg/>")
    inner = tmp_path / "ws"
    inner.mkdir()
    (inner / "logo.svg").symlink_to(outside)
    path = _folder(inner, VALID, logo=False)
    with pytest.raises(WorkshopError, match="outside") as info:
        load(path)
    assert (info.value.line, info.value.field) == (17, "branding.logo")


def test_logo_in_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.png").write_bytes(b"png")
    path = _folder(tmp_path, _with("logo: logo.svg", "logo: img/logo.png"), logo=False)
    assert load(path).branding.logo == "img/logo.png"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / WORKSHOP_FILE
    path.write_bytes(VALID.replace("Tomás", "Tom\xe1s").encode("latin-1"))
    with pytest.raises(WorkshopError, match="UTF-8") as info:
        load(path)
    assert info.value.fix


def test_not_a_workshop_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkshopError, match="not a workshop folder") as info:
        Folder(tmp_path)
    assert "playbook init" in (info.value.fix or "")


def test_folder_accepts_the_file_itself(tmp_path: Path) -> None:
    path = _folder(tmp_path, VALID)
    assert Folder(path).path == tmp_path


def test_team_lookup_names_the_known_teams(tmp_path: Path) -> None:
    ws = load(_folder(tmp_path, VALID))
    assert ws.team("south").name == "South"
    with pytest.raises(WorkshopError, match="no team 'west'") as info:
        ws.team("west")
    assert "north, south" in (info.value.fix or "")


# --- writing --------------------------------------------------------------------------


def test_write_config_refuses_invalid_text_and_keeps_the_file(tmp_path: Path) -> None:
    path = _folder(tmp_path, VALID)
    before = path.read_bytes()
    with pytest.raises(WorkshopError) as info:
        write_config(path, _with("2026-11-18", "2026-02-30"))
    assert (info.value.line, info.value.field) == (4, "date")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logo.svg", WORKSHOP_FILE]


def test_write_config_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    path = _folder(tmp_path, VALID)
    path.chmod(0o640)
    ws = write_config(path, _with("client: Acme", "client: Acme Corp"))
    assert ws.client == "Acme Corp"
    assert load(path).client == "Acme Corp"
    assert path.stat().st_mode & 0o777 == 0o640


# --- init -----------------------------------------------------------------------------


def _init(directory: Path, **overrides: object) -> Folder:
    args: dict[str, object] = {"client": "Acme Analytics", "title": "Knowing our customers",
                               "date": dt.date(2026, 11, 18), "facilitator": "Marta Kovač"}
    args.update(overrides)
    return init_workshop(directory, **args)  # type: ignore[arg-type]


def test_init_then_load(tmp_path: Path) -> None:
    folder = _init(tmp_path / "acme-2026-q4")
    assert folder.path == tmp_path / "acme-2026-q4"
    ws = load(folder.config_path)
    assert (ws.client, ws.date, ws.language, ws.teams) == (
        "Acme Analytics", dt.date(2026, 11, 18), "en", [])
    assert ws.exercises == ["empathy_audit", "fit_assessment", "enablement"]
    assert folder.workshop_id == "acme-2026-q4"


def test_init_explains_every_key(tmp_path: Path) -> None:
    text = _init(tmp_path).config_path.read_text()
    lines = text.splitlines()
    for key in ("client", "date", "language", "facilitator", "teams", "exercises", "branding",
                "accent"):
        n = next(i for i, ln in enumerate(lines) if ln.strip().startswith(f"{key}:"))
        assert lines[n - 1].lstrip().startswith("#") or key == "title", key
    assert "# logo: logo.svg" in text


def test_init_example_team_loads_once_uncommented(tmp_path: Path) -> None:
    path = _init(tmp_path).config_path
    text = path.read_text().replace("  # - id:", "  - id:").replace("  #   ", "    ")
    path.write_text(text)
    assert [t.id for t in load(path).teams] == ["north"]


@pytest.mark.parametrize("value", [
    'Acme: "Q4"', "Yes", "2024", "#1 client", "O'Brien & Co", "- dash", "null",
    "Ünïcödé 北京 🚀", "a" * 300, "*star", "[x]",
])
def test_init_keeps_any_text_exactly(tmp_path: Path, value: str) -> None:
    ws = _init(tmp_path, client=value, title=value, facilitator=value).config
    assert (ws.client, ws.title, ws.facilitator) == (value, value, value)


def test_init_accepts_a_date_as_text_and_chosen_exercises(tmp_path: Path) -> None:
    ws = _init(tmp_path, date="2026-12-01", exercises=["enablement"]).config
    assert (ws.date, ws.exercises) == (dt.date(2026, 12, 1), ["enablement"])


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = _init(tmp_path).config_path
    path.write_text(path.read_text() + "# my notes\n")
    before = path.read_bytes()
    with pytest.raises(WorkshopError, match="already exists") as info:
        _init(tmp_path, client="Other")
    assert info.value.fix and info.value.file == str(path)
    assert path.read_bytes() == before


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("x")
    with pytest.raises(WorkshopError, match="not a folder") as info:
        _init(target)
    assert info.value.fix
    assert target.read_text() == "x"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"client": ""}, "client"),
    ({"date": "18/11/2026"}, "date"),
    ({"date": "2026-02-30"}, "date"),
    ({"language": "xx"}, "language"),
    ({"exercises": ["nope"]}, "exercises"),
    ({"exercises": []}, "exercises"),
])
def test_init_checks_values_before_writing(
    tmp_path: Path, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(WorkshopError) as info:
        _init(tmp_path / "ws", **overrides)
    assert info.value.field == field and info.value.fix
    assert not (tmp_path / "ws" / WORKSHOP_FILE).exists()


# --- generated input: nothing but WorkshopError ------------------------------------------

yamlish = st.text(
    alphabet=st.sampled_from(list("abcdeiltmsx019 -:#'\"[]{}&*!|>%@,?\n\t\\\u00e9\u4e00~.")),
    max_size=200,
)
scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.text(max_size=20) | st.dates())
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10,
)
KEYS = ["client", "title", "date", "language", "facilitator", "teams", "exercises",
        "branding", "id"]
near_valid = st.fixed_dictionaries({}, optional={
    "client": values, "title": values, "date": st.dates() | values,
    "language": st.sampled_from(["en", "fr"]) | values, "facilitator": values,
    "teams": st.lists(st.fixed_dictionaries({}, optional={
        "id": st.sampled_from(["north", "north", "South", "-x"]) | values,
        "name": values, "members": values, "role": values,
    }), max_size=3) | values,
    "exercises": st.lists(st.sampled_from(["empathy_audit", "enablement", "nope"])) | values,
    "branding": st.fixed_dictionaries({}, optional={
        "logo": st.sampled_from(["logo.svg", "../x", "/etc/passwd", "", "\x00"]) | values,
        "accent": st.sampled_from(["#1f5f8b", "blue", "#12345"]) | values,
    }) | values,
    "extra": values,
})


def _only_workshop_errors(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    try:
        load(path)
    except WorkshopError as exc:
        assert exc.file and exc.message
    try:
        parse(content.decode("utf-8", errors="replace"), path)
    except WorkshopError as exc:
        assert exc.file and exc.message


HYPO = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    (folder / "logo.svg").write_text("<svg/>")
    return folder / WORKSHOP_FILE


@HYPO
@given(text=yamlish)
def test_generated_text(scratch: Path, text: str) -> None:
    _only_workshop_errors(scratch, text.encode())


@HYPO
@given(content=st.binary(max_size=200))
def test_generated_bytes(scratch: Path, content: bytes) -> None:
    _only_workshop_errors(scratch, content)


@HYPO
@given(data=near_valid | values)
def test_generated_structures(scratch: Path, data: object) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    _only_workshop_errors(scratch, text.encode())


@HYPO
@given(data=near_valid)
def test_generated_structures_in_the_valid_frame(scratch: Path, data: dict[str, object]) -> None:
    base = yaml.safe_load(VALID)
    base.update(data)
    _only_workshop_errors(scratch, yaml.safe_dump(base, allow_unicode=True).encode())


def test_no_temporary_files_left(tmp_path: Path) -> None:
    path = _folder(tmp_path, VALID)
    for _ in range(3):
        write_config(path, VALID)
    with pytest.raises(WorkshopError):
        write_config(path, "")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_write_config_into_a_missing_folder(tmp_path: Path) -> None:
    text = VALID.replace("  logo: logo.svg\n", "")
    with pytest.raises(WorkshopError, match="cannot write") as info:
        write_config(tmp_path / "gone" / WORKSHOP_FILE, text)
    assert info.value.fix


def test_empty_teams_and_members_while_editing(tmp_path: Path) -> None:
    text = VALID.replace("    members: [Lena, Tomás]", "    members:")
    ws = load(_folder(tmp_path, text))
    assert ws.teams[0].members == []
    head, tail = VALID.split("teams:")
    ws = load(_folder(tmp_path, head + "teams:\n  # - id: north\nexercises:" +
                      tail.split("exercises:")[1]))
    assert ws.teams == []


@settings(max_examples=60, deadline=None)
@given(value=st.text(max_size=40))
def test_init_with_any_text(value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            ws = _init(Path(tmp) / "ws", client=value, facilitator=value).config
        except WorkshopError as exc:
            assert exc.field == "client" and not value
            assert not (Path(tmp) / "ws" / WORKSHOP_FILE).exists()
        else:
            assert (ws.client, ws.facilitator) == (value, value)
