"""The Notes step: note categories, then the notes PCO changed since the cursor.

PCO lists notes without an `updated_at` filter, so a changed note is found by reading newest
first down to the cursor (as Quick Sync reads addresses), and the cursor moves only once the
scan is complete. As a step of the Full Sync (or with no cursor yet) it reads every note of
the categories the church syncs and reconciles: a note PCO no longer lists, and confirms gone
(404), was deleted there (PCO's note.destroyed may have been missed) and is deleted here too.
Nothing of a note's text is logged.
"""
import logging
from contextlib import closing

from sqlalchemy import delete, select

from ...extensions import db
from ...models import FieldSync, Note, NoteCategory, Person
from ...pco import notes as pco_notes
from ..rules import notes as rules
from ..rules.merge import CREATED, SKIPPED
from . import cursors
from .bulk_create import StandIn
from .insert_many import insert_rows
from .listing import load_records, still_in_pco

log = logging.getLogger("pcosync.pull")
CURSOR = "notes"


def pull_notes(client, progress):
    categories = pull_note_categories(client, progress)
    if progress.parent is not None or cursors.position(CURSOR) is None:
        reconcile_notes(client, progress, categories)
    else:
        pull_changed_notes(client, progress, categories)


def pull_note_categories(client, progress):
    held = rules.categories_by_pco_id()
    for page in pco_notes.iter_categories(client):
        for record in load_records(page.records, pco_notes.load_note_category, "NoteCategory",
                                   progress):
            rules.apply_category(record, held)
    progress.checkpoint()
    return held


def pull_changed_notes(client, progress, categories):
    reached = None
    for page in pco_notes.iter_changed_notes(client, cursors.start(CURSOR)):
        apply_notes_page(page.records, progress, categories)
        reached = page.position
        progress.checkpoint(quiet=True)
    cursors.advance(CURSOR, reached)
    progress.checkpoint()


def reconcile_notes(client, progress, categories):
    seen, newest = set(), None
    synced = [category.pco_note_category_id for category in categories.values()
              if category.sync != FieldSync.OFF]
    # Read ahead like every Full Sync listing (pco/prefetch.py); closing joins its thread.
    with closing(pco_notes.iter_all_notes(client, synced, read_ahead=True)) as pages:
        for page in pages:
            seen.update(str(r.get("id")) for r in page.records if isinstance(r, dict))
            records = apply_notes_page(page.records, progress, categories)
            stamps = [r["pco_updated_at"] for r in records if r["pco_updated_at"]]
            newest = max(stamps + ([newest] if newest else []), default=None)
            progress.checkpoint(quiet=True)
    remove_notes_gone_from_pco(seen, progress, still_in_pco(
        lambda pco_id: pco_notes.get_note(client, pco_id)))
    cursors.advance(CURSOR, newest)
    progress.checkpoint()


def apply_notes_page(page_records, progress, categories):
    """A page of notes: the changed ones updated, the new ones inserted with one statement
    (built by the same rules, on stand-ins: a Note object each was most of the step's time)."""
    records = list({r["pco_id"]: r for r in load_records(
        page_records, pco_notes.load_note, "Note", progress)}.values())  # one row a note
    person_ids = dict(db.session.execute(select(Person.pco_id, Person.id).where(
        Person.pco_id.in_({r["person_pco_id"] for r in records}))).all()) if records else {}
    held = {n.pco_note_id: n for n in db.session.scalars(select(Note).where(
        Note.pco_note_id.in_([r["pco_id"] for r in records])))} if records else {}
    new_notes = []
    for record in records:
        progress.count(apply_one(record, person_ids, categories, held, new_notes))
    insert_rows(Note, [note.values for note in new_notes])
    log.info("notes page run_id=%s notes=%s", progress.run.id, len(records))
    return records


def apply_one(record, person_ids, categories, held, new_notes):
    person_id, category = person_ids.get(record["person_pco_id"]), categories.get(
        record["category_pco_id"])
    if person_id is None or category is None:
        return SKIPPED  # the person's pull (or the next one) brings them
    note = held.get(record["pco_id"])
    if note is None and category.sync != FieldSync.OFF:
        new = StandIn(Note, pco_note_id=record["pco_id"], person_id=person_id,
                      category_id=category.id)
        rules.write_note(new, record)
        new_notes.append(new)
        return CREATED
    return rules.apply_note(record, person_id, category, note)


def remove_notes_gone_from_pco(seen, progress, exists):
    """Linked notes PCO did not list (of categories still synced) and confirms gone are deleted
    here. A note deleted in PCO during the read shifts the next page by one, and a note moved
    to a category the church does not sync is not listed: both still exist, so both stay."""
    missing = {pco_id: note_id for note_id, pco_id, sync in db.session.execute(
        select(Note.id, Note.pco_note_id, NoteCategory.sync)
        .join(Note.category).where(Note.pco_note_id.is_not(None)))
        if pco_id not in seen and sync != FieldSync.OFF}
    if missing:  # a short listing from PCO must not delete a church's notes (runs/guard.py)
        progress.allow_archive("Note", len(missing), len(seen))
    gone = [note_id for pco_id, note_id in missing.items() if not exists(pco_id)]
    if gone:
        db.session.execute(delete(Note).where(Note.id.in_(gone)))
        log.info("notes deleted in PCO run_id=%s count=%s", progress.run.id, len(gone))
    return len(gone)
