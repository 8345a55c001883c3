"""widgets.preheat.wait_for_request: Voilà's hand-over of a page request to a preheated
kernel, without importing Voilà. The served-page tests (test_browser, test_serve) cover it
under a real Voilà; these pin the protocol against a websocket server started here."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
import websockets

from widgets import preheat


@pytest.fixture
def voila_query(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A stand-in for Voilà's /voila/query/<kernel id> socket on 127.0.0.1: it sends one
    request (as Voilà does when a page claims the kernel) and records the path asked for."""
    paths: list[str] = []
    ready = threading.Event()
    done: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    async def handler(socket: websockets.ServerConnection) -> None:
        paths.append(socket.request.path)
        await socket.send(json.dumps({"QUERY_STRING": "team=north&key=k1", "SCRIPT_NAME": "/voila"}))

    async def main() -> None:
        async with websockets.serve(handler, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            monkeypatch.setenv("VOILA_APP_PORT", str(port))
            finish = asyncio.get_running_loop().create_future()
            done.append((asyncio.get_running_loop(), finish))
            ready.set()
            await finish

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(10)
    for name in ("VOILA_APP_IP", "VOILA_WS_BASE_URL", "VOILA_SERVER_URL", "VOILA_WS_PROTOCOL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-1")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    yield paths
    loop, finish = done[0]
    loop.call_soon_threadsafe(finish.set_result, None)
    thread.join(10)


def test_outside_voila_it_returns_at_once_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    preheat.wait_for_request()
    assert "QUERY_STRING" not in os.environ


def test_the_claiming_request_reaches_the_environment(voila_query: list[str]) -> None:
    preheat.wait_for_request()
    assert voila_query == ["/voila/query/kernel-1"]
    assert os.environ["QUERY_STRING"] == "team=north&key=k1"
    assert os.environ["SCRIPT_NAME"] == "/voila"


def test_no_voila_listening_is_a_warning_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-1")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    with pytest.warns(UserWarning, match="did not send the page request"):
        preheat.wait_for_request()
    assert "QUERY_STRING" not in os.environ


def test_a_served_kernel_does_not_import_voila_or_jsonschema() -> None:
    """The point of the module: the served notebooks' imports stay light."""
    code = ("import sys; from widgets.preheat import wait_for_request; import widgets.worksheet, widgets.pages; "
            "print(sorted(m for m in ('voila', 'jsonschema', 'jupyter_server') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
