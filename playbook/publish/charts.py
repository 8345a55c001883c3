"""Results -> matplotlib figures: pure functions, no pyplot, no global state left behind.

Every chart is a `matplotlib.figure.Figure` built with the Agg canvas and carries its
alternative text (read it with `alt_text(fig)`); `png(fig)` renders it. Fonts: DejaVu Sans,
then the CJK font fontconfig finds (`playbook.publish.fonts`), so Chinese team names and
labels draw as glyphs; settings apply inside the chart functions only (`rc_context`), never
to the caller's matplotlib, and one thread draws at a time (the served process draws for many
pages at once). Without a CJK font, a chart with CJK text warns once, naming the package to
install, instead of one warning per missing glyph. Titles, labels and alternative
texts are in the language in use (`playbook.i18n`), numbers written its way; the defaults of
`title` and the like are translated when a chart is drawn.
"""

from __future__ import annotations

import io
import math
import threading
import unicodedata
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from playbook.i18n import N_, _, formats, ngettext
from playbook.model.exercises import Exercise
from playbook.model.fields import Matrix
from playbook.publish import fonts
from playbook.publish.html import NOT_RATED, listed, score_text  # the words tables and charts share
from playbook.scoring import Result

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # for the type checker only: older matplotlib releases lack it

LATIN = "DejaVu Sans"  # ships with matplotlib: always there
DPI = 80
INK, ACCENT, WARN, MUTED = "#222222", "#1f5f8b", "#c0392b", "#9aa5ad"
RACI_COLOURS = {"a": "#1f5f8b", "r": "#5b9bd5", "c": "#f2c14e", "i": "#d9dee2"}


def font_family() -> list[str]:
    """The font fallback list: DejaVu Sans, then the CJK font of this machine when there is one."""
    return _families(fonts.cjk_font())


@cache
def _families(cjk: fonts.Font | None) -> list[str]:
    """`cjk` as matplotlib names it. A font installed after matplotlib built its font cache is
    added to its font manager (the cache itself is left alone)."""
    if cjk is None:
        return [LATIN]
    from matplotlib import font_manager

    def names() -> list[str]:
        return [f.name for f in font_manager.fontManager.ttflist if Path(f.fname) == cjk.file]

    known = names()
    if not known:
        font_manager.fontManager.addfont(cjk.file)
        known = names()
    return [LATIN, cjk.family if cjk.family in known else known[0]] if known else [LATIN]


# rc_context changes matplotlib's one global rcParams for the time of a draw: pages served by
# one process draw in several threads, so a second page's block could restore the first one's
# settings for good. Drawing is one block at a time (re-entrant: png() inside a chart function).
_DRAWING = threading.RLock()


# "axes.titley": titles sit at the top of their axes. Left to itself (None), matplotlib measures
# every tick label of a chart at each draw, to lift the title over tick labels on top; the one
# chart with those (the RACI heatmap) is titled with `suptitle`. The pictures are the same byte
# for byte (tests/test_charts.py) and a team report draws about 6% faster.
STYLE: dict[RcKeyType, Any] = {"font.size": 9, "axes.titlesize": 11, "axes.titley": 1.0}


@contextmanager
def _style() -> Iterator[None]:
    with _DRAWING, matplotlib.rc_context({"font.family": font_family(), **STYLE}):
        yield


