"""The rules notes share between pull, push and webhooks: what "the same note" means (a hash of
what both sides hold), which categories sync, and applying one note read from PCO.

A note PCO changed (its `updated_at` is newer than the one held) takes PCO's text, date and
category; one PCO has not changed is Skipped, so a second pull, and the echo of our own push,
write nothing. A note deleted here and not yet deleted in PCO is left alone. Notes of a category
that is off are neither read into nor kept up to date here.
"""
import hashlib

from sqlalchemy import select

from ...extensions import db
from ...models import FieldSync, Note, NoteCategory, utcnow
from .merge import CREATED, SKIPPED, UPDATED


def note_hash(text, display_date, category_pco_id):
    stamp = display_date.isoformat() if display_date else ""
    return hashlib.sha256("\x1f".join((text or "", stamp, category_pco_id or "")).encode())\
        .hexdigest()


def hash_of(note):
    return note_hash(note.text, note.display_date, note.category.pco_note_category_id)


def categories_by_pco_id():
    return {c.pco_note_category_id: c for c in db.session.scalars(select(NoteCategory))
            if c.pco_note_category_id}


def apply_category(record, held):
    """A category read from PCO: created with the default setting (pull only), renamed."""
    category = held.get(record["pco_id"])
    if category is None:
        category = NoteCategory(name=record["name"], pco_note_category_id=record["pco_id"],
                                sync=FieldSync.PULL)
        db.session.add(category)
        held[record["pco_id"]] = category
        return CREATED
    if category.name != record["name"]:
        category.name = record["name"]
        return UPDATED
    return SKIPPED


def held_note(pco_id):
    """The note held here for PCO's note `pco_id`, or None."""
    return db.session.scalar(select(Note).where(Note.pco_note_id == str(pco_id)))


def apply_note(record, person_id, category, note):
    """Apply one PCO note to the person `person_id`; returns the outcome. The caller finds the
    person and `note`, the note held for it (None: none): a pull reads a page's notes at once
    (looked up one by one, each flushing the one before, they cost a millisecond a note) and
    inserts its new ones together (pull/notes.py, with write_note)."""
    if category.sync == FieldSync.OFF:
        return SKIPPED
    if note is not None and (note.deleted_at is not None or _not_newer(note, record)):
        return SKIPPED
    outcome = CREATED if note is None else UPDATED
    if note is None:
        note = Note(pco_note_id=record["pco_id"])
        db.session.add(note)
    note.person_id, note.category = person_id, category
    write_note(note, record)
    return outcome


def write_note(note, record):
    """PCO's text, date, author and stamp on `note` (a Note, or a stand-in of a new one that
    runs its validators), and the hash of what both sides now agree on."""
    note.text, note.display_date = record["text"], record["display_date"] or utcnow()
    if record["author_name"]:
        note.author_name = record["author_name"]
    note.pco_updated_at = record["pco_updated_at"]
    note.pco_synced_hash = note_hash(note.text, note.display_date, record["category_pco_id"])


def _not_newer(note, record):
    """Older than held, or stamped alike and saying the same (PCO stamps to the second: an edit
    within the second of the last one read must still arrive)."""
    incoming, held = record["pco_updated_at"], note.pco_updated_at
    if held is None or incoming is None or incoming > held:
        return False
    return incoming < held or note.pco_synced_hash == note_hash(
        record["text"], record["display_date"], record["category_pco_id"])
