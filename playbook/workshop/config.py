"""The workshop folder: `workshop.yml` (hand-edited, validated with line numbers)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Annotated, Any

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from playbook import fsio, i18n, yamlio
from playbook.errors import PlaybookError, Where, WorkshopError
from playbook.i18n import languages
from playbook.model import exercises
from playbook.model import i18n as definitions
from playbook.model.fields import Id, Model, Text
from playbook.scoring import Context
from playbook.workshop.ids import TEAM_ID_PATTERN

WORKSHOP_FILE = "workshop.yml"
TeamId = Annotated[str, Field(pattern=TEAM_ID_PATTERN)]
Member = Annotated[str, Field(min_length=1, max_length=200)]


class Team(Model):
    id: TeamId
    name: Text
    members: list[Member] = Field(default_factory=list)

    @field_validator("members", mode="before")
    @classmethod
    def _none(cls, v: Any) -> Any:
        return [] if v is None else v  # `members:` left empty while editing


class Branding(Model):
    logo: str | None = None  # a path relative to the workshop folder, checked by `load`
    accent: str = "#1f5f8b"

    @field_validator("accent")
    @classmethod
    def _colour(cls, v: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", v):
            raise ValueError(f"{v!r} is not a colour like '#1f5f8b'")
        return v.lower()


class Workshop(Model):
    id: TeamId | None = None
    client: Text
    title: Text
    date: dt.date
    language: str = "en"
    facilitator: Text
    teams: list[Team] = Field(default_factory=list)
    exercises: Annotated[list[Id], Field(min_length=1)]
    branding: Branding = Branding()
    # exercise -> setting -> value, for thresholds a definition lets a workshop change
    # (the revenue ceiling of the client-fit assessment, say); checked against the definitions
    settings: dict[Id, dict[Id, float]] = Field(default_factory=dict)

    @field_validator("teams", mode="before")
    @classmethod
    def _no_teams(cls, v: Any) -> Any:
        return [] if v is None else v  # `teams:` with only the commented example under it

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, v: Any) -> Any:
        # pydantic would read 20261118 as seconds since 1970; only accept what people mean
        if isinstance(v, dt.datetime):
            raise ValueError(f"expected a date without a time, got {v}")
        if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError as exc:
                raise ValueError(f"{v!r} is not a real date ({exc})") from None
        if not isinstance(v, dt.date):
            raise ValueError(f"{v!r} is not a date written as YYYY-MM-DD")
        return v

    @model_validator(mode="after")
    def _checks(self) -> Workshop:
        ids = [t.id for t in self.teams]
        dup = next((i for n, i in enumerate(ids) if i in ids[:n]), None)
        if dup:
            raise ValueError(f"team id {dup!r} is used twice")
        return self

    def team(self, team_id: str) -> Team:
        for t in self.teams:
            if t.id == team_id:
                return t
        raise WorkshopError(
            f"no team {team_id!r} in this workshop", team=team_id,
            fix=f"teams are: {', '.join(t.id for t in self.teams) or 'none yet'}",
        )


class Folder:
    """A workshop folder on disk and its validated `workshop.yml`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.config_path = self.path / WORKSHOP_FILE
        if self.path.is_file() and self.path.name == WORKSHOP_FILE:
            self.path, self.config_path = self.path.parent, self.path
        if not self.config_path.is_file():
            raise WorkshopError(
                "not a workshop folder: no workshop.yml", file=self.path,
                fix="pass the folder that holds workshop.yml, "
                "or create one with 'playbook init DIR'",
            )
        self.config = load(self.config_path)

    @property
    def workshop_id(self) -> str:
        """The key of this workshop's rows in a shared store: `id:` or the folder's name."""
        if self.config.id:
            return self.config.id
        slug = re.sub(r"[^a-z0-9]+", "-", self.path.resolve().name.lower()).strip("-")
        return slug[:63] or "workshop"

    @property
    def db_path(self) -> Path:
        return self.path / "responses.db"

    @property
    def out(self) -> Path:
        return self.path / "out"

    @property
    def answers_dir(self) -> Path:
        return self.path / "answers"

    @property
    def reports_dir(self) -> Path:
        """HTML and PDF reports, and their index page."""
        return self.out / "reports"

    @property
    def notebooks_dir(self) -> Path:
        """Executed report notebooks (kept to read a failed job's traceback)."""
        return self.out / "notebooks"

    @property
    def snapshots_dir(self) -> Path:
        """The answers each report rendered (`playbook.answers.snapshot`)."""
        return self.out / "snapshots"

    @property
    def manifest_path(self) -> Path:
        """Every report job's status, duration, outputs and error (`playbook.batch.manifest`)."""
        return self.out / "manifest.json"

    @property
    def language(self) -> str:
        """The workshop's language (`language` in workshop.yml), as a BCP 47 tag."""
        return self.config.language

    def exercises(self, language: str = "") -> list[exercises.Exercise]:
        """The workshop's exercises in `language` (default: the workshop's): what every view shows.
        Scoring reads ids, never texts, so the results are the same in every language."""
        tag = i18n.language(language or self.language).tag
        return [definitions.translated(exercises.get(e), tag) for e in self.config.exercises]

    @contextmanager
    def speaking(self, language: str = "") -> Iterator[i18n.Language]:
        """The one place a workshop's language is applied: inside the block, interface messages,
        dates and numbers are in `language` (default: the workshop's; `--language` overrides it);
        pass `.tag` to `exercises()` for the definitions in it. A language with no catalogue is a
        `LanguageError` listing the languages there are."""
        with i18n.use(language or self.language) as lang:
            yield lang

    def scoring_context(self, exercise_id: str) -> Context:
        """What scoring an exercise of this workshop needs besides answers: its date, settings
        and language (the rules free text is read with)."""
        return Context(as_of=self.config.date, settings=self.config.settings.get(exercise_id, {}),
                       language=self.config.language)


