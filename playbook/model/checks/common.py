"""What every cross-check shares: the shape of a problem and how it names what is unknown."""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator, Mapping

from playbook.model.fields import FieldDef, Notes

Path = tuple[str | int, ...]
Problem = tuple[Path, str]  # (where in the definition, for a line number; what is wrong)


def unknown(what: str, name: object, known: Iterable[object]) -> str:
    listed = ", ".join(sorted(map(str, known)))
    return f"unknown {what} {name!r}; known: {listed}"


def need_field(
    fields: Mapping[str, FieldDef], path: Path, fid: str | None, types: tuple[str, ...]
) -> Iterator[Problem]:
    """`fid` names a field of the exercise, of one of `types` when they are given."""
    if fid is None:
        return
    if fid not in fields:
        yield path, unknown("field", fid, fields)
    elif types and fields[fid].type not in types:
        yield path, f"field {fid!r} is a {fields[fid].type}; this needs one of: {', '.join(types)}"


def tag_problems(path: Path, f: Notes, group: str | None, values: list[str] | None) -> Iterator[Problem]:
    """`group` is a tag group of notes field `f` and each of `values` one of its options."""
    groups = {g.id: g for g in f.tag_groups}
    if group not in groups:
        yield (*path, "group"), unknown("tag group", group, groups)
        return
    opts = [o.id for o in groups[group].options]
    for k, v in enumerate(values or []):
        if v not in opts:
            yield (*path, "values", k), unknown("tag", v, opts)


def template_problems(path: Path, template: str, allowed: set[str]) -> Iterator[Problem]:
    """A text with {placeholders} uses only the `allowed` ones."""
    known = ", ".join(f"{{{a}}}" for a in sorted(allowed))
    try:
        names = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as exc:
        yield path, f"not a valid template: {exc}; write {known}"
        return
    bad = names - allowed
    if bad:
        yield path, f"unknown placeholder {{{sorted(bad)[0]}}}; use {known}"
