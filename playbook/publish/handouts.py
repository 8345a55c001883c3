"""Printable handouts: one per exercise for participants, one facilitator guide per workshop.

The parts of each document come from the templates `handout.html.j2` and `guide.html.j2`
(through `playbook.publish.html`): a participant handout never shows facilitator notes, a
field's reveal or an option's severity; only the guide prints the first two. Each document is
a notebook built in memory (HTML outputs, no code) and rendered with the kit's nbconvert
templates (`playbook_handout`, `playbook_guide`), so the handouts, the guide and the reports
share one print stylesheet. Files go to `<folder>/out/handouts/`, written atomically; PDFs
come from one shared Chromium (`playbook.publish.pdf.PdfPrinter`) and are printed from the
HTML, which stays beside them as it does for reports.

`per_team` adds one folder per team (`out/handouts/<team id>/`, named from the id only): every
exercise's handout with the team's name and members, and, given the address `playbook serve`
will listen on, a QR code of the team's full link and its short link (`/t/<code>`). Both come
from `playbook.workshop.access`, whose token and keys derive from the workshop's secret, so
the printed links open on any later `playbook serve` of the same folder.

Everything is in the workshop's language, or `language` (`playbook handouts --language`):
`Folder.speaking` applies it to the definitions, the words of the templates, the date and the
page bands alike.
"""

from __future__ import annotations

import base64
import colorsys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playbook.errors import PlaybookError
from playbook.fsio import write_atomic
from playbook.i18n import _, current, formats
from playbook.model.exercises import Exercise
from playbook.publish import html
from playbook.publish import nbtemplates as templates
from playbook.workshop import Folder, access
from playbook.workshop.config import Team
from playbook.workshop.ids import is_team_id

FORMATS = ("html", "pdf")
GUIDE_NAME = "facilitator-guide"
_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".gif": "image/gif", ".webp": "image/webp"}


@dataclass
class Built:
    html: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # network requests the printer refused
    links: dict[str, TeamLink] = field(default_factory=dict)  # team id -> its printed link (--server)


@dataclass(frozen=True)
class TeamLink:
    """What a team's handout prints: the full link (in the QR code) and the short one to type."""

    url: str
    short: str
    qr: str  # the QR code of `url`, a data: URI (SVG)


