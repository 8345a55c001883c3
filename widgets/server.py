"""The one process behind `playbook serve`: uvicorn running Solara's app for every page.

    python -m widgets.server PARENT_PID WORKDIR FD CULL_IDLE_S   (workshop, token: environment)

`playbook.serve` starts it, with the socket it listens on already bound (file descriptor FD):
the port cannot be lost while this process imports. No `solara run`. Solara's front-end files
come from `solara-assets` (installed into Solara's asset folder); an asset missing there fails
here instead of being fetched from a CDN, and neither telemetry nor a version check is sent:
the pages make no request beyond this server. `Guard` wraps Solara's app: `/t/CODE` short links
answer without a token (`playbook.shortlinks`); every other request, the websocket included,
needs the server's token, from the link (`?token=`, then kept in a cookie for the page's assets
and websocket); only the served pages and what they load are routed. A browser tab nobody has
been connected to for `CULL_IDLE_S` is closed (Solara's kernel cull). The process ends with its
parent (Linux), so even a `playbook serve` killed outright leaves nothing behind (the orphaned
server then removes its own WORKDIR: its log). Pages opened and closed are logged.
"""

from __future__ import annotations

import hmac
import logging
import os
import shutil
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote

from playbook import shortlinks
from playbook.workshop import Folder, access
from widgets import loader
from widgets.pages import ENV_WORKSHOP
from widgets.static_cache import StaticCache

ROUTED = tuple(f"/{page}" for page in access.PAGES)  # exact paths
ROUTED_UNDER = ("/static/", "/_solara/", "/jupyter/")  # what the pages load: Solara's assets, websocket
STATIC = ("/static/", "/_solara/cdn/", "/jupyter/nbextensions/")  # files, the same for every page
FORBIDDEN = "403: this server needs its token: open the link the facilitator gave you.\n"
NOT_FOUND = "404: nothing here. Open the link the facilitator gave you.\n"
GRACE_S = 2  # open websockets delay a shutdown this long at most

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]


class Guard:
    """Short links, the token check and the routing in front of Solara's app."""

    def __init__(self, app: ASGI, workshop: str, token: str, port: int) -> None:
        self.app, self.workshop, self.token = app, workshop, token
        self.cookie = f"playbook-token-{port}"  # servers on other ports keep their own

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):  # lifespan
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if scope["type"] == "http" and path.startswith(shortlinks.PREFIX):
            status, text = shortlinks.answer(self.workshop, self.token, path[len(shortlinks.PREFIX):])
            headers = dict(shortlinks.HEADERS)
            if status == 302:
                headers["Location"] = quote(text, safe="/?=&%:")
                text = ""
            await _plain(send, status, text, headers)
            return
        by_link = self._ok(_query_token(scope))
        if not (by_link or self._ok(_cookie(scope, self.cookie))):
            await _refuse(scope, send, 403, FORBIDDEN)
            return
        if not (path in ROUTED or path.startswith(ROUTED_UNDER) or path == "/readyz"):
            await _refuse(scope, send, 404, NOT_FOUND)
            return
        if by_link and scope["type"] == "http":
            send = self._setting_cookie(send)
        await self.app(scope, receive, send)

    def _ok(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token.encode(), self.token.encode())

    def _setting_cookie(self, send: Send) -> Send:
        cookie = f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Lax".encode()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)
        return sending


def _query_token(scope: Scope) -> str | None:
    found = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return found[-1] if found else None


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header counts as none
                return None
            if name in jar:
                return jar[name].value
    return None


async def _plain(send: Send, status: int, text: str, headers: dict[str, str] | None = None) -> None:
    body = text.encode()
    raw = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
           *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items())]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Scope, send: Send, status: int, text: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})  # before accepting: a 403 to the browser
    else:
        await _plain(send, status, text)


def _end_with_parent(parent: int) -> None:
    """Linux: SIGTERM this process when `parent` ends; exit now if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        sys.exit(0)


def main(argv: list[str]) -> None:
    parent, workdir, fd, cull_idle_s = int(argv[0]), argv[1], int(argv[2]), int(argv[3])
    sock = socket.socket(fileno=fd)  # listening already: family and address come with it
    host, port = sock.getsockname()[:2]
    _end_with_parent(parent)
    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("playbook").setLevel(logging.INFO)
    os.environ.update({
        "SOLARA_APP": "widgets.app",
        "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",  # a missing asset fails here, never fetched from outside
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_SESSION_SAME_SITE": "lax",
        "SOLARA_THEME_TITLE": "Workshop Playbook",  # the cookie Solara sets itself (its default warns on http)
        "SOLARA_KERNEL_CULL_TIMEOUT": f"{cull_idle_s}s",
        "SOLARA_THEME_LOADER": loader.NAME,  # a still line while a page connects, not Solara's animation
    })
    import uvicorn
    from solara.server import starlette

    from widgets import app as pages_app  # the module Solara serves (SOLARA_APP), imported here first
    from widgets.probe import ProbePatience

    pages_app.install()
    loader.install(Folder(os.environ[ENV_WORKSHOP]).language)

    solara_app = ProbePatience(starlette.app)
    app = Guard(StaticCache(solara_app, STATIC), os.environ[ENV_WORKSHOP], os.environ.pop(access.ENV_TOKEN), port)
    # uvicorn shuts down on SIGTERM, then raises it again under the handler found before it: exit
    # through `finally` rather than die at once.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        config = uvicorn.Config(app, host=host, port=port, loop="asyncio", log_level="warning", access_log=False,
                                timeout_graceful_shutdown=GRACE_S)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        if os.getppid() != parent:  # orphaned: nobody else will remove the log's folder
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
