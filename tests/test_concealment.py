"""What the method keeps hidden stays out of participant texts, handouts and worksheets.

`playbook.model.concealment` checks a definition's texts; the tests at the end check what the
kit really renders for participants (handouts, blank worksheets, live worksheets before any
reveal), so a renderer that starts printing facilitator-only data is caught too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest
import yaml

from playbook import paths, yamlio
from playbook.errors import DefinitionError
from playbook.model import concealment, exercises
from playbook.model.exercises import Exercise
from playbook.publish import handouts, html
from playbook.publish import report as report_view
from widgets.inputs import make_input
from widgets.worksheet import Worksheet

MINI = Path(__file__).parent / "data" / "mini.yml"
BUNDLED = [p.stem for p in sorted(exercises.content_dir().glob("*.yml"))]  # ids, without loading them
TERM = "the hidden word"
Edit = Callable[[dict[str, Any]], None]


def mini(tmp_path: Path, *edits: Edit) -> Exercise:
    """tests/data/mini.yml (steps solo: section basics, then together: section lists), edited."""
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    for edit in edits:
        edit(data)
    path = tmp_path / "mini.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return Exercise.model_validate(data)  # loading would refuse a leak: see the test below


def conceal(step: str, term: str = TERM) -> Edit:
    return lambda d: next(s for s in d["steps"] if s["id"] == step).setdefault("conceal", []).append(term)


def conceal_everywhere(term: str = TERM) -> Edit:
    return lambda d: d.setdefault("conceal", []).append(term)


def field(d: dict[str, Any], fid: str) -> dict[str, Any]:
    return next(f for s in d["sections"] for f in s["fields"] if f["id"] == fid)


def put(get: Callable[[dict[str, Any]], dict[str, Any]], key: str, text: str = f"About {TERM.upper()}.") -> Edit:
    """Set `key` of the mapping `get` finds (appended when it already holds text)."""
    def edit(d: dict[str, Any]) -> None:
        node = get(d)
        node[key] = f"{node[key]} {text}" if isinstance(node.get(key), str) else text
    return edit


def step_(sid: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: next(s for s in d["steps"] if s["id"] == sid)


def point(d: dict[str, Any]) -> None:
    field(d, "rating")["points"][2] = f"some, {TERM}"


# --- the check on definitions ---------------------------------------------------------------


@pytest.mark.parametrize("exercise", BUNDLED)
def test_bundled_definitions_leak_nothing(exercise: str) -> None:
    leaks = concealment.leaks(exercises.get(exercise))
    assert not leaks, "\n".join(leaks)


def test_a_plain_definition_has_no_leaks(tmp_path: Path) -> None:
    ex = mini(tmp_path)
    texts = concealment.participant_texts(ex)
    assert {t.text for t in texts} >= {"Mini exercise", "Rate on your own.", "Basics", "Rating", "much", "Tick one",
                                       "the worst", "Evidence", "Imagined", "Source", "Row one", "Col two",
                                       "Accountable"}
    assert "Keep the room quiet." not in {t.text for t in texts}  # facilitator notes
    assert concealment.leaks(ex) == []


# Each kind of participant text, with the step that shows it: (solo) basics, (together) lists.
LEAKS: list[tuple[str, str, Edit, str]] = [
    ("instructions", "solo", put(step_("solo"), "instructions"), "step 'solo': instructions"),
    ("step title", "solo", put(step_("solo"), "title"), "step 'solo': title"),
    ("section title", "solo", put(lambda d: d["sections"][0], "title"), "step 'solo': section 'basics' title"),
    ("section intro", "solo", put(lambda d: d["sections"][0], "intro"), "step 'solo': section 'basics' intro"),
    ("field label", "solo", put(lambda d: field(d, "level"), "label"), "step 'solo': field 'level' label"),
    ("field help", "solo", put(lambda d: field(d, "rating"), "help"), "step 'solo': field 'rating' help"),
    ("option label", "solo", put(lambda d: field(d, "level")["options"][1], "label"),
     "step 'solo': field 'level' option 'b' label"),
    ("option help", "solo", put(lambda d: field(d, "ticks")["options"][0], "help"),
     "step 'solo': field 'ticks' option 't1' help"),
    ("scale point", "solo", point, "step 'solo': field 'rating' scale point 3"),
    ("number unit", "solo", put(lambda d: field(d, "talks"), "unit"), "step 'solo': field 'talks' unit"),
    ("ranking option", "together", put(lambda d: field(d, "order")["options"][0], "label"),
     "step 'together': field 'order' option 'p' label"),
    ("tag group label", "together", put(lambda d: field(d, "notes")["tag_groups"][0], "label"),
     "step 'together': field 'notes' tag group 'evidence' label"),
    ("tag option help", "together", put(lambda d: field(d, "notes")["tag_groups"][0]["options"][2], "help"),
     "step 'together': field 'notes' tag group 'evidence' option 'imagined' help"),
    ("attribute label", "together", put(lambda d: field(d, "notes")["attributes"][0], "label"),
     "step 'together': field 'notes' attribute 'source' label"),
    ("matrix row", "together", put(lambda d: field(d, "grid_a")["rows"][1], "label"),
     "step 'together': field 'grid_a' row 'r2' label"),
    ("matrix column help", "together", put(lambda d: field(d, "grid_b")["columns"][0], "help"),
     "step 'together': field 'grid_b' column 'c1' help"),
    ("matrix value", "together", put(lambda d: field(d, "grid_a")["values"][0], "label"),
     "step 'together': field 'grid_a' value 'A' label"),
    ("earlier step", "together", put(step_("solo"), "instructions"), "step 'solo': instructions"),
    ("exercise summary", "together", put(lambda d: d, "summary"), "exercise summary"),
    ("exercise purpose", "solo", put(lambda d: d, "purpose"), "exercise purpose"),
]


@pytest.mark.parametrize(("kind", "step", "edit", "where"), LEAKS, ids=[c[0] for c in LEAKS])
def test_a_step_conceal_finds_a_leak_in_every_kind_of_text(tmp_path: Path, kind: str, step: str, edit: Edit,
                                                           where: str) -> None:
    ex = mini(tmp_path, conceal(step), edit)
    assert concealment.leaks(ex) == [f"{where} mentions {TERM!r}, which step {step!r} conceals"]


@pytest.mark.parametrize(("kind", "step", "edit", "where"), LEAKS, ids=[c[0] for c in LEAKS])
def test_an_exercise_conceal_finds_a_leak_in_every_kind_of_text(tmp_path: Path, kind: str, step: str, edit: Edit,
                                                                where: str) -> None:
    ex = mini(tmp_path, conceal_everywhere(), edit)
    assert concealment.leaks(ex) == [f"{where} mentions {TERM!r}, which the exercise conceals"]


def test_loading_refuses_a_leaking_definition_with_its_line(tmp_path: Path) -> None:
    mini(tmp_path, conceal("solo"), point)
    with pytest.raises(DefinitionError) as err:
        exercises.load_file(tmp_path / "mini.yml")
    e = err.value
    text = (tmp_path / "mini.yml").read_text(encoding="utf-8").splitlines()
    assert e.field == "sections[0].fields[0].points[2]" and e.line is not None
    assert TERM in text[e.line - 1]
    assert "which step 'solo' conceals" in e.what and "facilitator_notes" in (e.fix or "")


def test_the_message_reads_as_documented(tmp_path: Path) -> None:
    ex = mini(tmp_path, conceal("solo", "not part of the score"),
              put(lambda d: field(d, "rating"), "help", "This rating is NOT part of\n   the score."))
    assert concealment.leaks(ex) == [
        "step 'solo': field 'rating' help mentions 'not part of the score', which step 'solo' conceals"]


NOT_LEAKS: list[tuple[str, Edit]] = [
    ("facilitator notes", put(step_("solo"), "facilitator_notes")),
    ("reveal of the step's own field", put(lambda d: field(d, "rating"), "reveal")),
    ("probe", put(lambda d: field(d, "level"), "probe")),
    ("later step instructions", put(step_("together"), "instructions")),
    ("later step field help", put(lambda d: field(d, "notes"), "help")),
    ("later step option", put(lambda d: field(d, "grid_a")["rows"][0], "label")),
    ("reveal of a later step", put(lambda d: field(d, "questions"), "reveal")),
    ("recommendation text", put(lambda d: d["recommendations"][0], "text")),
]


@pytest.mark.parametrize(("kind", "edit"), NOT_LEAKS, ids=[c[0] for c in NOT_LEAKS])
def test_what_participants_do_not_read_by_then_is_no_leak(tmp_path: Path, kind: str, edit: Edit) -> None:
    assert concealment.leaks(mini(tmp_path, conceal("solo"), edit)) == []


def test_a_reveal_may_not_tell_a_later_steps_secret(tmp_path: Path) -> None:
    ex = mini(tmp_path, conceal("together"), put(lambda d: field(d, "rating"), "reveal"))
    assert concealment.leaks(ex) == [f"step 'solo': field 'rating' reveal mentions {TERM!r}, which step 'together' "
                                     "conceals"]


@pytest.mark.parametrize(("kind", "edit", "leaks"), [
    ("facilitator notes", put(step_("together"), "facilitator_notes"), False),
    ("probe", put(lambda d: field(d, "order"), "probe"), False),
    ("recommendation text", put(lambda d: d["recommendations"][0], "text"), False),
    ("reveal: shown to participants, after their answer", put(lambda d: field(d, "questions"), "reveal"), True),
])
def test_an_exercise_conceal_spares_only_texts_participants_never_see(tmp_path: Path, kind: str, edit: Edit,
                                                                      leaks: bool) -> None:
    assert bool(concealment.leaks(mini(tmp_path, conceal_everywhere(), edit))) is leaks


def test_severities_are_data_not_text(tmp_path: Path) -> None:
    """mini's option t1 is a knockout and its first recommendation says so: no participant text does."""
    assert concealment.leaks(mini(tmp_path, conceal_everywhere("knockout"))) == []


