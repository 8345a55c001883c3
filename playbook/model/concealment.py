"""Which participant texts of a definition give away what the method keeps hidden.

Anchoring is avoided only if participants do not read too early what their answers are for:
a step's `conceal` terms must appear in no participant text of that step or an earlier one
(the exercise's title, summary and purpose count as read before the first step), and the
exercise's `conceal` terms in no participant text at all. Facilitator notes and probes never
reach participants. A field's `reveal` is shown only once the field is answered, so it may
name what its own step (or an earlier one) conceals, but not what a later step or the whole
exercise conceals.

`problems(ex)` gives each leak with its path in the definition (for a line number);
`leaks(ex)` only the messages. Matching is case-insensitive on text with its whitespace
collapsed, so a phrase still matches across a line break of a literal block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from playbook.model.exercise import Exercise
from playbook.model.fields import Choices, FieldDef, Matrix, Notes, Number, Option, Scale

Path = tuple[str | int, ...]
BEFORE = -1  # the step index of texts participants read before the first step


@dataclass(frozen=True)
class Shown:
    """One participant text: from which step on it is read, where it is and what it says."""

    step: int
    where: str
    path: Path
    text: str
    reveal: bool = False  # shown only after its field is answered


def _option_texts(options: list[Option], what: str, path: Path) -> Iterator[tuple[str, Path, str]]:
    for k, o in enumerate(options):
        yield f"{what} {o.id!r} label", (*path, k, "label"), o.label
        if o.help:
            yield f"{what} {o.id!r} help", (*path, k, "help"), o.help


def field_texts(f: FieldDef, path: Path) -> Iterator[tuple[str, Path, str]]:
    """(where, path, text) of every participant text of one field, its reveal excluded."""
    yield "label", (*path, "label"), f.label
    if f.help:
        yield "help", (*path, "help"), f.help
    if isinstance(f, Scale):
        for n, point in enumerate(f.points, 1):
            yield f"scale point {n}", (*path, "points", n - 1), point
    if isinstance(f, Number) and f.unit:
        yield "unit", (*path, "unit"), f.unit
    if isinstance(f, Choices):
        yield from _option_texts(f.options, "option", (*path, "options"))
    if isinstance(f, Notes):
        for gi, g in enumerate(f.tag_groups):
            gpath = (*path, "tag_groups", gi)
            yield f"tag group {g.id!r} label", (*gpath, "label"), g.label
            yield from _option_texts(g.options, f"tag group {g.id!r} option", (*gpath, "options"))
        for ai, a in enumerate(f.attributes):
            yield f"attribute {a.id!r} label", (*path, "attributes", ai, "label"), a.label
    if isinstance(f, Matrix):
        grid = (("rows", "row", f.rows), ("columns", "column", f.columns), ("values", "value", f.values))
        for key, what, options in grid:
            yield from _option_texts(options, what, (*path, key))


def participant_texts(ex: Exercise) -> list[Shown]:
    """Every text of `ex` a participant may read, with the step from which it is read."""
    out = [Shown(BEFORE, f"exercise {key}", (key,), getattr(ex, key)) for key in ("title", "summary", "purpose")]
    index = {s.id: i for i, s in enumerate(ex.sections)}
    for n, step in enumerate(ex.steps):
        at = f"step {step.id!r}: "
        out.append(Shown(n, at + "title", ("steps", n, "title"), step.title))
        out.append(Shown(n, at + "instructions", ("steps", n, "instructions"), step.instructions))
        for sid in step.sections:
            si = index[sid]
            sec, spath = ex.sections[si], ("sections", si)
            out.append(Shown(n, f"{at}section {sid!r} title", (*spath, "title"), sec.title))
            if sec.intro:
                out.append(Shown(n, f"{at}section {sid!r} intro", (*spath, "intro"), sec.intro))
            for fi, f in enumerate(sec.fields):
                fpath = (*spath, "fields", fi)
                out.extend(Shown(n, f"{at}field {f.id!r} {where}", p, text) for where, p, text in field_texts(f, fpath))
                if f.reveal:
                    out.append(Shown(n, f"{at}field {f.id!r} reveal", (*fpath, "reveal"), f.reveal, reveal=True))
    return out


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def problems(ex: Exercise) -> list[tuple[Path, str]]:
    """(path of the leaking text, message) for every concealed term a participant text names."""
    found: list[tuple[Path, str]] = []
    for shown in participant_texts(ex):
        text = _norm(shown.text)
        for term in ex.conceal:
            if _norm(term) in text:
                found.append((shown.path, f"{shown.where} mentions {term!r}, which the exercise conceals"))
        for n, step in enumerate(ex.steps):
            if n < shown.step or (shown.reveal and n == shown.step):
                continue  # an earlier step's secret may be told later; a reveal tells its own step's
            for term in step.conceal:
                if _norm(term) in text:
                    found.append((shown.path, f"{shown.where} mentions {term!r}, which step {step.id!r} conceals"))
    return list(dict.fromkeys(found))


def leaks(ex: Exercise) -> list[str]:
    """Readable messages, one per leak; [] when participants read nothing concealed."""
    return [message for _, message in problems(ex)]
