"""Notes round trip against the sandbox over HTTP, on both databases: pulled as PCO holds them
(a second pull writes nothing); made, edited and deleted here and pushed in a both-ways category
(a second push sends nothing); pull-only and off categories send nothing; made, edited and
deleted in PCO and arriving with the Notes step (and note.destroyed)."""
from collections import Counter

import pytest
from sqlalchemy import delete, event, select

from pcosync.extensions import db
from pcosync.models import FieldSync, Note, NoteCategory, Person, utcnow
from tests.support import dump, reset_stats, run, sandbox_admin, stats


@pytest.fixture
def sandbox_settings():
    return {"people": 40}


def note_writes(sandbox):
    return {route: count for route, count in stats(sandbox)["by_route"].items()
            if not route.startswith("GET ") and "note" in route}


def pco_notes(sandbox):
    return {str(n["id"]): n for n in dump(sandbox)["notes"]}


def category(name):
    return db.session.scalar(select(NoteCategory).where(NoteCategory.name == name))


def set_sync(name, setting):
    category(name).sync = setting
    db.session.commit()


def held():
    """Notes here that came from PCO (or went there), by PCO id."""
    return {n.pco_note_id: n for n in db.session.scalars(select(Note)) if n.pco_note_id}


def someone_in_pco():
    return db.session.scalar(select(Person).where(Person.pco_id.is_not(None)).order_by(Person.id))


def write_note(name, text):
    note = Note(person=someone_in_pco(), category=category(name), text=text,
                display_date=utcnow())
    db.session.add(note)
    db.session.commit()
    return note


def test_notes_are_pulled_as_pco_holds_them_and_a_second_pull_writes_nothing(sandbox):
    first = run("Full Sync")
    assert first.status == "COMPLETED", first.error
    in_pco = pco_notes(sandbox)
    assert len(in_pco) > 3
    here = held()
    assert set(here) == set(in_pco)
    for pco_id, note in here.items():
        assert note.text == in_pco[pco_id]["note"]
        assert note.person.pco_id == str(in_pco[pco_id]["person_id"])
    assert any(n.author_name for n in here.values())
    assert all(c.sync == FieldSync.PULL for c in db.session.scalars(select(NoteCategory)))

    again = run("Notes")
    assert (again.created_count, again.updated_count) == (0, 0)


def busiest_category():
    return Counter(n.category.name for n in held().values()).most_common(1)[0][0]


def test_both_ways_category_round_trips_and_a_second_push_sends_nothing(sandbox):
    run("Full Sync")
    name = busiest_category()
    set_sync(name, FieldSync.BOTH)
    made = write_note(name, "Made here: call on Tuesday")
    edited, gone = [n for n in held().values() if n.category.name == name][:2]
    edited.text = "Edited here"
    gone.deleted_at = utcnow()
    gone_id = gone.pco_note_id
    db.session.commit()
    reset_stats(sandbox)

    pushed = run("Push Notes")

    assert pushed.status == "COMPLETED" and pushed.failed_count == 0
    assert sum(note_writes(sandbox).values()) == 3, stats(sandbox)["by_route"]
    in_pco = pco_notes(sandbox)
    assert in_pco[made.pco_note_id]["note"] == "Made here: call on Tuesday"
    assert in_pco[edited.pco_note_id]["note"] == "Edited here"
    assert gone_id not in in_pco and gone_id not in held()
    reset_stats(sandbox)
    assert run("Push Notes").status == "COMPLETED"
    assert not note_writes(sandbox)
    again = run("Notes")
    assert (again.created_count, again.updated_count) == (0, 0)


@pytest.mark.parametrize("setting", [FieldSync.PULL, FieldSync.OFF])
def test_pull_only_and_off_categories_send_nothing(sandbox, setting):
    run("Full Sync")
    name = busiest_category()
    set_sync(name, setting)
    write_note(name, "Only here")
    for note in [n for n in held().values() if n.category.name == name][:2]:
        note.text = "Changed here"
    db.session.commit()
    reset_stats(sandbox)

    assert run("Full Push").status == "COMPLETED"

    assert not note_writes(sandbox)


