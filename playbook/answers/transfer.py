"""Answers in and out of the store: JSON or YAML (the answers document) and CSV.

CSV has one row per team and field (`team,exercise,field,value`) so that answers collected on
paper can be typed into a spreadsheet. Values are plain text for text, choices and numbers,
JSON for lists and mappings; the list fields (multi choice, checklist, ranking) also take
`a; b; c`, and a notes field takes plain text, one note per line. A blank value is skipped.

An import checks every row before writing and then writes all of them in one transaction,
or nothing. Exports hold answered fields only, so export, import, export gives the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml

from playbook import answers, fsio
from playbook.answers.store import Row, Store
from playbook.errors import AnswersError, PlaybookError
from playbook.scoring import is_answered

COLUMNS = ("team", "exercise", "field", "value")
_LISTS = ("multi_choice", "checklist", "ranking")
_NUMBERS = ("scale", "number")
# --- export ---------------------------------------------------------------------------


def _answered(store: Store) -> answers.Answers:
    out: answers.Answers = {}
    for team, per_ex in store.latest_all().items():
        for ex_id, values in per_ex.items():
            fields = store.exercises[ex_id].fields
            kept = {f: v for f, v in values.items() if is_answered(fields[f], v)}
            if kept:
                out.setdefault(team, {})[ex_id] = kept
    return out


def export_json(store: Store) -> dict[str, Any]:
    """The answers document (`answers.FORMAT`) of every team, with workshop and time."""
    return {
        "format": answers.FORMAT,
        "workshop": store.workshop,
        "exported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "teams": _answered(store),
    }


def _cell(field_type: str, value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if field_type in _NUMBERS:
        return repr(value)  # repr keeps every digit of a float
    return str(value)


def export_csv(store: Store) -> str:
    """One row per team and answered field, header `team,exercise,field,value`."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(COLUMNS)
    for team, per_ex in _answered(store).items():
        for ex_id, values in per_ex.items():
            fields = store.exercises[ex_id].fields
            for field_id, value in values.items():
                out.writerow((team, ex_id, field_id, _cell(fields[field_id].type, value)))
    return buf.getvalue()


def export_file(store: Store, path: str | Path) -> Path:
    """Write an export chosen by suffix (.json, .yml, .csv) atomically: a crash never
    leaves half a file under the final name. CSV gets a BOM so spreadsheets read UTF-8."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, encoding = export_csv(store), "utf-8-sig"
    elif suffix == ".json":
        text, encoding = json.dumps(export_json(store), ensure_ascii=False, indent=2) + "\n", "utf-8"
    elif suffix in (".yml", ".yaml"):
        text = yaml.safe_dump(export_json(store), sort_keys=False, allow_unicode=True)
        encoding = "utf-8"
    else:
        raise AnswersError(f"cannot tell the format from {path.name!r}", file=path,
                           fix="name the file .json, .yml or .csv")
    try:
        fsio.write_atomic(path, text, encoding=encoding, make_folder=False)
    except OSError as exc:
        raise AnswersError(f"cannot write the export: {exc.strerror}", file=path,
                           fix="check the folder exists, you may write there and the disk has space") from None
    return path


# --- import ---------------------------------------------------------------------------


def import_file(store: Store, path: str | Path, *, author: str | None = None) -> int:
    """Check every answer in a JSON, YAML or CSV file, then save them all in one
    transaction, or none. Returns how many values were saved."""
    path = Path(path)
    rows = _csv_rows(store, path) if path.suffix.lower() in (".csv", ".tsv") else _doc_rows(store, path)
    try:
        return len(store.save_many(rows, author=author))
    except AnswersError as exc:  # the checks above let nothing through; name the file anyway
        raise AnswersError(exc.what, file=path, team=exc.team, field=exc.field, fix=exc.fix) from None


def _load_document(store: Store, path: Path, teams: list[str]) -> answers.Answers:
    """An answers document (YAML or JSON), checked against the store's exercises."""
    return answers.load_file(path, teams, store.exercises)


def _doc_rows(store: Store, path: Path) -> list[Row]:
    try:
        doc = _load_document(store, path, store.teams)
    except RecursionError:
        raise AnswersError("the file nests too deeply, or a YAML alias refers to itself",
                           file=path, fix="write the answers out plainly, without & and *") from None
    except (ValueError, OverflowError) as exc:
        # Values the YAML parser or a field check cannot take (2026-13-45 read as a date,
        # numbers beyond range): reported here so no raw exception reaches a user.
        raise AnswersError(f"a value cannot be read: {exc}", file=path,
                           fix="check dates (YYYY-MM-DD) and numbers; quote text that looks like one") from None
    rows = [
        (team, ex_id, field_id, value)
        for team, per_ex in doc.items()
        for ex_id, values in per_ex.items()
        for field_id, value in values.items()
    ]
    for team, ex_id, field_id, value in rows:
        try:
            store.check(team, ex_id, field_id, value)
        except PlaybookError as exc:
            raise AnswersError(exc.what, file=path, team=team, field=exc.field, fix=exc.fix) from None
    return rows


