"""`playbook serve`: the live worksheets, the facilitator dashboard and the presenter view, from one process.

Registered in `playbook.cli` with `cli.add_command(serve)`. A thin layer over
`playbook.serve.serve`; the only place that prints the links.
"""

from __future__ import annotations

import click

from playbook import serve as serving
from playbook import sharing
from playbook.i18n import _
from playbook.publish import fonts
from playbook.workshop import access


@click.command("serve")
@click.argument("directory", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--port", type=click.IntRange(0, 65535), default=serving.DEFAULT_PORT, show_default=True,
              metavar="N", help="Port to listen on (0: any free port).")
@click.option("--lan", is_flag=True,
              help="Listen on every network interface and print links with this machine's LAN address.")
@click.option("--server", metavar="URL",
              help="The address people open when it is not this machine's, such as a reverse proxy in front of "
                   "several hosts serving the workshop (http://playbook.lan): links and short links name it.")
@click.option("--open", "open_browser", is_flag=True, help="Open the facilitator dashboard in a browser.")
def serve(directory: str, port: int, lan: bool, server: str | None, open_browser: bool) -> None:
    """Serve the live worksheets and the facilitator dashboard until Ctrl-C.

    Prints one link per team and one for the facilitator. A team's link opens its own
    worksheet only and saves its answers as they are typed; the dashboard shows every
    team's answers live. Links hold secrets: hand each team its own. By default only this
    machine can connect; --lan lets laptops on the same network in (check your firewall).
    With PLAYBOOK_STORE_URL set (a PostgreSQL URL; the password in PGPASSWORD or ~/.pgpass),
    several hosts with the same workshop folder and secret serve one workshop, behind a
    reverse proxy whose address --server gives.

    \b
    Example:
      playbook serve examples/acme
      playbook serve clients/acme --lan --port 8900
      PLAYBOOK_STORE_URL=postgresql+psycopg://playbook@db.lan/playbook \\
        playbook serve clients/acme --lan --server http://playbook.lan
    """
    serving.serve(directory, port=port, lan=lan, server=server, open_browser=open_browser, on_ready=_print_links)
    click.echo(_("stopped"))


def _print_links(server: serving.Server) -> None:
    links = [link for link in server.links() if link.role == "team"]
    title = repr(server.folder.config.title)
    if server.host == "0.0.0.0":
        click.echo(_("Serving %(title)s on the local network at %(host)s, port %(port)s.") % {
            "title": title, "host": server.public_host, "port": server.port})
    else:
        click.echo(_("Serving %(title)s on this machine only, port %(port)s.") % {"title": title, "port": server.port})
    if server.public_url:
        click.echo(_("Links name %(url)s, which must lead here (a reverse proxy).") % {"url": server.public_url})
    _print_shared(server.shared)
    click.echo()
    if not links:
        click.echo(_("No teams in workshop.yml yet: add them under 'teams:', then serve again."))
    for link in links:
        click.echo(f"{link.label} ({link.team}):\n  {link.url}")
        if link.team:  # the short link: to type from a handout or the whiteboard
            short = access.short_link(server.base_url, server.folder, link.team)
            click.echo(_("  or type: %(link)s") % {"link": short})
    click.echo("\n" + _("Facilitator dashboard (keep it to yourself):") + f"\n  {server.link('facilitator').url}")
    click.echo("\n" + _("Presenter view, for the projector (shows no answers or team names):") +
               f"\n  {server.link('presenter').url}\n")
    click.echo(_("The server's log: %(path)s") % {"path": server.log_path})
    click.echo(_("Press Ctrl-C to stop the server."))
    c = server.folder.config  # the live charts are drawn in the server: warn in this window
    fonts.check([c.client, c.title, *(t.name for t in c.teams)], f"the live charts of {server.folder.path}", c.language)


def _print_shared(shared: sharing.Shared | None) -> None:
    """Where the answers go when several hosts may serve the workshop, and what they must share."""
    if shared is None:
        return
    click.echo(_("Answers: the shared store %(url)s, as workshop %(workshop)s.") % {
        "url": shared.url, "workshop": repr(shared.workshop)})
    if shared.id_from_folder:
        click.echo(_("  The id comes from the folder's name: put 'id: %(workshop)s' in workshop.yml, so that a copy "
                     "in a folder named otherwise shares these answers.") % {"workshop": shared.workshop})
    if shared.other_secret:
        click.echo(_("  Warning: this workshop was last served with another secret (%(fingerprint)s); links printed "
                     "there do not open here. To serve it from both hosts, copy .playbook/secret from there to "
                     "here, then serve again.") % {"fingerprint": shared.other_secret})
