"""Team rosters imported from a spreadsheet's CSV export into workshop.yml.

Spreadsheets export in many shapes: UTF-8 with or without a byte-order mark, commas or
semicolons (locales with a decimal comma), one row per team or one row per member. Importing
the same roster twice changes nothing, and an existing team never gets a new id: ids name
stored answers and output files.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from playbook import fsio, workshop
from playbook.errors import WorkshopError
from playbook.workshop import Folder, Team, yamledit
from playbook.workshop.ids import base_id, is_team_id, team_id

TEAM_COLUMNS = ("team", "team name", "team_name", "name")
MEMBER_COLUMNS = ("members", "member")
ID_COLUMNS = ("id", "team id", "team_id")
RESAVE = ("re-save it as CSV UTF-8: in Excel, Save As > 'CSV UTF-8 (Comma delimited)'; "
          "in LibreOffice, tick 'Edit filter settings' and pick 'Unicode (UTF-8)'")
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # what PyYAML refuses to read back


@dataclass
class RosterTeam:
    """One team as the roster gives it; `members` is None when the roster lists none."""

    name: str
    id: str | None
    members: list[str] | None
    line: int
    columns: dict[str, str] = field(default_factory=dict)  # "id" -> "id (column C)"


def import_roster(folder: Folder | str | Path, csv_path: str | Path) -> list[Team]:
    """Add the roster's teams to workshop.yml and update their names and members.

    Returns the teams added or changed (empty when the file already matched). Teams not in
    the roster are kept. Nothing is written unless the whole roster is valid and the new
    workshop.yml validates; the file is replaced atomically, its comments kept.
    """
    f = folder if isinstance(folder, Folder) else Folder(folder)
    path = f.config_path
    workshop.load(path)  # the file as it is now, not as `f` last saw it: named errors
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeError):  # changed since the line above
        raise WorkshopError("workshop.yml changed while importing", file=path,
                            fix="run the import again") from None
    current = workshop.parse(text, path)
    roster = read_roster(csv_path)
    teams = merge(current.teams, roster, csv_path)
    if teams == current.teams:
        f.config = current
        return []
    new_text = yamledit.set_teams(text, teams, path)
    check = workshop.parse(new_text, path)
    if check.teams != teams or check.model_dump(exclude={"teams"}) != current.model_dump(
        exclude={"teams"}
    ):  # a YAML 1.1 / 1.2 disagreement between PyYAML and ruamel: refuse, never corrupt
        raise WorkshopError(
            "cannot add the teams without changing other values of workshop.yml", file=path,
            fix="add the teams to workshop.yml by hand",
        )
    if b"\r\n" in raw:
        new_text = new_text.replace("\n", "\r\n")
    if raw.startswith(codecs.BOM_UTF8):
        new_text = "\ufeff" + new_text
    f.config = workshop.write_config(path, new_text)
    return [t for t in teams if t not in current.teams]


def merge(existing: Sequence[Team], roster: Sequence[RosterTeam], file: str | Path) -> list[Team]:
    """Existing teams (same order, same ids) updated from the roster, then the new ones.

    A roster team matches an existing one by id, else by exact display name.
    """
    teams = list(existing)
    by_id = {t.id: n for n, t in enumerate(teams)}
    by_name: dict[str, int] = {}
    for i, t in enumerate(teams):
        by_name.setdefault(unicodedata.normalize("NFC", t.name), i)
    taken = set(by_id) | {r.id for r in roster if r.id}
    claimed: dict[int, int] = {}  # index in `teams` -> roster line that claimed it
    for r in roster:
        n = by_id.get(r.id) if r.id else by_name.get(r.name)
        if r.id and n is None and r.name in by_name:
            other = teams[by_name[r.name]].id
            raise _error(
                f"team {r.name!r} already has the id {other!r} in workshop.yml", file, r.line,
                r.columns.get("id", "id"), fix=f"leave the id cell empty, or write {other!r}",
            )
        if n is not None and n in claimed:
            raise _error(
                f"this row and line {claimed[n]} both refer to team {teams[n].id!r}", file,
                r.line, r.columns.get("team", "team"),
                fix="give each team one row, or the same name on every row",
            )
        try:
            if n is None:
                new_id = r.id or team_id(r.name, taken)
                taken.add(new_id)
                teams.append(Team(id=new_id, name=r.name, members=r.members or []))
                n = len(teams) - 1
            else:
                members = teams[n].members if r.members is None else r.members
                teams[n] = Team(id=teams[n].id, name=r.name, members=members)
        except ValidationError as exc:
            msg = exc.errors(include_url=False)[0]["msg"]
            raise _error(msg, file, r.line, r.columns.get("team", "team")) from None
        claimed[n] = r.line
    return teams


# --- reading the CSV ----------------------------------------------------------------------


def read_roster(csv_path: str | Path) -> list[RosterTeam]:
    """The teams of a roster CSV, in file order, rows of the same team merged."""
    file = Path(csv_path)
    text = _decode(file)
    rows = _records(text, fsio.csv_delimiter(text), file)
    header_line, header = next(
        ((n, cells) for n, cells in rows if any(c.strip() for c in cells)), (1, [])
    )
    if not header:
        raise _error("the roster is empty", file, 1, None,
                     fix="export the sheet with a header row: team, members (and optionally id)")
    cols = _Columns(header, header_line, file)
    teams: dict[str, RosterTeam] = {}
    ids: dict[str, RosterTeam] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        name = _clean(cols.get(cells, "team"))
        if not name:
            raise cols.error("empty team name", line, "team",
                             fix="fill in the team's name, or delete the row")
        if len(name) > 4000:
            raise cols.error("team name longer than 4000 characters", line, "team",
                             fix="shorten the name")
        tid = _clean(cols.get(cells, "id")) or None
        if tid is not None and not is_team_id(tid):
            raise cols.error(
                f"{tid!r} is not a valid team id", line, "id",
                fix="use lower-case letters, digits and '-' (at most 63, no leading '-'), "
                f"e.g. {base_id(name)!r}; or leave the cell empty to derive one from the name",
            )
        members = _members(cols.get(cells, "members"))
        if any(len(m) > 200 for m in members):
            raise cols.error("a member's name is longer than 200 characters", line, "members",
                             fix="shorten it")
        team = teams.get(name)
        if team is None:
            if tid and tid in ids:
                raise cols.error(
                    f"id {tid!r} is already used for team {ids[tid].name!r} on line "
                    f"{ids[tid].line}", line, "id", fix="give each team its own id",
                )
            team = teams[name] = RosterTeam(name, tid, None, line, cols.labels())
        elif tid and team.id and tid != team.id:
            raise cols.error(
                f"team {name!r} has the id {team.id!r} on line {team.line}", line, "id",
                fix="use the same id on every row of a team, or leave it empty",
            )
        if tid:
            team.id = tid
            ids[tid] = team
        if members:
            team.members = list(dict.fromkeys([*(team.members or []), *members]))
    if not teams:
        raise _error("the roster has a header but no teams", file, header_line + 1, None,
                     fix="add one row per team (or per member) under the header")
    return list(teams.values())


class _Columns:
    """Which column holds the team, members and id, found by header name."""

    def __init__(self, header: list[str], line: int, file: Path) -> None:
        self.names = [re.sub(r"\s+", " ", h.strip().lower()) for h in header]
        self.file = file
        self.index: dict[str, int] = {}
        for key, options in (("team", TEAM_COLUMNS), ("members", MEMBER_COLUMNS),
                             ("id", ID_COLUMNS)):
            option = next((o for o in options if o in self.names), None)
            if option is None:
                continue
            first = self.names.index(option)
            if option in self.names[first + 1:]:
                second = self.names.index(option, first + 1)
                raise _error(f"two columns are called {option!r}", file, line,
                             f"column {_letter(second)}", fix="rename or delete one of them")
            self.index[key] = first
        if "team" not in self.index:
            found = ", ".join(repr(n) for n in self.names if n) or "nothing"
            raise _error(
                f"no 'team' column in the header (found {found})", file, line, None,
                fix="make the first row the column names: team, members (and optionally id)",
            )
        if "members" not in self.index and self.names[self.index["team"]] != "name" and (
            "name" in self.names
        ):
            self.index["members"] = self.names.index("name")  # team, name, email: per person

    def get(self, cells: list[str], key: str) -> str:
        i = self.index.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    def labels(self) -> dict[str, str]:
        return {key: f"{self.names[i]} (column {_letter(i)})" for key, i in self.index.items()}

    def error(self, what: str, line: int, key: str, *, fix: str) -> WorkshopError:
        return _error(what, self.file, line, self.labels()[key], fix=fix)


def _decode(file: Path) -> str:
    return fsio.read_text(file, WorkshopError, what="roster", fix=RESAVE)


def _records(text: str, delimiter: str, file: Path) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record; a quoted cell may span several lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _error(f"cannot read the CSV: {exc}", file, reader.line_num, None,
                         fix="check the quotes on that line, or re-export the sheet") from None
        yield start, cells
        start = reader.line_num + 1


def _members(cell: str) -> list[str]:
    # Within a cell, ';' wins: names may be "Last, First" in a semicolon-separated list.
    parts = cell.split(";") if ";" in cell else cell.split(",")
    return [m for m in (_clean(p) for p in parts) if m]


def _clean(value: str) -> str:
    """One line of printable text: whitespace runs (tabs, line breaks) become one space."""
    value = _NON_PRINTABLE.sub("", unicodedata.normalize("NFC", value))
    return " ".join(value.split())


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _error(
    what: str, file: str | Path, line: int, field: str | None, *, fix: str | None = None
) -> WorkshopError:
    return WorkshopError(what, file=file, line=line, field=field, fix=fix)
