"""Files, one way each: atomic writes, decoding what people bring, the CSV separator."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from playbook import fsio
from playbook.errors import WorkshopError


def temp_files(folder: Path) -> list[Path]:
    return list(folder.glob(f"{fsio.TMP_PREFIX}*"))


def test_write_atomic_replaces_whole_files_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "report.html"
    fsio.write_atomic(path, "<p>one</p>")
    fsio.write_atomic(path, b"<p>two</p>")
    assert path.read_text() == "<p>two</p>" and stat.S_IMODE(path.stat().st_mode) == 0o644
    assert temp_files(path.parent) == []


def test_a_failed_write_keeps_the_old_file_and_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("old")
    with pytest.raises(TypeError):
        fsio.write_atomic(path, 42)  # type: ignore[arg-type]
    assert path.read_text() == "old" and temp_files(tmp_path) == []


def test_exclusive_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    fsio.write_atomic(path, b"first", mode=0o600, exclusive=True)
    with pytest.raises(FileExistsError):
        fsio.write_atomic(path, b"second", exclusive=True)
    assert path.read_bytes() == b"first" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert temp_files(tmp_path) == []


def test_mode_none_keeps_the_users_permissions(tmp_path: Path) -> None:
    path = tmp_path / "workshop.yml"
    path.write_text("a")
    os.chmod(path, 0o640)
    fsio.write_atomic(path, "b", mode=None)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_missing_folder_is_an_error_when_asked(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        fsio.write_atomic(tmp_path / "gone" / "workshop.yml", "x", make_folder=False)


def test_clean_temp_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    stale = tmp_path / "out" / f"{fsio.TMP_PREFIX}team-north.html.x1y2"
    stale.parent.mkdir()
    stale.write_text("half")
    keep = tmp_path / "out" / "team-north.html"
    keep.write_text("whole")
    assert fsio.clean_temp(tmp_path) == [stale] and keep.exists()


@pytest.mark.parametrize(("raw", "text"), [
    (b"team,members\n", "team,members\n"),
    (b"\xef\xbb\xbfteam,members\n", "team,members\n"),  # Excel's "CSV UTF-8" starts with a BOM
    ("équipe\n".encode(), "équipe\n"),
])
def test_read_text_takes_utf8_with_or_without_a_bom(tmp_path: Path, raw: bytes, text: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(raw)
    assert fsio.read_text(path, WorkshopError) == text


@pytest.mark.parametrize(("raw", "message", "line"), [
    ("team\n".encode("utf-16"), "UTF-16", 1),
    (b"team\nna\xefve\n", "byte 0xef at character 3", 2),  # Latin-1 from an old spreadsheet
])
def test_read_text_says_what_is_wrong_and_where(tmp_path: Path, raw: bytes, message: str, line: int) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(raw)
    with pytest.raises(WorkshopError, match=message) as err:
        fsio.read_text(path, WorkshopError, what="roster")
    assert err.value.line == line and err.value.file == str(path) and "CSV UTF-8" in (err.value.fix or "")


def test_read_text_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkshopError, match="roster not found"):
        fsio.read_text(tmp_path / "nope.csv", WorkshopError, what="roster")


@pytest.mark.parametrize(("text", "wanted", "delimiter"), [
    ("team,members\nnorth,Ana", (), ","),
    ("team;members\nnorth;Ana, Bo", (), ";"),
    ("team\tmembers\n", (), "\t"),
    ("team\n", (), ","),  # one column
    ("\n\nteam;members\n", (), ";"),  # blank lines first
    ("team;exercise,field;value\n", (), ";"),
    ("team,exercise,field,value\n", ("team", "exercise", "field", "value"), ","),
    ("team;exercise;field;value,with,commas\n", ("team", "exercise", "field"), ";"),
])
def test_csv_delimiter(text: str, wanted: tuple[str, ...], delimiter: str) -> None:
    assert fsio.csv_delimiter(text, wanted) == delimiter
