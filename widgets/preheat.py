"""Wait, in a preheated Voilà kernel, for the page request that claims it.

What `voila.utils.wait_for_request` does, without importing Voilà: `voila.utils` pulls in the
Jupyter server, JupyterLab's server and jsonschema (whose format checkers build a grammar on
import), about 1.2 s of CPU in every kernel a served page starts, for a function that only
reads one message from a websocket. The environment variables and the URL are Voilà's
(voila/utils.py, ENV_VARIABLE); tests/test_serve.py checks that a served page still receives
its query string through them.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import warnings

TIMEOUT_S = 5  # as Voilà: the server sends the request as soon as the kernel is claimed


def wait_for_request() -> None:
    """Under a preheating Voilà: block until a page claims this kernel, then put the request's
    variables (QUERY_STRING, ...) into os.environ. Elsewhere (JupyterLab, papermill): return."""
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    url = f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID')}"
    received: list[str | bytes] = []
    # Its own thread and event loop: the kernel's loop is busy running this cell.
    thread = threading.Thread(target=lambda: received.extend(asyncio.run(_receive(url))))
    thread.start()
    thread.join()
    if received:
        for key, value in json.loads(received[0]).items():
            os.environ[key] = value


async def _receive(url: str) -> list[str | bytes]:
    import websockets  # only under Voilà, which installs it

    try:
        async with websockets.connect(url, open_timeout=TIMEOUT_S) as socket:
            return [await socket.recv()]
    except (TimeoutError, ConnectionRefusedError):
        warnings.warn(f"Voilà did not send the page request ({url})", stacklevel=2)
        return []
