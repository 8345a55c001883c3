"""What the served pages show: the link decides, the page (or notebook) only displays.

Served (`playbook serve`, `served_page`), the link's query string arrives as `QUERY_STRING`
(`team=...&key=...`, plus `exercise=...` to open one exercise) and `$PLAYBOOK_WORKSHOP` names
the workshop folder. Opened by hand in JupyterLab (the notebooks in `notebooks/`) there is no
query string: the notebook's parameters apply, with facilitator access. A link that is not
valid shows one plain sentence, never a traceback or a form.

A page speaks its workshop's language: once the workshop is read, the process (the served one
serves a single workshop) is switched to it (`playbook.i18n.activate`), so words shown later, by
a click or a timer, are in it too.
"""

from __future__ import annotations

import getpass
import html
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import parse_qs

import ipywidgets as W
from IPython.display import HTML

from playbook import i18n, paths
from playbook.errors import PlaybookError, WorkshopError
from playbook.i18n import N_, _
from playbook.workshop import Folder, access

ENV_WORKSHOP = "PLAYBOOK_WORKSHOP"
ENV_QUERY = "QUERY_STRING"
ENV_SERVED = "PLAYBOOK_SERVED"  # set by playbook serve for its kernels
log = logging.getLogger("playbook.serve")
NOT_VALID = N_("This link is not valid. Ask the facilitator for your team's link.")
NOT_FACILITATOR = N_("This link is not valid for the dashboard. Use the facilitator's link.")
FAILED = N_("This page cannot open. Please tell the facilitator.")
NOT_PRESENTER = N_("This link is not valid for the presenter view. Use the presenter's or the facilitator's link.")


def message(text: str) -> HTML:
    """A plain sentence (no widget, no traceback) in place of the page."""
    return HTML(f"<p style='font-size:1.2em'>{html.escape(text)}</p>")


def _open(workshop: str | Path, environ: Mapping[str, str]) -> Folder:
    """The page's workshop; from here on the kernel speaks its language."""
    folder = Folder(workshop_path(workshop, environ))
    i18n.activate(folder.language)
    return folder


def workshop_path(default: str | Path, environ: Mapping[str, str] = os.environ) -> str:
    """`$PLAYBOOK_WORKSHOP` when set (served), else the notebook's parameter."""
    return environ.get(ENV_WORKSHOP, "").strip() or str(default)


def by_hand(environ: Mapping[str, str] = os.environ) -> bool:
    """Opened in JupyterLab rather than served. A served kernel is marked by `playbook serve`,
    so a served page that somehow lacks its query string is refused, never trusted."""
    return ENV_QUERY not in environ and environ.get(ENV_SERVED) != "1"


def scratch_if_example(folder: Folder) -> Folder:
    """The bundled example stays pristine: opened by hand, its answers go to a scratch copy
    (one per user, kept between sessions) instead of a `responses.db` inside the kit."""
    try:
        example = paths.example("acme").resolve()
    except FileNotFoundError:
        return folder
    if folder.path.resolve() != example:
        return folder
    scratch = Path(tempfile.gettempdir()) / f"playbook-example-{getpass.getuser()}"
    if not (scratch / "workshop.yml").is_file():
        try:
            shutil.copytree(example, scratch, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("out", "responses.db*", ".playbook"))
        except OSError as exc:
            raise WorkshopError(f"cannot copy the example workshop to {scratch}: {exc.strerror}",
                                fix="pass a workshop folder of your own as `workshop`") from None
    return Folder(scratch)


def _grant(folder: Folder, team: str, environ: Mapping[str, str]) -> access.Access:
    if not by_hand(environ):  # served: only the link counts
        return access.authorise(folder, environ.get(ENV_QUERY, ""))
    return access.Access("facilitator", team or None)  # opened by hand in JupyterLab


def worksheet_page(workshop: str | Path, team: str = "", exercise: str = "",
                   environ: Mapping[str, str] = os.environ) -> W.Widget | HTML:
    """The worksheet the link grants: its team only (a facilitator link adds the notes)."""
    from widgets.worksheet import Worksheet

    try:
        folder = _open(workshop, environ)
        grant = _grant(folder, team, environ)
        if by_hand(environ):
            folder = scratch_if_example(folder)
        if ENV_QUERY in environ:
            exercise = (parse_qs(environ[ENV_QUERY]).get("exercise") or [exercise])[-1]
        if grant.role == "presenter":  # the projector's key opens no answers
            return message(_(NOT_VALID))
        if grant.team is None:
            teams = ", ".join(t.id for t in folder.config.teams)
            return message(_("Add &team=ID to this link to open a team's worksheet (teams: %(teams)s).") % {
                "teams": teams})
        return Worksheet(folder, grant.team, exercise or None, facilitator=grant.role == "facilitator").start()
    except access.AccessDenied:
        return message(_(NOT_VALID))
    except PlaybookError as exc:
        return message(_("The worksheet cannot open: %(reason)s. Please tell the facilitator.") % {"reason": exc.what})


def dashboard_page(workshop: str | Path, environ: Mapping[str, str] = os.environ) -> W.Widget | HTML:
    """The facilitator dashboard, for a facilitator link (or opened by hand)."""
    from widgets.dashboard import Dashboard

    return _room_page(workshop, environ, lambda grant: grant.role == "facilitator", NOT_FACILITATOR,
                      N_("The dashboard cannot open: %(reason)s"), lambda folder: Dashboard(folder).start())


def presenter_page(workshop: str | Path, environ: Mapping[str, str] = os.environ) -> W.Widget | HTML:
    """The presenter view, for the presenter's or the facilitator's link (or opened by hand);
    a team's key is refused: the page would show the room every team's progress."""
    from widgets.presenter import Presenter

    return _room_page(workshop, environ,
                      lambda grant: grant.role in ("facilitator", "presenter") and grant.team is None,
                      NOT_PRESENTER, N_("The presenter view cannot open: %(reason)s"),
                      lambda folder: Presenter(folder).start())


def _room_page(workshop: str | Path, environ: Mapping[str, str], allows: Callable[[access.Access], bool],
               refusal: str, failed: str, build: Callable[[Folder], W.Widget]) -> W.Widget | HTML:
    """A page for the whole room, not a team's: opened when its link's grant `allows` it;
    `failed` says why it cannot open (`%(reason)s`)."""
    try:
        folder = _open(workshop, environ)
        if not allows(_grant(folder, "", environ)):
            return message(_(refusal))
        if by_hand(environ):
            folder = scratch_if_example(folder)
        return build(folder)
    except access.AccessDenied:
        return message(_(refusal))
    except PlaybookError as exc:
        return message(_(failed) % {"reason": exc.what})


SERVED: dict[str, Callable[..., W.Widget | HTML]] = {
    "worksheet": worksheet_page, "dashboard": dashboard_page, "presenter": presenter_page}


def served_page(path: str, query: str, environ: Mapping[str, str] = os.environ) -> W.Widget:
    """What `playbook serve` shows at `path` (`/worksheet`, ...) for the link's `query`; a
    sentence if the path is not a page or the page fails: a bug in one page is told to its tab
    (the traceback to the server's log), the other pages go on."""
    page = SERVED.get(path.strip("/"))
    if page is None:
        return W.HTML(message(_(NOT_VALID)).data)
    try:
        out = page("", environ={**environ, ENV_QUERY: query, ENV_SERVED: "1"})
    except Exception:
        log.exception("the page %s failed to build", path)
        return W.HTML(message(_(FAILED)).data)
    return W.HTML(out.data) if isinstance(out, HTML) else out
