"""Push Notes: the notes of "sync both ways" categories that differ from what PCO holds.

A note without a PCO id is created under its person (once the person is in PCO); one whose
hash differs from the state agreed with PCO is PATCHed; one deleted here is deleted in PCO and
then here. Each PCO id and agreed state is committed at once, so a crash never sends a note
twice, and a second push sends nothing. Pull-only and off categories are never looked at.
"""
from functools import partial

from sqlalchemy import select

from ...extensions import db
from ...models import FieldSync, Note, NoteCategory, Person
from ...pco import notes as pco_notes
from ...pco.errors import PCONotFound
from ..rules.merge import CREATED, UPDATED
from ..rules.notes import hash_of
from .base import RecordPusher

REFUSED = "PCO refused the note"


def push_notes(client, progress):
    pusher = RecordPusher(client, progress)
    waiting = notes_to_send()
    progress.expect(len(waiting))
    for note in waiting:
        pusher.attempt("Note", REFUSED, partial(send_note, client, note),
                       pco_id=note.pco_note_id, local_id=note.id)
        progress.checkpoint()


def notes_to_send():
    """Notes of both-ways categories whose people are in PCO, and that differ from PCO."""
    query = (select(Note).join(Note.category).join(Note.person)
             .where(NoteCategory.sync == FieldSync.BOTH,
                    NoteCategory.pco_note_category_id.is_not(None),
                    Person.pco_id.is_not(None)).order_by(Note.id))
    return [note for note in db.session.scalars(query)
            if note.deleted_at is not None or note.pco_note_id is None
            or note.pco_synced_hash != hash_of(note)]


def send_note(client, note):
    if note.deleted_at is not None:
        return _delete(client, note)
    if note.pco_note_id is not None:
        try:
            return _settle(note, pco_notes.update_note(client, note.pco_note_id, _body(note)),
                           UPDATED)
        except PCONotFound:
            note.pco_note_id = None  # deleted in PCO meanwhile: the edit here makes it again
    return _settle(note, pco_notes.create_note(client, note.person.pco_id, _body(note)),
                   CREATED)


def _body(note):
    return pco_notes.note_document(
        note.text, note.display_date, note.category.pco_note_category_id, note_id=note.pco_note_id)


def _settle(note, resource, outcome):
    record = pco_notes.load_note(resource)
    note.pco_note_id = record["pco_id"]
    note.pco_updated_at = record["pco_updated_at"]
    note.pco_synced_hash = hash_of(note)
    db.session.commit()  # a crash must never lose a PCO id
    return outcome


def _delete(client, note):
    try:
        pco_notes.delete_note(client, note.pco_note_id)
    except PCONotFound:
        pass  # gone there already
    db.session.delete(note)
    db.session.commit()
    return UPDATED
