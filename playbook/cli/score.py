"""`playbook score`: every team's results, one table per exercise, or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from playbook.answers.results import score_folder
from playbook.publish.tables import results_table


@click.command("score")
@click.argument("directory", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--team", "teams", multiple=True, metavar="ID", help="Only this team (repeatable).")
@click.option("--exercise", "exs", multiple=True, metavar="ID", help="Only this exercise (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print every result in full as JSON.")
def score_cmd(directory: str, teams: Sequence[str], exs: Sequence[str], as_json: bool) -> None:
    """Score every team of a workshop folder and print the results per exercise, in its language.

    \b
    Example:
      playbook score examples/acme
      playbook score examples/acme --team north --exercise fit_assessment --json
    """
    from playbook.workshop import Folder

    folder = Folder(directory)
    with folder.speaking():  # the bands, flags and recommendations are the workshop's, in its language
        results = score_folder(folder, teams=teams, exercises=exs)
        if as_json:
            click.echo(json.dumps(
                [{"team": r.team, "exercise": r.exercise, **r.result.model_dump(mode="json")}
                 for r in results],
                indent=2, ensure_ascii=False,
            ))
            return
        click.echo(results_table(results, folder.exercises()))
