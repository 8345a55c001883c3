"""The base of every input widget: show a value, read it back, report user changes.

`get()` returns the raw answer for `field.check` (None when nothing is given, ValueError for
text that is not a number) and `set()` shows a stored value without reporting a change.
Every user change calls `changed(immediate)`: immediate for clicks, debounced by the caller
for typing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import ipywidgets as W

from playbook.model.fields import FieldBase

F = TypeVar("F", bound=FieldBase)

Changed = Callable[[bool], None]


def full() -> W.Layout:
    """A full-width layout, new for every widget: a widget shared at module level would be one
    model for every page of a process, and closing one page's widgets would break the next."""
    return W.Layout(width="100%")

BLANK = "—"


class Input(Generic[F]):
    """Base: `widget` to display, `get`/`set` the value, `changed(immediate)` on user edits.
    `F` is the field type the input shows (`Input[Scale]`)."""

    typing = False  # True: changes come from typing and are debounced

    def __init__(self, field: F, changed: Changed) -> None:
        self.field = field
        self._changed = changed
        self._quiet = False
        self.widget: W.Widget = self._build()

    def _build(self) -> W.Widget:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def _on(self, *_: Any) -> None:
        if not self._quiet:
            self._changed(not self.typing)

    def get(self) -> Any:  # pragma: no cover
        raise NotImplementedError

    def set(self, value: Any) -> None:
        self._quiet = True
        try:
            self._show(value)
        finally:
            self._quiet = False

    def _show(self, value: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def disable(self, disabled: bool = True) -> None:
        for w in _walk(self.widget):
            if hasattr(w, "disabled"):
                w.disabled = disabled


def _walk(widget: W.Widget) -> list[W.Widget]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out.extend(_walk(child))
    return out
