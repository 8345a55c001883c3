"""A workshop's answers, scored: the public API behind `playbook score` and the demo."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook import answers
from playbook.errors import WorkshopError
from playbook.scoring import Result, score
from playbook.workshop import Folder


@dataclass(frozen=True)
class TeamResult:
    team: str
    name: str
    exercise: str
    result: Result


def has_store(folder: Folder) -> bool:
    return folder.db_path.is_file() or bool(os.environ.get(answers.ENV_URL, "").strip())


def load_answers(folder: Folder) -> answers.Answers:
    """The folder's answers: from its response store once it holds a save (the store is the
    truth from the first save or import on), else from its `answers/` files. An empty store,
    as a server or a viewer may leave behind, hides nothing."""
    if has_store(folder):
        from playbook.answers.store import Store  # SQLAlchemy: imported only when there is a store

        with Store.for_folder(folder) as store:
            if store.revision() or not folder.answers_dir.is_dir():
                return store.latest_all()
    teams = [t.id for t in folder.config.teams]
    if folder.answers_dir.is_dir():
        return answers.load_dir(folder.answers_dir, teams)
    return {}


def score_folder(
    path: str | Path | Folder,
    *,
    teams: Sequence[str] = (),
    exercises: Sequence[str] = (),
) -> list[TeamResult]:
    """Score every (team, exercise) of a workshop, in workshop.yml's order."""
    folder = path if isinstance(path, Folder) else Folder(path)
    for t in teams:
        folder.config.team(t)  # raises with the list of teams
    for e in exercises:
        if e not in folder.config.exercises:
            raise WorkshopError(
                f"exercise {e!r} is not part of this workshop", file=folder.config_path,
                field="exercises", fix=f"use one of: {', '.join(folder.config.exercises)}",
            )
    data = load_answers(folder)
    out = []
    for ex in folder.exercises():
        if exercises and ex.id not in exercises:
            continue
        for team in folder.config.teams:
            if teams and team.id not in teams:
                continue
            given: dict[str, Any] = data.get(team.id, {}).get(ex.id, {})
            out.append(TeamResult(team.id, team.name, ex.id, score(ex, given, folder.scoring_context(ex.id))))
    return out