def _luminance(hex_colour: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str = "#ffffff") -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(accent: str) -> str:
    """The accent colour, darkened until text in it reaches 4.5:1 on white (WCAG AA)."""
    h, lightness, s = colorsys.rgb_to_hls(*(int(accent[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    colour = accent
    while contrast(colour) < 4.5 and lightness > 0:
        lightness = max(0.0, lightness - 0.03)
        colour = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(h, lightness, s))
    return colour


def branding(folder: Folder, paper: str, team: str | None = None) -> dict[str, Any]:
    """The notebook metadata `playbook` that the templates read (version 1), in the language in
    use (`Folder.speaking`): `lang` its tag, for the page's <html lang> and fonts, the date and the
    word for a team written in it."""
    c = folder.config
    meta: dict[str, Any] = {
        "version": 1, "client": c.client, "title": c.title, "date": formats.date(c.date), "paper": paper,
        "accent": c.branding.accent, "accent_text": readable(c.branding.accent), "lang": current().tag,
        "team_label": _("Team"),
    }
    if team:
        meta["team"] = team
    logo = folder.path / c.branding.logo if c.branding.logo else None
    if logo is not None and logo.suffix.lower() in _MIME and logo.is_file():
        data = base64.b64encode(logo.read_bytes()).decode("ascii")
        meta["logo"] = f"data:{_MIME[logo.suffix.lower()]};base64,{data}"
        meta["logo_alt"] = _("%(client)s logo") % {"client": c.client}
    return meta


def notebook(fragments: Sequence[str], title: str, meta: dict[str, Any]) -> Any:
    """A notebook whose cells show `fragments` as HTML outputs (inputs are never rendered)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = title
    nb.metadata["playbook"] = meta
    for n, frag in enumerate(fragments):
        cell = nbformat.v4.new_code_cell("")
        cell.id = f"part-{n}"  # not a random id: the same document is the same file, byte for byte
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": frag})]
        nb.cells.append(cell)
    return nb


def handout(ex: Exercise) -> list[str]:
    """The participant handout of one exercise, as output fragments (never facilitator notes)."""
    return [*(str(html.macro("handout.html.j2", part)(ex)) for part in ("title", "why", "session")), worksheet(ex)]


def worksheet(ex: Exercise) -> str:
    """The blank worksheet: the handout's last part, and a report notebook's blank mode."""
    return str(html.macro("worksheet.html.j2", "worksheet")(ex))


def guide(title: str, exercises: Sequence[Exercise]) -> list[str]:
    """The facilitator guide: the agenda, then one fragment per exercise."""
    return [str(html.macro("guide.html.j2", "intro")(title, exercises)),
            *(str(html.macro("guide.html.j2", "exercise")(ex)) for ex in exercises)]


def team_handout(ex: Exercise, team: Team, link: TeamLink | None) -> list[str]:
    """A team's own handout of one exercise: the team in the title, its card, then the rest."""
    def part(name: str) -> Any:
        return html.macro("handout.html.j2", name)

    return [str(part("title")(ex, team)), str(part("team_card")(team, link)),
            *(str(part(name)(ex)) for name in ("why", "session")), worksheet(ex)]


def server_root(address: str) -> str:
    """`http://host:port` from what a facilitator types (`192.168.1.20:8866` means http)."""
    text = address.strip()
    parts = urlsplit(text if "://" in text else f"http://{text}")
    fix = "pass the address playbook serve listens on, like http://192.168.1.20:8866"
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number or out of range
    except ValueError:
        raise PlaybookError(f"server address {address!r} has an invalid port", field="--server", fix=fix) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise PlaybookError(f"server address {address!r} is not an http address", field="--server", fix=fix)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise PlaybookError(f"server address {address!r} has a path: links add their own", field="--server",
                            fix=fix)
    return f"{parts.scheme}://{parts.netloc}"


def team_link(folder: Folder, team_id: str, server: str) -> TeamLink:
    """The team's link on `playbook serve` at `server` (`server_root`), its short link and QR code."""
    import segno

    url = access.served_team_link(server, folder, team_id)
    qr = segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4, dark="#000000", light="#ffffff")
    return TeamLink(url=url, short=access.short_link(server, folder, team_id), qr=qr)


def team_dir(folder: Folder, team_id: str) -> Path:
    """`out/handouts/<team id>/`: the id is `[a-z0-9-]` (checked again here), never the team's name."""
    if not is_team_id(team_id):
        raise PlaybookError(f"team id {team_id!r} cannot name a folder", file=folder.config_path, team=team_id,
                            fix="use an id of lowercase letters, digits and dashes")
    return folder.out / "handouts" / team_id


def render(template: str, nb: Any) -> str:
    resources = {"metadata": {"name": nb.metadata["title"]}}
    body, _ = templates.exporter(template).from_notebook_node(nb, resources=resources)
    return str(body)


def build(
    workshop: str | Path | Folder, *, formats: Sequence[str] = ("html",), paper: str = "a4",
    exercises: Sequence[Exercise] | None = None, printer: Any = None,
    per_team: bool = False, server: str | None = None, language: str = "",
) -> Built:
    """Write every exercise's handout and the facilitator guide; return what was written.

    The HTML is always written: a PDF is printed from it and it stays beside the PDF, as a
    report's does (`formats` ("pdf",) means the same as ("html", "pdf")). `exercises` replaces
    the workshop's definitions (tests); `printer` is an open `PdfPrinter` to reuse across
    workshops. `per_team` also writes each team's set under `out/handouts/<id>/`; `server` (the
    address `playbook serve` listens on) puts its link, QR code and short link on it.
    `language` replaces the workshop's language for this run.
    """
    folder = workshop if isinstance(workshop, Folder) else Folder(workshop)
    bad = sorted(set(formats) - set(FORMATS))
    if bad or not formats:
        raise PlaybookError(f"unknown format {', '.join(bad) or '(none)'}", fix="use html, pdf or html,pdf")
    if server is not None and not per_team:
        raise PlaybookError("a server address is printed on team handouts only", field="--server",
                            fix="add --per-team, or leave out --server")
    root = server_root(server) if server is not None else None
    with folder.speaking(language) as lang:
        exs = list(exercises) if exercises is not None else folder.exercises(lang.tag)
        out = folder.out / "handouts"
        meta = branding(folder, paper)
        docs = [(out / f"{ex.id}.html", templates.HANDOUT, ex.title, handout(ex), meta) for ex in exs]
        docs.append((out / f"{GUIDE_NAME}.html", templates.GUIDE, _("Facilitator guide"),
                     guide(folder.config.title, exs), meta))
        built = Built()
        for team in folder.config.teams if per_team else []:
            where = team_dir(folder, team.id)
            link = team_link(folder, team.id, root) if root is not None else None
            if link is not None:
                built.links[team.id] = link
            team_meta = branding(folder, paper, team=team.name)
            docs += [(where / f"{ex.id}.html", templates.HANDOUT, f"{ex.title} · {team.name}",
                      team_handout(ex, team, link), team_meta) for ex in exs]
        printed: list[tuple[Path, dict[str, Any]]] = []
        for path, template, title, fragments, page_meta in docs:
            write_atomic(path, render(template, notebook(fragments, f"{title} · {folder.config.client}", page_meta)))
            built.html.append(path)
            printed.append((path, page_meta))
        if "pdf" in formats:
            built.pdf, built.blocked = _print(printed, paper, printer)
    return built


def _print(pages: Sequence[tuple[Path, dict[str, Any]]], paper: str,
           printer: Any) -> tuple[list[Path], list[str]]:
    """Every page through one browser; a team's pages carry its name in the PDF header."""
    from playbook.publish.pdf import PdfPrinter

    def info(meta: dict[str, Any]) -> dict[str, str]:
        return {**{k: meta[k] for k in ("client", "title", "date", "team") if k in meta}, "language": meta["lang"]}

    if printer is not None:
        return [printer.print(p, p.with_suffix(".pdf"), info(m), paper) for p, m in pages], printer.blocked
    with PdfPrinter(paper) as own:
        return [own.print(p, p.with_suffix(".pdf"), info(m)) for p, m in pages], own.blocked