# --- loading ----------------------------------------------------------------------------

# PyYAML raises these, not a YAMLError, for scalars it cannot build (`date: 2026-13-45`,
# `!!int abc`) and for an alias inside its own anchor; they must not reach the user.


def load(path: str | Path) -> Workshop:
    """Read and validate a workshop.yml; every problem is a `WorkshopError`."""
    p = Path(path)
    return _validate(yamlio.load(p, WorkshopError), p.parent)


def parse(text: str, file: str | Path) -> Workshop:
    """Validate `text` as if it were the workshop.yml at `file` (used before writing one)."""
    try:
        doc = yamlio.parse(text, file)
    except PlaybookError as exc:
        raise WorkshopError(exc.what, file=exc.file, line=exc.line, field=exc.field, fix=exc.fix) from None
    return _validate(doc, Path(file).parent)


def _validate(doc: yamlio.Located, folder: Path) -> Workshop:
    f = doc.file
    if doc.data is None:
        raise WorkshopError(
            "the file is empty", file=f, line=1,
            fix="write client, title, date, facilitator and exercises; "
            "'playbook init DIR' writes a commented starter",
        )
    if not isinstance(doc.data, dict):
        raise WorkshopError(
            f"workshop.yml must be a mapping of keys, not a {_kind(doc.data)}", file=f, line=1,
            fix="start each top-level line with a key, e.g. 'client: Acme', without a leading '- '",
        )
    _check_team_ids(doc)
    try:
        ws = Workshop.model_validate(doc.data)
    except ValidationError as exc:
        raise _from_validation(exc, doc) from None
    known = [e.id for e in exercises.all_exercises()]
    for i, ex_id in enumerate(ws.exercises):
        where: Where = {"file": f, "line": doc.line_of(("exercises", i)), "field": f"exercises[{i}]"}
        if ex_id not in known:
            raise WorkshopError(
                f"no exercise called {ex_id!r}", **where, fix=f"use one of: {', '.join(known)}",
            )
        if ex_id in ws.exercises[:i]:
            raise WorkshopError(f"exercise {ex_id!r} is listed twice", **where, fix="remove one")
    _check_settings(ws, doc)
    found = languages.resolve(ws.language)
    if found is None:
        raise WorkshopError(
            f"language {ws.language!r} has no catalogue", file=f,
            line=doc.line_of(("language",)), field="language",
            fix=f"use one of: {languages.listing()}",
        )
    for ex_id in ws.exercises:  # answers are read in the workshop's language: a workshop never starts unscorable
        covered = exercises.get(ex_id).text_languages
        if covered is not None and found not in covered:
            raise WorkshopError(
                f"the {ex_id} exercise cannot yet read answers written in {found}", file=f,
                line=doc.line_of(("language",)), field="language",
                fix=f"give {ex_id}.yml's lint rules and pattern metrics a '{found}' entry under 'languages', "
                    f"or use one of: {', '.join(sorted(covered))}",
            )
    _check_logo(ws.branding.logo, doc, folder)
    return ws if found == ws.language else ws.model_copy(update={"language": found})


