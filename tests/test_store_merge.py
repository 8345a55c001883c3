"""Saves from several laptops of one team: list fields merge item by item in the store, a
scalar changed under someone is refused as a conflict; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.answers import merge
from playbook.answers.store import SaveConflict, Store
from playbook.errors import AnswersError

T, E = "north", "drill"


def note(id_: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"id": id_, "text": text, "tags": {}, **extra}


def head(store: Store, field: str) -> Any:
    return store.heads(T)[E, field]


def texts(store: Store, field: str = "notes") -> list[str]:
    return [n["text"] for n in store.latest(T)[E][field]]


# --- notes ------------------------------------------------------------------------------------


def test_two_laptops_add_a_note_from_the_same_base_and_both_are_kept(store: Store) -> None:
    seen = store.save(T, E, "notes", [note("n1", "first")], author="Ana")
    store.save(T, E, "notes", [note("n1", "first"), note("a1", "from Ana")], author="Ana", base=seen.id)
    merged = store.save(T, E, "notes", [note("n1", "first"), note("b1", "from Bo")], author="Bo", base=seen.id)
    assert [n["text"] for n in merged.value] == ["first", "from Ana", "from Bo"]
    assert texts(store) == ["first", "from Ana", "from Bo"]
    assert store.history(T, E, "notes")[-1].author == "Bo"


def test_a_note_deleted_on_one_laptop_stays_deleted(store: Store) -> None:
    seen = store.save(T, E, "notes", [note("n1", "keep"), note("n2", "drop")])
    store.save(T, E, "notes", [note("n1", "keep")], base=seen.id)  # Ana deletes n2
    store.save(T, E, "notes", [note("n1", "keep"), note("n2", "drop"), note("b1", "new")], base=seen.id)
    assert texts(store) == ["keep", "new"]


def test_a_note_edited_on_one_laptop_and_deleted_on_the_other_keeps_the_edit(store: Store) -> None:
    seen = store.save(T, E, "notes", [note("n1", "draft")])
    store.save(T, E, "notes", [note("n1", "finished")], base=seen.id)
    store.save(T, E, "notes", None, base=seen.id)  # Bo clears the field
    assert texts(store) == ["finished"]


def test_one_note_edited_on_two_laptops_keeps_both_edits(store: Store) -> None:
    seen = store.save(T, E, "notes", [note("n1", "draft")])
    store.save(T, E, "notes", [note("n1", "Ana's words")], base=seen.id)
    store.save(T, E, "notes", [note("n1", "Bo's words")], base=seen.id)
    assert texts(store) == ["Ana's words", "Bo's words"]
    ids = [n["id"] for n in store.latest(T)[E]["notes"]]
    assert ids[0] == "n1" and len(set(ids)) == 2


def test_edits_of_different_parts_of_one_note_combine(store: Store) -> None:
    seen = store.save(T, E, "notes", [note("n1", "draft")])
    store.save(T, E, "notes", [note("n1", "final text")], base=seen.id)
    store.save(T, E, "notes", [note("n1", "draft", tags={"evidence": "heard"}, date="2026-11-02")], base=seen.id)
    assert store.latest(T)[E]["notes"] == [
        note("n1", "final text", tags={"evidence": "heard"}, date="2026-11-02")]


def test_notes_stored_without_ids_get_ids_every_laptop_agrees_on(store: Store) -> None:
    old = store.save(T, E, "notes", ["imported one", "imported two"])  # an answers file: no ids
    assert "id" not in store.latest(T)[E]["notes"][0]
    shown = head(store, "notes")
    assert [n["id"] for n in shown.value] == [f"r{old.id}-1", f"r{old.id}-2"]
    store.save(T, E, "notes", [*shown.value, note("a1", "Ana")], base=shown.id)
    store.save(T, E, "notes", [shown.value[1], note("b1", "Bo")], base=shown.id)  # Bo deletes one
    assert texts(store) == ["imported two", "Ana", "Bo"]


def test_a_script_saving_plain_notes_against_a_base_duplicates_nothing(store: Store) -> None:
    seen = store.save(T, E, "notes", [note("n1", "shared")])
    store.save(T, E, "notes", [note("n1", "shared"), note("a1", "Ana")], base=seen.id)
    store.save(T, E, "notes", ["shared", "script"], base=seen.id)
    assert texts(store) == ["shared", "Ana", "script"]


def test_note_ids_are_checked(store: Store) -> None:
    with pytest.raises(AnswersError, match="two notes have the id 'x'"):
        store.save(T, E, "notes", [note("x", "a"), note("x", "b")])
    with pytest.raises(AnswersError, match="is not 1-40 letters"):
        store.save(T, E, "notes", [note("no spaces", "a")])
    assert store.revision() == 0


# --- option lists -----------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "start", "ana", "bo", "expected"), [
    ("tools", ["crm"], ["crm", "wiki"], ["chat"], ["wiki", "chat"]),
    ("checks", [], ["a"], ["b"], ["a", "b"]),
])
def test_ticked_options_merge_as_sets(store: Store, field: str, start: list[str], ana: list[str],
                                      bo: list[str], expected: list[str]) -> None:
    seen = store.save(T, E, field, start)
    store.save(T, E, field, ana, base=seen.id)
    assert store.save(T, E, field, bo, base=seen.id).value == expected


# --- scalars ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "start", "ana", "bo"), [
    ("name", "Acme", "Acme Corp", "ACME Ltd"),
    ("rating", 2, 4, 5),
    ("order", ["x", "y", "z"], ["z", "y", "x"], ["y", "x", "z"]),
    ("raci", {"plan": {"ann": "r"}}, {"plan": {"ann": "a"}}, {"plan": {"bo": "r"}}),
])
def test_a_stale_scalar_save_is_refused_and_nothing_is_written(
        store: Store, field: str, start: Any, ana: Any, bo: Any) -> None:
    seen = store.save(T, E, field, start, author="Ana")
    theirs = store.save(T, E, field, ana, author="Ana", base=seen.id)
    with pytest.raises(SaveConflict) as caught:
        store.save(T, E, field, bo, author="Bo", base=seen.id)
    assert caught.value.theirs.id == theirs.id and caught.value.theirs.author == "Ana"
    assert caught.value.theirs.value == ana and caught.value.mine == bo
    assert "Ana changed this answer" in caught.value.message and "drill." + field in caught.value.message
    assert store.latest(T)[E][field] == ana
    kept = store.save(T, E, field, bo, author="Bo", base=theirs.id)  # Bo chose his version
    assert store.latest(T)[E][field] == bo and kept.author == "Bo"
    assert [r.value for r in store.history(T, E, field)] == [start, ana, bo]


def test_the_same_value_from_both_laptops_is_no_conflict(store: Store) -> None:
    seen = store.save(T, E, "name", "Acme")
    first = store.save(T, E, "name", "Globex", base=seen.id)
    again = store.save(T, E, "name", "Globex", base=seen.id)
    assert again.id == first.id and len(store.history(T, E, "name")) == 2


def test_a_save_on_an_unchanged_field_needs_no_merge(store: Store) -> None:
    store.save(T, E, "name", "Acme")
    assert store.save(T, E, "count", 3, base=0).value == 3  # never saved before
    seen = head(store, "name")
    assert store.save(T, E, "name", "Globex", base=seen.id).value == "Globex"


# --- at the same moment -----------------------------------------------------------------------


def test_laptops_saving_at_the_same_moment_lose_no_note(store: Store, make_store: Callable[..., Store]) -> None:
    seen = store.save(T, E, "notes", [note("n0", "start")])
    laptops = [make_store() for _ in range(4)]
    errors: list[BaseException] = []
    go = threading.Barrier(len(laptops))

    def type_notes(i: int, laptop: Store) -> None:
        try:
            go.wait()
            mine, base = [note("n0", "start")], seen.id
            for k in range(5):  # a laptop sees others' notes only in what its own saves return
                mine.append(note(f"l{i}n{k}", f"laptop {i} note {k}"))
                rev = laptop.save(T, E, "notes", mine, author=f"laptop {i}", base=base)
                mine, base = list(rev.value), rev.id
        except BaseException as exc:  # re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=type_notes, args=(i, s)) for i, s in enumerate(laptops)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(texts(store)) == sorted(["start", *(f"laptop {i} note {k}" for i in range(4) for k in range(5))])


# --- the merge, whatever the interleaving (Hypothesis) ----------------------------------------

LAPTOPS = 3
action = st.tuples(st.integers(0, LAPTOPS - 1), st.sampled_from(["add", "delete", "edit", "sync"]),
                   st.integers(0, 50))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(action, min_size=1, max_size=25))
def test_no_added_note_is_ever_lost_whatever_the_interleaving(
        make_store: Callable[..., Store], steps: list[tuple[int, str, int]]) -> None:
    store = make_store(workshop=f"w{merge.new_id()}")  # one database, a fresh workshop per example
    views: list[tuple[list[dict[str, Any]], int]] = [([], 0)] * LAPTOPS  # (what the page shows, base)
    added: dict[str, str] = {}  # id -> text of every note a laptop added
    deleted: set[str] = set()  # ids some laptop deleted after seeing them
    edits: dict[str, list[str]] = {}  # id -> every text a laptop gave it
    for n, (who, act, pick) in enumerate(steps):
        shown, base = views[who]
        shown = list(shown)
        if act == "sync":
            rev = store.heads(T).get((E, "notes"))
            views[who] = ([] if rev is None else list(rev.value or []), 0 if rev is None else rev.id)
            continue
        if act == "add":
            added[f"s{n}"] = f"note {n} by {who}"
            shown.append(note(f"s{n}", f"note {n} by {who}"))
        elif not shown:
            continue
        elif act == "delete":
            deleted.add(shown.pop(pick % len(shown))["id"])
        else:
            i = pick % len(shown)
            shown[i] = {**shown[i], "text": f"edit {n} by {who}"}
            edits.setdefault(shown[i]["id"], []).append(shown[i]["text"])
        rev = store.save(T, E, "notes", shown or None, author=str(who), base=base)
        views[who] = (list(rev.value or []), rev.id)
    final = store.latest(T).get(E, {}).get("notes", [])
    final_ids, final_texts = {n["id"] for n in final}, {n["text"] for n in final}
    for id_, text in added.items():
        if id_ not in deleted:
            assert id_ in final_ids or text in final_texts or set(edits.get(id_, [])) & final_texts, id_
    for id_ in deleted:  # a deleted note comes back only when a laptop edited it
        if id_ in final_ids:
            assert id_ in edits


base_note = st.fixed_dictionaries({"text": st.sampled_from(["a", "b", "c"]),
                                   "tags": st.sampled_from([{}, {"evidence": "heard"}])})


@st.composite
def side(draw: st.DrawFn, base: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """One laptop's list: the base with some notes deleted, edited or added."""
    out = []
    for n in base:
        fate = draw(st.sampled_from(["keep", "delete", "edit"]))
        if fate == "keep":
            out.append(n)
        elif fate == "edit":
            out.append({**n, **draw(base_note)})
    for k in range(draw(st.integers(0, 3))):
        out.insert(draw(st.integers(0, len(out))), {"id": f"{name}{k}", **draw(base_note)})
    return out