def _figure(w: float, h: float, alt: str, polar: bool = False) -> tuple[Figure, Any]:
    fig = Figure(figsize=(w, h), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.set_label(alt)
    ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax


def alt_text(fig: Figure) -> str:
    """The alternative text of a chart made here (for `<img alt=...>` and screen readers)."""
    return str(fig.get_label())


def _title(fig: Figure) -> str:
    """What a person calls the chart: its title, else the start of its alternative text."""
    sup = fig.get_suptitle()
    return sup or next((ax.get_title() for ax in fig.axes if ax.get_title()), alt_text(fig)[:60])


def png(fig: Figure) -> bytes:
    """The chart as PNG. Without a font for its CJK text: one `MissingFontWarning` for the
    process, and matplotlib's warning per missing glyph left out (they say the same, less usefully)."""
    drawn = fonts.check(_texts(fig), f"the chart {_title(fig)!r}")
    buf = io.BytesIO()
    with _style(), warnings.catch_warnings():
        if not drawn:
            warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _texts(fig: Figure) -> Iterator[str]:
    """The figure's texts, walked only when read: `fonts.check` reads them only when no CJK font
    is installed (a generator expression would walk the artists at once)."""
    for t in fig.findobj(Text):
        yield t.get_text()


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _segments(word: str, width: int) -> list[str]:
    """A word as the pieces a line may break between: each CJK character apart (CJK breaks
    between characters, with no spaces), its punctuation kept with the character it follows
    (opening brackets with the one they precede), and a run too long for a line in slices."""
    out: list[str] = []
    run = opening = ""
    for ch in word:
        kind = unicodedata.category(ch)
        if _width(ch) == 2 and kind.startswith("L"):
            out += _slices(run, width) if run else []
            out.append(opening + ch)
            run = opening = ""
        elif _width(ch) == 2 and kind in ("Ps", "Pi"):
            opening += ch
        elif _width(ch) == 2 and out and not run:
            out[-1] += ch
        else:
            run += opening + ch
            opening = ""
    run += opening
    return out + (_slices(run, width) if run else [])


def _slices(run: str, width: int) -> list[str]:
    out = []
    while _width(run) > width:
        cut = max(1, max(i for i in range(len(run) + 1) if _width(run[:i]) <= width))
        out.append(run[:cut])
        run = run[cut:]
    return [*out, run]


def _wrap(text: str, width: int = 18) -> str:
    """`text` in lines of at most `width` columns (a CJK character counts two), breaking at
    spaces, between CJK characters, and inside a word longer than a line."""
    lines, line = [], ""
    for word in text.split():
        for i, seg in enumerate(_segments(word, width)):
            sep = " " if i == 0 and line else ""
            if line and _width(line + sep + seg) > width:
                lines.append(line)
                line = seg
            else:
                line += sep + seg
    return "\n".join([*lines, line])


# --- radar ------------------------------------------------------------------------------


def _pair(label: str, value: str) -> str:
    # Translators: a label and its value in a chart's alternative text, e.g. "Customer contact 62"
    return _("%(label)s %(value)s") % {"label": label, "value": value}


def radar_alt(result: Result, title: str = "") -> str:
    parts = listed([_pair(d.label, score_text(d.score)) for d in result.dimensions], "; ")
    unrated = sum(d.score is None for d in result.dimensions)
    if title:
        text = _("Radar chart of %(title)s: scores out of 100 by dimension. %(scores)s.") % {
            "title": title, "scores": parts}
    else:
        text = _("Radar chart: scores out of 100 by dimension. %(scores)s.") % {"scores": parts}
    if unrated:
        text += " " + ngettext("%(num)s of %(total)s dimensions is not rated: nothing in it is answered yet.",
                               "%(num)s of %(total)s dimensions are not rated: nothing in them is answered yet.",
                               unrated) % {"num": unrated, "total": len(result.dimensions)}
    return text


def radar(result: Result, title: str = N_("Scores by dimension")) -> Figure:
    """Dimension scores (0-100) on a radar; a bar chart when there are fewer than three.

    A dimension with nothing answered has no point on its spoke (a point at the centre would
    read as a zero): the web joins the rated dimensions only and the label says "not rated".
    Drawn on plain axes (a polar projection costs twice the drawing time for the same picture).
    """
    dims = result.dimensions
    title = _(title)
    with _style():
        if len(dims) < 3:
            return bars({d.label: d.score for d in dims}, title=title, alt=radar_alt(result, title))
        fig, ax = _figure(6.0, 4.4, radar_alt(result, title))
        angles = [math.pi / 2 - 2 * math.pi * i / len(dims) for i in range(len(dims))]
        cos, sin = [math.cos(a) for a in angles], [math.sin(a) for a in angles]
        loop = list(zip([*cos, cos[0]], [*sin, sin[0]], strict=True))
        rings = [[(r * c, r * s) for c, s in loop] for r in (25, 50, 75, 100)]
        spokes = [[(0, 0), (100 * c, 100 * s)] for c, s in zip(cos, sin, strict=True)]
        ax.add_collection(LineCollection(rings + spokes, colors=MUTED, linewidths=0.6))
        rated = [(d.score, c, s) for d, c, s in zip(dims, cos, sin, strict=True) if d.score is not None]
        xs = [v * c for v, c, _ in rated]
        ys = [v * s for v, _, s in rated]
        if len(rated) >= 3:
            ax.fill([*xs, xs[0]], [*ys, ys[0]], color=ACCENT, alpha=0.2)
            ax.plot([*xs, xs[0]], [*ys, ys[0]], color=ACCENT, linewidth=2)
        ax.scatter(xs, ys, s=14, color=ACCENT, zorder=3)  # alone, one or two rated points still show
        for d, c, s in zip(dims, cos, sin, strict=True):
            ha = "center" if abs(c) < 0.2 else ("left" if c > 0 else "right")
            ax.text(112 * c, 112 * s, _wrap(f"{d.label} ({score_text(d.score)})", 16), ha=ha, va="center",
                    fontsize=8, color=INK if d.score is not None else MUTED,
                    fontstyle="normal" if d.score is not None else "italic")
        ax.text(2, 52, formats.number(50), fontsize=6, color=MUTED)
        ax.set_xlim(-200, 200)  # room for wrapped labels left and right of the web
        ax.set_ylim(-125, 125)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title)
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.92)
    return fig