def _check_settings(ws: Workshop, doc: yamlio.Located) -> None:
    """Every setting names an exercise of the workshop and a setting it has, within range."""
    for ex_id, values in ws.settings.items():
        where: Where = {"file": doc.file, "line": doc.line_of(("settings", ex_id)), "field": f"settings.{ex_id}"}
        if ex_id not in ws.exercises:
            raise WorkshopError(f"settings for {ex_id!r}, which this workshop does not run", **where,
                                fix=f"use one of: {', '.join(ws.exercises)}")
        known = {s.id: s for s in exercises.get(ex_id).settings}
        for sid, value in values.items():
            where = {"file": doc.file, "line": doc.line_of(("settings", ex_id, sid)),
                     "field": f"settings.{ex_id}.{sid}"}
            st = known.get(sid)
            if st is None:
                raise WorkshopError(f"{ex_id} has no setting {sid!r}", **where,
                                    fix=f"settings of {ex_id}: {', '.join(known) or 'none'}")
            if not st.min <= value <= st.max:
                raise WorkshopError(f"{sid} is {value:g}, outside {st.min:g} to {st.max:g}", **where,
                                    fix=f"{st.label}: choose a value from {st.min:g} to {st.max:g} "
                                        f"(default {st.default:g})")


def _kind(data: Any) -> str:
    return "list" if isinstance(data, list) else f"single value ({type(data).__name__})"


def _check_team_ids(doc: yamlio.Located) -> None:
    """Duplicate ids, found on the raw data so the error points at the second one's line."""
    teams = doc.data.get("teams")
    first: dict[str, int] = {}
    for n, team in enumerate(teams if isinstance(teams, list) else []):
        tid = team.get("id") if isinstance(team, dict) else None
        if not isinstance(tid, str):
            continue
        line = doc.line_of(("teams", n, "id")) or 1
        if tid in first:
            raise WorkshopError(
                f"team id {tid!r} is used twice", file=doc.file, line=line,
                field=f"teams[{n}].id",
                fix=f"give each team its own id; {tid!r} is already used on line {first[tid]}",
            )
        first[tid] = line


def _check_logo(logo: str | None, doc: yamlio.Located, folder: Path) -> None:
    if logo is None:
        return
    where: Where = {"file": doc.file, "line": doc.line_of(("branding", "logo")), "field": "branding.logo"}
    posix = PurePosixPath(logo.replace("\\", "/"))
    if (
        posix.is_absolute() or PureWindowsPath(logo).anchor or ".." in posix.parts
        or logo.startswith("~") or "\x00" in logo
    ):
        raise WorkshopError(
            f"the logo {logo!r} must be a path inside the workshop folder", **where,
            fix="copy the image into the workshop folder and give its name, e.g. logo: logo.svg",
        )
    target = folder / posix
    try:  # a symlink may still lead outside the folder
        inside = target.resolve().is_relative_to(folder.resolve())
        found = target.is_file()
    except (OSError, ValueError):
        inside = found = False
    if not inside:
        raise WorkshopError(
            f"the logo {logo!r} leads outside the workshop folder", **where,
            fix="copy the image itself into the workshop folder instead of linking to it",
        )
    if not found:
        raise WorkshopError(
            f"logo file {logo!r} not found in {folder}", **where,
            fix="copy the image into the workshop folder, correct the name, or remove the line",
        )


