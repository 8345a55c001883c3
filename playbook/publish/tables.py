"""Plain-text tables for the terminal, aligned even with wide (CJK) characters, and the
results table that `playbook score` and the demo print, in the language in use."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the tables themselves import nothing of the kit until a results table is drawn
    from playbook.answers.results import TeamResult
    from playbook.model.exercises import Exercise


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def render(headers: Sequence[str], rows: Sequence[Sequence[object]], *, max_col: int = 48) -> str:
    """Columns padded to their widest cell (clipped at `max_col`), numbers right-aligned."""
    cells = [[_clip(" ".join(str(c).split()), max_col) for c in row] for row in rows]
    heads = [str(h) for h in headers]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(heads)]
    numeric = [all(_is_num(r[i]) for r in cells) and bool(cells) for i in range(len(heads))]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - width(v))
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(heads), rule, *(line(r) for r in cells)])


BLANK = ("\u2013", "-")  # a number not known: aligned with the numbers of its column


def _is_num(text: str) -> bool:
    if text in BLANK:
        return True
    try:  # shares align like the numbers they are, in any locale's way of writing them (87,5 %, %40)
        float("".join(text.split()).strip("%").replace(",", "."))
    except ValueError:
        return False
    return True


NOT_RATED = "\u2013"  # a score over nothing answered is unknown: a dash, never 0.0


def results_table(results: Sequence[TeamResult], exercises: Sequence[Exercise] | None = None) -> str:
    """One table per exercise: team, overall, the share of the rubric it rests on, band,
    flags, recommendation, completeness. `exercises` gives the titles (a workshop's, in its
    language: `Folder.exercises`); default the bundled definitions."""
    from playbook.i18n import _, formats
    from playbook.model import exercises as definitions

    blocks = []
    for ex in exercises if exercises is not None else definitions.all_exercises():
        rows = []
        for r in (r for r in results if r.exercise == ex.id):
            res = r.result
            flags = _("%(knockouts)s knockout, %(others)s other") % {
                "knockouts": len(res.knockouts), "others": len(res.flags) - len(res.knockouts)}
            overall = NOT_RATED if res.overall is None else formats.number(res.overall, 1)
            rows.append((r.name, overall, formats.share(res.answered), res.band.label, flags,
                         res.recommendation.label, formats.percent(res.completeness_overall)))
        if rows:
            head = [_("team"), _("score"), _("answered"), _("band"), _("flags"), _("recommendation"), _("complete")]
            blocks.append(f"{ex.title}\n\n{render(head, rows, max_col=40)}")
    return "\n\n".join(blocks)
