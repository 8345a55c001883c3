"""`playbook report`: help with examples, user errors, and the exit status of a batch."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from playbook.batch.jobs import BatchResult, JobError, JobResult
from playbook.batch.plan import plan
from playbook.cli import report as report_cmd
from playbook.errors import PlaybookError
from playbook.paths import example


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(report_cmd.report, ["--help"])
    assert result.exit_code == 0
    for text in ("Example:", "playbook report examples/acme", "--jobs", "--team", "--force", "manifest.json",
                 "--executor", "local", "dask", "--scheduler", "--collect"):
        assert text in result.output


def test_unknown_team_is_a_user_error() -> None:
    with pytest.raises(PlaybookError, match="no team 'west'"):
        report_cmd.report.main([str(example("acme")), "--team", "west"], standalone_mode=False)


def test_unknown_executor_is_a_user_error() -> None:
    with pytest.raises(PlaybookError, match="unknown executor 'cluster'") as exc:
        report_cmd.report.main([str(example("acme")), "--executor", "cluster"], standalone_mode=False)
    assert "local" in (exc.value.fix or "")


@pytest.mark.parametrize(("status", "code"), [("ok", 0), ("skipped", 0), ("failed", 1)])
def test_exit_status_follows_the_jobs(monkeypatch: pytest.MonkeyPatch, status: str, code: int) -> None:
    seen = {}

    job = plan([example("acme")], teams=["north"]).jobs[0]

    def fake(folders, **kw):  # type: ignore[no-untyped-def]
        seen.update(kw, folders=folders)
        err = JobError("workshop 'acme', team 'north', notebook team_report.ipynb, cell 3: boom", "cell", 3)
        return BatchResult([JobResult(job, status, 1.0, (), err if status == "failed" else None, 1)], 1.0)

    monkeypatch.setattr(report_cmd, "build_reports", fake)
    result = CliRunner().invoke(report_cmd.report, ["a", "b", "-j", "3", "--team", "north", "--force", "-q",
                                                    "--paper", "letter", "--language", "fr"])
    assert result.exit_code == code, result.output
    assert seen == {"folders": ["a", "b"], "jobs": 3, "teams": ("north",), "force": True, "progress": None,
                    "formats": ("html",), "paper": "letter", "executor": "local", "language": "fr",
                    "scheduler": None, "collect": False}
    assert "1 report: " in result.output
    assert ("cell 3: boom" in result.output) == (status == "failed")
