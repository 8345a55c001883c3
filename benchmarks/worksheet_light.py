"""What a team's page sends when it opens: widgets and widget messages at first paint.

Builds a team's worksheet of the example workshop the way a served page does (every
exercise as a tab, stored answers shown) and counts the widgets it creates and the widget
messages it would send to the browser (comm opens and state updates, counted on the comm
ipywidgets sends them through), with the time to build it, for:

  whole first tab   every step of the first exercise built, as the page was before it opened light
  light             only what the team sees first: the open step of the first tab

Both run in this process, alternately, and the ratio of the two is printed. No asserts.

    .venv/bin/python benchmarks/worksheet_light.py            # 5 runs each
    .venv/bin/python benchmarks/worksheet_light.py --runs 10
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import comm
from ipywidgets.widgets import widget as widget_module

from playbook import paths
from playbook.workshop import Folder
from widgets.worksheet import Worksheet

SENT = [0]


def _counting(publish: Callable[..., Any]) -> Callable[..., Any]:
    def publish_msg(self: comm.DummyComm, *args: Any, **kwargs: Any) -> Any:
        SENT[0] += 1
        return publish(self, *args, **kwargs)
    return publish_msg


def _open(folder: Folder, team: str, whole_tab: bool) -> tuple[int, int, float]:
    """Widgets created, messages sent and seconds to build one page."""
    before, SENT[0] = len(widget_module._instances), 0
    start = time.perf_counter()
    sheet = Worksheet(folder, team)
    if whole_tab:
        sheet.form(sheet.ids[0]).build_all()
    took = time.perf_counter() - start
    made, sent = len(widget_module._instances) - before, SENT[0]
    sheet.store.close()
    sheet.close_all()  # closes every widget, so the next page counts from zero
    return made, sent, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="pages built per design (default 5)")
    args = parser.parse_args()
    comm.DummyComm.publish_msg = _counting(comm.DummyComm.publish_msg)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as tmp:
        folder = Folder(paths.copy_example(Path(tmp) / "acme"))
        team = folder.config.teams[0].id
        _open(folder, team, True)  # warm-up: imports, definitions, fonts
        found: dict[str, list[tuple[int, int, float]]] = {"whole first tab": [], "light": []}
        for _ in range(args.runs):
            for name in found:
                found[name].append(_open(folder, team, name == "whole first tab"))
    print(f"a team's page of the example workshop ({', '.join(folder.config.exercises)}), {args.runs} runs each\n")
    print(f"{'':18}{'widgets':>9}{'messages':>10}{'build s':>9}")
    rows = {}
    for name, runs in found.items():
        widgets = statistics.median(r[0] for r in runs)
        sent = statistics.median(r[1] for r in runs)
        took = statistics.median(r[2] for r in runs)
        rows[name] = (widgets, sent, took)
        print(f"{name:18}{widgets:9.0f}{sent:10.0f}{took:9.3f}")
    (w0, m0, t0), (w1, m1, t1) = rows.values()
    print(f"\nratio light / whole first tab: widgets {w1 / w0:.2f}, messages {m1 / m0:.2f}, build time {t1 / t0:.2f}")


if __name__ == "__main__":
    main()
