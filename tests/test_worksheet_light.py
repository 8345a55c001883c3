"""The worksheet opens light: only the open step of the first exercise is built; every other
step (and tab) is built when it opens, showing what the store and teammates hold by then."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ipywidgets as W
import pytest

from playbook.workshop import Folder
from widgets.worksheet import Worksheet

AUTHOR = "Lena Park"


@pytest.fixture
def folder(example_copy: Path) -> Folder:
    return Folder(example_copy)


@pytest.fixture
def sheet(folder: Folder) -> Iterator[Worksheet]:
    ws = Worksheet(folder, "north", "fit_assessment", author=AUTHOR)
    yield ws
    ws.store.close()


def walk(widget: W.Widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def test_only_the_open_step_is_built_at_first(sheet: Worksheet) -> None:
    form = sheet.form("fit_assessment")
    first = {"client_name", "stage", "meetings_held", "relationship_lead"}
    assert set(form.fields.built) == first
    assert form.steps.selected_index == 0
    assert [len(p.children) for p in form.steps.children[1:]] == [0] * (len(form.ex.steps) - 1)
    built = sum(1 for _ in walk(sheet))
    whole = sum(1 for _ in walk(Worksheet(sheet.folder, "north", "fit_assessment").build_all()))
    assert built * 3 < whole  # the whole exercise is more than three times the first step


def test_opening_a_step_builds_it_with_the_stored_answers(folder: Folder) -> None:
    earlier = Worksheet(folder, "north", "fit_assessment", author=AUTHOR)
    earlier.store.save("north", "fit_assessment", "culture_fit", 4, author=AUTHOR)
    earlier.store.close()
    sheet = Worksheet(folder, "north", "fit_assessment")
    stored = sheet.store.latest("north")["fit_assessment"]
    form = sheet.form("fit_assessment")
    assert "culture_fit" not in form.fields.built
    assert form.answers["culture_fit"] == stored["culture_fit"]  # the live score counts it already
    form.steps.selected_index = 2
    box = form.fields.built["culture_fit"]
    assert box.saved == stored["culture_fit"] and box.input.get() == stored["culture_fit"]
    assert box.widget in list(walk(form.steps.children[2]))
    sheet.flush()  # showing stored answers saves nothing
    assert len(sheet.store.history("north", "fit_assessment", "culture_fit")) == 1
    sheet.store.close()


def test_a_sealed_answer_comes_back_sealed_when_its_step_opens(folder: Folder) -> None:
    sheet = Worksheet(folder, "delta", "fit_assessment", author=AUTHOR)
    form = sheet.form("fit_assessment")
    form.fields["gut_call"].input.buttons.value = 4  # looking a field up builds its step
    assert form.seals["gut_call"].seal()
    sheet.store.close()
    again = Worksheet(folder, "delta", "fit_assessment")
    reopened = again.form("fit_assessment")
    assert "gut_call" not in reopened.seals.built
    reopened.steps.selected_index = 1
    seal = reopened.seals.built["gut_call"]
    assert seal.state == "sealed" and reopened.fields.built["gut_call"].input.buttons not in list(walk(again))
    last = len(reopened.ex.steps) - 1
    reopened.steps.selected_index = last  # the reveal panel sits in the last step
    assert seal.panel in reopened.steps.children[last].children
    seal.reveal_button.click()
    assert seal.state == "revealed" and "4" in seal.outcome.value
    again.store.close()


def test_the_last_step_first_builds_the_sealed_fields_it_reveals(folder: Folder) -> None:
    sheet = Worksheet(folder, "delta", "fit_assessment")
    form = sheet.form("fit_assessment")
    form.steps.selected_index = len(form.ex.steps) - 1
    assert set(form.seals.built) == {"gut_call"}
    assert 1 in form._built and 2 not in form._built
    sheet.store.close()


def test_a_teammates_save_reaches_a_step_not_built_yet(folder: Folder) -> None:
    mine = Worksheet(folder, "delta", "fit_assessment", author=AUTHOR)
    theirs = Worksheet(folder, "delta", "fit_assessment", author="Sam Ode")
    theirs.form("fit_assessment").fields["culture_fit"].input.buttons.value = 5
    theirs.flush()
    form = mine.form("fit_assessment")
    assert mine.sync() >= 1
    assert form.answers["culture_fit"] == 5 and "culture_fit" not in form.fields.built
    form.steps.selected_index = 2
    assert form.fields.built["culture_fit"].input.get() == 5
    mine.flush()
    history = mine.store.history("delta", "fit_assessment", "culture_fit")
    assert [(r.value, r.author) for r in history] == [(5, "Sam Ode")]  # shown, not saved again
    mine.store.close()
    theirs.store.close()


def test_a_field_typed_in_an_opened_step_saves_with_its_author(sheet: Worksheet) -> None:
    form = sheet.form("fit_assessment")
    form.steps.selected_index = 3
    form.fields.built["revenue_share"].input.box.value = "12.5"
    sheet.flush()
    history = sheet.store.history("north", "fit_assessment", "revenue_share")
    assert (history[-1].value, history[-1].author) == (12.5, AUTHOR)


def test_membership_and_length_build_nothing(sheet: Worksheet) -> None:
    form = sheet.form("fit_assessment")
    assert "culture_fit" in form.fields and "nothing" not in form.fields
    assert len(form.fields) == len(form.ex.fields) and set(form.fields) == set(form.ex.fields)
    assert len(form.seals) == 1
    assert set(form.fields.built) == {"client_name", "stage", "meetings_held", "relationship_lead"}


def test_a_tab_opens_light_too(folder: Folder) -> None:
    sheet = Worksheet(folder, "north")
    assert list(sheet.forms) == [sheet.ids[0]]
    sheet.tabs.selected_index = 1
    form = sheet.forms[sheet.ids[1]]
    assert form.steps.selected_index == 0
    assert all(n == 0 or len(p.children) == 0 for n, p in enumerate(form.steps.children))
    sheet.store.close()


def test_no_widget_lives_at_module_level() -> None:
    """A module-level widget is one model shared by every page a process serves: closing one
    page's widgets breaks the next page (a shared Layout did)."""
    import importlib
    import pkgutil

    import widgets

    for info in pkgutil.iter_modules(widgets.__path__, "widgets."):
        module = importlib.import_module(info.name)
        shared = [name for name, value in vars(module).items() if isinstance(value, W.Widget)]
        assert not shared, (info.name, shared)


def test_a_closed_page_leaves_the_next_one_whole(folder: Folder) -> None:
    first = Worksheet(folder, "north")
    first.build_all()
    first.store.close()
    first.close_all()  # every widget of the process closed, as when a served page goes away
    second = Worksheet(folder, "harbour").build_all()  # builds without a closed shared widget
    assert all(w.comm is not None for w in walk(second))
    second.store.close()
