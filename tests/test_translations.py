"""The catalogues: complete for every shipped language, in step with the code, checked and
updated without losing a translation; and, for each shipped language that is complete, its
handouts and reports with no English left.

`test_shipped_language_is_complete[LANG]` is how an incomplete language shows: it fails and
lists every missing, extra, stale or mismatched entry (`playbook translations check LANG`
prints the same). The output tests of that language skip while it fails, naming it, so nothing
passes in silence.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tokenize
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from leftover import SHIPPED, complete_or_skip, english_left, shipped_report

from playbook import paths
from playbook.cli import main
from playbook.i18n import languages
from playbook.model import exercises
from playbook.model import i18n as definitions
from playbook.translations import check, update

ROOT = Path(__file__).resolve().parents[1]


# --- the template and the marks ------------------------------------------------------------------


def test_the_template_holds_every_message_the_code_marks() -> None:
    problems = check.template_problems()
    assert not problems, "\n".join(p.text() for p in problems[:30])


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel reads an f-string as one token: a `_("...")` inside one is never extracted."""
    found = []
    for path in sorted([*(ROOT / "playbook").rglob("*.py"), *(ROOT / "widgets").rglob("*.py")]):
        with path.open("rb") as f:
            for tok in tokenize.tokenize(f.readline):
                if tok.type == tokenize.STRING and re.match(r"[rbuRBU]*[fF]", tok.string) and \
                        re.search(r"\b(?:_|gettext|ngettext|N_)\(\s*['\"]", tok.string):
                    found.append(f"{path.relative_to(ROOT)}:{tok.start[0]}")
    assert not found, found


# --- every shipped language complete ------------------------------------------------------------


@pytest.mark.parametrize("language", SHIPPED)
def test_shipped_language_is_complete(language: str) -> None:
    report = shipped_report(language)
    assert report.complete, report.text(60)


def _workshop(language: str, dest: Path) -> Path:
    """The language's example workshop (examples/<tag>), else the English one."""
    try:
        found = paths.example(language)
    except FileNotFoundError:  # pragma: no cover - a broken install
        found = None
    return paths.copy_example(dest, language if found is not None and found.is_dir() else "acme")


@pytest.mark.parametrize("language", SHIPPED)
def test_handouts_guide_and_reports_leave_no_english(language: str, tmp_path: Path) -> None:
    """`playbook handouts --language` and the reports a notebook shows, in the language."""
    complete_or_skip(language)
    from playbook.publish import report
    from playbook.workshop import Folder

    work = _workshop(language, tmp_path / "ws")
    assert main(["handouts", str(work), "--language", language]) == 0  # a team's card: test_languages.py
    pages = {p.name: p.read_text(encoding="utf-8") for p in (work / "out" / "handouts").glob("*.html")}
    folder = Folder(work)
    team = folder.config.teams[0].id
    pages["team report"] = "".join([report.narrative_html("team", folder, language=language),
                                    *report.team_html(folder, team, language=language)])
    pages["summary"] = "".join(report.summary_html(folder, language=language))
    left = english_left(language, pages)
    assert not left, "\n".join(f"{name}: {hits[:5]}" for name, hits in left.items())


