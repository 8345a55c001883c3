"""PDF of 20 report-like pages: `jupyter nbconvert --to webpdf` per file against one shared browser.

    .venv/bin/python benchmarks/pdf.py [--files 20] [--baseline-files 20]

(a) webpdf, one `jupyter nbconvert --to webpdf` process per notebook. Out of the box it fails
    here ("No suitable chromium executable found": it only looks for Playwright's own browser
    build). The benchmark makes it use Debian's Chromium with a symlink trick: a temporary
    PLAYWRIGHT_BROWSERS_PATH whose `chromium_headless_shell-<revision>` folder links to
    /usr/bin/chromium. If that fails too, it reports the failure and what a failed run costs.
(b) `playbook.publish.printing.print_reports`, the batch's printing step: one Chromium
    (`playbook.publish.pdf.PdfPrinter`) prints every page rendered with the kit's
    playbook_report template (self-contained, no CDN scripts).

Prints seconds per PDF for both and the ratio (target: at least 10x). No asserts.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def chart(seed: int) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    ax.bar([f"D{i}" for i in range(5)], [(seed * 7 + i * 13) % 100 for i in range(5)], color="#1f5f8b")
    ax.set_ylim(0, 100)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def notebook(n: int) -> dict:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["playbook"] = {"version": 1, "client": "Acme Analytics", "title": f"Team {n} report",
                               "date": "2026-11-18", "team": f"Team {n}"}
    rows = "".join(f"<tr><td>Dimension {i}</td><td>{(n * 11 + i * 17) % 100}</td></tr>" for i in range(8))
    outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": chart(n), "text/plain": "chart"}),
        nbformat.v4.new_output("display_data", data={"text/html": f"<table><tr><th>Dimension</th><th>Score</th></tr>"
                                                                   f"{rows}</table>"}),
        nbformat.v4.new_output("display_data", data={"image/png": chart(n + 3), "text/plain": "chart"}),
    ]
    cell = nbformat.v4.new_code_cell("show_report()")
    cell.outputs = outputs
    text = " ".join(["The team knows its customers better than last quarter; evidence is still thin."] * 12)
    nb.cells = [nbformat.v4.new_markdown_cell(f"# Team {n}\n\n{text}"), cell, nbformat.v4.new_markdown_cell(text)]
    return nb


def browsers_path(tmp: Path) -> Path:
    """A PLAYWRIGHT_BROWSERS_PATH whose expected browser folders link to Debian's Chromium."""
    import playwright

    browsers = json.loads((Path(playwright.__file__).parent / "driver/package/browsers.json").read_text())
    rev = {b["name"]: b["revision"] for b in browsers["browsers"]}
    base = tmp / "ms-playwright"
    for folder, exe in ((f"chromium_headless_shell-{rev['chromium-headless-shell']}/chrome-headless-shell-linux64",
                         "chrome-headless-shell"), (f"chromium-{rev['chromium']}/chrome-linux64", "chrome")):
        (base / folder).mkdir(parents=True, exist_ok=True)
        (base / folder / exe).symlink_to("/usr/bin/chromium")
    return base


def webpdf(notebooks: list[Path], env: dict[str, str]) -> tuple[float, int, str]:
    jupyter = Path(sys.executable).with_name("jupyter")
    ok, error, start = 0, "", time.perf_counter()
    for nb in notebooks:
        run = subprocess.run([str(jupyter), "nbconvert", "--to", "webpdf", "--WebPDFExporter.disable_sandbox=True",
                              str(nb)], capture_output=True, text=True, env=env)
        if run.returncode == 0:
            ok += 1
        else:
            error = (run.stderr.strip().splitlines() or ["?"])[-1]
    return time.perf_counter() - start, ok, error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--baseline-files", type=int, default=20, help="how many files webpdf converts")
    args = parser.parse_args()

    import nbformat

    from playbook.publish import nbtemplates as templates
    from playbook.publish import printing
    from playbook.publish.pdf import PdfPrinter

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        exporter = templates.exporter(templates.REPORT)
        ipynbs, htmls = [], []
        for n in range(args.files):
            nb = notebook(n)
            ipynbs.append(tmp / f"team{n:02d}.ipynb")
            nbformat.write(nb, ipynbs[-1])
            body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"Team {n}"}})
            htmls.append(tmp / f"team{n:02d}.html")
            htmls[-1].write_text(body, encoding="utf-8")

        print(f"{args.files} report-like pages (text, a table, two PNG charts)")
        plain_env = {**os.environ}
        _, ok, error = webpdf(ipynbs[:1], plain_env)
        print(f"(a) webpdf out of the box: {'works' if ok else 'fails: ' + error}")
        env = {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(browsers_path(tmp))}
        count = min(args.baseline_files, args.files)
        seconds, ok, error = webpdf(ipynbs[:count], env)
        per_a = seconds / count
        status = f"{ok}/{count} PDFs" + (f"; last error: {error}" if error else "")
        print(f"(a) jupyter nbconvert --to webpdf per file, Debian Chromium via PLAYWRIGHT_BROWSERS_PATH symlinks: "
              f"{seconds:.1f} s, {per_a:.2f} s per PDF ({status})")

        start = time.perf_counter()
        with PdfPrinter() as printer:
            launched = time.perf_counter()
            header = {"client": "Acme Analytics", "date": "2026-11-18"}
            pages = [printing.Page(html, html.with_suffix(".batch.pdf"), header) for html in htmls]
            printing.print_reports(pages, printer=printer)
        total = time.perf_counter() - start
        per_b = total / len(htmls)
        print(f"(b) print_reports, one shared Chromium: {total:.1f} s, {per_b:.2f} s per PDF including the browser "
              f"start ({launched - start:.1f} s); {(total - (launched - start)) / len(htmls):.2f} s per PDF once "
              f"started; blocked requests: {len(printer.blocked)}")
        print(f"ratio (a)/(b): {per_a / per_b:.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