# --- self-rating against evidence (empathy) ---------------------------------------------


def _rating(result: Result, metric: str, given: float | None = None) -> float | None:
    """The rating (0-100) a gap metric `rating - overall` compares with the evidence score.

    `given` (the rating read from the answers) wins: without an evidence score the gap is
    unknown, yet the rating itself is still worth showing.
    """
    if given is not None:
        return given
    m = result.metrics.get(metric)
    if m is None or m.value is None or result.overall is None:
        return None
    return max(0.0, min(100.0, result.overall + m.value))


def self_vs_evidence_alt(result: Result, metric: str, rating: float | None = None) -> str:
    rated = _rating(result, metric, rating)
    evidence = result.overall
    if rated is None and evidence is None:
        return _("Bar chart: no self-rating recorded and the evidence score is not rated yet (nothing answered).")
    if rated is None:
        return _("Bar chart: evidence score %(evidence)s out of 100; no self-rating recorded.") % {
            "evidence": formats.number(evidence or 0)}
    if evidence is None:
        return _("Bar chart: self-rating %(rating)s out of 100; the evidence score is not rated yet (nothing "
                 "answered).") % {"rating": formats.number(rated)}
    return _("Bar chart: self-rating %(rating)s against evidence score %(evidence)s, out of 100; a gap of "
             "%(gap)s points.") % {"rating": formats.number(rated), "evidence": formats.number(evidence),
                                   "gap": formats.number(rated - evidence, sign=True)}


def self_vs_evidence(result: Result, metric: str, title: str = N_("Self-rating against evidence"),
                     rating: float | None = None) -> Figure:
    """Two bars: the self-rating and the evidence score; a missing one is labelled, not drawn.
    `metric`: the gap metric (self-rating minus evidence score) the definition's chart names."""
    rated = _rating(result, metric, rating)
    labels = [_("Self-rating"), _("Evidence score")]
    values = [rated, result.overall]
    with _style():
        fig, ax = _figure(5.2, 2.4, self_vs_evidence_alt(result, metric, rating))
        _hbars(ax, labels, values, [MUTED, ACCENT], [_(NOT_RATED)] * 2)
        ax.set_xlim(0, 110)
        ax.set_xlabel(_("Score (0-100)"))
        ax.set_title(_(title))
        fig.subplots_adjust(left=0.25, right=0.97, bottom=0.7 / fig.get_figheight(), top=1 - 0.4 / fig.get_figheight())
    return fig


def _hbars(ax: Any, labels: Sequence[str], values: Sequence[float | None], colours: Sequence[str],
           missing: Sequence[str], fontsize: float = 9) -> None:
    """Horizontal bars, top to bottom; a missing value gets no bar (not a zero) and a word instead."""
    ys = list(range(len(labels)))
    drawn = [(y, v, c) for y, v, c in zip(ys, values, colours, strict=True) if v is not None]
    ax.barh([y for y, _, _ in drawn], [v for _, v, _ in drawn], color=[c for _, _, c in drawn])
    for y, v, word in zip(ys, values, missing, strict=True):
        if v is None:
            ax.text(1, y, word, va="center", fontsize=fontsize, color=MUTED, fontstyle="italic")
        else:
            ax.text(max(v, 0) + 1, y, formats.number(v), va="center", fontsize=fontsize)
    ax.set_yticks(ys, labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)


