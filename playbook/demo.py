"""`make demo`: the kit run end to end on the bundled example workshop.

Works on a fresh copy of the example under ``build/demo/`` so the bundled files are never
changed: imports its answers into the response store, scores every team from the store,
builds every team's report and the workshop summary (HTML and PDF) and the handouts and
facilitator guide, then prints where they are.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from playbook import fsio
from playbook.answers.results import score_folder
from playbook.answers.store import Store
from playbook.answers.transfer import import_file
from playbook.errors import PlaybookError
from playbook.paths import copy_example
from playbook.publish.tables import results_table
from playbook.workshop import Folder


def run(target: Path) -> Path:
    """Copy the example to `target`, score it, write results; returns the results file."""
    if target.exists():
        shutil.rmtree(target)
    folder = Folder(copy_example(target))
    with Store.for_folder(folder) as store:
        files = sorted(folder.answers_dir.glob("*.yml"))
        saved = sum(import_file(store, f, author="demo import") for f in files)
    print(f"Imported {saved} answers from {len(files)} files into {folder.db_path}\n")
    results = score_folder(folder)  # from the store, now that it exists
    print(f"{folder.config.client}: {folder.config.title}\n")
    print(results_table(results))
    return fsio.write_atomic(folder.out / "results.json", json.dumps(
        [{"team": r.team, "exercise": r.exercise, **r.result.model_dump(mode="json")} for r in results],
        indent=2, ensure_ascii=False,
    ))


def publish(folder: Folder) -> tuple[Path, Path]:
    """Reports (HTML and PDF) and handouts, printed by one browser; returns (index, handouts)."""
    from playbook.batch.runner import build_reports
    from playbook.publish.handouts import build as build_handouts
    from playbook.publish.pdf import PdfPrinter

    print("\nBuilding the reports (one per team, and the workshop summary)...")
    with PdfPrinter("a4") as printer:
        batch = build_reports([folder.path], formats=("html", "pdf"), paper="a4", printer=printer)
        print(batch.text())
        if not batch.ok:
            raise PlaybookError("some reports failed; see out/manifest.json for the team, notebook and cell")
        built = build_handouts(folder, formats=("html", "pdf"), printer=printer)
    print(f"Printed {len(batch.pdfs)} report PDFs and {len(built.pdf)} handout PDFs with one browser.")
    return batch.indexes[0], folder.out / "handouts"


def main(argv: list[str] | None = None) -> int:
    import playbook.batch.fastimport  # noqa: F401  # this process is ours: skip jsonschema's IRI grammar (1-3 s)

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/demo/acme"),
                        help="where to put the working copy (default: build/demo/acme)")
    args = parser.parse_args(argv)
    try:
        path = run(args.out)
        index, handouts = publish(Folder(args.out))
    except PlaybookError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(f"\nWorking copy: {args.out.resolve()}\nScores:       {path.resolve()}"
          f"\nReports:      {index.resolve()}\nHandouts:     {handouts.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
