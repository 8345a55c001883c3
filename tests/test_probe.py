"""widgets.probe: Solara's page script is served with a reconnect probe that waits `PROBE_MS`;
the browser side (a page reconnecting to a server stalled for a second) is in
tests/test_browser_teammates.py."""

from __future__ import annotations

from pathlib import Path

from test_static_cache import Files, _get

from widgets import probe


def test_the_installed_solara_has_the_one_probe_that_is_patched() -> None:
    """Fails when Solara's script changes (an upgrade): the patch must then be looked at again."""
    script = probe.SCRIPT.read_text(encoding="utf-8")
    body = probe.patched(script)
    assert body is not None
    assert probe.PROBE.format(ms=probe.PROBE_MS) in body and probe.PROBE.format(ms=500) not in body
    assert len(body) == len(script) + len(str(probe.PROBE_MS)) - 3  # nothing else changed


def test_a_script_without_the_probe_is_left_alone_and_passed_on(tmp_path: Path) -> None:
    other = tmp_path / "main-vuetify.js"
    other.write_text("setTimeout(() => reject(new Error('something else')), 500);", encoding="utf-8")
    assert probe.patched(other.read_text(encoding="utf-8")) is None
    files = Files()
    status, _, body = _get(probe.ProbePatience(files, other), probe.PATH)
    assert (status, body, files.calls) == (200, probe.PATH.encode() + b"!", [probe.PATH])


def test_the_page_script_is_answered_patched_and_revalidated_by_its_etag() -> None:
    files = Files()
    app = probe.ProbePatience(files)
    status, headers, body = _get(app, probe.PATH)
    assert status == 200 and body.decode() == probe.patched(probe.SCRIPT.read_text(encoding="utf-8"))
    assert headers[b"content-type"].startswith(b"text/javascript") and int(headers[b"content-length"]) == len(body)
    again, _, empty = _get(app, probe.PATH, if_none_match=headers[b"etag"].decode())
    assert (again, empty) == (304, b"")
    assert _get(app, "/static/other.js")[2] == b"/static/other.js!" and files.calls == ["/static/other.js"]
    assert _get(app, probe.PATH, method="HEAD")[2] == probe.PATH.encode() + b"!"  # only GET is answered here
