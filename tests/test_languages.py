"""Every view of a workshop in its language, with no English left: the machinery, proven on a
throwaway language (tests/pseudo.py) in which every catalogue entry and every typed word is in
accented look-alikes, so any plain ASCII word in a page is English that escaped translation.

The reports, the summary, the handouts and the guide, the index page, the PDF page bands, the
presenter view, the charts and the widgets (worksheet, dashboard, presenter controls, timer)
are rendered in that language; `playbook report` runs it end to end in kernels. The real
languages get the same check with their real catalogues in test_translations.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pseudo
import pytest
from leftover import english, iter_texts, leftover
from matplotlib.text import Text

from playbook import i18n
from playbook.answers.store import Store
from playbook.publish import charts, handouts, pdf, presenter, printing, report
from playbook.workshop import Folder

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(scope="module")
def language(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The throwaway language, found through $PLAYBOOK_CATALOGUES for this module's tests."""
    root = pseudo.write_catalogues(tmp_path_factory.mktemp("catalogues"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(i18n.languages.ENV_CATALOGUES, str(root))
        yield pseudo.TAG


@pytest.fixture(scope="module")
def folder(language: str, tmp_path_factory: pytest.TempPathFactory) -> Folder:
    return Folder(pseudo.workshop(tmp_path_factory.mktemp("pseudo") / "acme", language))


def test_the_throwaway_language_is_found_from_its_catalogues_and_is_complete(language: str, folder: Folder) -> None:
    root = Path(os.environ[i18n.languages.ENV_CATALOGUES])
    assert i18n.languages.content_folders()[language].parent == root / "content"  # before the kit's own
    assert i18n.languages.message_files()[language].is_relative_to(root)
    assert folder.language == language
    from playbook.translations import check

    n, problems = check.definition_problems(language, Path(os.environ[i18n.languages.ENV_CATALOGUES]) / "content")
    assert n > 1000 and not problems  # every key there, placeholders kept: the check sees no gap
    n, problems = check.message_problems(language, Path(os.environ[i18n.languages.ENV_CATALOGUES]) / "locale")
    assert n > 200 and [p for p in problems if p.kind != "extra"] == []


def test_results_are_the_same_in_every_language(language: str, example_readonly: Path) -> None:
    """Answers are ids and scoring reads ids: a workshop scores alike whatever it is shown in."""
    from playbook.answers.results import load_answers
    from playbook.model import exercises
    from playbook.model import i18n as definitions
    from playbook.scoring import score

    folder = Folder(example_readonly)
    given = load_answers(folder)

    def outcome(ex: exercises.Exercise, answers: dict) -> tuple:
        res = score(ex, answers, folder.scoring_context(ex.id))
        return (res.overall, res.answered, res.band.id, res.recommendation.id, [f.id for f in res.flags],
                [d.score for d in res.dimensions], {k: m.value for k, m in res.metrics.items()})

    for ex in exercises.all_exercises():
        shown = definitions.translated(ex, language)
        assert shown.title != ex.title  # really another language
        for team in folder.config.teams:
            answers = given.get(team.id, {}).get(ex.id, {})
            assert outcome(shown, answers) == outcome(ex, answers), (ex.id, team.id)


def test_reports_summary_handouts_guide_index_and_bands_leave_no_english(folder: Folder) -> None:
    pages = {f"team {t.id}": report.narrative_html("team", folder) + "".join(report.team_html(folder, t.id))
             for t in folder.config.teams}
    pages["summary"] = report.narrative_html("summary", folder) + "".join(report.summary_html(folder))
    team = folder.config.teams[0].id
    pages["exercise"] = report.narrative_html("exercise", folder) + "".join(
        report.exercise_html(folder, ex, team) for ex in folder.config.exercises)
    pages["blank"] = report.exercise_html(folder, "enablement", team, mode="blank")
    built = handouts.build(folder, per_team=True, server="http://192.168.1.20:8866")
    pages |= {str(p.relative_to(folder.out)): p.read_text(encoding="utf-8") for p in built.html}
    index = printing.write_index(folder, [printing.Listed(None, None, folder.reports_dir / "workshop-summary.html")])
    pages["index"] = index.read_text(encoding="utf-8")
    with folder.speaking() as lang:
        pages["bands"] = "".join(pdf.bands({"client": "x", "title": "y", "team": "z", "language": lang.tag}))
        exs = folder.exercises()
        for n in range(0, len(presenter.agenda(exs)), 7):
            state = presenter.at(exs, n)
            shown = presenter.Progress([(presenter._labels(1)[0], 50.0)], 0, 1, 0)
            pages[f"presenter {n}"] = presenter.step_html(presenter.step_view(exs, state)) + \
                presenter.timer_html(state.timer, 0) + presenter.progress_html(shown)
        pages["presenter, no steps"] = presenter.step_html(None)
    assert 'lang="fr"' in pages["index"] and "18 novembre 2026" in pages["index"]  # the page's language; its date
    found = {name: left for name, page in pages.items() if (left := leftover(page))}
    assert not found, "\n".join(f"{name}: {w}" for name, left in found.items() for w in left[:5])


def test_charts_leave_no_english(folder: Folder) -> None:
    """Titles, axes, legends, labels and alternative texts of every kind of chart."""
    from playbook.model.exercises import rating_gaps
    from playbook.scoring import score

    texts = []
    with folder.speaking():
        for ex in folder.exercises():
            res = score(ex, {}, folder.scoring_context(ex.id))
            gap = rating_gaps(ex)[0].id if rating_gaps(ex) else ""
            figures = [charts.radar(res), charts.bars({"ɱ": None, "ñ": 40.0}),
                       charts.self_vs_evidence(res, gap), charts.gut_vs_evidence({"ţ": res}, gap)]
            if "raci" in ex.fields:
                figures.append(charts.raci_heatmap(ex, {}, "raci", "a"))
            for fig in figures:
                texts += [charts.alt_text(fig), *(t.get_text() for t in fig.findobj(Text))]
    left = english(texts)
    assert not left, left[:10]


def test_widgets_leave_no_english(folder: Folder, tmp_path: Path) -> None:
    """The worksheet (every step, a save, a conflict, a seal), the dashboard with its timer and
    presenter controls, and the presenter page, built as a served page builds them."""
    from widgets.dashboard import Dashboard
    from widgets.presenter import Presenter
    from widgets.worksheet import Worksheet

    with Store.for_folder(folder) as store, folder.speaking():
        sheet = Worksheet(folder, folder.config.teams[0].id, author="ţé", facilitator=True, store=store).build_all()
        form = sheet.form("fit_assessment")
        box = form.fields["client_name"]
        box.input.set("Ŵ")
        box._changed(True)
        sheet.flush()
        rev = store.save(sheet.team.id, "fit_assessment", "client_name", "Ž", author="ķ")
        box.conflicted(rev)
        seal = next(iter(form.seals.values()))
        seal.seal()
        seal.reveal()
        texts = list(iter_texts(sheet))
        assert "⚠" in box.status.value  # the conflict is shown
        board = Dashboard(folder, store=store)
        texts += list(iter_texts(board))
        texts += list(iter_texts(Presenter(folder, store=store)))
    left = english(texts)
    assert not left, left[:10]


@pytest.mark.slow
def test_playbook_report_in_kernels_leaves_no_english(language: str, folder: Folder, tmp_path: Path) -> None:
    """The command a consultant runs, end to end: notebooks in kernels, their narrative, the
    index page, in the language given by --language (the workshop's own is English here)."""
    work = pseudo.workshop(tmp_path / "acme", "en")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "report", str(work), "--language", language,
                           "--jobs", "1", "--quiet"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = sorted((work / "out" / "reports").glob("*.html"))
    assert len(pages) == 4  # two teams, the summary, the index
    team = (work / "out" / "reports" / "team-north.html").read_text(encoding="utf-8")
    assert pseudo.pseudo("Team report") in team and 'lang="fr"' in team  # the narrative, the page's language
    found = {p.name: left for p in pages if (left := leftover(p.read_text(encoding="utf-8")))}
    assert not found, "\n".join(f"{name}: {w}" for name, left in found.items() for w in left[:5])
