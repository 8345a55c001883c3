"""`playbook teams`: list a workshop's teams, or import them from a CSV roster."""

from __future__ import annotations

import click

from playbook.i18n import _, ngettext
from playbook.publish.html import listed
from playbook.publish.tables import render


@click.group("teams")
def teams_group() -> None:
    """List the teams of a workshop or import them from a spreadsheet.

    \b
    Example:
      playbook teams list examples/acme
      playbook teams import acme-2026-q4 roster.csv
    """


@teams_group.command("list")
@click.argument("directory", type=click.Path())
def teams_list_cmd(directory: str) -> None:
    """List a workshop's teams with their ids and members.

    \b
    Example:
      playbook teams list examples/acme
    """
    from playbook.workshop import Folder

    teams = Folder(directory).config.teams
    click.echo(render([_("id"), _("name"), _("members")], [(t.id, t.name, listed(t.members)) for t in teams],
                      max_col=60))


@teams_group.command("import")
@click.argument("directory", type=click.Path())
@click.argument("roster", type=click.Path())
def teams_import_cmd(directory: str, roster: str) -> None:
    """Add or update teams from a CSV roster (columns: team, members; comma or semicolon).

    Team ids are derived from the names and stay stable when the roster is imported again;
    workshop.yml keeps its comments.

    \b
    Example:
      playbook teams import acme-2026-q4 roster.csv
    """
    from playbook.workshop.roster import import_roster

    changed = import_roster(directory, roster)
    if not changed:
        click.echo(_("The teams are already up to date."))
    for t in changed:
        click.echo(ngettext("%(id)s: %(name)s (%(num)s member)", "%(id)s: %(name)s (%(num)s members)",
                            len(t.members)) % {"id": t.id, "name": t.name, "num": len(t.members)})
