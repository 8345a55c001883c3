"""`playbook init DIR`: a new workshop folder with a commented starter workshop.yml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from playbook import yamlio
from playbook.errors import WorkshopError
from playbook.i18n import languages
from playbook.model import exercises as exercise_defs
from playbook.workshop import WORKSHOP_FILE, Folder, Workshop, write_config

TEMPLATE = """\
# workshop.yml: one customer workshop. Edit it by hand; every playbook command checks it
# and names the line of any mistake.

# Who the workshop is for and what it is called: printed on handouts and reports.
client: {client}
title: {title}
# The day of the session, as YYYY-MM-DD.
date: {date}
# Language of worksheets, handouts and reports: {languages}.
language: {language}
# Who runs the session: printed on the facilitator guide.
facilitator: {facilitator}

# The teams. Each has an id (lower-case letters, digits and '-'; it names files and links,
# so keep it once teams have started), a display name and, optionally, its members.
# Remove the '# ' in front of the example to use it, or import a spreadsheet with:
#   playbook teams import DIR roster.csv
teams:
  # - id: north
  #   name: Customer Success
  #   members: [Lena Park, Tomás Ruiz]

# The exercises to run, in order ({available}).
exercises:
{exercises}

# The look of handouts and reports.
branding:
  # An image file inside this folder; remove the '# ' to use it.
  # logo: logo.svg
  # Accent colour: a quoted hex value (unquoted, '#' would start a comment).
  accent: "#1f5f8b"
"""


def init_workshop(
    directory: str | Path,
    *,
    client: str,
    title: str,
    date: dt.date | str,
    facilitator: str,
    language: str = "en",
    exercises: Sequence[str] | None = None,
) -> Folder:
    """Create `directory` (if needed) with a starter workshop.yml; never overwrite one.

    `exercises` defaults to every bundled exercise. The values are checked before anything
    is written, and the file is written atomically.
    """
    folder = Path(directory)
    config = folder / WORKSHOP_FILE
    if folder.exists() and not folder.is_dir():
        raise WorkshopError(
            "this is a file, not a folder", file=folder,
            fix="give the path of a new or existing folder for the workshop",
        )
    if config.exists():
        raise WorkshopError(
            "workshop.yml already exists; refusing to overwrite it", file=config,
            fix="edit it instead, or choose a new folder for a new workshop",
        )
    available = [e.id for e in exercise_defs.all_exercises()]
    chosen = list(available if exercises is None else exercises)
    language = _check_values(client, title, date, facilitator, language, chosen, available)
    day = date if isinstance(date, dt.date) else dt.date.fromisoformat(date.strip())
    text = TEMPLATE.format(
        client=_scalar(client), title=_scalar(title), facilitator=_scalar(facilitator),
        date=day.isoformat(),
        language=_scalar(language), languages=languages.listing(),
        available=", ".join(available),
        exercises="\n".join(f"  - {e}" for e in chosen),
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkshopError(
            f"cannot create the folder: {exc.strerror}", file=folder,
            fix="check the parent folder exists and is writable",
        ) from None
    write_config(config, text, exclusive=True)
    return Folder(folder)


def _check_values(
    client: str, title: str, date: dt.date | str, facilitator: str, language: str,
    chosen: list[str], available: list[str],
) -> str:
    """Name the argument at fault, rather than a line of a file the user has not seen; returns
    the language as its BCP 47 tag (`pt_br` is written `pt-BR`)."""
    values = {"client": client, "title": title, "date": date, "facilitator": facilitator,
              "language": language, "exercises": chosen}
    try:
        Workshop.model_validate(values)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        name = str(first["loc"][0]) if first["loc"] else "value"
        msg = first["msg"].removeprefix("Value error, ")
        raise WorkshopError(f"{name}: {msg}", field=name, fix=f"pass a valid {name}") from None
    unknown = [e for e in chosen if e not in available]
    if unknown:
        raise WorkshopError(
            f"no exercise called {unknown[0]!r}", field="exercises",
            fix=f"use some of: {', '.join(available)}",
        )
    found = languages.resolve(language)
    if found is None:
        raise WorkshopError(
            f"language {language!r} has no catalogue", field="language",
            fix=f"use one of: {languages.listing()}",
        )
    return found


def _scalar(value: str) -> str:
    """`value` as a one-line YAML scalar that reads back as the same text."""
    return value if yamlio.plain_ok(value) else yamlio.double_quoted(value)
