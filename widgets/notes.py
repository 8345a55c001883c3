"""The notes input: an editable list of notes, each with text, tags and attributes.

A note is a row: its text, one dropdown per tag group of the field, one text box per
attribute (dates typed as 2026-03-31 and checked by the field) and a remove button. A row
left completely blank is not a note yet, so adding a row never makes the answer invalid.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from playbook.answers.merge import new_id
from playbook.i18n import _
from playbook.model.fields import Notes
from widgets.input_base import BLANK, Input


class NoteRow:
    def __init__(self, notes: NotesInput) -> None:
        f = notes.field
        self.id = new_id()  # the item id: how the store merges this note with teammates' lists
        self.text = W.Textarea(value="", placeholder=_("Write the note"), rows=2, layout=W.Layout(width="100%"))
        self.text.observe(notes._typed, "value")
        self.tags: dict[str, W.Dropdown] = {}
        for g in f.tag_groups:
            dd = W.Dropdown(options=[(f"{g.label}{' *' if g.required else ''}: {BLANK}", ""),
                                     *[(o.label, o.id) for o in g.options]],
                            value="", layout=W.Layout(width="auto"))
            dd.observe(notes._clicked, "value")
            self.tags[g.id] = dd
        self.attrs: dict[str, W.Text] = {}
        for a in f.attributes:
            hint = _("YYYY-MM-DD") if a.kind == "date" else ""
            box = W.Text(value="", placeholder=f"{a.label}{' *' if a.required else ''}"
                         f"{f' ({hint})' if hint else ''}", layout=W.Layout(width="14em"))
            box.observe(notes._typed, "value")
            self.attrs[a.id] = box
        self.remove = W.Button(description=_("Remove"), tooltip=_("remove this note"), layout=W.Layout(width="auto"))
        self.remove.on_click(lambda _b: notes._remove(self))
        extras: list[W.Widget] = [*self.tags.values(), *self.attrs.values(), self.remove]
        self.widget = W.VBox([self.text, W.HBox(extras, layout=W.Layout(flex_flow="row wrap"))],
                             layout=W.Layout(border="1px solid #d9dee2", padding="4px", margin="0 0 6px 0"))

    def blank(self) -> bool:
        return not self.text.value.strip() and not any(d.value for d in self.tags.values()) and not any(
            t.value.strip() for t in self.attrs.values())

    def value(self) -> dict[str, Any]:
        note: dict[str, Any] = {"id": self.id, "text": self.text.value}
        tags = {g: d.value for g, d in self.tags.items() if d.value}
        if tags:
            note["tags"] = tags
        for a, box in self.attrs.items():
            if box.value.strip():
                note[a] = box.value.strip()
        return note

    def show(self, note: dict[str, Any]) -> None:
        self.id = str(note.get("id") or self.id)
        self.text.value = str(note.get("text", ""))
        for g, dd in self.tags.items():
            tag = (note.get("tags") or {}).get(g, "")
            dd.value = tag if tag in [v for _, v in dd.options] else ""
        for a, box in self.attrs.items():
            box.value = "" if note.get(a) is None else str(note[a])


class NotesInput(Input[Notes]):
    typing = True  # typing in a note is debounced; tag choices, add and remove save at once

    def _build(self) -> W.Widget:
        self.rows: list[NoteRow] = []
        self.list = W.VBox()
        self.add = W.Button(description=_("+ Add a note"), layout=W.Layout(width="auto"))
        self.add.on_click(lambda _b: self.add_note())
        return W.VBox([self.list, self.add])

    def _typed(self, *_: Any) -> None:
        if not self._quiet:
            self._changed(False)

    def _clicked(self, *_: Any) -> None:
        if not self._quiet:
            self._changed(True)

    def add_note(self) -> NoteRow:
        row = NoteRow(self)
        self.rows.append(row)
        self.list.children = [r.widget for r in self.rows]
        return row

    def _remove(self, row: NoteRow) -> None:
        was_blank = row.blank()
        self.rows.remove(row)
        self.list.children = [r.widget for r in self.rows]
        if not was_blank:
            self._clicked()

    def get(self) -> list[dict[str, Any]] | None:
        notes = [r.value() for r in self.rows if not r.blank()]
        return notes or None

    def _show(self, value: Any) -> None:
        # Rows are matched by item id and updated in place, so a teammate's note arriving
        # (sync, or a merged save) does not replace the text box someone is typing in; a
        # blank row just added stays, at the end.
        old = {r.id: r for r in self.rows}
        rows = []
        for note in value or []:
            shown = note if isinstance(note, dict) else {"text": str(note)}
            row = old.pop(str(shown.get("id")), None) or NoteRow(self)
            row.show(shown)
            rows.append(row)
        self.rows = rows + [r for r in old.values() if r.blank()]
        self.list.children = [r.widget for r in self.rows]
