"""YAML loading that remembers where every value came from.

Validation errors must name the line, so loading keeps a map from each value's path
(``("sections", 0, "fields", 2, "type")``) to the line it stands on. Duplicate keys are an
error rather than a silent overwrite, because a facilitator editing by hand would lose text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from playbook.errors import PlaybookError

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Parsed YAML data plus the line (1-based) of every key and item."""

    data: Any
    file: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of the deepest part of `loc` found in the document.

        Pydantic locations may hold parts that are not in the data (a union's tag name), so
        parts that do not match are skipped instead of ending the search.
        """
        best = self.lines.get(())
        node: Any = self.data
        path: list[str | int] = []
        for part in loc:
            if _has(node, part):
                node = node[part]
            else:
                continue
            path.append(part)
            best = self.lines.get(tuple(path), best)
        return best


def _has(node: Any, part: str | int) -> bool:
    """Whether `part` is a key of a mapping node or an index of a list node."""
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


_SURROGATE = re.compile("[\ud800-\udfff]")
# libyaml's parser (PyYAML's C extension, in its wheels) composes a definition ten times as fast
# as PyYAML's own, with the same nodes and marks, and stops nesting at 1,000 levels. It refuses
# surrogates, which JSON writes for emoji ("\ud83d\ude00") and PyYAML's reader takes: text with
# one, escaped or not, goes to PyYAML's, as does all text where PyYAML was built without libyaml.
_FAST: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ESCAPED_SURROGATE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")


def _loader(text: str) -> Any:
    return yaml.SafeLoader if _SURROGATE.search(text) or _ESCAPED_SURROGATE.search(text) else _FAST


MAX_DEPTH = 200  # real files nest a few levels; this keeps far from Python's recursion limit
MAX_NODES = 200_000  # far above any real file; stops alias bombs ("billion laughs")


class _Builder:
    """Builds plain data from a composed node tree, recording each value's line.

    Aliases are expanded, so a self-referencing alias and an alias bomb are caught here, and
    a scalar PyYAML cannot build (``2026-13-45``, ``!!int abc``) is reported with its line.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def fail(self, node: yaml.Node, path: Path_, what: str, fix: str) -> PlaybookError:
        name = dotted(path[:8]) + ("…" if len(path) > 8 else "")
        return PlaybookError(what, file=self.file, line=node.start_mark.line + 1, field=name or None, fix=fix)

    def build(self, node: yaml.Node, path: Path_, above: frozenset[int], record: bool = True) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, path, f"more than {MAX_NODES:,} values (aliases expanding without end?)",
                            "write the values out instead of repeating aliases (*name)")
        if len(above) > MAX_DEPTH:
            raise self.fail(node, path, f"nested more than {MAX_DEPTH} levels deep",
                            "check the brackets and indentation around that line")
        if id(node) in above:
            raise self.fail(node, path, "an alias (*name) refers to the block that contains it",
                            "write the value out instead of the alias")
        if record:
            self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, above | {id(node)}, record)
        if isinstance(node, yaml.SequenceNode):
            inner = above | {id(node)}
            return [self.build(item, (*path, i), inner, record) for i, item in enumerate(node.value)]
        try:
            # SafeConstructor's own rules for scalars (ints, dates, bools, nulls); a fresh one
            # each time so its object cache does not grow across documents.
            value = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError) as exc:
            fix = "correct the value, or put it in quotes to keep it as text"
            if node.tag == "tag:yaml.org,2002:timestamp":
                fix = "write a real calendar date as YYYY-MM-DD, for example 2026-11-18"
            raise self.fail(node, path, f"cannot read {node.value!r}: {exc}", fix) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            # JSON writes emoji as escaped surrogate pairs; join them into real characters.
            try:
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeError:
                raise self.fail(node, path, "text holds a broken character escape (a lone \\ud800-\\udfff)",
                                "remove the escape or write the character itself") from None
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path_, above: frozenset[int], record: bool) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise PlaybookError("YAML merge keys (<<) are not supported", file=self.file, line=line,
                                    fix="write the keys out in full")
            key = self.build(key_node, (*path, "<key>"), above, record=False)
            if not isinstance(key, str | int):
                raise PlaybookError("a mapping key must be plain text", file=self.file, line=line,
                                    fix="quote the key")
            if key in out:
                raise PlaybookError(f"key {key!r} appears twice in the same block", file=self.file,
                                    line=line, fix="keep one of the two entries")
            out[key] = self.build(value_node, (*path, key), above, record)
            if record:
                self.lines[(*path, key)] = line
        return out


