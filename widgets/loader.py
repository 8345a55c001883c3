"""What a browser shows while its page connects: one still line, in the workshop's language.

Solara's own loader animates (a spinning, pulsing logo) until the page is there, and the browser
draws its frames all that time. When a room opens its links at once, the pages wait for each
other and the frames of every waiting page take CPU from the ones being built: measured here on
12 pages opened at once (the browser on the server's two cores), Chromium spent about a third
less CPU and the slowest page was usable 5-15 s sooner with this loader (`benchmarks/room.py`).

`install` puts the loader in front of Solara's page templates (Solara looks a loader up by name
in its template folders; this one is made in memory, its text translated and escaped).
"""

from __future__ import annotations

import functools

import jinja2
from markupsafe import escape

from playbook import i18n
from playbook.i18n import N_, _

NAME = "playbook"  # SOLARA_THEME_LOADER
OPENING = N_("Opening the page…")

# `loading` and the mount point are Solara's (the page's Vue app); one root element for the
# transition Vue needs between the two (no transition styles: the page replaces the line at once).
HTML = """{%% raw -%%}
<transition name="pb-opened">
    <div v-if="loading" id="loader-container" key="loader"><p class="pb-opening">%s</p></div>
    <div v-else key="page">
        <jupyter-widget-mount-point v-if="!loading && !remounting" :key="remountKey" mount-id="solara-main">
        </jupyter-widget-mount-point>
    </div>
</transition>
{%% endraw -%%}
"""
CSS = """#loader-container { width: 100vw; height: 100vh; position: absolute; margin: 0; z-index: 998;
    display: flex; justify-content: center; align-items: center; }
.pb-opening { font-size: 1.2em; color: rgba(0, 0, 0, 0.6); }
"""


def templates() -> dict[str, str]:
    """The loader's two templates, its line in the active language (Vue would read `{{`)."""
    line = str(escape(_(OPENING))).replace("{", "&#123;").replace("}", "&#125;")
    return {f"loader-{NAME}.html": HTML % line, f"loader-{NAME}.css": CSS}


def install(language: str) -> None:
    """Solara's page templates with this loader, its line in `language`, in front; call before
    the first page is served (with SOLARA_THEME_LOADER set to `NAME`)."""
    from solara.server import server

    original = server.get_jinja_env
    with i18n.use(language):
        ours = jinja2.DictLoader(templates())

    @functools.cache
    def get_jinja_env(app_name: str) -> jinja2.Environment:
        theirs = original(app_name).loader
        assert theirs is not None  # Solara's folders
        return jinja2.Environment(loader=jinja2.ChoiceLoader([ours, theirs]), autoescape=True)

    server.get_jinja_env = get_jinja_env  # type: ignore[assignment]  # Solara memoizes it its own way
