"""`playbook exercises`: the exercises with people, times and difficulty."""

from __future__ import annotations

import json

import click

from playbook.i18n import _, current
from playbook.model import exercises
from playbook.model import i18n as definitions
from playbook.publish.html import DIFFICULTIES
from playbook.publish.tables import render


@click.command("exercises")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def exercises_cmd(as_json: bool) -> None:
    """List the exercises with people, times and difficulty (in your system's language, when the kit has it).

    \b
    Example:
      playbook exercises
    """
    found = [definitions.translated(e, current().tag) for e in exercises.all_exercises()]
    if as_json:
        click.echo(json.dumps([
            {"id": e.id, "title": e.title, "people": str(e.people), "prep_minutes": e.prep_minutes,
             "run_minutes": e.run_minutes, "difficulty": e.difficulty, "steps": len(e.steps)}
            for e in found
        ], indent=2, ensure_ascii=False))
        return
    rows = [
        (e.id, e.title, str(e.people), e.prep_minutes, e.run_minutes, _(DIFFICULTIES[e.difficulty]), len(e.steps))
        for e in found
    ]
    click.echo(render([_("id"), _("title"), _("people"), _("prep min"), _("run min"), _("difficulty"), _("steps")],
                      rows))
