"""Edits of workshop.yml that keep the user's comments, quoting and indentation.

workshop.yml is hand-written, so a tool that rewrites it must not lose a comment or
reformat the file. ruamel.yaml's round-trip mode keeps both; this module only touches the
`teams` list. The file is read by PyYAML (YAML 1.1) everywhere else, so every string written
here is quoted whenever PyYAML might read it as something other than that text.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from playbook import yamlio
from playbook.errors import WorkshopError
from playbook.workshop import Team


def set_teams(text: str, teams: Sequence[Team], file: str | Path) -> str:
    """`text` with its `teams` list made equal to `teams`.

    The first entries of `teams` must be the file's existing teams in their order (possibly
    with a new name or members); the rest are appended. Entries are edited in place, so
    comments and the flow/block style of each list survive.
    """
    rt = _yaml(text)
    try:
        data = rt.load(text)
        entries = _teams_seq(data)
        for n, team in enumerate(teams):
            if n < len(entries):
                _update(entries[n], team)
            else:
                entries.append(_new_entry(team))
        out = io.StringIO()
        rt.dump(data, out)
    except (RuamelError, ValueError, TypeError, AttributeError) as exc:
        raise WorkshopError(
            f"cannot edit workshop.yml while keeping its layout ({type(exc).__name__})",
            file=file, fix="add the teams to workshop.yml by hand",
        ) from None
    return out.getvalue()


def _yaml(text: str) -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 1_000_000  # never re-wrap the user's long lines
    rt.allow_unicode = True
    mapping, sequence, offset = guess_indent(text)
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    rt.explicit_start = bool(re.search(r"^---\s*$", text, re.MULTILINE))
    return rt


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as ruamel wants them, from the first nested blocks.

    Defaults to the kit's own style: two spaces, list dashes indented by two.
    """
    mapping = offset = None
    rows = [
        (len(line) - len(line.lstrip(" ")), line.strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    for (col, line), (next_col, next_line) in itertools.pairwise(rows):
        opens = re.fullmatch(r"[^#]*:\s*(#.*)?", line) is not None
        # a block list may sit at its key's own column ("teams:" then "- id: ...")
        deeper = next_col > col or (next_col == col and next_line.startswith("- "))
        if not opens or not deeper:
            continue
        if next_line.startswith("- "):
            offset = next_col - col if offset is None else offset
        elif mapping is None and not line.startswith("- "):
            mapping = next_col - col
    mapping = mapping if mapping and mapping <= 8 else 2
    offset = offset if offset is not None and offset <= 8 else 2
    return mapping, offset + 2, offset


def _teams_seq(data: Any) -> CommentedSeq:
    teams = data.get("teams")
    if isinstance(teams, CommentedSeq):
        if not teams:
            teams.fa.set_block_style()  # `teams: []` grows into a readable block list
        return teams
    seq = CommentedSeq()
    if "teams" in data:
        data["teams"] = seq  # `teams:` with nothing (or comments only) under it
    else:
        keys = list(data)
        pos = keys.index("exercises") if "exercises" in keys else len(keys)
        data.insert(pos, "teams", seq)
    return seq


def _update(entry: CommentedMap, team: Team) -> None:
    if entry.get("name") != team.name:
        entry["name"] = text(team.name)
    current = entry.get("members")
    if list(current or []) == team.members:
        return
    if isinstance(current, CommentedSeq) and current.anchor.value is None:
        # item by item, so the list keeps its style and the comments of unchanged names
        for n, member in enumerate(team.members):
            if n == len(current):
                current.append(text(member))
            elif current[n] != member:
                current[n] = text(member)
        del current[len(team.members):]
    else:  # new, or shared through an anchor (&m) with another team: leave that one be
        entry["members"] = _members(team.members)


def _new_entry(team: Team) -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = text(team.id)
    entry["name"] = text(team.name)
    if team.members:
        entry["members"] = _members(team.members)
    return entry


def _members(names: Sequence[str]) -> CommentedSeq:
    seq = CommentedSeq(text(m) for m in names)
    seq.fa.set_flow_style()  # `members: [Lena Park, Tomás Ruiz]`, as in the examples
    return seq


def text(value: str) -> str:
    """`value`, double-quoted unless PyYAML reads it back unquoted as this very text.

    ruamel follows YAML 1.2, PyYAML 1.1: left to ruamel, `Yes` or `1:20` would come back
    as a boolean or a number, and `?q` inside a flow list as a key.
    """
    return value if yamlio.plain_ok(value) else DoubleQuotedScalarString(value)
