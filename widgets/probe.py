"""Solara's page script with a reconnect probe that waits for a busy server.

A page whose connection dropped and came back asks the server whether its app still runs (an
`app-status` message) and gives the answer 0.5 s. Later than that, it takes the server for a
restarted one: it shows the refresh dialog and shuts its session down, and the page stops
following teammates' saves. A server busy for half a second (a room's laptops reconnecting at
once after a wifi blip, a machine under load) answers later than that, though it holds the
session. `ProbePatience` answers the request for Solara's `main-vuetify.js` with that probe's
wait set to `PROBE_MS`; everything else passes to the app.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import solara.server

from widgets.static_cache import ASGI, Receive, Scope, Send

log = logging.getLogger("playbook.serve")
PATH = "/static/main-vuetify.js"
SCRIPT = Path(solara.server.__file__).parent / "static" / "main-vuetify.js"
PROBE = "new Error('app-status timeout')), {ms});"  # the probe's timer in Solara 1.58's script
PROBE_MS = 3000  # a busy server answers well within this; a restarted one answers at once


def patched(script: str) -> str | None:
    """`script` with the probe waiting `PROBE_MS`; None when it has no such probe (another Solara)."""
    solara_wait = PROBE.format(ms=500)
    if script.count(solara_wait) != 1:
        return None
    return script.replace(solara_wait, PROBE.format(ms=PROBE_MS))


class ProbePatience:
    """An ASGI layer that serves Solara's page script with the patient probe."""

    def __init__(self, app: ASGI, script: Path = SCRIPT) -> None:
        self.app = app
        body = patched(script.read_text(encoding="utf-8"))
        if body is None:  # Solara is pinned; a different one keeps its own probe, and says so here
            log.warning("%s has no app-status probe to patch: reconnecting pages wait 0.5 s", script)
        self.body = None if body is None else body.encode()
        self.etag = b'"%s"' % hashlib.sha256(self.body or b"").hexdigest()[:16].encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.body is None or scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        fresh = dict(scope.get("headers", [])).get(b"if-none-match") == self.etag
        headers = [(b"etag", self.etag), (b"cache-control", b"no-cache")]
        if fresh:
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers += [(b"content-type", b"text/javascript; charset=utf-8"),
                    (b"content-length", str(len(self.body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})
