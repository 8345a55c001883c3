"""One input widget per field type, built from the field's definition (the base class and
its contract are in `widgets.input_base`; notes, the biggest input, in `widgets.notes`)."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

import ipywidgets as W
from markupsafe import Markup

from playbook.i18n import _, formats
from playbook.model.fields import (
    Checklist,
    FieldDef,
    LongText,
    Matrix,
    MultiChoice,
    Number,
    Ranking,
    Scale,
    ShortText,
    SingleChoice,
)
from widgets.input_base import BLANK, Changed, Input, full
from widgets.notes import NotesInput

__all__ = ["BLANK", "ChoiceInput", "Input", "MatrixInput", "NumberInput", "RankingInput", "ScaleInput",
           "TextInput", "TicksInput", "make_input"]


class TextInput(Input[ShortText | LongText]):
    typing = True

    def _build(self) -> W.Widget:
        cls = W.Text if self.field.type == "short_text" else W.Textarea
        box = cls(value="", layout=full(), continuous_update=True)
        if self.field.type == "long_text":
            box.rows = 4
        box.observe(self._on, "value")
        self.box = box
        return box

    def get(self) -> str | None:
        return self.box.value if self.box.value.strip() else None

    def _show(self, value: Any) -> None:
        self.box.value = "" if value is None else str(value)


class ScaleInput(Input[Scale]):
    """Five buttons, each carrying its point's label."""

    def _build(self) -> W.Widget:
        options = [(f"{i} · {label}", i) for i, label in enumerate(self.field.points, start=1)]
        self.buttons = W.ToggleButtons(options=options, value=None, tooltips=list(self.field.points),
                                       style={"button_width": "auto"})
        self.buttons.observe(self._on, "value")
        return self.buttons

    def get(self) -> int | None:
        return self.buttons.value

    def _show(self, value: Any) -> None:
        self.buttons.value = value if value in range(1, 6) else None


class ChoiceInput(Input[SingleChoice]):
    """Radio buttons for a few options, a dropdown for many."""

    def _build(self) -> W.Widget:
        opts = [(o.label, o.id) for o in self.field.options]
        if len(opts) <= 7:
            self.choice: W.Widget = W.RadioButtons(options=opts, value=None, layout=full())
        else:
            self.choice = W.Dropdown(options=[(BLANK, ""), *opts], value="")
        self.choice.observe(self._on, "value")
        return self.choice

    def get(self) -> str | None:
        return self.choice.value or None

    def _show(self, value: Any) -> None:
        ids = [o.id for o in self.field.options]
        empty = None if isinstance(self.choice, W.RadioButtons) else ""
        self.choice.value = value if value in ids else empty


class TicksInput(Input[MultiChoice | Checklist]):
    """Checkboxes; a checklist adds "none of these apply", an answer distinct from untouched."""

    def _build(self) -> W.Widget:
        self.boxes = {o.id: W.Checkbox(value=False, description=o.label, indent=False, layout=full())
                      for o in self.field.options}
        for box in self.boxes.values():
            box.observe(self._tick, "value")
        children: list[W.Widget] = list(self.boxes.values())
        self.none: W.Checkbox | None = None
        if self.field.type == "checklist":
            self.none = W.Checkbox(value=False, description=_("None of these apply"), indent=False, layout=full())
            self.none.observe(self._none, "value")
            children.append(self.none)
        return W.VBox(children)

    def _tick(self, change: dict[str, Any]) -> None:
        if change["new"] and self.none is not None and self.none.value and not self._quiet:
            self._quiet = True
            self.none.value = False
            self._quiet = False
        self._on()

    def _none(self, change: dict[str, Any]) -> None:
        if change["new"] and not self._quiet:
            self._quiet = True
            for box in self.boxes.values():
                box.value = False
            self._quiet = False
        self._on()

    def get(self) -> list[str] | None:
        ticked = [i for i, box in self.boxes.items() if box.value]
        if self.none is not None and self.none.value and not ticked:
            return []
        return ticked or None

    def _show(self, value: Any) -> None:
        chosen = set(value or [])
        for i, box in self.boxes.items():
            box.value = i in chosen
        if self.none is not None:
            self.none.value = value == []


class NumberInput(Input[Number]):
    """A text box, so whatever is typed stays visible, with the range and unit beside it."""

    typing = True

    def _build(self) -> W.Widget:
        f = self.field
        span = {"min": _num(f.min), "max": _num(f.max)}
        unit = f" {f.unit}" if f.unit else ""
        self.box = W.Text(value="", placeholder=_("%(min)s to %(max)s") % span + unit,
                          layout=W.Layout(width="14em"))
        self.box.observe(self._on, "value")
        return W.HBox([self.box, W.Label(f"{unit.strip()} " + _("(from %(min)s to %(max)s)") % span)])

    def get(self) -> int | float | None:
        """The number typed, with the language's decimal mark (a comma in French) or a dot."""
        text = "".join(self.box.value.split()).replace(formats.decimal_mark(), ".")
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            raise ValueError(_("%(text)r is not a number (write digits, with a dot for decimals)") % {
                "text": self.box.value.strip()}) from None

    def _show(self, value: Any) -> None:
        self.box.value = "" if value is None else _num(value)


