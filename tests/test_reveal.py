"""A field's reveal on the worksheet: locked until the team has a saved answer, sent on click.

The reference must not anchor the team's own answer, so before the click it is in no widget
the browser holds (the page's widget state), and a click forged while locked shows nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest

from playbook import paths
from playbook.answers.store import Revision, Store
from playbook.model.exercises import Exercise, get
from playbook.workshop import Folder
from widgets.autosave import FieldBox, Session
from widgets.form import ExerciseForm
from widgets.schedule import Scheduler

_n = count()


def marker() -> tuple[str, str]:
    """A reveal text of two lines and the token unique to it (the state checked is the whole kernel's)."""
    token = f"refdef{next(_n)}x"
    return f"<b>IDC</b> {token}: the right information & \"the right\" seller.\nForrester: all client-facing.", token


def with_reveal(ex: Exercise, texts: dict[str, str]) -> Exercise:
    sections = [s.model_copy(update={"fields": [f.model_copy(update={"reveal": texts[f.id]}) if f.id in texts else f
                                                for f in s.fields]}) for s in ex.sections]
    return ex.model_copy(update={"sections": sections})


def first_long_text(ex: Exercise) -> Any:
    return next(f for f in ex.fields.values() if f.type == "long_text")


def walk(widget: W.Widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def widget_state() -> str:
    """What the kernel would send a browser for every widget it holds, as text."""
    return json.dumps(W.Widget.get_manager_state(drop_defaults=False), default=repr)


class Saves:
    """A store that keeps saves in a list (FieldBox only ever calls `save`)."""

    def __init__(self) -> None:
        self.saved: list[Any] = []

    def save(self, team: str, exercise: str, field: str, value: Any, author: str | None = None,
             base: int | None = None) -> Revision:
        self.saved.append(value)
        return Revision(len(self.saved), "w", team, exercise, field, value, author, dt.datetime.now(dt.UTC))


def field_box(text: str) -> tuple[FieldBox, Scheduler]:
    f = first_long_text(get("enablement")).model_copy(update={"reveal": text})
    scheduler = Scheduler()
    session = Session(Saves(), "north", scheduler, lambda: "Lena Park")  # type: ignore[arg-type]
    return FieldBox(session, "enablement", f, lambda _fid, _value: None), scheduler


def test_a_field_without_a_reveal_has_no_button() -> None:
    f = first_long_text(get("enablement"))
    box = FieldBox(Session(Saves(), "north", Scheduler(), lambda: None), "enablement", f,  # type: ignore[arg-type]
                   lambda _fid, _value: None)
    assert f.reveal is None and box.reveal is None
    assert not [w for w in walk(box.widget) if isinstance(w, W.Button)]


def test_the_reveal_is_locked_until_an_answer_is_saved_and_sent_only_on_click() -> None:
    text, token = marker()
    first, second = text.splitlines()
    box, scheduler = field_box(text)
    assert box.reveal is not None and box.reveal.widget in list(walk(box.widget))
    button = box.reveal.button
    assert button.disabled and button.description == "Show the comparison"
    assert box.reveal.reveal() is False
    button.click()  # a click message forged while the button is disabled
    assert token not in widget_state() and not box.reveal.revealed

    box.input.box.value = "Our own draft"  # typed, not saved yet: still locked
    assert button.disabled
    scheduler.flush()
    assert box.saved == "Our own draft" and not button.disabled
    assert token not in widget_state()

    button.click()
    shown = box.reveal.shown.value
    assert html.escape(first) in shown and f"{html.escape(first)}<br>{html.escape(second)}" in shown
    assert "<b>IDC" not in shown  # escaped, not markup
    assert html.escape(first) in widget_state()
    assert box.reveal.widget.children == (box.reveal.shown,)  # the button has done its job


def test_clearing_the_answer_locks_it_again_until_it_was_shown() -> None:
    box, scheduler = field_box(marker()[0])
    assert box.reveal is not None
    box.input.box.value = "A draft"
    scheduler.flush()
    box.input.box.value = "   "
    scheduler.flush()
    assert box.saved is None and box.reveal.button.disabled and box.reveal.reveal() is False
    box.load("A stored draft")  # reopened with an answer (or a teammate's save arrives)
    assert not box.reveal.button.disabled and box.reveal.reveal() is True
    box.load(None)
    assert box.reveal.revealed and "Forrester" in box.reveal.shown.value  # once seen, it stays


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.for_folder(Folder(paths.copy_example(tmp_path / "acme")))
    yield s
    s.close()


def test_the_worksheet_puts_the_reveal_under_its_field(store: Store) -> None:
    base = get("enablement")
    fid, (text, token) = first_long_text(base).id, marker()
    ex = with_reveal(base, {fid: text})
    scheduler = Scheduler()
    form = ExerciseForm(Session(store, "north", scheduler, lambda: "Lena Park"), ex)
    form.load({})
    reveal = form.fields[fid].reveal
    assert reveal is not None and reveal.button in list(walk(form.widget))
    assert {i for i, b in form.fields.items() if b.reveal} == {f.id for f in ex.fields.values() if f.reveal}
    assert reveal.button.disabled and token not in widget_state()
    form.fields[fid].input.box.value = "Enablement makes selling easier for our sellers."
    scheduler.flush()
    assert store.latest("north")["enablement"][fid].startswith("Enablement")
    reveal.button.click()
    assert html.escape(text.splitlines()[0]) in reveal.shown.value and reveal.shown in list(walk(form.widget))