def _read_text(path: Path) -> str:
    return fsio.read_text(path, AnswersError)


def _header(path: Path, text: str) -> tuple[str, dict[str, int]]:
    """The delimiter and the column of each name in `COLUMNS` (and "" -> the number of
    columns), from the first line."""
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = fsio.csv_delimiter(first, COLUMNS)
    names = [c.strip().lower() for c in next(csv.reader([first], delimiter=delimiter), [])]
    if set(COLUMNS) <= set(names):
        return delimiter, {c: names.index(c) for c in COLUMNS} | {"": len(names)}
    raise AnswersError(
        "the first line must name the columns team, exercise, field, value", file=path, line=1,
        fix="start the file with the line: team,exercise,field,value",
    )


def _csv_rows(store: Store, path: Path) -> list[Row]:
    text = _read_text(path)
    delimiter, col = _header(path, text)
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))  # long notes fields
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[tuple[int, PlaybookError]] = []
    seen: dict[tuple[str, str, str], int] = {}
    rows: list[Row] = []
    line = 1
    try:
        next(reader)
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            try:
                row = _csv_row(store, cells, col, delimiter)
                if row is None:
                    continue
                key = row[:3]
                if key in seen:
                    raise AnswersError(f"the same field appears again (first on line {seen[key]})",
                                       team=row[0], field=f"{row[1]}.{row[2]}",
                                       fix="keep one row per team and field")
                seen[key] = start
                rows.append(row)
            except PlaybookError as exc:
                problems.append((start, exc))
    except csv.Error as exc:
        problems.append((line + 1, AnswersError(f"the CSV cannot be read further: {exc}",
                                                fix="check the quotes on that line")))
    if problems:
        listed = "\n".join(f"  line {n}: {_describe(e)}" for n, e in problems)
        count = f"{len(problems)} row{'s' if len(problems) > 1 else ''}"
        raise AnswersError(
            f"{count} cannot be imported, so nothing was imported:\n{listed}",
            file=path, line=problems[0][0], fix="correct these rows and import the file again",
        )
    return rows


def _describe(exc: PlaybookError) -> str:
    text = f"{exc.where}: {exc.what}" if exc.where else exc.what
    return f"{text} ({exc.fix})" if exc.fix else text


def _csv_row(store: Store, cells: list[str], col: dict[str, int], delimiter: str) -> Row | None:
    """One checked row, or None for a blank row or a blank value (not answered)."""
    if not any(c.strip() for c in cells):
        return None
    width = col[""]
    if any(c.strip() for c in cells[width:]):
        raise AnswersError(
            f"{len(cells)} cells, more than the {width} columns of the header",
            fix=f"put quotes around values that contain {delimiter!r}",
        )
    cells = cells + [""] * (width - len(cells))
    team, ex_id, field_id = (cells[col[c]].strip() for c in COLUMNS[:3])
    raw = cells[col["value"]]
    for name, cell in zip(COLUMNS, (team, ex_id, field_id), strict=False):
        if not cell:
            raise AnswersError(f"the {name} cell is empty", fix=f"fill in the {name}")
    if not raw.strip():
        return None
    store.check(team, ex_id, field_id, None)  # unknown team, exercise or field
    f = store.exercises[ex_id].fields[field_id]
    try:
        value = _parse(f.type, raw)
    except ValueError as exc:
        raise AnswersError(str(exc), team=team, field=f"{ex_id}.{field_id}") from None
    return team, ex_id, field_id, store.check(team, ex_id, field_id, value)


_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _parse(field_type: str, raw: str) -> Any:
    """A cell's text as the value its field type expects (checked afterwards)."""
    text = raw.strip()
    if field_type in ("short_text", "long_text"):
        return raw
    if field_type == "single_choice":
        return text
    if field_type in _NUMBERS:
        if _DECIMAL_COMMA.fullmatch(text):
            text = text.replace(",", ".")  # 3,5 from a spreadsheet in a comma-decimal locale
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        raise ValueError(f"expected a number, got {text!r}")
    if field_type in _LISTS and not text.startswith("["):
        return [part.strip() for part in text.split(";") if part.strip()]
    if field_type == "notes" and not text.startswith("["):
        return [line.strip() for line in text.splitlines() if line.strip()]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at character {exc.pos + 1})") from None
