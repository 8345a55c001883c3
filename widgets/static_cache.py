"""Solara's front-end files answered from memory after their first request.

Solara compresses every response again for every request (Starlette's GZipMiddleware): a room
opening its links at once had the server compress the same 6 MB of JavaScript and CSS for each
laptop, a third of the server's CPU. `StaticCache` keeps each file's complete answer (already
compressed when the browser accepts gzip) and replays it; requests for one file that arrive
together wait for the first one's answer instead of each compressing it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]

Key = tuple[str, bytes, bool]
LIMIT = 64 * 2**20  # bytes kept at most: Solara's files take about 8 MB, compressed or not
CONDITIONAL = (b"if-none-match", b"if-modified-since", b"range")  # answered by Solara itself


class StaticCache:
    """An ASGI layer that caches successful GET answers under `prefixes` (static files only)."""

    def __init__(self, app: ASGI, prefixes: tuple[str, ...], limit: int = LIMIT) -> None:
        self.app, self.prefixes, self.limit = app, prefixes, limit
        self.answers: dict[Key, tuple[Message, bytes]] = {}
        self.pending: dict[Key, asyncio.Event] = {}
        self.size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        while key not in self.answers and key in self.pending:  # the same file is on its way
            await self.pending[key].wait()
        if key in self.answers:
            start, body = self.answers[key]
            await send(dict(start))
            await send({"type": "http.response.body", "body": body})
            return
        self.pending[key] = done = asyncio.Event()
        try:
            await self.app(scope, receive, self._keeping(key, send))
        finally:
            del self.pending[key]
            done.set()

    def _key(self, scope: Scope) -> Key | None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes):
            return None
        headers = dict(scope.get("headers", []))
        if any(h in headers for h in CONDITIONAL):
            return None
        return scope["path"], scope.get("query_string", b""), b"gzip" in headers.get(b"accept-encoding", b"")

    def _keeping(self, key: Key, send: Send) -> Send:
        start: Message = {}
        chunks: list[bytes] = []

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, start, b"".join(chunks))
            await send(message)
        return sending

    def _keep(self, key: Key, start: Message, body: bytes) -> None:
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"set-cookie"]
        if self.size + len(body) <= self.limit:
            self.answers[key] = ({**start, "headers": headers}, body)
            self.size += len(body)
