"""`playbook export`: every team's latest answers from the response store, as JSON, YAML or CSV."""

from __future__ import annotations

import json
from pathlib import Path

import click

SUFFIXES = {".json": "json", ".yml": "yml", ".yaml": "yml", ".csv": "csv"}


@click.command("export")
@click.argument("directory", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "yml"]), default=None,
              help="JSON or YAML (the answers format) or CSV (one row per team and field); "
                   "default: the output file's suffix, else json.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of printing: .json, .yml or .csv.")
def export_cmd(directory: str, fmt: str | None, output: str | None) -> None:
    """Export every team's latest answers from the workshop's response store.

    \b
    Example:
      playbook export acme-2026-q4 -o answers.csv
      playbook export acme-2026-q4 > answers.json
    """
    from playbook.answers import transfer
    from playbook.answers.store import Store
    from playbook.errors import AnswersError
    from playbook.workshop import Folder

    path = Path(output) if output else None
    if path is not None:  # the file's suffix says the format; a name that says another is refused
        said = SUFFIXES.get(path.suffix.lower())
        if said is None or (fmt is not None and fmt != said):
            want = f".{fmt}" if fmt else ".json, .yml or .csv"
            raise AnswersError(f"cannot write {'an export' if fmt is None else fmt} to {path.name!r}", file=path,
                               fix=f"name the file {want}")
    with Store.for_folder(Folder(directory)) as store:
        if path is not None:
            transfer.export_file(store, path)
            from playbook.i18n import _

            click.echo(_("Wrote %(path)s") % {"path": path}, err=True)
        elif fmt == "csv":
            click.echo(transfer.export_csv(store), nl=False)
        elif fmt == "yml":
            import yaml

            click.echo(yaml.safe_dump(transfer.export_json(store), sort_keys=False, allow_unicode=True), nl=False)
        else:
            click.echo(json.dumps(transfer.export_json(store), ensure_ascii=False, indent=2))
