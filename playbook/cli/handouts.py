"""`playbook handouts`: print-ready handouts and the facilitator guide of a workshop.

Registered in `playbook.cli` with `cli.add_command(handouts)`; a thin layer over
`playbook.publish.handouts.build`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import click

from playbook.i18n import _, languages
from playbook.publish.handouts import FORMATS, build

LOCAL = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
LANGUAGE_HELP = ("Write in this language for this run instead of the workshop's (workshop.yml's language): a tag "
                 "such as fr, pt-BR or zh-Hans. The languages there are: " + ", ".join(languages.available()) + ".")


def parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [f for f in found if f not in FORMATS]
    if bad or not found:
        raise click.BadParameter(f"{', '.join(bad) or 'nothing'}: use html, pdf or html,pdf")
    return found


@click.command("handouts")
@click.argument("directory", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--format", "formats", default="html", show_default=True, callback=parse_formats, metavar="html,pdf",
              help="html, or html,pdf for a PDF of each too (pdf alone means the same: the HTML is the PDF's "
                   "source and stays beside it). PDF needs Chromium (Debian: apt-get install chromium).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="Paper size.")
@click.option("--per-team", is_flag=True,
              help="Also write one handout set per team, with its name and members, under DIR/out/handouts/TEAM/.")
@click.option("--server", metavar="URL",
              help="The address 'playbook serve --lan' will listen on (e.g. http://192.168.1.20:8866): each team's "
                   "handouts get a QR code and a short link to its worksheet. Needs --per-team.")
@click.option("--language", default="", metavar="TAG", help=LANGUAGE_HELP)
def handouts(directory: str, formats: tuple[str, ...], paper: str, per_team: bool, server: str | None,
             language: str) -> None:
    """Write a participant handout per exercise and one facilitator guide.

    Each handout has the exercise's purpose, people and timing, the steps with the
    participants' instructions and the blank worksheet with room to write. The facilitator
    guide has the agenda, the notes for every step, the statistics with their sources and
    the references; facilitator notes never appear in a handout. Files go to
    DIR/out/handouts/, in the workshop's language or --language.

    With --per-team, each team also gets its own set in DIR/out/handouts/TEAM/, naming the
    team and its members; with --server, a QR code and a short link on it open the team's
    worksheet once 'playbook serve' runs at that address. The links stay valid for every
    later serve of the same folder (they derive from DIR/.playbook/secret).

    \b
    Example:
      playbook handouts examples/acme
      playbook handouts examples/acme --format html,pdf --paper letter
      playbook handouts examples/acme --per-team --server http://192.168.1.20:8866 --format html,pdf
      playbook handouts examples/acme --language pt-BR
    """
    built = build(directory, formats=formats, paper=paper, per_team=per_team, server=server, language=language)
    for path in [*built.html, *built.pdf]:
        click.echo(str(path))
    for team, link in built.links.items():
        click.echo(f"{team}: {link.short}")
    if server is not None and (urlsplit(server if "://" in server else f"http://{server}").hostname or "") in LOCAL:
        click.echo(_("note: %(server)s is reachable from this machine only; for laptops in the room, pass this "
                     "machine's LAN address and serve with 'playbook serve DIR --lan'") % {"server": server}, err=True)
