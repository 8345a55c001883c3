"""Latency from a worksheet widget's change to the committed revision, against a bare save.

    .venv/bin/python benchmarks/widget_save.py [--n 200]

In-process, on a temporary copy of examples/acme with its SQLite store: set a widget's value
as the browser would, run the debounced save at once (the debounce itself is a deliberate
0.6 s wait, left out), and stop the clock when the revision is readable from the store.
The baseline is `Store.save` of the same values in the same run. Also reports the throttled
live redraw (score + radar), which runs off the save path. Target: widget p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from playbook import paths
from playbook.workshop import Folder
from widgets.worksheet import Worksheet

EX = "fit_assessment"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def timed(n: int, one: Callable[[int], None]) -> list[float]:
    out = []
    for i in range(n):
        t = time.perf_counter()
        one(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    n = ap.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "acme"
        paths.copy_example(dest)
        folder = Folder(dest)
        sheet = Worksheet(folder, "north", author="Lena Park")
        store, form = sheet.store, sheet.form(EX)
        text, scale = form.fields["client_name"], form.fields["culture_fit"]

        def widget_text(i: int) -> None:
            text.input.box.value = f"Client {i}"
            text.flush()
            assert store.history("north", EX, "client_name")[-1].value == f"Client {i}"

        def widget_click(i: int) -> None:
            scale.input.buttons.value = 1 + i % 5  # a new point each time: one click, one revision
            scale.flush()
            assert store.history("north", EX, "culture_fit")[-1].value == scale.saved

        def bare(i: int) -> None:
            store.save("north", EX, "client_name", f"Bare {i}", author="Lena Park")
            assert store.history("north", EX, "client_name")[-1].value == f"Bare {i}"

        def bare_only(i: int) -> None:
            store.save("north", EX, "gut_reason", f"Reason {i}", author="Lena Park")

        for fn in (widget_text, bare):  # warm up caches and the connection pool
            timed(5, fn)
        rows = {
            "bare Store.save + read back": timed(n, bare),
            "widget text -> revision": timed(n, widget_text),
            "widget click -> revision": timed(n, widget_click),
            "bare Store.save only": timed(n, bare_only),
            "live redraw (score+radar)": timed(max(n // 10, 5), lambda _i: form.live.render()),
        }
        base = rows["bare Store.save + read back"]
        print(f"n={n} per row (redraw: {max(n // 10, 5)}); milliseconds")
        print(f"{'case':32} {'p50':>8} {'p95':>8} {'mean':>8} {'p50 ratio':>10} {'p95 ratio':>10}")
        for name, xs in rows.items():
            print(f"{name:32} {pct(xs, 50):8.2f} {pct(xs, 95):8.2f} {statistics.mean(xs):8.2f} "
                  f"{pct(xs, 50) / pct(base, 50):10.2f} {pct(xs, 95) / pct(base, 95):10.2f}")
        p95 = max(pct(rows["widget text -> revision"], 95), pct(rows["widget click -> revision"], 95))
        print(f"widget p95 {p95:.1f} ms against a target of 100 ms: {'met' if p95 < 100 else 'NOT met'}")
        store.close()


if __name__ == "__main__":
    main()