# --- gut call against evidence (fit) -----------------------------------------------------


def gut_vs_evidence_alt(results: Mapping[str, Result], metric: str,
                        ratings: Mapping[str, float | None] | None = None) -> str:
    parts = []
    for name, res in results.items():
        gut = _rating(res, metric, (ratings or {}).get(name))
        gut_text = _("no gut call") if gut is None else _("gut call %(value)s") % {"value": formats.number(gut)}
        evidence = _("evidence not rated") if res.overall is None else \
            _("evidence %(value)s") % {"value": formats.number(res.overall)}
        parts.append(_("%(team)s: %(gut)s, %(evidence)s") % {"team": name, "gut": gut_text, "evidence": evidence})
    return _("Dot plot of gut call against evidence score, out of 100. %(teams)s.") % {
        "teams": listed(parts, "; ")}


def gut_vs_evidence(results: Mapping[str, Result], metric: str, title: str = N_("Gut call against evidence"),
                    ratings: Mapping[str, float | None] | None = None) -> Figure:
    """One row per team (name -> Result): the gut call, the evidence score and a line between;
    `metric` is the gap metric (gut call minus evidence score) the definition's chart names.

    `ratings` (name -> gut call as 0-100) shows a gut call even where no evidence score exists
    yet; a row with no evidence score says "evidence not rated" instead of a dot at 0.
    """
    names = list(results)
    with _style():
        fig, ax = _figure(5.6, 1.2 + 0.45 * len(names), gut_vs_evidence_alt(results, metric, ratings))
        gut_shown = evidence_shown = False
        for y, name in enumerate(names):
            res = results[name]
            gut = _rating(res, metric, (ratings or {}).get(name))
            if gut is not None and res.overall is not None:
                ax.plot([gut, res.overall], [y, y], color=MUTED, linewidth=2, zorder=1)
            if gut is not None:
                ax.scatter([gut], [y], s=60, color=WARN, marker="D", zorder=2,
                           label=None if gut_shown else _("Gut call"))
                gut_shown = True
            if res.overall is not None:
                ax.scatter([res.overall], [y], s=60, color=ACCENT, zorder=2,
                           label=None if evidence_shown else _("Evidence score"))
                evidence_shown = True
            else:
                ax.text(101, y, _("evidence not rated"), ha="right", va="center", fontsize=7, color=MUTED,
                        fontstyle="italic")
        ax.set_yticks(range(len(names)), [_wrap(n, 22) for n in names], fontsize=8)
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlim(-3, 103)
        ax.set_xlabel(_("Score (0-100)"))
        ax.set_title(_(title))
        if gut_shown or evidence_shown:
            # below the axis label at any height (anchored in axes units it overlapped it for one team)
            fig.legend(loc="lower center", bbox_to_anchor=(0.5, 0.04 / fig.get_figheight()), ncol=2, fontsize=7,
                       frameon=False)
        fig.subplots_adjust(left=0.34, right=0.97, bottom=0.85 / fig.get_figheight(), top=1 - 0.4 / fig.get_figheight())
    return fig


# --- RACI heatmap (enablement) ----------------------------------------------------------


def raci_conflicts(ex: Exercise, matrix: Mapping[str, Mapping[str, str]], field: str, value: str) -> list[str]:
    """Ids of the rows of matrix `field` without exactly one `value` (one accountable owner)."""
    f = ex.field_as(field, Matrix)
    return [r.id for r in f.rows if sum(1 for v in matrix.get(r.id, {}).values() if v == value) != 1]


def raci_heatmap_alt(ex: Exercise, matrix: Mapping[str, Mapping[str, str]], field: str, value: str) -> str:
    f = ex.field_as(field, Matrix)
    bad = set(raci_conflicts(ex, matrix, field, value))
    names = [r.label for r in f.rows if r.id in bad]
    filled = sum(1 for r in f.rows if matrix.get(r.id))
    head = _("Heatmap of %(label)s: %(rows)s rows by %(columns)s roles, %(filled)s rows filled.") % {
        "label": f.label, "rows": len(f.rows), "columns": len(f.columns), "filled": filled}
    return head + " " + _("Rows without exactly one accountable owner: %(rows)s.") % {
        "rows": listed(names) if names else _("none")}


