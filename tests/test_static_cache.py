"""widgets.static_cache: a static file is answered by Solara once, then from memory."""

from __future__ import annotations

import asyncio
from typing import Any

from widgets.static_cache import StaticCache


class Files:
    """An ASGI app answering every path with its name, slowly enough for requests to overlap."""

    def __init__(self, status: int = 200) -> None:
        self.calls: list[str] = []
        self.status = status

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls.append(scope["path"])
        await asyncio.sleep(0.01)
        encoding = [(b"content-encoding", b"gzip")] if b"gzip" in dict(scope["headers"]).get(b"accept-encoding", b"") else []
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"set-cookie", b"session=1"), *encoding]})
        await send({"type": "http.response.body", "body": scope["path"].encode(), "more_body": True})
        await send({"type": "http.response.body", "body": b"!"})


def _get(app: Any, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": b"",
             "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(app(scope, None, send))
    return sent[0]["status"], dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_a_file_is_asked_once_and_answered_the_same_without_its_cookie() -> None:
    files = Files()
    cache = StaticCache(files, ("/static/",))
    first = _get(cache, "/static/app.js", accept_encoding="gzip")
    again = _get(cache, "/static/app.js", accept_encoding="gzip")
    assert files.calls == ["/static/app.js"]
    assert first[0] == again[0] == 200 and first[2] == again[2] == b"/static/app.js!"
    assert b"set-cookie" in first[1] and b"set-cookie" not in again[1]  # a cookie is one browser's
    assert again[1][b"content-encoding"] == b"gzip"


def test_requests_arriving_together_wait_for_the_first_answer() -> None:
    files = Files()
    cache = StaticCache(files, ("/static/",))
    bodies: list[bytes] = []

    async def one() -> None:
        out: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            out.append(message.get("body", b""))
        await cache({"type": "http", "method": "GET", "path": "/static/app.js", "query_string": b"", "headers": []},
                    None, send)
        bodies.append(b"".join(out))

    async def room() -> None:
        await asyncio.gather(*(one() for _ in range(12)))

    asyncio.run(room())
    assert files.calls == ["/static/app.js"] and bodies == [b"/static/app.js!"] * 12


def test_what_is_not_a_plain_file_request_goes_to_solara_every_time() -> None:
    files = Files()
    cache = StaticCache(files, ("/static/",))
    for _ in range(2):
        _get(cache, "/worksheet")  # a page, not a file
        _get(cache, "/static/app.js", method="HEAD")
        _get(cache, "/static/app.js", if_none_match='"abc"')  # Solara answers 304 itself
    assert files.calls == ["/worksheet", "/static/app.js", "/static/app.js"] * 2
    _get(cache, "/static/app.js", accept_encoding="gzip")
    _get(cache, "/static/app.js")  # compressed and plain answers are kept apart
    assert files.calls[-2:] == ["/static/app.js", "/static/app.js"]


def test_an_error_or_a_full_cache_is_not_kept() -> None:
    missing = Files(status=404)
    cache = StaticCache(missing, ("/static/",))
    _get(cache, "/static/gone.js")
    _get(cache, "/static/gone.js")
    assert missing.calls == ["/static/gone.js"] * 2
    files = Files()
    small = StaticCache(files, ("/static/",), limit=20)
    for path in ("/static/a.js", "/static/b-long-name.js", "/static/a.js", "/static/b-long-name.js"):
        _get(small, path)
    assert files.calls == ["/static/a.js", "/static/b-long-name.js", "/static/b-long-name.js"]
