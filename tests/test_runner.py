"""Batch reports: skip and force, failure isolation, the manifest, dead kernels, isolation
between teams on one warm kernel, and a run killed midway. Every test writes into a copy of
the example workshop; most use tiny notebooks built here so they stay quick.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batches import INTERRUPTED, assert_whole, interrupt_report, make_notebook, no_temp_files

from playbook import fsio, paths, startup
from playbook.batch.manifest import entries as manifest_entries
from playbook.batch.plan import plan
from playbook.batch.runner import build_reports
from playbook.errors import PlaybookError

TEAMS = ["north", "harbour", "summit", "delta"]


@pytest.fixture
def workshop(example_copy: Path) -> Path:
    return example_copy


def by_team(result) -> dict:
    return {r.team: r for r in result.jobs}


def test_unknown_team_is_refused_before_anything_runs(workshop: Path) -> None:
    with pytest.raises(PlaybookError, match="no team 'nowhere'") as exc:
        plan([workshop], teams=["nowhere"])
    assert exc.value.team == "nowhere" and "north" in (exc.value.fix or "")
    assert not (workshop / "out").exists()


def test_plan_lists_team_reports_and_one_summary(workshop: Path) -> None:
    jobs = plan([workshop, workshop / "workshop.yml"]).jobs  # the same workshop twice counts once
    assert [j.team for j in jobs] == [*TEAMS, None]
    assert [j.notebook.name for j in jobs] == ["team_report.ipynb"] * 4 + ["workshop_summary.ipynb"]
    snapshot = workshop.resolve() / "out" / "snapshots" / f"{jobs[0].answers}.json"
    assert jobs[0].parameters == {"workshop": str(workshop.resolve()), "mode": "report", "language": "",
                                  "team": "north", "answers": str(snapshot)}
    assert jobs[0].team_name == "Customer Success" and jobs[0].header["team"] == "Customer Success"
    only = plan([workshop], teams=["summit"]).jobs
    assert [j.team for j in only] == ["summit"]


def test_plan_keeps_two_workshops_of_the_same_name_apart(workshop: Path, tmp_path: Path) -> None:
    other = paths.copy_example(tmp_path / "elsewhere" / "acme")
    jobs = plan([workshop, other], teams=["north"]).jobs
    assert len({j.id for j in jobs}) == 2 and {j.key for j in jobs} == {"acme/north/team_report.ipynb"}
    assert {j.html.parent.parent.parent for j in jobs} == {workshop.resolve(), other.resolve()}


@pytest.mark.slow
def test_reports_are_built_then_skipped_when_unchanged(workshop: Path) -> None:
    first = build_reports([workshop], jobs=2)
    assert first.ok, first.text()
    assert sorted(r.status for r in first.jobs) == ["ok"] * 5
    html = (workshop / "out" / "reports" / "team-north.html").read_text(encoding="utf-8")
    assert "Customer Success" in html and "Team report" in html and "<img" in html and 'alt="' in html
    assert "show_team" not in html  # code is hidden
    assert (workshop / "out" / "reports" / "workshop-summary.html").is_file()
    manifest = json.loads((workshop / "out" / "manifest.json").read_text())
    assert manifest["format"] == "playbook-manifest/1" and len(manifest["jobs"]) == 5
    entry = next(e for e in manifest["jobs"] if e["team"] == "north")
    assert entry["status"] == "ok" and entry["notebook"] == "team_report.ipynb" and entry["error"] is None
    assert entry["outputs"] == ["out/reports/team-north.html", "out/notebooks/team-north.ipynb"]
    assert entry["duration"] > 0 and entry["workshop"] == "acme"

    again = build_reports([workshop], jobs=2)
    assert [r.status for r in again.jobs] == ["skipped"] * 5

    assert no_temp_files(workshop) == []


@pytest.mark.slow
def test_one_failing_team_does_not_stop_the_others(workshop: Path, tmp_path: Path) -> None:
    nb = make_notebook(tmp_path / "report.ipynb", "print(team)",
                       'if team == "summit":\n    raise ValueError(f"no report for {team}")')
    result = build_reports([workshop], jobs=1, team_notebook=nb, summary_notebook=nb)
    teams = by_team(result)
    assert teams["summit"].status == "failed"
    assert all(teams[t].status == "ok" for t in ("north", "harbour", "delta", None))
    err = teams["summit"].error
    assert err.cell == 3 and err.ename == "ValueError" and err.kind == "cell"
    assert err.message == ("workshop 'acme', team 'summit', notebook report.ipynb, cell 3: "
                           "ValueError: no report for summit")
    assert not (workshop / "out" / "reports" / "team-summit.html").exists()
    assert (workshop / "out" / "notebooks" / "team-summit.ipynb").is_file()  # to read the traceback
    entry = next(e for e in manifest_entries(workshop) if e["team"] == "summit")
    assert entry["status"] == "failed" and entry["error"]["cell"] == 3
    assert "summit" in result.text() and not result.ok

    # a failed job is never skipped; changed answers rebuild that team and the summary only
    answers = workshop / "answers" / "fit_assessment.yml"
    answers.write_text(answers.read_text().replace("meetings_held: 14", "meetings_held: 15"))  # north's
    again = build_reports([workshop], jobs=1, team_notebook=nb, summary_notebook=nb)
    assert {t: r.status for t, r in by_team(again).items()} == {
        "north": "ok", "harbour": "skipped", "summit": "failed", "delta": "skipped", None: "ok"}
    forced = build_reports([workshop], jobs=1, teams=["harbour"], force=True, team_notebook=nb)
    assert [(r.team, r.status) for r in forced.jobs] == [("harbour", "ok")]
    assert len(manifest_entries(workshop)) == 5  # the jobs left out stay recorded
    assert no_temp_files(workshop) == []


@pytest.mark.slow
def test_teams_are_isolated_on_a_reused_kernel_that_has_the_kits_settings(workshop: Path, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    nb = make_notebook(
        tmp_path / "leaky.ipynb",
        "import gc, os, random, sys, matplotlib, numpy as np\n"
        f"assert gc.get_threshold() == {startup.THRESHOLDS!r}, gc.get_threshold()  # the kit's own process\n"
        "assert sys.modules['rfc3987_syntax'] is None\n"
        f"open(os.path.join({str(pids)!r}, team or 'summary'), 'w').write(str(os.getpid()))",
        'assert "LEAK" not in globals(), f"global from {LEAK} seen by {team}"\n'
        'assert "PLAYBOOK_LEAK" not in os.environ, os.environ["PLAYBOOK_LEAK"]\n'
        'assert matplotlib.rcParams["lines.linewidth"] != 7.5\n'
        f'assert os.getcwd() == {str(paths.bundled("notebooks").resolve())!r}, os.getcwd()\n'
        "draw = (random.random(), float(np.random.random()))\n"
        f"seen = os.path.join({str(pids)!r}, 'draws')\n"
        "if os.path.exists(seen):\n"
        "    assert open(seen).read() == repr(draw), 'random state leaked'\n"
        "open(seen, 'w').write(repr(draw))",
        'LEAK = team\nos.environ["PLAYBOOK_LEAK"] = team\nmatplotlib.rcParams["lines.linewidth"] = 7.5\n'
        'os.chdir("/")\nrandom.seed(team)\nnp.random.seed(len(team))',
    )
    result = build_reports([workshop], jobs=1, team_notebook=nb, summary_notebook=nb)
    assert result.ok, result.text()
    assert len({p.read_text() for p in pids.iterdir() if p.name != "draws"}) == 1  # one kernel ran all five


@pytest.mark.slow
def test_a_dead_kernel_is_replaced_and_the_job_retried(workshop: Path, tmp_path: Path) -> None:
    marker = tmp_path / "died-once"
    nb = make_notebook(
        tmp_path / "fragile.ipynb",
        "import os\n"
        f'if team == "harbour" and not os.path.exists({str(marker)!r}):\n'
        f"    open({str(marker)!r}, 'w').close()\n"
        "    os._exit(1)\n"
        'if team == "summit":\n'
        "    os._exit(1)",
    )
    result = build_reports([workshop], jobs=1, team_notebook=nb, summary_notebook=nb)
    teams = by_team(result)
    assert teams["harbour"].status == "ok" and teams["harbour"].attempts == 2
    assert teams["summit"].status == "failed" and teams["summit"].attempts == 2
    assert teams["summit"].error.kind == "dead" and "team 'summit'" in teams["summit"].error.message
    assert teams["delta"].status == "ok" and teams["north"].attempts == 1  # later jobs get a fresh kernel


def test_a_kernel_that_does_not_start_is_tried_three_times(workshop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from playbook.batch import worker

    monkeypatch.setattr(worker, "START_BACKOFF", 0.0)
    starts = []
    real = worker.Worker._shutdown
    monkeypatch.setattr(worker.Worker, "_shutdown", lambda self, client: starts.append(1) or real(self, client))
    job = plan([workshop], teams=["north"]).jobs[0]
    w = worker.Worker(kernel_name="playbook-no-such-kernel")
    try:
        outcome = w.run(job)
    finally:
        w.close()
    assert outcome.status == "failed" and outcome.error.kind == "kernel" and len(starts) == 3
    assert outcome.error.message.startswith("workshop 'acme', team 'north', notebook team_report.ipynb: "
                                               "the kernel did not start after 3 tries")


@pytest.mark.slow
def test_a_cell_that_runs_too_long_fails_its_job_only(workshop: Path, tmp_path: Path) -> None:
    nb = make_notebook(tmp_path / "stuck.ipynb", "import time",
                       'if team == "north":\n    time.sleep(60)')
    result = build_reports([workshop], jobs=1, teams=["north", "harbour"], team_notebook=nb, timeout=2)
    teams = by_team(result)
    assert teams["north"].status == "failed" and teams["north"].attempts == 1
    assert teams["north"].error.kind == "timeout" and teams["north"].error.cell == 3
    assert teams["harbour"].status == "ok"


@pytest.mark.slow
def test_a_run_killed_midway_resumes_without_half_written_files(workshop: Path, tmp_path: Path) -> None:
    nb = make_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(0.5)\nprint('report for', team)")
    code = ("import sys; from pathlib import Path; from playbook import build_reports; "
            "build_reports([sys.argv[1]], jobs=1, team_notebook=Path(sys.argv[2]), summary_notebook=Path(sys.argv[2]))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(workshop), str(nb)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = workshop / "out" / "manifest.json"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if manifest.is_file() and '"status": "ok"' in manifest.read_text():
                break
            time.sleep(0.05)
        else:
            pytest.fail("the runner finished no job within a minute")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done_before = [e["team"] for e in manifest_entries(workshop) if e["status"] == "ok"]
    assert 0 < len(done_before) < 5  # killed midway
    for html in (workshop / "out" / "reports").glob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")  # never half written
    stale = workshop / "out" / "reports" / f"{fsio.TMP_PREFIX}team-north.html.x1y2"
    stale.write_text("<html><body>half")  # what a kill during a write leaves

    result = build_reports([workshop], jobs=1, team_notebook=nb, summary_notebook=nb)
    assert result.ok, result.text()
    statuses = by_team(result)
    assert all(statuses[t].status == "skipped" for t in done_before)
    assert sorted(p.name for p in (workshop / "out" / "reports").iterdir()) == sorted(
        [f"team-{t}.html" for t in TEAMS] + ["workshop-summary.html", "index.html"])
    assert no_temp_files(workshop) == []


@pytest.mark.slow
def test_ctrl_c_finishes_the_running_report_and_leaves_no_half_written_file(workshop: Path) -> None:
    proc = interrupt_report(workshop, "--jobs", "1")
    assert proc.returncode == 130 and INTERRUPTED in proc.stderr and "Traceback" not in proc.stderr
    entries = assert_whole(workshop)
    recorded = {e["team"] for e in entries if e["status"] == "ok"}
    assert 0 < len(recorded) < 5  # stopped midway
    on_disk = {p.stem.removeprefix("team-") for p in (workshop / "out" / "reports").glob("team-*.html")}
    assert on_disk == recorded  # the report running at Ctrl-C was finished and recorded, nothing else started
