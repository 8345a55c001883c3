"""Team answers: the plain file format and its validation against exercise definitions.

An answers document (YAML or JSON) holds any number of teams::

    format: playbook-answers/1
    teams:
      north:                    # team id from workshop.yml
        empathy_audit:          # exercise id
          self_rating: 4        # field id: value
          customer_notes:
            - text: Renewals stall at procurement
              tags: {evidence: heard}
              source: Ana, buyer at Kestrel
              date: 2026-10-02

The store imports and exports the same shape, so answers typed up from paper, exported
from one workshop or written by hand all travel the same way.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from playbook import yamlio
from playbook.errors import AnswersError
from playbook.model import exercises

FORMAT = "playbook-answers/1"

Answers = dict[str, dict[str, dict[str, Any]]]  # team -> exercise -> field -> value


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else ""


def check_value(ex: exercises.Exercise, field_id: str, value: Any, *, team: str | None = None) -> Any:
    """The value in canonical form, or an `AnswersError` naming the field and what fits."""
    fields = ex.fields
    if field_id not in fields:
        hint = _suggest(field_id, fields)
        raise AnswersError(
            f"exercise {ex.id!r} has no field {field_id!r}",
            field=field_id, team=team,
            fix=hint or f"fields are: {', '.join(fields)}",
        )
    f = fields[field_id]
    if value is None:
        return None
    try:
        return f.check(value)
    except ValueError as exc:
        raise AnswersError(
            f"{exc} ({f.type.replace('_', ' ')}: {f.label})", field=field_id, team=team
        ) from None


def check(ex: exercises.Exercise, raw: Mapping[str, Any], *, team: str | None = None) -> dict[str, Any]:
    """Validate one team's answers to one exercise; unanswered (None) fields are dropped, and
    so are answers to fields an earlier version of the definition had (`retired`)."""
    out: dict[str, Any] = {}
    for field_id, value in raw.items():
        if field_id in ex.retired:
            continue
        v = check_value(ex, str(field_id), value, team=team)
        if v is not None:
            out[str(field_id)] = v
    return out


def parse(
    doc: yamlio.Located,
    teams: Sequence[str] | None = None,
    definitions: Mapping[str, exercises.Exercise] | None = None,
) -> Answers:
    """Validate a parsed answers document.

    `teams` (if given) are the ids that may appear; `definitions` the exercises that may
    (default: every bundled one), so a workshop can refuse exercises it does not run.
    """
    data = doc.data
    where = {"file": doc.file}
    if not isinstance(data, dict):
        raise AnswersError("an answers file must be a mapping with 'format' and 'teams'", line=1, **where)
    fmt = data.get("format")
    if fmt != FORMAT:
        raise AnswersError(
            f"format is {fmt!r}; this kit reads {FORMAT!r}",
            line=doc.line_of(("format",)), field="format", fix=f"put 'format: {FORMAT}' at the top",
            **where,
        )
    extra = sorted(set(map(str, data)) - {"format", "teams", "workshop", "exported"})
    if extra:
        raise AnswersError(f"unknown key {extra[0]!r}", line=doc.line_of((extra[0],)),
                           field=extra[0], fix="keys are: format, teams, workshop, exported", **where)
    body = data.get("teams") or {}
    if not isinstance(body, dict):
        raise AnswersError("'teams' must map team ids to their answers",
                           line=doc.line_of(("teams",)), field="teams", **where)
    known_ex = dict(definitions) if definitions is not None else {e.id: e for e in exercises.all_exercises()}
    out: Answers = {}
    for team, per_ex in body.items():
        team = str(team)
        tline = doc.line_of(("teams", team))
        if teams is not None and team not in teams:
            hint = _suggest(team, teams)
            raise AnswersError(
                f"team {team!r} is not in workshop.yml", line=tline, team=team,
                fix=hint or f"teams are: {', '.join(teams) or 'none yet'}", **where,
            )
        if per_ex is None:
            per_ex = {}
        if not isinstance(per_ex, dict):
            raise AnswersError("expected exercise ids mapping to answers", line=tline, team=team, **where)
        out[team] = {}
        for ex_id, raw in per_ex.items():
            path = ("teams", team, ex_id)
            if ex_id not in known_ex:
                hint = _suggest(str(ex_id), known_ex)
                raise AnswersError(
                    f"exercise {ex_id!r} is not part of this workshop", line=doc.line_of(path), team=team,
                    fix=hint or f"exercises are: {', '.join(known_ex)}", **where,
                )
            if raw is None:
                raw = {}
            if not isinstance(raw, dict):
                raise AnswersError("expected field ids mapping to values", line=doc.line_of(path), team=team, **where)
            try:
                out[team][ex_id] = check(known_ex[ex_id], raw, team=team)
            except AnswersError as exc:
                raise AnswersError(
                    exc.what, file=doc.file, line=doc.line_of((*path, exc.field or "")),
                    field=f"{ex_id}.{exc.field}", team=team, fix=exc.fix,
                ) from None
    return out


def load_file(
    path: str | Path,
    teams: Sequence[str] | None = None,
    definitions: Mapping[str, exercises.Exercise] | None = None,
) -> Answers:
    """Read a YAML or JSON answers file (`teams` and `definitions` as for `parse`).

    JSON is YAML too, and the YAML reader gives every value its line, for errors; but that
    costs about 0.7 MB and 25 ms a team of the example while it reads, and refuses a file of
    some 200 such teams (`yamlio.MAX_NODES`). A JSON file is read by the json module first;
    only a file that is not plain JSON, or whose answers do not check, is read again as YAML,
    which says where the problem is.
    """
    doc = _plain_json(Path(path))
    if doc is not None:
        try:
            return parse(doc, teams, definitions)
        except AnswersError:
            if _values(doc.data) > yamlio.MAX_NODES:
                raise  # more than the YAML reader takes: the error names team and field, not the line
            return parse(yamlio.load(path, AnswersError), teams, definitions)  # the same error, with its line
    return parse(yamlio.load(path, AnswersError), teams, definitions)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # an escaped UTF-16 half: the YAML reader checks it


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("a key appears twice")  # the YAML reader names it, with its line
    return out


def _values(data: Any) -> int:
    """How many values (keys, items, scalars) `data` holds, as the YAML reader counts them."""
    if isinstance(data, dict):
        return 1 + sum(1 + _values(v) for v in data.values())
    if isinstance(data, list):
        return 1 + sum(_values(v) for v in data)
    return 1


def _plain_json(path: Path) -> yamlio.Located | None:
    """A .json file read by the json module (no lines), or None for the YAML reader to read:
    another suffix, a file that cannot be read, is not JSON, repeats a key or escapes a
    UTF-16 half."""
    if path.suffix.lower() != ".json":
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
        if _SURROGATE_ESCAPE.search(text):
            return None
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except (OSError, ValueError, RecursionError):
        return None
    return yamlio.Located(data=data, file=str(path))


def load_dir(folder: str | Path, teams: Sequence[str] | None = None) -> Answers:
    """Merge every answers file in a folder; a team answering one exercise twice is an error."""
    merged: Answers = {}
    files = sorted(Path(folder).glob("*.yml")) + sorted(Path(folder).glob("*.json"))
    for path in files:
        for team, per_ex in load_file(path, teams).items():
            slot = merged.setdefault(team, {})
            for ex_id, values in per_ex.items():
                if ex_id in slot:
                    raise AnswersError(
                        f"answers to {ex_id!r} appear in two files", file=path, team=team,
                        fix="keep one file per team and exercise",
                    )
                slot[ex_id] = values
    return merged
