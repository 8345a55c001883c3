"""Files the kit reads and writes, one way each: atomic writes, text decoding, CSV dialects.

Every file the kit writes goes through `write_atomic`: the data goes to a temporary file in
the same folder (named with `TMP_PREFIX`, so a killed run's leftovers can be found), is
flushed to disk, and is renamed over the final name; with `exclusive` the final name must
not exist yet, and another process creating it first wins. A crash, a kill or a full disk
leaves the old file or the new one, never half of one. Text files people bring (rosters,
answers typed up from paper) are decoded by `read_text`, which accepts UTF-8 with or
without a byte-order mark and says what to do with anything else; `csv_delimiter` picks the
separator a spreadsheet used from the header line.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from playbook.errors import PlaybookError

TMP_PREFIX = ".playbook-tmp-"
RESAVE = "save it again as 'CSV UTF-8' (in Excel: File > Save As > CSV UTF-8), or as UTF-8 text"
DELIMITERS = (",", ";", "\t")

Error = Callable[..., PlaybookError]


def write_atomic(path: str | Path, data: str | bytes, *, mode: int | None = 0o644, exclusive: bool = False,
                 encoding: str = "utf-8", make_folder: bool = True) -> Path:
    """Write `data` to `path` through a temporary file in the same folder, then a rename.

    `mode` None keeps the permissions of the file being replaced (0644 for a new one);
    `exclusive` refuses to replace an existing file (FileExistsError), atomically;
    `make_folder` False leaves a missing folder an error (a workshop folder is made by init).
    """
    path = Path(path)
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode(encoding) if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        if mode is None:
            try:
                mode = path.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o644
        os.chmod(tmp, mode)
        if exclusive:
            _link_exclusive(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # left over after a link, or after an error
    return path


def _link_exclusive(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)  # fails if `path` exists, unlike os.replace
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)


def clean_temp(folder: str | Path) -> list[Path]:
    """Remove the temporary files a killed run left under `folder`; return what was removed."""
    root = Path(folder)
    if not root.is_dir():
        return []
    found = [p for p in root.rglob(f"{TMP_PREFIX}*") if p.is_file()]
    for p in found:
        p.unlink(missing_ok=True)
    return found


def read_text(path: str | Path, error: Error, *, what: str = "file", fix: str = RESAVE) -> str:
    """A text file people brought, as str: UTF-8 with or without a byte-order mark.

    Anything else is an `error(...)` (a `PlaybookError` subclass) naming the file, the line
    and what to do: not found, unreadable, UTF-16, or a byte that is not UTF-8.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise error(f"{what} not found", file=file, fix="check the path") from None
    except IsADirectoryError:
        raise error(f"{what} is a folder, not a file", file=file, fix="give the path of the file") from None
    except OSError as exc:
        raise error(f"cannot read the {what}: {exc.strerror}", file=file,
                    fix="check that the file exists and that you may read it") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise error(f"the {what} is UTF-16 text ('Unicode text'), not UTF-8", file=file, line=1, fix=fix)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        raise error(
            f"not UTF-8 text: byte {raw[exc.start]:#04x} at character {exc.start - line_start + 1} of the line",
            file=file, line=raw.count(b"\n", 0, exc.start) + 1, fix=fix,
        ) from None


def csv_delimiter(text: str, wanted: Iterable[str] = ()) -> str:
    """The separator of a spreadsheet's CSV export, from its first non-blank line.

    With `wanted` column names, the separator that splits the header into all of them wins;
    otherwise (or when none does) the most frequent of comma, semicolon and tab (comma when
    the line has none: a single column).
    """
    import csv

    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    names = {w.lower() for w in wanted}
    if names:
        for d in DELIMITERS:
            header = {c.strip().lower() for c in next(csv.reader([first], delimiter=d), [])}
            if names <= header:
                return d
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