def parse(text: str, file: str | Path) -> Located:
    """Parse YAML text; syntax errors become a `PlaybookError` with the parser's line."""
    name = str(file)
    try:
        node = yaml.compose(text, Loader=_loader(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = str(exc.problem or exc.context)
        if exc.context and exc.context_mark and exc.problem_mark and (
            exc.context_mark.line != exc.problem_mark.line
        ):
            what += f" ({exc.context}, which starts on line {exc.context_mark.line + 1})"
        raise PlaybookError(
            f"not valid YAML: {what}",
            file=name,
            line=mark.line + 1 if mark else None,
            fix="check the indentation and quoting around that line",
        ) from None
    except yaml.YAMLError as exc:
        raise PlaybookError(f"not valid YAML: {exc}", file=name) from None
    except RecursionError:
        raise PlaybookError("nested too deeply to read", file=name,
                            fix="check the brackets and indentation") from None
    if node is None:
        return Located(data=None, file=name, lines={(): 1})
    builder = _Builder(name)
    data = builder.build(node, (), frozenset())
    return Located(data=data, file=name, lines=builder.lines)


def load(path: str | Path, error: type[PlaybookError] = PlaybookError) -> Located:
    """Read and parse a YAML file, turning I/O and decoding errors into `error`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error("file not found", file=p, fix="check the path") from None
    except UnicodeDecodeError as exc:
        raise error(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            file=p,
            fix="save the file as UTF-8",
        ) from None
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", file=p) from None
    try:
        return parse(text, p)
    except PlaybookError as exc:
        if type(exc) is error:
            raise
        raise error(exc.what, file=exc.file, line=exc.line, field=exc.field, fix=exc.fix) from None


def dotted(loc: Iterable[str | int]) -> str:
    """``("sections", 0, "label")`` -> ``sections[0].label``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def from_validation(
    exc: ValidationError,
    doc: Located,
    error: type[PlaybookError],
    *,
    prefix: Sequence[str | int] = (),
    team: str | None = None,
) -> PlaybookError:
    """Turn pydantic's first error into a `PlaybookError` naming file, line and field.

    `prefix` is where the validated object sits inside the document, for line look-ups.
    """
    errors = exc.errors(include_url=False)
    # A misspelt key shows as "unknown" plus "missing": the unknown one says more.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = [p for p in first["loc"] if isinstance(p, str | int)]
    full = [*prefix, *loc]
    msg = str(first["msg"]).removeprefix("Value error, ")
    fix = None
    if first["type"] == "extra_forbidden":
        msg = "unknown key (misspelt, or not allowed here)"
        parent = tuple(first["loc"][:-1])
        missing = [e["loc"][-1] for e in errors if e["type"] == "missing" and tuple(e["loc"][:-1]) == parent]
        if missing:
            fix = f"did you mean {missing[0]!r}?"
        elif " " in str(first["loc"][-1]):
            fix = "a comma inside {...} ends the text before it: put the whole text in quotes"
    elif first["type"] == "missing":
        msg = "required, but missing"
    count = len(errors)
    more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
    return error(
        msg + more,
        file=doc.file,
        line=doc.line_of(full),
        field=_field_name(doc, full) or None,
        team=team,
        fix=fix,
    )


def duplicate_ids(data: Any, path: Path_ = ()) -> tuple[Path_, str] | None:
    """The first item of a list whose `id` repeats an earlier one, anywhere in `data`.

    Checked on the raw document so the error can point at the duplicate's own line.
    """
    if isinstance(data, dict):
        for key, value in data.items():
            found = duplicate_ids(value, (*path, key))
            if found:
                return found
    elif isinstance(data, list):
        seen: set[Any] = set()
        for i, item in enumerate(data):
            if isinstance(item, dict) and isinstance(item.get("id"), str | int):
                if item["id"] in seen:
                    return (*path, i, "id"), str(item["id"])
                seen.add(item["id"])
            found = duplicate_ids(item, (*path, i))
            if found:
                return found
    return None


def _field_name(doc: Located, loc: Sequence[str | int]) -> str:
    """Dotted path of the parts of `loc` that exist in the document, plus the missing tail."""
    node: Any = doc.data
    kept: list[str | int] = []
    for i, part in enumerate(loc):
        if _has(node, part):
            node = node[part]
            kept.append(part)
        elif isinstance(node, dict) and i == len(loc) - 1:
            kept.append(part)  # a missing key: still name it
        # else: a part pydantic added (a union tag): skip it
    return dotted(kept)


def plain_ok(value: str) -> bool:
    """Whether `value` can be written as a plain (unquoted) YAML scalar that PyYAML reads back
    as this very text: not `Yes`, `1:20` or `?q`, which would come back as something else."""
    import io

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
    plain = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True).analyze_scalar(value)
    return tag == "tag:yaml.org,2002:str" and bool(plain.allow_flow_plain)


def double_quoted(value: str) -> str:
    """`value` as a double-quoted YAML scalar, escaping what YAML would fold or refuse."""
    chars = (
        "\\" + c if c in '"\\'
        else c if c == " " or c.isprintable()
        else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
        for c in value
    )
    return '"' + "".join(chars) + '"'
