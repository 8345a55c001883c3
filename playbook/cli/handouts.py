"""`playbook handouts`: print-ready handouts and the facilitator guide of a workshop.

Registered in `playbook.cli` with `cli.add_command(handouts)`; a thin layer over
`playbook.publish.handouts.build`.
"""

from __future__ import annotations

import click

from playbook.publish.handouts import FORMATS, build


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
def handouts(directory: str, formats: tuple[str, ...], paper: str) -> None:
    """Write a participant handout per exercise and one facilitator guide.

    Each handout has the exercise's purpose, people and timing, the steps with the
    participants' instructions and the blank worksheet with room to write. The facilitator
    guide has the agenda, the notes for every step, the statistics with their sources and
    the references; facilitator notes never appear in a handout. Files go to
    DIR/out/handouts/.

    \b
    Example:
      playbook handouts examples/acme
      playbook handouts examples/acme --format html,pdf --paper letter
    """
    built = build(directory, formats=formats, paper=paper)
    for path in [*built.html, *built.pdf]:
        click.echo(str(path))
