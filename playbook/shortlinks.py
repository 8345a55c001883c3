"""The live server's `/t/<code>` route: a short link typed from a printed handout.

`GET /t/K7M3-QP9X` answers with a redirect to that team's full link (its key and the server's
token), relative to the address the browser used, so the same code works on 127.0.0.1 and on
the LAN address. An unknown code is a plain-text 404 that names no team, in the workshop's language. The code is read
leniently (`access.short_team`: case, dashes, O/I/L). The route holds no state: the roster is
read from workshop.yml on each request, so a team added while serving gets its code at once.

`answer` is the route's whole logic, without a web framework: the one-process server
(`widgets.server`) answers `/t/...` with it before its token check.
"""

from __future__ import annotations

from playbook import i18n
from playbook.errors import PlaybookError
from playbook.i18n import N_
from playbook.workshop import Folder, access

NOT_FOUND = N_("No team has this code. Check the code on your handout, or ask the facilitator for your team's link.")


PREFIX = f"/{access.SHORT_PATH}/"
HEADERS = {"Cache-Control": "no-store",  # the target carries the token and the key
           "Referrer-Policy": "no-referrer"}


def answer(workshop: str, token: str, code: str) -> tuple[int, str]:
    """`(302, the team's link relative to the server)` for a team's short code (no token needed:
    the code is the secret), else `(404, a sentence naming no team)`."""
    try:
        team = access.short_team(workshop, code)
    except PlaybookError:  # workshop.yml broken while serving: the page says what it can
        team = None
    if team is None:
        return 404, _not_found(workshop)
    return 302, access.team_link("", workshop, team, token=token)


def _not_found(workshop: str) -> str:
    """The 404's sentence, in the workshop's language (English when workshop.yml cannot be read)."""
    try:
        language = Folder(workshop).language
    except PlaybookError:
        language = i18n.SOURCE
    with i18n.use(language) as lang:
        return lang.gettext(NOT_FOUND)
