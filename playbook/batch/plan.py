"""The plan of a report batch: every check first, then one `Job` per report.

`plan` validates everything a batch needs before anything is written or any kernel starts:
the formats and paper size, the notebooks (a `parameters` cell declaring the contract's names
and `answers`), each workshop folder and its workshop.yml, the teams asked for, and every
answers file or store. It reads each workshop's answers once; each job gets the part it renders
as an answers snapshot (`playbook.answers.snapshot`, named by its SHA-256), which the runner
writes before the jobs run. A job's `inputs` hash covers its snapshot, notebook, definitions,
workshop settings, parameters, branding and kit version: the manifest compares it to skip
unchanged reports. A batch speaks each workshop's language, or `language` for all of them
(`--language`): the notebooks get it as their `language` parameter, and the titles, page
bands and branding the batch writes itself are in it too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbook import i18n, paths
from playbook.answers import snapshot
from playbook.answers.format import Answers
from playbook.answers.results import load_answers
from playbook.batch.jobs import Job
from playbook.errors import PlaybookError
from playbook.i18n import _
from playbook.i18n.formats import date as local_date
from playbook.publish.handouts import FORMATS, branding
from playbook.publish.pdf import PAPERS
from playbook.version import __version__
from playbook.workshop import Folder

TEAM_NOTEBOOK, SUMMARY_NOTEBOOK = "team_report.ipynb", "workshop_summary.ipynb"
CONTRACT = ("workshop", "team", "mode", "language")  # every notebook's parameters (notebooks/README.md)
SNAPSHOT = "answers"  # the parameter naming the answers snapshot a report notebook reads
SUMMARY_STEM = "workshop-summary"
_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=")  # `name = literal` (papermill reads it so too)


@dataclass(frozen=True)
class WorkshopPlan:
    """One workshop of the batch: its folder (workshop.yml parsed once) and the snapshots its jobs read."""

    folder: Folder
    root: Path  # the folder, absolute: `Job.folder` of its jobs
    snapshots: dict[str, bytes] = field(default_factory=dict)  # SHA-256 -> its bytes, until the runner writes it
    language: str = ""  # the batch's `--language`; empty: the workshop's own


@dataclass(frozen=True)
class Plan:
    workshops: list[WorkshopPlan]
    jobs: list[Job]
    formats: tuple[str, ...]
    paper: str


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    bad = [f for f in found if f not in FORMATS]
    if bad or not found:
        raise PlaybookError(f"unknown report format {', '.join(bad) or '(none)'}", field="formats",
                            fix="use html, pdf or html,pdf (a PDF keeps its HTML, the page it is printed from)")
    return found


def check_paper(paper: str) -> str:
    if paper not in PAPERS:
        raise PlaybookError(f"unknown paper size {paper!r}", field="paper", fix=f"use one of: {', '.join(PAPERS)}")
    return paper


def check_notebook(path: Path) -> bytes:
    """The notebook's bytes, once it is known to declare the parameters a report job injects."""
    try:
        data = path.read_bytes()
        cells = json.loads(data)["cells"]
    except FileNotFoundError:
        raise PlaybookError("notebook not found", file=path, fix="reinstall the kit, or pass a notebook that exists") \
            from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PlaybookError(f"not a readable notebook: {exc}", file=path, fix="save it again from Jupyter") from None
    tagged = [c for c in cells if isinstance(c, dict) and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        raise PlaybookError("the notebook has no cell tagged 'parameters'", file=path,
                            fix=f"tag the cell that sets {', '.join((*CONTRACT, SNAPSHOT))} with 'parameters'")
    source = tagged[0].get("source", "")
    lines = source.splitlines() if isinstance(source, str) else "".join(source).splitlines()
    declared = {m.group(1) for m in map(_ASSIGNMENT.match, lines) if m}
    missing = [p for p in (*CONTRACT, SNAPSHOT) if p not in declared]
    if missing:
        raise PlaybookError(f"the parameters cell does not set {', '.join(missing)}", file=path,
                            fix=f"add one line per parameter, e.g. {missing[0]} = \"\" (a one-line literal)")
    return data


def _hash(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def plan(
    folders: Sequence[str | Path], *, teams: Sequence[str] = (), formats: Sequence[str] = ("html",),
    paper: str = "a4", team_notebook: Path | None = None, summary_notebook: Path | None = None, timeout: int = 600,
    language: str = "",
) -> Plan:
    """Every job of the batch; raises PlaybookError, naming file, line, team or field, before anything runs."""
    formats = check_formats(formats)
    paper = check_paper(paper)
    if language:
        language = i18n.language(language).tag  # a LanguageError listing the languages there are
    nb_dir = paths.bundled("notebooks")
    team_nb = Path(team_notebook or nb_dir / TEAM_NOTEBOOK).resolve()
    summary_nb = Path(summary_notebook or nb_dir / SUMMARY_NOTEBOOK).resolve()
    nb_bytes = {nb: check_notebook(nb) for nb in (team_nb, summary_nb)}
    bundled = team_notebook is None and summary_notebook is None  # kernels warm up for the kit's report code

    seen: dict[Path, Folder] = {}
    for f in folders:
        folder = Folder(f)
        seen.setdefault(folder.path.resolve(), folder)
    if not seen:
        raise PlaybookError("no workshop folder given", fix="pass one or more folders that hold workshop.yml")
    for t in teams:
        if not any(t in {x.id for x in fo.config.teams} for fo in seen.values()):
            known = sorted({x.id for fo in seen.values() for x in fo.config.teams})
            raise PlaybookError(f"no team {t!r} in {'this workshop' if len(seen) == 1 else 'these workshops'}",
                                team=t, fix=f"teams are: {', '.join(known) or 'none yet'}")
    workshops = [WorkshopPlan(folder, path, language=language) for path, folder in seen.items()]
    # Every answers file is read, checked and let go before the first job is made: the jobs,
    # which live as long as the batch, then take fresh memory, not the gaps the answers leave.
    taken = [_take_snapshots(ws, teams) for ws in workshops]

    jobs: list[Job] = []
    for n, (ws, sha_of) in enumerate(zip(workshops, taken, strict=True)):
        folder, path = ws.folder, ws.root
        with folder.speaking(language) as lang:  # titles, dates and page bands in the reports' language
            c = folder.config
            exercises = folder.exercises(lang.tag)
            wid = folder.workshop_id
            base = branding(folder, paper)
            shared = _hash(c.model_dump_json(), "".join(ex.model_dump_json() for ex in exercises))
            provenance = {"kit": __version__, "workshop": wid, "definitions": {ex.id: ex.version for ex in exercises}}
            header = {"client": c.client, "title": c.title, "date": local_date(c.date), "language": lang.tag}
            reports, notebooks, snapshots = (d.resolve() for d in (folder.reports_dir, folder.notebooks_dir,
                                                                   folder.snapshots_dir))

            specs: list[tuple[str | None, str | None, Path, str, str]] = [
                (t.id, t.name, team_nb, f"team-{t.id}",
                 _("%(client)s: %(team)s") % {"client": c.client, "team": t.name}) for t in c.teams if t.id in sha_of]
            if None in sha_of:
                specs.append((None, None, summary_nb, SUMMARY_STEM,
                              _("%(client)s: workshop summary") % {"client": c.client}))
            for team, name, notebook, stem, title in specs:
                sha = sha_of[team]
                params = {"workshop": str(path), "team": team or "", "mode": "report", "language": language,
                          SNAPSHOT: str(snapshot.path(snapshots, sha))}
                meta = {**base, "team": name or _("All teams"),
                        "provenance": {**provenance, "team": team, "notebook": notebook.name, "answers": sha,
                                       "parameters": params}}
                key = f"{wid}/{team or '-'}/{notebook.name}"
                html = reports / f"{stem}.html"
                jobs.append(Job(
                    id=f"{n}:{key}", key=key, workshop=wid, folder=path, team=team, team_name=name, title=title,
                    notebook=notebook, parameters=params, answers=sha,
                    inputs=_hash(sha, nb_bytes[notebook], _json(meta), shared), metadata=meta, html=html,
                    ipynb=notebooks / f"{stem}.ipynb",
                    pdf=html.with_suffix(".pdf") if "pdf" in formats else None,
                    header={**header, "team": name or _("all teams")}, cwd=nb_dir, timeout=timeout, warm=bundled,
                ))
    return Plan(workshops, jobs, formats, paper)


def _take_snapshots(ws: WorkshopPlan, teams: Sequence[str]) -> dict[str | None, str]:
    """Read and check the workshop's answers and take each report's snapshot into `ws.snapshots`;
    returns the SHA-256 of each team's snapshot, and under None the summary's (when every team
    is built). The answers are let go on return: 1,000 teams of the example take about 45 MB."""
    answers = load_answers(ws.folder)
    c = ws.folder.config
    given: dict[str | None, Answers] = {t.id: {t.id: answers[t.id]} if t.id in answers else {}
                                        for t in c.teams if not teams or t.id in teams}
    if not teams:
        given[None] = {t.id: answers[t.id] for t in c.teams if t.id in answers}
    taken: dict[str | None, str] = {}
    for team, part in given.items():
        data, sha = snapshot.encode(part)
        ws.snapshots[sha] = data
        taken[team] = sha
    return taken