def test_every_leak_points_at_a_line_of_the_file(tmp_path: Path) -> None:
    ex = mini(tmp_path, conceal("together"), point, put(lambda d: field(d, "notes")["tag_groups"][0], "label"))
    doc = yamlio.load(tmp_path / "mini.yml", DefinitionError)
    found = concealment.problems(ex)
    assert [p for p, _ in found] == [("sections", 0, "fields", 0, "points", 2),
                                     ("sections", 1, "fields", 0, "tag_groups", 0, "label")]
    text = (tmp_path / "mini.yml").read_text(encoding="utf-8").splitlines()
    for path, _ in found:
        line = doc.line_of(path)
        assert line is not None and TERM in text[line - 1].lower(), (path, line)


# --- what the kit renders for participants --------------------------------------------------


class Text(HTMLParser):
    """The text a reader sees in HTML (no styles or scripts), whitespace collapsed."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.parts.extend(v for k, v in attrs if k in ("title", "alt", "aria-label", "placeholder") and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    def __str__(self) -> str:
        return " ".join(" ".join(self.parts).split())


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def walk(widget: W.Widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def widget_text(widget: W.Widget) -> str:
    """Every text a worksheet shows: HTML values, labels, descriptions, placeholders, options."""
    out: list[str] = []
    for w in walk(widget):
        for name in ("value", "description", "placeholder", "tooltip"):
            v = getattr(w, name, None)
            if isinstance(v, str):
                out.append(str(Text(v)) if isinstance(w, W.HTML | W.HTMLMath) else v)
        out.extend(str(t) for t in getattr(w, "titles", ()) or () if t)
        out.extend(str(t) for t in getattr(w, "tooltips", ()) or () if t)
        out.extend(str(label) for label in getattr(w, "_options_labels", ()) or ())
    return "\n".join(out)


def hidden(ex: Exercise) -> list[tuple[str, str]]:
    """(what, text) that no participant page may show before a reveal. A printed handout and
    the worksheet show every step at once, so what any step conceals must be absent too."""
    out = [("concealed term", t) for t in ex.conceal]
    out += [(f"concealed at step {s.id!r}", t) for s in ex.steps for t in s.conceal]
    out += [(f"reveal of {f.id!r}", f.reveal) for f in ex.fields.values() if f.reveal]
    out += [(f"facilitator notes of step {s.id!r}", s.facilitator_notes) for s in ex.steps if s.facilitator_notes]
    return out


def shown_of(ex: Exercise, page: str) -> str:
    """One line per hidden text the page shows; empty when it shows none."""
    text = norm(page)
    return "\n".join(f"{what}: {value[:70]!r}" for what, value in hidden(ex) if norm(value) in text)


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = paths.copy_example(tmp_path_factory.mktemp("concealment") / "acme")
    handouts.build(folder)
    return folder


@pytest.mark.parametrize("exercise", BUNDLED)
def test_the_participant_handout_shows_nothing_hidden(workshop: Path, exercise: str) -> None:
    page = (workshop / "out" / "handouts" / f"{exercise}.html").read_text(encoding="utf-8")
    ex = exercises.get(exercise)
    assert norm(ex.title) in norm(str(Text(page)))  # the text extraction sees the page
    assert not (shown := shown_of(ex, str(Text(page)))), shown


@pytest.mark.parametrize("exercise", BUNDLED)
def test_the_blank_worksheet_shows_nothing_hidden(exercise: str) -> None:
    ex = exercises.get(exercise)
    page = str(Text(report_view.blank_html(ex)))
    assert norm(ex.sections[0].title) in norm(page)
    assert not (shown := shown_of(ex, page)), shown


@pytest.mark.parametrize("exercise", BUNDLED)
def test_the_live_worksheet_shows_nothing_hidden_before_a_reveal(workshop: Path, exercise: str) -> None:
    sheet = Worksheet(workshop, "north", exercise)
    try:
        ex = sheet.store.exercises[exercise]
        page = widget_text(sheet.form(exercise).build_all().widget)
        assert norm(ex.steps[-1].instructions) in norm(page)  # the walk reaches the last step
        assert not (shown := shown_of(ex, page)), shown
    finally:
        sheet.store.close()


def with_reveal(ex: Exercise, text: Callable[[Any], str]) -> Exercise:
    """`ex` with a reveal on every field."""
    sections = [s.model_copy(update={"fields": [f.model_copy(update={"reveal": text(f)}) for f in s.fields]})
                for s in ex.sections]
    return ex.model_copy(update={"sections": sections})


def test_reveals_reach_the_facilitator_guide_only(tmp_path: Path) -> None:
    exs = [with_reveal(ex, lambda f, ex=ex: f"REVEAL {ex.id}.{f.id} <i>compare</i> & see") for ex in
           exercises.all_exercises()]
    folder = paths.copy_example(tmp_path / "acme")
    handouts.build(folder, exercises=exs)
    found = {p.stem: p.read_text(encoding="utf-8") for p in (folder / "out" / "handouts").glob("*.html")}
    guide = found.pop(handouts.GUIDE_NAME)
    assert sorted(found) == sorted(ex.id for ex in exs)
    for ex in exs:
        assert "REVEAL" not in found[ex.id] and "Reveal after" not in found[ex.id]
        assert "REVEAL" not in report_view.blank_html(ex)
        for f in ex.fields.values():
            assert f"REVEAL {ex.id}.{f.id} &lt;i&gt;compare&lt;/i&gt; &amp; see" in guide, f.id
    assert "<i>compare</i>" not in guide
    under_steps = sum(len(sec.fields) for ex in exs for s in ex.steps for sec in ex.sections if sec.id in s.sections)
    assert guide.count("Reveal after the team's own draft") == under_steps


def test_the_guide_prints_a_reveal_under_the_step_of_its_field(tmp_path: Path) -> None:
    ex = mini(tmp_path, put(lambda d: field(d, "rating"), "reveal", "Reveal one"),
              put(lambda d: field(d, "questions"), "reveal", "Reveal <two>"))
    page = str(html.macro("guide.html.j2", "exercise")(ex))
    at = [page.index(s) for s in ("1. Alone", "Reveal one", "2. Together", "Reveal &lt;two&gt;", "</section>")]
    assert at == sorted(at)
    assert "Reveal after the team's own draft: Rating" in page


def _severe(exs: list[Exercise]) -> list[tuple[Exercise, Any]]:
    return [(ex, f) for ex in exs for f in ex.fields.values() if any(o.severity for o in getattr(f, "options", []))]


def test_no_worksheet_input_or_handout_prints_a_severity(tmp_path: Path) -> None:
    """A red flag is printed by its label and help only, never "knockout" beside it."""
    severe = _severe([mini(tmp_path), *exercises.all_exercises()])
    assert any(ex.id == "mini" for ex, _ in severe) and len(severe) > 1
    for ex, f in severe:
        own = norm(" ".join(t for _, _, t in concealment.field_texts(f, ())))
        shown = {"worksheet": norm(widget_text(make_input(f, lambda _immediate: None).widget)),
                 "handout": norm(str(Text(html.macro("macros.html.j2", "blank_field")(f))))}
        for where, text in shown.items():
            for word in ("knockout", "warning", "notice", "severity"):
                assert word in own or word not in text, (ex.id, f.id, where, word)
    handout = norm(str(Text("".join(handouts.handout(mini(tmp_path))))))
    assert "tick one" in handout and "knockout" not in handout


def test_the_example_workshop_holds_every_bundled_exercise(workshop: Path) -> None:
    assert sorted(yaml.safe_load((workshop / "workshop.yml").read_text(encoding="utf-8"))["exercises"]) \
        == sorted(BUNDLED)


def test_worksheet_grids_escape_their_labels(tmp_path: Path) -> None:
    """Definition text is data: a matrix row or column label is shown as text, never as markup."""
    ex = mini(tmp_path, put(lambda d: field(d, "grid_a")["rows"][0], "label", "<img src=x onerror=alert(1)>"),
              put(lambda d: field(d, "grid_a")["columns"][0], "label", "<b>bold</b>"))
    grid = make_input(ex.field("grid_a"), lambda _immediate: None).widget
    markup = " ".join(w.value for w in walk(grid) if isinstance(w, W.HTML))
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup and "<img" not in markup
    assert "&lt;b&gt;bold&lt;/b&gt;" in markup and "<b>bold" not in markup
