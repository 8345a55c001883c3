"""A team's worksheet: every exercise of the workshop (or one), bound to the store.

It shows the workshop's definitions in the workshop's language (`Folder.exercises`); its own
words are in the language in use, which the served page sets to the workshop's
(`widgets.pages`). Answers are stored as ids, whatever language they are shown in.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W

from playbook.answers.merge import MERGED
from playbook.answers.store import Store
from playbook.errors import WorkshopError
from playbook.i18n import _
from playbook.workshop import Folder
from widgets.autosave import DEBOUNCE_S, Session
from widgets.form import ExerciseForm
from widgets.schedule import Scheduler
from widgets.style import stylesheet

SYNC_S = 1.0  # how often a page looks for teammates' saves: one indexed max(id) query when none came


class Worksheet(W.VBox):
    """Displayable; `form(id)` gives an exercise's `ExerciseForm`; `flush()` saves what is pending."""

    def __init__(self, folder: str | Path | Folder, team: str, exercise: str | None = None,
                 author: str | None = None, *, facilitator: bool = False, store: Store | None = None,
                 debounce: float = DEBOUNCE_S) -> None:
        self.folder = folder if isinstance(folder, Folder) else Folder(folder)
        cfg = self.folder.config
        self.team = cfg.team(team)  # a WorkshopError listing the teams
        ids = list(cfg.exercises)
        if exercise is not None:
            if exercise not in ids:
                raise WorkshopError(f"exercise {exercise!r} is not part of this workshop", file=self.folder.config_path,
                                    field="exercises", fix=f"use one of: {', '.join(ids)}")
            ids = [exercise]
        self.store = store or Store.for_folder(self.folder)
        self.scheduler = Scheduler()
        members = list(self.team.members)
        self.author = W.Combobox(options=members, value=author or "", placeholder=_("your name"),
                                 description=_("Who is typing"), ensure_option=False,
                                 style={"description_width": "initial"})
        self.session = Session(self.store, team, self.scheduler, self._author, debounce,
                               context=self.folder.scoring_context)
        self.facilitator = facilitator
        self.ids = ids
        self.exercises = {ex.id: ex for ex in self.folder.exercises()}  # in the workshop's language
        self.seen_revision = self.store.revision()
        self.forms: dict[str, ExerciseForm] = {}
        if len(ids) == 1:
            body: W.Widget = self.form(ids[0]).widget
        else:  # a tab's form is built when first opened: the page loads with one exercise's widgets
            self.tabs = W.Tab(children=[W.VBox() for _ in ids],
                              titles=tuple(self.exercises[e].title for e in ids), selected_index=0)
            self.tabs.observe(self._opened, "selected_index")
            self._opened()
            body = self.tabs
        header = W.HTML(f"<h2 style='margin:4px 0'>{html.escape(self.team.name)}</h2><p>" + html.escape(
            _("%(client)s: %(title)s. Your answers save as you go.") % {"client": cfg.client, "title": cfg.title})
            + "</p>")
        super().__init__([stylesheet(), header, self.author, body])
        self.add_class("playbook")

    def _author(self) -> str | None:
        return self.author.value.strip() or None

    def flush(self) -> None:
        """Save every pending change and redraw live charts now (tests, scripts, before closing)."""
        for _round in range(3):  # saves schedule redraws: run those too
            if not self.scheduler.pending():
                return
            self.scheduler.flush()

    def start(self, every: float = SYNC_S) -> Worksheet:
        """Pick up teammates' saves every `every` seconds (needs a running loop, as in a kernel)."""
        def again() -> None:
            self.sync()
            self.scheduler.later(("sync", id(self)), every, again)

        self.scheduler.later(("sync", id(self)), every, again)
        return self

    def stop(self) -> None:
        self.scheduler.cancel(("sync", id(self)))

    def sync(self) -> int:
        """Show answers saved elsewhere since the last look. A field being edited keeps what
        this page holds: a list field merges it on its next save, a scalar shows the
        teammate's version beside it until the user chooses. Returns how many fields
        changed or opened a conflict."""
        revision = self.store.revision()
        if revision == self.seen_revision:
            return 0
        self.seen_revision = revision
        heads = self.store.heads(self.team.id)
        changed = 0
        for ex_id, form in self.forms.items():
            for fid in form.fields:  # iterating builds nothing
                rev = heads.get((ex_id, fid))
                box = form.fields.built.get(fid)
                if rev is None or rev.id <= (box.base if box is not None else form.revisions.get(fid, 0)):
                    continue
                if box is None:  # its step is not built: it shows the value when it opens
                    form.show(fid, rev.value, revision=rev.id)
                elif not box.editing():
                    form.show(fid, rev.value, note=_("updated by %(who)s") % {"who": rev.author or _("a teammate")},
                              revision=rev.id)
                elif box.field.type in MERGED or (box.conflict is not None and box.conflict.id == rev.id):
                    continue  # the pending save merges; or this conflict is shown already
                else:
                    box.conflicted(rev)
                changed += 1
        return changed

    def _opened(self, *_: object) -> None:
        index = self.tabs.selected_index
        if index is not None:
            self.form(self.ids[index])

    def form(self, exercise: str) -> ExerciseForm:
        """The exercise's form, built (and filled from the store) on first use."""
        if exercise not in self.forms:
            form = ExerciseForm(self.session, self.exercises[exercise], facilitator=self.facilitator)
            heads = {fid: rev for (ex_id, fid), rev in self.store.heads(self.team.id).items() if ex_id == exercise}
            form.load({fid: rev.value for fid, rev in heads.items()}, {fid: rev.id for fid, rev in heads.items()})
            self.forms[exercise] = form
            if len(self.ids) > 1:
                children = list(self.tabs.children)
                children[self.ids.index(exercise)] = form.widget
                self.tabs.children = children
        return self.forms[exercise]

    def build_all(self) -> Worksheet:
        """Build every tab and every step now (printing, tests that walk the whole page)."""
        for e in self.ids:
            self.form(e).build_all()
        return self