@settings(max_examples=300)
@given(st.data())
def test_a_three_way_merge_keeps_every_added_note_and_every_edit(data: st.DataObject) -> None:
    base = [{"id": f"b{i}", **n} for i, n in enumerate(data.draw(st.lists(base_note, max_size=5)))]
    theirs, mine = data.draw(side(base, "t")), data.draw(side(base, "m"))
    merged = merge.merge("notes", base, theirs, mine) or []
    ids = [n["id"] for n in merged]
    assert len(ids) == len(set(ids))
    for n in theirs + mine:
        if not n["id"].startswith("b"):
            assert n in merged  # added on one side: there, unchanged
    b = {n["id"]: n for n in base}
    for one, other in ((theirs, mine), (mine, theirs)):
        kept = {n["id"] for n in other}
        for n in one:
            if n["id"] in b and n != b[n["id"]]:  # edited here: each changed part survives
                changed = {k: v for k, v in n.items() if b[n["id"]].get(k) != v}
                assert any(all(m.get(k) == v for k, v in changed.items()) for m in merged), n
        for gone in b.keys() - {n["id"] for n in one}:  # deleted here, untouched there: gone
            if gone in kept and {n["id"]: n for n in other}[gone] == b[gone]:
                assert gone not in ids


# --- the answers format -------------------------------------------------------------------------


def test_item_ids_survive_export_and_import_and_files_without_ids_still_import(
        store: Store, make_store: Callable[..., Store], tmp_path: Any, new_store_url: Callable[..., str]) -> None:
    from playbook.answers.transfer import export_file, import_file

    store.save(T, E, "notes", [note("n1", "with an id")])
    store.save("south", E, "notes", ["no id, as typed up from paper"])
    path = export_file(store, tmp_path / "answers.json")
    other = make_store(url=new_store_url("other"))
    assert import_file(other, path) == 2
    assert other.latest(T)[E]["notes"] == [note("n1", "with an id")]
    assert other.latest("south")[E]["notes"] == [{"text": "no id, as typed up from paper", "tags": {}}]