def test_made_edited_and_deleted_in_pco_arrive_with_the_notes_step(sandbox):
    run("Full Sync")
    person = someone_in_pco()
    made = sandbox_admin(sandbox, "POST", "/notes", {
        "person_id": int(person.pco_id), "category": "Follow-up", "note": "Made in PCO"})["note"]
    assert run("Notes").created_count == 1
    assert held()[str(made["id"])].text == "Made in PCO"

    sandbox_admin(sandbox, "PATCH", f"/notes/{made['id']}", {"note": "Edited in PCO"})
    assert run("Notes").updated_count == 1
    db.session.expire_all()
    assert held()[str(made["id"])].text == "Edited in PCO"

    sandbox_admin(sandbox, "DELETE", f"/notes/{made['id']}")
    assert run("Full Sync").status == "COMPLETED"
    assert str(made["id"]) not in held()


def listing_requests(sandbox):
    return stats(sandbox)["by_route"].get("GET /people/v2/notes", 0)


def test_a_full_sync_reads_synced_categories_only_and_keeps_a_note_pco_still_has(sandbox):
    """Notes are read a category at a time (no category reaches PCO's deep offset before it
    holds 30,000 notes); one not listed is deleted here only once PCO confirms it gone."""
    run("Full Sync")
    categories = db.session.scalars(select(NoteCategory)).all()
    busiest = busiest_category()
    quiet = next(c.name for c in categories if c.name != busiest)
    note = next(n for n in held().values() if n.category.name == busiest)
    set_sync(quiet, FieldSync.OFF)
    sandbox_admin(sandbox, "PATCH", f"/notes/{note.pco_note_id}", {"category": quiet})
    reset_stats(sandbox)

    assert run("Full Sync").status == "COMPLETED"

    assert listing_requests(sandbox) == len(categories) - 1  # a page each; none for `quiet`
    assert stats(sandbox)["by_route"].get("GET /people/v2/notes/<id>") == 1
    assert note.pco_note_id in held()  # moved to a category not synced, not deleted in PCO


def test_a_page_of_new_notes_reads_the_notes_held_once(sandbox):
    """The page's notes held here are read in one query; each new note looked up again (and
    the one before it flushed) cost a millisecond a note."""
    run("People")
    lookups = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().startswith("SELECT") and "notes.pco_note_id IN" in statement \
                or "notes.pco_note_id =" in statement:
            lookups.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        notes = run("Notes")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert notes.created_count > 3
    assert len(lookups) == len(db.session.scalars(select(NoteCategory)).all())  # a page each


def test_notes_pulled_together_hold_what_the_rule_writes_one_by_one(sandbox, monkeypatch):
    """A page's new notes go in with one statement (pull/notes.py, on stand-ins): each row
    holds what rules.apply_note writes on a Note, value for value (date, author, stamp, hash)."""
    from pcosync.pco import notes as pco_notes
    from pcosync.services.rules import notes as rules

    records, load_note = [], pco_notes.load_note
    monkeypatch.setattr(pco_notes, "load_note",
                        lambda resource: records.append(load_note(resource)) or records[-1])
    run("People")
    assert run("Notes").created_count == len(records) > 3
    moments = {"id", "created_at", "updated_at"}

    def rows():
        db.session.expire_all()
        return {n.pco_note_id: {c.key: getattr(n, c.key) for c in Note.__table__.c
                                if c.key not in moments} for n in db.session.scalars(select(Note))}
    pulled = rows()
    db.session.execute(delete(Note))
    categories = rules.categories_by_pco_id()
    person_ids = dict(db.session.execute(select(Person.pco_id, Person.id)).all())
    for record in records:
        rules.apply_note(record, person_ids[record["person_pco_id"]],
                         categories[record["category_pco_id"]], None)
    db.session.commit()
    assert rows() == pulled
