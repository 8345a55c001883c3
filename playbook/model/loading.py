"""Loading definitions: a YAML file becomes a validated, cross-checked `Exercise`, and the
bundled definitions are found by id."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from playbook import yamlio
from playbook.errors import DefinitionError
from playbook.model import checks, concealment
from playbook.model.checks import cycles
from playbook.model.exercise import Exercise

ORDER = ("empathy_audit", "fit_assessment", "enablement")


def content_dir() -> Path:
    return Path(str(resources.files("playbook") / "content"))


def load_file(path: str | Path) -> Exercise:
    """Load one definition file; any problem is a `DefinitionError` with file and line."""
    doc = yamlio.load(path, DefinitionError)
    if not isinstance(doc.data, dict):
        raise DefinitionError("an exercise definition must be a mapping of keys", file=doc.file, line=1)
    dup = yamlio.duplicate_ids(doc.data)
    if dup:
        path_, name = dup
        raise DefinitionError(
            f"id {name!r} is used twice in the same list", file=doc.file,
            line=doc.line_of(path_), field=yamlio.dotted(path_), fix="give each entry its own id",
        )
    try:
        ex = Exercise.model_validate(doc.data)
    except ValidationError as exc:
        raise yamlio.from_validation(exc, doc, DefinitionError) from None
    for path_, message in checks.problems(ex):
        raise DefinitionError(message, file=doc.file, line=doc.line_of(path_), field=yamlio.dotted(path_))
    for path_, message in concealment.problems(ex):
        raise DefinitionError(
            message, file=doc.file, line=doc.line_of(path_), field=yamlio.dotted(path_),
            fix="move these words to facilitator_notes or to the field's reveal, or reword them",
        )
    if Path(path).stem != ex.id:
        raise DefinitionError(
            f"the id {ex.id!r} does not match the file name",
            file=doc.file, line=doc.line_of(("id",)), field="id",
            fix=f"rename the file to {ex.id}.yml or change the id",
        )
    for path_, message in cycles.problems(ex):
        raise DefinitionError(
            message, file=doc.file, line=doc.line_of(path_), field=yamlio.dotted(path_), fix=cycles.FIX
        )
    return ex


@cache
def _all() -> dict[str, Exercise]:
    out: dict[str, Exercise] = {}
    for path in sorted(content_dir().glob("*.yml")):
        ex = load_file(path)
        out[ex.id] = ex
    return out


def all_exercises() -> list[Exercise]:
    """The bundled definitions, in a stable order (the order of ORDER, then by id)."""
    found = _all()
    return sorted(found.values(), key=lambda e: (ORDER.index(e.id) if e.id in ORDER else 99, e.id))


def get(exercise_id: str) -> Exercise:
    found = _all()
    if exercise_id not in found:
        raise DefinitionError(
            f"no exercise called {exercise_id!r}",
            fix=f"use one of: {', '.join(e.id for e in all_exercises())}",
        )
    return found[exercise_id]