@pytest.mark.slow
def test_playbook_report_leaves_no_english_in_any_complete_language(tmp_path: Path) -> None:
    """One batch over each complete language's example workshop: reports built in kernels."""
    done = [lang for lang in SHIPPED if shipped_report(lang).complete]
    if not done:
        pytest.skip(f"no shipped language is complete yet ({', '.join(SHIPPED) or 'none shipped'}): "
                    "test_shipped_language_is_complete lists what each lacks")
    folders = {lang: _workshop(lang, tmp_path / lang) for lang in done}
    for lang, folder in folders.items():
        config = folder / "workshop.yml"
        config.write_text(re.sub(r"(?m)^language: .*$", f"language: {lang}", config.read_text(encoding="utf-8")),
                          encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "playbook.cli", "report", *map(str, folders.values()), "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for lang, folder in folders.items():
        pages = {p.name: p.read_text(encoding="utf-8") for p in (folder / "out" / "reports").glob("*.html")}
        assert all(f'lang="{lang}"' in page for page in pages.values())
        left = english_left(lang, pages)
        assert not left, f"{lang}: " + "\n".join(f"{name}: {hits[:5]}" for name, hits in left.items())


# --- the check and the update, on catalogues of their own ---------------------------------------


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The kit's catalogues as a translator's copy: the template, and no language yet."""
    locale = tmp_path / "locale"
    locale.mkdir()
    shutil.copy(languages.locale_root() / check.TEMPLATE, locale / check.TEMPLATE)
    (tmp_path / "content").mkdir()
    monkeypatch.setattr(languages, "locale_root", lambda: locale)
    monkeypatch.setattr(languages, "content_root", lambda: tmp_path / "content")
    monkeypatch.delenv(languages.ENV_CATALOGUES, raising=False)
    monkeypatch.setattr(update.extract, "template", lambda: check.read_catalog(locale / check.TEMPLATE))
    return tmp_path


def _rewrite(path: Path, change: Callable[[dict[str, dict[str, str]]], None]) -> None:
    """Edit a catalogue file as a translator would (comments first, then the entries)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text("# a translator's note, kept\n" + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def test_add_then_check_then_update_a_language(kit: Path) -> None:
    tag, made = update.add("de_de")
    assert tag == "de-DE" and len(made) == 1 + len(exercises.all_exercises())
    assert "de-DE" in languages.available() and languages.shipped() == ("de-DE",)
    first = check.check_language("de-DE")
    assert not first.complete and set(first.counts()) == {"missing"}
    assert first.counts()["missing"] == first.definitions + first.messages  # nothing translated yet

    path = kit / "content" / "de-DE" / "empathy_audit.yml"
    english = definitions.strings(exercises.get("empathy_audit"))
    reason = next(k for k, v in english.items() if "{value" in v)

    def translate(doc: dict[str, dict[str, str]]) -> None:
        doc["empathy_audit.title"]["text"] = "Kundenempathie-Audit"
        doc["empathy_audit.summary"] = {"en": "An older English text.", "text": "Ein alter Text."}
        doc["empathy_audit.purpose"] = {"en": "An older English text.", "text": ""}
        doc[reason]["text"] = "Lücke von {wert} Punkten"
        doc["empathy_audit.retired"] = {"en": "Gone", "text": "Weg"}
        del doc["empathy_audit.steps.welcome.title"]  # as if the English had gained it since

    _rewrite(path, translate)
    problems = {p.key: p for p in check.definition_problems("de-DE")[1]}
    assert "empathy_audit.title" not in problems
    assert problems["empathy_audit.summary"].kind == "stale" and english["empathy_audit.summary"][:30] in \
        problems["empathy_audit.summary"].detail
    assert problems["empathy_audit.purpose"].kind == "missing" and "the English is now" in \
        problems["empathy_audit.purpose"].detail
    assert problems[reason].kind == "placeholders"
    assert problems["empathy_audit.retired"].kind == "extra" and problems["empathy_audit.retired"].line
    assert problems["empathy_audit.steps.welcome.title"].kind == "missing"

    # The update gives the untranslated entry today's English and appends the missing key; the
    # stale translation and the extra entry stay for the translator; the rest of the file as it was.
    before = path.read_text(encoding="utf-8")
    changed = update.update_definitions("de-DE")
    assert changed == ["content/de-DE/empathy_audit.yml: 1 texts added, 1 untranslated texts given today's English"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(before.split("empathy_audit.purpose:")[0])  # comments and entries before it untouched
    assert text.endswith("empathy_audit.steps.welcome.title:\n  en: Why customers, and which ones\n  text: ''\n")
    after = definitions.read_catalogue(path)
    assert after["empathy_audit.purpose"].en == english["empathy_audit.purpose"]  # nothing lost: it had no text
    assert (after["empathy_audit.summary"].en, after["empathy_audit.summary"].text) == \
        ("An older English text.", "Ein alter Text.")  # a translation is never rewritten
    assert after["empathy_audit.retired"].text == "Weg" and after["empathy_audit.title"].text == "Kundenempathie-Audit"
    assert set(english) <= set(after)
    assert update.update_definitions("de-DE") == []  # nothing more to do


def test_message_problems_are_named(kit: Path) -> None:
    update.add("fr")
    po_path = kit / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    po = check.read_catalog(po_path, "fr")
    po["Team %(name)s"].string = "Équipe %(name)s"
    po["Facilitator guide"].string = "Guide de l'animateur"
    po["Facilitator guide"].flags.add("fuzzy")
    po["Overall %(share)s answered."].string = "%(part)s répondu au total."
    po["Overall %(score)s of 100: %(band)s"].string = "Total %(score)s sur 100 % : %(band)s"
    plural = next(m for m in po if isinstance(m.id, tuple) and m.id[0] == "All %(num)s team")
    plural.string = ("L'équipe", "Les %(num)s équipes", "Les %(nombre)s équipes")  # a name the English lacks
    po.add("A message the code no longer has", "Un message")
    from babel.messages.pofile import write_po

    with po_path.open("wb") as f:
        write_po(f, po)
    problems = {p.key: p for p in check.message_problems("fr")[1]}
    assert "Team %(name)s" not in problems
    assert problems["Facilitator guide"].kind == "stale"
    assert problems["Overall %(share)s answered."].kind == "placeholders"
    assert "%%" in problems["Overall %(score)s of 100: %(band)s"].detail
    assert problems["All %(num)s team"].kind == "placeholders"
    assert problems["A message the code no longer has"].kind == "extra"
    assert problems["Reports"].kind == "missing" and problems["Reports"].line


def test_the_cli_checks_updates_and_adds(kit: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["translations", "check"]) == 0 and "No translated language" in capsys.readouterr().out
    assert main(["translations", "add", "id"]) == 0
    assert "playbook translations check id" in capsys.readouterr().out
    assert main(["translations", "add", "id"]) == 2 and "has catalogues already" in capsys.readouterr().err
    assert main(["translations", "check", "in"]) == 1  # `in` is the old code of Indonesian
    out = capsys.readouterr().out
    assert out.startswith("id (Indonesia): INCOMPLETE:") and "missing" in out
    assert main(["translations", "update"]) == 0 and "up to date" in capsys.readouterr().out
