"""The languages at run time: tags read leniently, the language in use, messages compiled from
a .po, a translation escaped in a template, dates and numbers written the locale's way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from playbook import i18n
from playbook.errors import LanguageError, WorkshopError
from playbook.i18n import formats, languages
from playbook.publish import html
from playbook.workshop import Folder


@pytest.mark.parametrize(("text", "among", "found"), [
    ("pt_br", ["en", "pt-BR"], "pt-BR"),
    ("PT-br", ["en", "pt-BR"], "pt-BR"),
    ("pt", ["en", "pt-BR"], None),  # a Portuguese reader is not given Brazil's by a guess
    ("zh_CN.UTF-8", ["en", "zh-Hans"], "zh-Hans"),  # Babel knows China writes Hans
    ("zh_TW", ["en", "zh-Hans"], None),
    ("fr_FR@euro", ["en", "fr"], "fr"),
    ("in", ["en", "id"], "id"),  # Indonesian's old code
    ("C.UTF-8", ["en"], None),
    ("", ["en"], None),
    ("klingon", ["en"], None),
])
def test_tags_are_read_leniently(text: str, among: list[str], found: str | None) -> None:
    assert languages.resolve(text, among) == found


def test_the_system_language_for_the_commands_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "locale" / "fr" / "LC_MESSAGES" / "messages.po").write_bytes(b"")
    monkeypatch.setenv(languages.ENV_CATALOGUES, str(tmp_path))
    env = {"LANGUAGE": "de:fr_CA:en", "LANG": "en_US.UTF-8"}
    assert languages.from_environment(env) == "fr"  # the first of the list the kit has
    assert languages.from_environment({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == "fr"
    assert languages.from_environment({"LANG": "C.UTF-8"}) == "en"


@pytest.fixture
def greek(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A language of a few messages, one with markup and an apostrophe in its translation."""
    po = Catalog(locale="el")
    po.add("Reports", "Αναφορές")
    po.add("Team %(name)s", "Ομάδα %(name)s <b>&</b> 'x'")
    po.add(("%(num)s minute · %(mode)s", "%(num)s minutes · %(mode)s"), ("%(num)s λεπτό", "%(num)s λεπτά"))
    po.add("Facilitator guide", "Οδηγός", flags=["fuzzy"])
    path = tmp_path / "locale" / "el" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        write_po(f, po)
    monkeypatch.setenv(languages.ENV_CATALOGUES, str(tmp_path))
    yield tmp_path


def test_messages_come_from_the_po_and_fall_back_to_english(greek: Path) -> None:
    assert "el" in i18n.available()
    with i18n.use("el_GR") as lang:  # Greece's Greek is the Greek there is
        assert lang.tag == "el" and lang.name == "Ελληνικά"
        assert i18n._("Reports") == "Αναφορές"
        assert i18n.ngettext("%(num)s minute · %(mode)s", "%(num)s minutes · %(mode)s", 2) == "%(num)s λεπτά"
        assert i18n._("Facilitator guide") == "Facilitator guide"  # fuzzy: not used
        assert i18n._("Worksheet") == "Worksheet"  # not translated: English
        with i18n.use("en"):
            assert i18n._("Reports") == "Reports"
        assert i18n._("Reports") == "Αναφορές"
    assert i18n._("Reports") == "Reports"
    with pytest.raises(LanguageError) as info:
        i18n.language("tlh")
    assert "el (Ελληνικά)" in (info.value.fix or "") and "en (English)" in (info.value.fix or "")


def test_a_process_speaks_what_it_activates(greek: Path) -> None:
    try:
        i18n.activate("el")
        assert i18n.current().tag == "el"
        with i18n.use("en"):
            assert i18n.current().tag == "en"
        assert i18n._("Reports") == "Αναφορές"
    finally:
        i18n.activate("en")


def test_a_translation_is_text_in_a_template(greek: Path) -> None:
    """Escaped like any text (markup in a translation is shown, not obeyed); an apostrophe stays."""
    template = html.env().from_string('{{ _("Team %(name)s", name=who) }}|{{ _("Reports") }}')
    with i18n.use("el"):
        out = template.render(who="<i>Ana</i>")
    assert out == "Ομάδα &lt;i&gt;Ana&lt;/i&gt; &lt;b&gt;&amp;&lt;/b&gt; 'x'|Αναφορές"


@pytest.mark.parametrize(("tag", "date", "number", "percent", "signed"), [
    ("en", "2026-11-18", "87.8", "85%", "+5"),
    ("fr", "18 novembre 2026", "87,8", "85\xa0%", "+5"),  # a no-break space (CLDR)
    ("pt-BR", "18 de novembro de 2026", "87,8", "85%", "+5"),
    ("zh-Hans", "2026年11月18日", "87.8", "85%", "+5"),
    ("id", "18 November 2026", "87,8", "85%", "+5"),
])
def test_dates_and_numbers_are_written_the_languages_way(tag: str, date: str, number: str, percent: str,
                                                         signed: str) -> None:
    with i18n.use(i18n.Language(tag, languages.parse(tag), i18n.language("en").translations)):
        assert formats.date(dt.date(2026, 11, 18)) == date
        assert formats.number(87.75, 1) == number  # rounded as Python rounds, 87.75 -> 87.8
        assert formats.percent(85.2) == percent
        assert formats.number(4.6, sign=True) == signed
        assert formats.share(0.4) != formats.percent(0)  # a little is never none
        assert formats.share(99.6) == formats.percent(99)  # nearly all is never all


def test_a_workshop_names_its_language_as_it_likes(example_copy: Path) -> None:
    config = example_copy / "workshop.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["language"] = "pt_br"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert Folder(example_copy).language == "pt-BR"
    data["language"] = "xx"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(WorkshopError) as info:
        Folder(example_copy)
    assert info.value.field == "language" and info.value.line and "pt-BR (português (Brasil))" in (info.value.fix or "")


def test_init_writes_the_language_as_a_tag_and_lists_the_languages(tmp_path: Path) -> None:
    from playbook.cli import main

    assert main(["init", str(tmp_path / "ws"), "--client", "Batilog", "--facilitator", "Claire",
                 "--date", "2026-11-24", "--language", "pt_br"]) == 0
    text = (tmp_path / "ws" / "workshop.yml").read_text(encoding="utf-8")
    assert "\nlanguage: pt-BR\n" in text and languages.listing() in text
    assert main(["init", str(tmp_path / "other"), "--client", "B", "--facilitator", "C", "--language", "xx"]) == 2


def test_a_workshop_is_held_only_in_a_language_its_exercises_read(example_copy: Path, greek: Path) -> None:
    """Greek has catalogues here (it can be shown) but no text rules: answers in it could not be
    scored, so workshop.yml refuses it, naming the exercise and the languages that can."""
    config = example_copy / "workshop.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["language"] = "el"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(WorkshopError) as info:
        Folder(example_copy)
    assert info.value.field == "language" and "empathy_audit" in info.value.what and "zh-Hans" in (info.value.fix or "")
