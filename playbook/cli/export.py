"""`playbook export`: every team's latest answers from the response store, as JSON, YAML or CSV."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("export")
@click.argument("directory", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "yml"]), default="json", show_default=True,
              help="JSON or YAML (the answers format) or CSV (one row per team and field).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of printing.")
def export_cmd(directory: str, fmt: str, output: str | None) -> None:
    """Export every team's latest answers from the workshop's response store.

    \b
    Example:
      playbook export acme-2026-q4 --format csv -o answers.csv
      playbook export acme-2026-q4 > answers.json
    """
    from playbook.answers import transfer
    from playbook.answers.store import Store
    from playbook.workshop import Folder

    with Store.for_folder(Folder(directory)) as store:
        if output:
            path = Path(output)
            if path.suffix.lower().lstrip(".") not in (fmt, "yaml" if fmt == "yml" else fmt):
                path = path.with_suffix(f".{fmt}")
            transfer.export_file(store, path)
            click.echo(f"Wrote {path}", err=True)
        elif fmt == "csv":
            click.echo(transfer.export_csv(store), nl=False)
        elif fmt == "yml":
            import yaml

            click.echo(yaml.safe_dump(transfer.export_json(store), sort_keys=False, allow_unicode=True), nl=False)
        else:
            click.echo(json.dumps(transfer.export_json(store), ensure_ascii=False, indent=2))
