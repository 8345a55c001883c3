"""`playbook init`: a workshop folder with a commented starter workshop.yml."""

from __future__ import annotations

from collections.abc import Sequence

import click


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--client", required=True, help="The client organisation.")
@click.option("--title", default="Customer workshop", show_default=True, help="The workshop's title.")
@click.option("--date", "date_", metavar="YYYY-MM-DD", default=None, help="The day of the workshop (default: today).")
@click.option("--facilitator", required=True, help="Who runs the session.")
@click.option("--exercise", "exs", multiple=True, metavar="ID",
              help="An exercise to run (repeatable; default: all three).")
@click.option("--language", default="en", show_default=True, metavar="TAG",
              help="The language of worksheets, handouts and reports (a tag such as fr or pt-BR).")
def init_cmd(directory: str, client: str, title: str, date_: str | None, facilitator: str,
             exs: Sequence[str], language: str) -> None:
    """Create a workshop folder with a commented starter workshop.yml.

    \b
    Example:
      playbook init acme-2026-q4 --client "Acme Analytics" --facilitator "Marta Kovač" --date 2026-11-18
      playbook init batilog --client Batilog --facilitator "Claire Dubreuil" --language fr
    """
    import datetime as dt

    from playbook.workshop.starter import init_workshop

    folder = init_workshop(
        directory, client=client, title=title, date=date_ or dt.date.today().isoformat(),
        facilitator=facilitator, language=language, exercises=list(exs) or None,
    )
    from playbook.i18n import _

    click.echo(_("Created %(path)s") % {"path": folder.config_path} + "\n" +
               _("Next: add teams by hand or with %(command)s.") % {
                   "command": f"'playbook teams import {directory} roster.csv'"})
