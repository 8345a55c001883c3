"""`make demo`: the kit run end to end on the bundled example workshops.

Works on fresh copies of the examples under ``build/demo/`` so the bundled files are never
changed: the English example (`examples/acme`) and each example in another language
(`examples/<language>/`, one per language the kit has catalogues for). For each it imports the
answers into the response store and prints every team's scores; then it builds every team's
report and each workshop's summary (HTML and PDF) in one batch, and each workshop's handouts and
facilitator guide, every document in its workshop's language, and prints where they are and
how long it all took.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from playbook import fsio
from playbook.answers.results import score_folder
from playbook.answers.store import Store
from playbook.answers.transfer import import_file
from playbook.errors import PlaybookError
from playbook.i18n import languages
from playbook.paths import bundled, copy_example
from playbook.publish.tables import results_table
from playbook.workshop import Folder


def language_examples() -> list[str]:
    """The bundled examples named for a language the kit has (`examples/fr/`), by name."""
    root = bundled("examples")
    found = languages.available()
    return sorted(p.name for p in root.iterdir() if (p / "workshop.yml").is_file()
                  and languages.resolve(p.name, found) not in (None, languages.SOURCE))


def run(target: Path, name: str = "acme") -> Path:
    """Copy example `name` to `target`, score it, write results; returns the results file."""
    if target.exists():
        shutil.rmtree(target)
    folder = Folder(copy_example(target, name))
    with Store.for_folder(folder) as store:
        files = sorted(folder.answers_dir.glob("*.yml"))
        saved = sum(import_file(store, f, author="demo import") for f in files)
    print(f"Imported {saved} answers from {len(files)} files into {folder.db_path}\n")
    with folder.speaking():
        results = score_folder(folder)  # from the store, now that it exists
        print(f"{folder.config.client}: {folder.config.title}\n")
        print(results_table(results, folder.exercises()))
    return fsio.write_atomic(folder.out / "results.json", json.dumps(
        [{"team": r.team, "exercise": r.exercise, **r.result.model_dump(mode="json")} for r in results],
        indent=2, ensure_ascii=False,
    ))


def publish(*folders: Folder) -> tuple[Path, Path]:
    """Reports (HTML and PDF) of every workshop in one batch, and each one's handouts, printed by
    one browser; returns (the first workshop's index, its handouts folder)."""
    from playbook.batch.runner import build_reports
    from playbook.publish.handouts import build as build_handouts
    from playbook.publish.pdf import PdfPrinter

    print("\nBuilding the reports (one per team, and each workshop's summary)...")
    with PdfPrinter("a4") as printer:
        batch = build_reports([f.path for f in folders], formats=("html", "pdf"), paper="a4", printer=printer)
        print(batch.text())
        if not batch.ok:
            raise PlaybookError("some reports failed; see out/manifest.json for the team, notebook and cell")
        handouts = [build_handouts(f, formats=("html", "pdf"), printer=printer) for f in folders]
    print(f"Printed {len(batch.pdfs)} report PDFs and {sum(len(b.pdf) for b in handouts)} handout PDFs "
          "with one browser.")
    return batch.indexes[0], folders[0].out / "handouts"


def main(argv: list[str] | None = None) -> int:
    import playbook.startup  # noqa: F401  # this process is ours: no IRI grammar, a calmer collector

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/demo/acme"),
                        help="where to put the working copy of the English example (default: build/demo/acme); "
                             "the examples in other languages go beside it")
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        path = run(args.out)
        others = [args.out.parent / name for name in language_examples()]
        for target in others:
            print()
            run(target, target.name)
        index, handouts = publish(Folder(args.out), *(Folder(t) for t in others))
    except PlaybookError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(f"\nWorking copy: {args.out.resolve()}\nScores:       {path.resolve()}"
          f"\nReports:      {index.resolve()}\nHandouts:     {handouts.resolve()}")
    for target in others:
        folder = Folder(target)
        print(f"In {languages.native_name(folder.language)}: {(folder.reports_dir / 'index.html').resolve()}")
    print(f"Done in {time.monotonic() - start:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
