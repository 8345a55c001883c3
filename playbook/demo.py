"""`make demo`: the kit run end to end on the bundled example workshop.

Works on a fresh copy of the example under ``build/demo/`` so the bundled files are never
changed: imports its answers into the response store, scores every team from the store,
prints the results and where the output is.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from playbook.cli import results_table
from playbook.errors import PlaybookError
from playbook.paths import copy_example
from playbook.results import score_folder
from playbook.store import Store
from playbook.transfer import import_file
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
    folder.out.mkdir(exist_ok=True)
    path = folder.out / "results.json"
    path.write_text(json.dumps(
        [{"team": r.team, "exercise": r.exercise, **r.result.model_dump(mode="json")} for r in results],
        indent=2, ensure_ascii=False,
    ), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/demo/acme"),
                        help="where to put the working copy (default: build/demo/acme)")
    args = parser.parse_args(argv)
    try:
        path = run(args.out)
    except PlaybookError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(f"\nWorking copy: {args.out.resolve()}\nResults:      {path.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