# Per field: an example line (for missing keys) and what a valid value looks like.
_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("id: north", "use lower-case letters, digits and '-' (at most 63), e.g. north"),
    "client": ("client: Acme Analytics", "write the client's name as text"),
    "title": ("title: Knowing our customers", "write the title as text"),
    "facilitator": ("facilitator: Marta Kovač", "write the facilitator's name as text"),
    "name": ("name: Customer Success", "write the team's display name as text"),
    "date": ("date: 2026-11-18", "write the date as YYYY-MM-DD, e.g. 2026-11-18"),
    "language": ("language: en", "write a language tag, e.g. en or pt-BR"),
    "members": ("members: [Lena Park, Tomás Ruiz]", "list names, e.g. [Lena Park, Tomás Ruiz]"),
    "teams": ("teams: []", "list teams with id and name, or run 'playbook teams import'"),
    "exercises": ("exercises: [empathy_audit]", "list exercise ids, e.g. [empathy_audit]"),
    "branding": ("branding: {accent: '#1f5f8b'}", "give logo and/or accent under branding"),
    "logo": ("logo: logo.svg", "give an image file inside the workshop folder"),
    "accent": ('accent: "#1f5f8b"', 'write a quoted hex colour, e.g. "#1f5f8b" (# alone '
               "starts a comment)"),
    "settings": ("settings: {fit_assessment: {revenue_ceiling: 20}}",
                 "map an exercise id to its settings and values, e.g. {fit_assessment: {revenue_ceiling: 20}}"),
}


# Keys someone may write to point a workshop at a database: refused with the way that works.
_STORE_KEYS = {"store", "store_url", "database", "database_url", "db", "db_url", "url", "password",
               "postgres", "postgresql", "playbook_store_url"}


def _from_validation(exc: ValidationError, doc: yamlio.Located) -> WorkshopError:
    """yamlio's located error, plus a fix that fits the field and the kind of mistake."""
    base = yamlio.from_validation(exc, doc, WorkshopError)
    first = exc.errors(include_url=False)[0]
    loc = [p for p in first["loc"] if isinstance(p, str | int)]
    name = "settings" if loc[:1] == ["settings"] else next((p for p in reversed(loc) if isinstance(p, str)), "")
    example, rule = _FIELDS.get(name, ("", "see the comments in a starter from 'playbook init'"))
    what = base.what.removeprefix("Value error, ")
    if first["type"] == "extra_forbidden" and len(loc) == 1 and str(loc[0]).lower() in _STORE_KEYS:
        what = "the answers store is not set in workshop.yml (it is copied and shared, and would carry a password)"
        fix = ("remove the line; set PLAYBOOK_STORE_URL in the environment of 'playbook serve' and give "
               "the password in PGPASSWORD or ~/.pgpass")
    elif first["type"] == "extra_forbidden":
        model: type[BaseModel] = Workshop
        if loc[:1] == ["branding"]:
            model = Branding
        elif loc[:1] == ["teams"] and len(loc) > 2:
            model = Team
        fix = f"remove it or correct the spelling; allowed here: {', '.join(model.model_fields)}"
    elif first["type"] == "missing":
        fix = f"add it, e.g. {example}"
    else:
        fix = rule
    return WorkshopError(what, file=base.file, line=base.line, field=base.field, fix=fix)


# --- writing ----------------------------------------------------------------------------


def write_config(path: str | Path, text: str, *, exclusive: bool = False) -> Workshop:
    """Validate `text` as the workshop.yml at `path`, then write it atomically.

    The text goes to a temporary file in the same folder which then replaces `path` in one
    step, so a crash leaves the old file or the new one, never half of one. `exclusive`
    refuses to replace an existing file (`playbook init`).
    """
    p = Path(path)
    ws = parse(text, p)
    try:
        fsio.write_atomic(p, text, mode=None, exclusive=exclusive, make_folder=False)  # keeps the user's permissions
    except FileExistsError:
        raise _exists(p) from None
    except OSError as exc:
        raise WorkshopError(
            f"cannot write the file: {exc.strerror}", file=p,
            fix="check that the folder exists and is writable, and that the disk has space",
        ) from None
    return ws


def _exists(path: Path) -> WorkshopError:
    return WorkshopError(
        "workshop.yml already exists; refusing to overwrite it", file=path,
        fix="edit it instead, or choose a new folder for a new workshop",
    )
