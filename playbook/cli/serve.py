"""`playbook serve`: the live worksheets, the facilitator dashboard and the presenter view, from one process.

Registered in `playbook.cli` with `cli.add_command(serve)`. A thin layer over
`playbook.serve.serve`; the only place that prints the links.
"""

from __future__ import annotations

import click

from playbook import serve as serving
from playbook.i18n import _
from playbook.publish import fonts
from playbook.workshop import access


@click.command("serve")
@click.argument("directory", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--port", type=click.IntRange(0, 65535), default=serving.DEFAULT_PORT, show_default=True,
              metavar="N", help="Port to listen on (0: any free port).")
@click.option("--lan", is_flag=True,
              help="Listen on every network interface and print links with this machine's LAN address.")
@click.option("--open", "open_browser", is_flag=True, help="Open the facilitator dashboard in a browser.")
def serve(directory: str, port: int, lan: bool, open_browser: bool) -> None:
    """Serve the live worksheets and the facilitator dashboard until Ctrl-C.

    Prints one link per team and one for the facilitator. A team's link opens its own
    worksheet only and saves its answers as they are typed; the dashboard shows every
    team's answers live. Links hold secrets: hand each team its own. By default only this
    machine can connect; --lan lets laptops on the same network in (check your firewall).

    \b
    Example:
      playbook serve examples/acme
      playbook serve clients/acme --lan --port 8900
    """
    serving.serve(directory, port=port, lan=lan, open_browser=open_browser, on_ready=_print_links)
    click.echo(_("stopped"))


def _print_links(server: serving.Server) -> None:
    links = [link for link in server.links() if link.role == "team"]
    title = repr(server.folder.config.title)
    if server.host == "0.0.0.0":
        click.echo(_("Serving %(title)s on the local network at %(host)s, port %(port)s.") % {
            "title": title, "host": server.public_host, "port": server.port} + "\n")
    else:
        click.echo(_("Serving %(title)s on this machine only, port %(port)s.") % {"title": title, "port": server.port}
                   + "\n")
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