def raci_heatmap(ex: Exercise, matrix: Mapping[str, Mapping[str, str]], field: str, value: str,
                 title: str | None = None) -> Figure:
    """Matrix `field` as coloured letters; rows without exactly one `value` (one accountable
    owner) are marked in red. The title defaults to the field's label."""
    f = ex.field_as(field, Matrix)
    rows, cols = f.rows, f.columns
    bad = set(raci_conflicts(ex, matrix, field, value))
    with _style():
        fig, ax = _figure(6.4, 1.4 + 0.32 * len(rows), raci_heatmap_alt(ex, matrix, field, value))
        rgb = [[to_rgb(RACI_COLOURS.get((matrix.get(r.id, {}).get(c.id) or "").lower(), "#ffffff"))
                for c in cols] for r in rows]
        ax.imshow(rgb, aspect="auto", interpolation="nearest")
        letters: dict[str, tuple[list[int], list[int]]] = {}
        for y, row in enumerate(rows):
            for x, col in enumerate(cols):
                v = (matrix.get(row.id, {}).get(col.id) or "").lower()
                if v:
                    letters.setdefault(v, ([], []))[0].append(x)
                    letters[v][1].append(y)
            if row.id in bad:
                ax.add_patch(Rectangle((-0.5, y - 0.5), len(cols), 1, fill=False, edgecolor=WARN, linewidth=2))
        for v, (xs, ys) in letters.items():  # one collection per letter: far faster than a text per cell
            ax.scatter(xs, ys, marker=f"${v.upper()}$", s=45, linewidths=0.4,
                       color="white" if v in ("a", "r") else INK)
        labels = [r.label + (" \u2014 " + _("no single %(letter)s") % {"letter": value.upper()} if r.id in bad else "")
                  for r in rows]
        ax.set_yticks(range(len(rows)), labels, fontsize=7)
        for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
            if row.id in bad:
                tick.set_color(WARN)
        ax.set_xticks(range(len(cols)), [_wrap(c.label, 12) for c in cols], fontsize=7)
        ax.xaxis.tick_top()
        ax.set_xlim(-0.5, len(cols) - 0.5)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlabel(_("Role"))
        ax.set_ylabel(_("Stage or channel"))
        fig.suptitle(f.label if title is None else title)
        fig.subplots_adjust(left=0.42, right=0.98, top=1 - 1.0 / fig.get_figheight(), bottom=0.08)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
    return fig


# --- bars ----------------------------------------------------------------------------------


def bars_alt(values: Mapping[str, float | None], title: str = "", missing: str = NOT_RATED) -> str:
    parts = listed([_pair(k, _(missing) if v is None else formats.number(v)) for k, v in values.items()], "; ")
    if title:
        return _("Bar chart of %(title)s, out of 100: %(values)s.") % {"title": title, "values": parts}
    return _("Bar chart, out of 100: %(values)s.") % {"values": parts}


def bars(values: Mapping[str, float | None], title: str = N_("Results"), alt: str | None = None,
         xlabel: str = N_("Percent"), missing: str = NOT_RATED) -> Figure:
    """Horizontal bars for label -> value (0-100); a missing value gets no bar and says `missing`
    ("not rated" for a score, "not measured yet" for a measure), never a bar at 0. Texts given
    are translated again, so a caller may pass a marked constant (`N_`) or a translation."""
    labels: Sequence[str] = list(values)
    title, xlabel, missing = _(title), _(xlabel), _(missing)
    with _style():
        fig, ax = _figure(5.6, 1.0 + 0.4 * max(len(labels), 1), alt or bars_alt(values, title, missing))
        vals = list(values.values())
        _hbars(ax, [_wrap(s, 34) for s in labels], vals, [ACCENT] * len(vals), [missing] * len(vals), fontsize=8)
        ax.set_xlim(0, 110)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        fig.subplots_adjust(left=0.42, right=0.97, bottom=0.7 / fig.get_figheight(), top=1 - 0.4 / fig.get_figheight())
    return fig
