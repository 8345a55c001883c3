"""The live server's `/t/<code>` route: a short link typed from a printed handout.

`GET /t/K7M3-QP9X` answers with a redirect to that team's full link (its key and the server's
token), relative to the address the browser used, so the same code works on 127.0.0.1 and on
the LAN address. An unknown code is a plain-text 404 that names no team, in the workshop's language. The code is read
leniently (`access.short_team`: case, dashes, O/I/L). The route holds no state: the roster is
read from workshop.yml on each request, so a team added while serving gets its code at once.

Voilà's standalone server has no hook for extra routes, so `install` wraps
`voila.app.Voila.init_handlers` in the Voilà process before it starts (`playbook.serve`'s boot
code calls it); the route comes first and leaves every other route as Voilà builds it.
"""

from __future__ import annotations

from typing import Any

import tornado.web

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.i18n import N_
from playbook.workshop import Folder, access

ROUTE = rf"/{access.SHORT_PATH}/([^/]+)"
NOT_FOUND = N_("No team has this code. Check the code on your handout, or ask the facilitator for your team's link.")


class ShortLinkHandler(tornado.web.RequestHandler):
    """Redirects a team's short code to its worksheet; needs no token (the code is the secret)."""

    def initialize(self, workshop: str, token: str) -> None:
        self.workshop = workshop
        self.token = token

    def get(self, code: str) -> None:
        self.set_header("Cache-Control", "no-store")  # the target carries the token and the key
        self.set_header("Referrer-Policy", "no-referrer")
        try:
            team = access.short_team(self.workshop, code)
        except PlaybookError:  # workshop.yml broken while serving: the page says what it can
            team = None
        if team is None:
            self.set_status(404)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(_not_found(self.workshop) + "\n")
            return
        self.redirect(access.team_link("", self.workshop, team, token=self.token))


def _not_found(workshop: str) -> str:
    """The 404's sentence, in the workshop's language (English when workshop.yml cannot be read)."""
    try:
        language = Folder(workshop).language
    except PlaybookError:
        language = i18n.SOURCE
    with i18n.use(language) as lang:
        return lang.gettext(NOT_FOUND)


def install(workshop: str, token: str) -> None:
    """Add the route to every Voilà app this process starts (call before Voilà's `main`)."""
    from jupyter_server.utils import url_path_join
    from voila.app import Voila  # type: ignore[import-untyped]

    original = Voila.init_handlers

    def init_handlers(self: Any) -> list[Any]:
        route = url_path_join(self.server_url, ROUTE)
        return [(route, ShortLinkHandler, {"workshop": workshop, "token": token}), *original(self)]

    Voila.init_handlers = init_handlers