def _num(x: float) -> str:
    """A number as typed in the language in use: 2.5, or 2,5 in French."""
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", formats.decimal_mark())


class RankingInput(Input[Ranking]):
    """Ranked options in order with up, down and remove buttons; the rest below to add."""

    def _build(self) -> W.Widget:
        self.order: list[str] = []
        self.labels = {o.id: o.label for o in self.field.options}
        self.box = W.VBox()
        self._render()
        return self.box

    def _button(self, text: str, tip: str, action: Callable[[], None], disabled: bool = False) -> W.Button:
        b = W.Button(description=text, tooltip=tip, disabled=disabled, layout=W.Layout(width="auto"))
        b.on_click(lambda _b: self._act(action))
        return b

    def _act(self, action: Callable[[], None]) -> None:
        action()
        self._render()
        self._on()

    def _move(self, i: int, step: int) -> None:
        self.order[i], self.order[i + step] = self.order[i + step], self.order[i]

    def _take(self, oid: str) -> None:
        self.order.remove(oid)

    def _add(self, oid: str) -> None:
        self.order.append(oid)

    def _render(self) -> None:
        rows: list[W.Widget] = []
        last = len(self.order) - 1
        for n, oid in enumerate(self.order):
            rows.append(W.HBox([
                W.Label(f"{n + 1}. {self.labels[oid]}", layout=W.Layout(width="60%")),
                self._button("↑", _("move up"), partial(self._move, n, -1), disabled=n == 0),
                self._button("↓", _("move down"), partial(self._move, n, 1), disabled=n == last),
                self._button("✕", _("take out of the ranking"), partial(self._take, oid)),
            ]))
        rest = [oid for oid in self.labels if oid not in self.order]
        if rest:
            rows.append(W.HTML(Markup("<i>%s</i>") % _("Not ranked yet:")))
        for oid in rest:
            rows.append(W.HBox([
                W.Label(self.labels[oid], layout=W.Layout(width="60%")),
                self._button(_("+ rank"), _("add at the end of the ranking"), partial(self._add, oid)),
            ]))
        self.box.children = rows

    def get(self) -> list[str] | None:
        return list(self.order) or None

    def _show(self, value: Any) -> None:
        self.order = [v for v in (value or []) if v in self.labels]
        self._render()

    def rank(self, order: list[str]) -> None:
        """Put options in this order as a user's clicks would (for tests and scripts)."""
        self._act(lambda: self._show(order))


class MatrixInput(Input[Matrix]):
    """A grid of dropdowns: one per row and column, blank when empty."""

    def _build(self) -> W.Widget:
        f = self.field
        opts = [(BLANK, ""), *[(v.label, v.id) for v in f.values]]  # labels say it all: "A: Accountable", "3"
        self.cells: dict[tuple[str, str], W.Dropdown] = {}
        grid: list[W.Widget] = [W.HTML("")] + [W.HTML(f"<b>{html.escape(c.label)}</b>") for c in f.columns]
        for r in f.rows:
            grid.append(W.HTML(html.escape(r.label)))
            for c in f.columns:
                dd = W.Dropdown(options=opts, value="", layout=W.Layout(width="auto"))
                dd.observe(self._on, "value")
                self.cells[(r.id, c.id)] = dd
                grid.append(dd)
        template = f"minmax(10em, 1.5fr) repeat({len(f.columns)}, minmax(7em, 1fr))"
        return W.GridBox(grid, layout=W.Layout(grid_template_columns=template, width="100%"))

    def get(self) -> dict[str, dict[str, str]] | None:
        out: dict[str, dict[str, str]] = {}
        for (row, col), dd in self.cells.items():
            if dd.value:
                out.setdefault(row, {})[col] = dd.value
        return out or None

    def _show(self, value: Any) -> None:
        value = value or {}
        for (row, col), dd in self.cells.items():
            cell = (value.get(row) or {}).get(col, "")
            dd.value = cell if cell in {v.id for v in self.field.values} else ""


def make_input(field: FieldDef, changed: Changed) -> Input[Any]:
    kinds: dict[str, type[Input[Any]]] = {
        "short_text": TextInput, "long_text": TextInput, "scale": ScaleInput,
        "single_choice": ChoiceInput, "multi_choice": TicksInput, "checklist": TicksInput,
        "number": NumberInput, "ranking": RankingInput, "matrix": MatrixInput, "notes": NotesInput,
    }
    return kinds[field.type](field, changed)
