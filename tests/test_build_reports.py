"""`playbook.build_reports`, the one report pipeline: its typed result, validation before any
worker starts, papermill's parameters and the kit's provenance in every executed notebook, the
answers snapshot a report renders, the paper size, the executor registry, and the CLI and the
demo both going through it.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

import playbook
from playbook import paths
from playbook.answers.store import Store
from playbook.answers.transfer import import_file
from playbook.batch.executors import Executor, LocalExecutor, executors, start_worker
from playbook.batch.jobs import BatchResult, Job, JobError, JobResult, Outcome
from playbook.batch.manifest import entries
from playbook.batch.runner import build_reports
from playbook.errors import PlaybookError
from playbook.workshop import Folder

NEW_CLIENT = "Changed Mid-Batch Ltd"


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    return paths.copy_example(tmp_path / "acme")


class Recorder:
    """An executor that runs nothing and remembers what it was asked."""

    def __init__(self, workers: int = 1) -> None:
        self.calls: list[str] = []

    def prepare(self) -> None:
        self.calls.append("prepare")

    def run(self, jobs: Sequence[Job], done: Callable[[Outcome], None]) -> None:
        self.calls.append("run")


def test_the_public_api_is_lazy_and_is_the_pipeline() -> None:
    code = "import sys, playbook; print(sorted(m for m in sys.modules if m.startswith(('playbook', 'pydantic', 'nbformat', 'sqlalchemy'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['playbook', 'playbook.version']"  # nothing but the package itself until a name is used
    assert playbook.build_reports is build_reports and playbook.BatchResult is BatchResult
    assert playbook.Folder is Folder and playbook.Store is Store
    assert {"Folder", "Store", "score_folder", "build_reports", "build_handouts", "serve"} <= set(playbook.__all__)


def test_the_executor_registry_rejects_an_unknown_name() -> None:
    with pytest.raises(PlaybookError, match="unknown executor 'ray'") as exc:
        executors.factory("ray")
    assert exc.value.field == "executor" and "local" in (exc.value.fix or "")
    local = executors.create("local", workers=3)
    assert isinstance(local, LocalExecutor) and isinstance(local, Executor) and local.workers == 3
    assert isinstance(Recorder(), Executor)


def _bad_answers(ws: Path) -> dict:
    (ws / "answers" / "zz_typo.yml").write_text(
        "format: playbook-answers/1\nteams:\n  north:\n    fit_assessment:\n      gut_call: 9\n", encoding="utf-8")
    return {}


def _bad_workshop(ws: Path) -> dict:
    text = (ws / "workshop.yml").read_text(encoding="utf-8")
    (ws / "workshop.yml").write_text(text.replace("date: ", "date: 2026-13-45 #", 1), encoding="utf-8")
    return {}


def _old_notebook(ws: Path) -> dict:
    """A report notebook that would read the live store: no `answers` parameter."""
    nb = json.loads((paths.bundled("notebooks") / "team_report.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = [line for line in cell["source"] if not line.startswith("answers")]
    (ws / "old.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return {"team_notebook": ws / "old.ipynb"}


@pytest.mark.parametrize(
    ("break_it", "options", "message", "where"),
    [
        (_bad_answers, {}, "9 is out of range", {"line": 5, "team": "north", "field": "fit_assessment.gut_call"}),
        (_bad_workshop, {}, "date", {"file": "workshop.yml"}),
        (_old_notebook, {}, "the parameters cell does not set answers", {"file": "old.ipynb"}),
        (None, {"teams": ["west"]}, "no team 'west'", {"team": "west"}),
        (None, {"formats": ["docx"]}, "unknown report format docx", {"field": "formats"}),
        (None, {"paper": "a5"}, "unknown paper size 'a5'", {"field": "paper"}),
        (None, {"executor": "cluster"}, "unknown executor 'cluster'", {"field": "executor"}),
    ],
    ids=["answers", "workshop.yml", "notebook", "team", "format", "paper", "executor"],
)
def test_validation_fails_before_any_worker_starts(workshop: Path, monkeypatch: pytest.MonkeyPatch, break_it,
                                                   options: dict, message: str, where: dict) -> None:
    def no_worker(self, first):  # type: ignore[no-untyped-def]
        raise AssertionError(f"a worker started for {first.key}")

    monkeypatch.setattr(LocalExecutor, "_spawn", no_worker)
    options = {**options, **(break_it(workshop) if break_it else {})}
    with pytest.raises(PlaybookError, match=message) as exc:
        build_reports([workshop], **options)
    for attr, value in where.items():
        got = getattr(exc.value, attr)
        assert (got.endswith(value) if attr == "file" else got == value), (attr, got)
    assert not (workshop / "out").exists()  # nothing written either

    recorder = Recorder()
    if "executor" not in options:
        with pytest.raises(PlaybookError, match=message):
            build_reports([workshop], **options, executor=recorder)
        assert "run" not in recorder.calls


def test_an_executor_gets_typed_jobs_and_the_result_is_typed(workshop: Path) -> None:
    class Fake(Recorder):
        def run(self, jobs: Sequence[Job], done: Callable[[Outcome], None]) -> None:
            super().run(jobs, done)
            self.jobs = list(jobs)
            for job in jobs:
                if job.team == "summit":
                    done(Outcome(job.id, "failed", 0.5, 1, JobError(f"{job.where()}, cell 2: boom", "cell", 2)))
                else:
                    job.html.parent.mkdir(parents=True, exist_ok=True)
                    job.html.write_text(f"<html>{job.title}</html>", encoding="utf-8")
                    done(Outcome(job.id, "ok", 0.25, 1, None, (job.html,)))

    fake = Fake()
    seen: list[tuple[int, int, JobResult | None]] = []
    result = build_reports([workshop], executor=fake, progress=lambda d, t, r: seen.append((d, t, r)))
    assert fake.calls == ["prepare", "run"]
    assert [j.team for j in fake.jobs] == ["north", "harbour", "summit", "delta", None]
    north = fake.jobs[0]
    assert north.team_name == "Customer Success" and north.title == "Acme Analytics: Customer Success"
    assert north.header == {"client": "Acme Analytics", "title": north.metadata["title"], "date": "2026-11-18",
                            "team": "Customer Success", "language": "en"}
    assert north.metadata["provenance"]["definitions"] == {"empathy_audit": 2, "fit_assessment": 2, "enablement": 2}

    assert isinstance(result, BatchResult) and not result.ok and result.count("ok") == 4
    failed = result.failed[0]
    assert isinstance(failed, JobResult) and failed.team == "summit" and failed.error == JobError(
        "workshop 'acme', team 'summit', notebook team_report.ipynb, cell 2: boom", "cell", 2)
    assert result.jobs[0].outputs == (north.html,) and result.jobs[0].duration == 0.25
    assert result.manifests == [workshop / "out" / "manifest.json"]
    assert result.indexes == [workshop.resolve() / "out" / "reports" / "index.html"]
    assert [(d, t) for d, t, _ in seen] == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    index = result.indexes[0].read_text(encoding="utf-8")
    assert "Customer Success" in index and "Enterprise Sales" not in index  # summit failed: no report to list
    # every job's snapshot is on disk, named by the hash the manifest records
    for entry in entries(workshop):
        if entry["status"] == "ok":
            data = (workshop / "out" / "snapshots" / f"{entry['answers']}.json").read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["answers"]


@pytest.mark.slow
def test_a_report_renders_its_snapshot_with_papermill_parameters_and_provenance(workshop: Path) -> None:
    folder = Folder(workshop)
    with Store.for_folder(folder) as store:
        for f in sorted(folder.answers_dir.glob("*.yml")):
            import_file(store, f, author="test")

    class ChangeTheStoreFirst(LocalExecutor):
        """Saves a new answer once the batch has taken its snapshot, before any report runs."""

        def run(self, jobs: Sequence[Job], done: Callable[[Outcome], None]) -> None:
            with Store.for_folder(folder) as store:
                store.save("north", "fit_assessment", "client_name", NEW_CLIENT, author="test")
            super().run(jobs, done)

    result = build_reports([workshop], teams=["north"], paper="letter", executor=ChangeTheStoreFirst(workers=1))
    assert result.ok, result.text()
    job = result.jobs[0].job
    html = job.html.read_text(encoding="utf-8")
    assert "Halden Grid" in html and NEW_CLIENT not in html  # the answers as planned, not as saved since
    assert "@page { size: letter; }" in html  # --paper reaches the HTML's print layout

    nb = json.loads(job.ipynb.read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"] == job.parameters
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and "answers = " in "".join(injected[0]["source"])
    provenance = nb["metadata"]["playbook"]["provenance"]
    (entry,) = entries(workshop)
    assert provenance["answers"] == entry["answers"] == job.answers
    assert provenance["parameters"] == job.parameters and provenance["team"] == "north"
    assert provenance["kit"] == playbook.__version__ and provenance["workshop"] == "acme" and provenance["executed"]
    assert nb["metadata"]["playbook"]["paper"] == "letter" and nb["metadata"]["playbook"]["team"] == "Customer Success"
    snapshot = Path(job.parameters["answers"])
    assert hashlib.sha256(snapshot.read_bytes()).hexdigest() == job.answers
    assert json.loads(snapshot.read_bytes())["teams"]["north"]["fit_assessment"]["client_name"] == "Halden Grid"

    again = build_reports([workshop], teams=["north"], paper="letter", jobs=1)  # the store changed: rebuilt
    assert [r.status for r in again.jobs] == ["ok"] and again.jobs[0].job.answers != job.answers
    assert NEW_CLIENT in again.jobs[0].job.html.read_text(encoding="utf-8")
    assert not snapshot.exists()  # a snapshot no recorded report rendered is removed
    assert [r.status for r in build_reports([workshop], teams=["north"], paper="letter").jobs] == ["skipped"]


def test_the_demo_goes_through_build_reports(workshop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook import demo
    from playbook.batch import runner
    from playbook.publish import handouts, pdf

    calls: dict = {}

    class Printer:
        def __init__(self, paper: str) -> None:
            calls["paper"] = paper

        def __enter__(self) -> Printer:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    def fake_reports(folders, **kw):  # type: ignore[no-untyped-def]
        calls["reports"] = (folders, kw)
        return BatchResult(indexes=[Path(folders[0]) / "out" / "reports" / "index.html"])

    def fake_handouts(folder, **kw):  # type: ignore[no-untyped-def]
        calls["handouts"] = kw
        return handouts.Built()

    monkeypatch.setattr(pdf, "PdfPrinter", Printer)
    monkeypatch.setattr(runner, "build_reports", fake_reports)
    monkeypatch.setattr(handouts, "build", fake_handouts)
    index, _ = demo.publish(Folder(workshop))
    folders, kw = calls["reports"]
    assert folders == [workshop] and kw["formats"] == ("html", "pdf") and isinstance(kw["printer"], Printer)
    assert calls["handouts"]["printer"] is kw["printer"]  # one browser for reports and handouts
    assert index == workshop / "out" / "reports" / "index.html"
    assert demo.results_table.__module__ == "playbook.publish.tables"  # not the CLI's


def test_the_cli_does_not_reach_into_the_engine_the_other_way() -> None:
    """The engine never imports the CLI: the demo and the report code use playbook.publish.tables."""
    code = ("import sys, playbook.demo, playbook.publish.report, playbook.batch.runner; "
            "print([m for m in sys.modules if m.startswith('playbook.cli')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_closing_the_pool_with_a_report_still_running_tells_its_worker_to_stop() -> None:
    """What a second Ctrl-C, or an error while reports run, leaves `close()` to do: the busy
    worker is told to stop after its report (a worker stops when it receives None) and joined."""
    pool = LocalExecutor(workers=1)
    worker, conn = start_worker(None, None)  # a worker without a kernel: it waits until it is told something
    pool.busy[conn] = (worker, None)  # type: ignore[assignment]  # busy, as far as the pool knows
    pool.close()
    assert worker.exitcode == 0  # it was told (and not terminated) ...
    assert pool.busy == {} and pool.idle == [] and pool.retired == []  # ... and nothing is left
