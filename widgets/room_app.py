"""PROTOTYPE (issue 12, branch issue12-room-serving; not wired into `playbook serve`): the
served worksheet as a Solara page, one process for every page, a light session each.

    PLAYBOOK_WORKSHOP=FOLDER PLAYBOOK_SERVED=1 SOLARA_ASSETS_CDN=http://127.0.0.1:9/ \\
        solara run widgets.room_app --host 127.0.0.1 --port 8765 --production

The link's query string decides, as under Voilà (`widgets.pages`). Not sound yet: see the
branch's report (token, scheduler in solara's handler threads, reconnects, isolation).
"""

from __future__ import annotations

import os

import ipywidgets as W
import solara
from IPython.display import HTML

from widgets import pages


@solara.component
def Page() -> None:
    router = solara.use_router()
    query = router.search or ""

    def build() -> W.Widget:
        env = {**os.environ, pages.ENV_QUERY: query}
        page = pages.worksheet_page("", environ=env)
        if isinstance(page, HTML):
            return W.HTML(page.data)
        return page

    widget = solara.use_memo(build, [query])
    solara.display(widget)
