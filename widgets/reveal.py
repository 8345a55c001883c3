"""A field's reveal: a text (reference definitions, say) shown only once the team answered.

Seeing the reference first anchors the team's own answer, so the button stays disabled
until the field has a saved answer, and the text stays in the kernel until the click: no
widget holds it before, so the page's widget state carries nothing to peek at.
"""

from __future__ import annotations

import html

import ipywidgets as W
from markupsafe import Markup

from playbook.i18n import _
from playbook.model.fields import FieldDef


def locked() -> str:
    return Markup("<i style='color:#555'>%s</i>") % _("Save your own answer first; then you can compare it.")


class Reveal:
    """A "Show the comparison" button under a field and, once clicked, the reveal text."""

    def __init__(self, field: FieldDef) -> None:
        self.text: str = field.reveal or ""
        self.answered = False
        self.revealed = False
        self.button = W.Button(description=_("Show the comparison"), tooltip=_("after your answer is saved"),
                               icon="eye", disabled=True, layout=W.Layout(width="auto"))
        self.button.on_click(lambda _b: self.reveal())
        self.hint = W.HTML(locked())
        self.shown = W.HTML("")
        self.widget = W.VBox([W.HBox([self.button, self.hint]), self.shown])

    def set_answered(self, answered: bool) -> None:
        """Follow the field's saved answer: the button unlocks once there is one."""
        self.answered = answered
        if not self.revealed:
            self.button.disabled = not answered
            self.hint.value = "" if answered else locked()

    def reveal(self) -> bool:
        """Show the text; False while there is no saved answer (a forged click included)."""
        if not self.answered and not self.revealed:
            return False
        self.revealed = True
        body = "<br>".join(html.escape(line) for line in self.text.splitlines())
        head = str(Markup("<b>%s</b>") % _("To compare with your answer"))
        self.shown.value = ("<div style='border-left:4px solid #1f5f8b;background:#f4f6f8;padding:6px 10px;"
                            f"margin:4px 0'>{head}<br>{body}</div>")
        self.widget.children = [self.shown]
        return True
