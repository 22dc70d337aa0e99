"""A person's pastoral notes as the directory shows and edits them. The views check notes.view
and notes.manage; nothing here logs a note's text.

A note deleted here that PCO holds, in a both-ways category, is stamped `deleted_at` and
deleted by the next Push Notes; any other note is deleted at once (PCO keeps its copy when the
category does not sync both ways).
"""
from datetime import date, datetime, time, timezone

from sqlalchemy import select

from ...extensions import db
from ...models import FieldSync, Note, NoteCategory, utcnow
from ...models.notes import NOTE_LENGTH
from .common import DirectoryError


def notes_of(person):
    return db.session.scalars(select(Note).where(
        Note.person_id == person.id, Note.deleted_at.is_(None))
        .order_by(Note.display_date.desc(), Note.id.desc())).all()


def writable_categories():
    """Categories a note may be written in here (an off category is not synced: still fine)."""
    return db.session.scalars(select(NoteCategory).order_by(NoteCategory.name)).all()


def note_of(person, note_id):
    note = db.session.get(Note, note_id)
    if note is None or note.person_id != person.id or note.deleted_at is not None:
        return None
    return note


def add_note(person, category_id, text, on_date, author):
    note = Note(person=person, category=_category(category_id), author_name=author)
    _fill(note, text, on_date)
    db.session.add(note)
    db.session.commit()
    return note


def edit_note(note, category_id, text, on_date):
    note.category = _category(category_id)
    _fill(note, text, on_date)
    db.session.commit()
    return note


def delete_note(note):
    if note.pco_note_id and note.category.sync == FieldSync.BOTH:
        note.deleted_at = utcnow()
    else:
        db.session.delete(note)
    db.session.commit()


def _category(category_id):
    category = db.session.get(NoteCategory, category_id) if category_id else None
    if category is None:
        raise DirectoryError("Choose a category for the note.")
    return category


def _fill(note, text, on_date):
    text = (text or "").strip()
    if not text:
        raise DirectoryError("A note needs some text.")
    if len(text) > NOTE_LENGTH:
        raise DirectoryError(f"A note holds at most {NOTE_LENGTH} characters.")
    note.text = text
    if isinstance(on_date, date) and not isinstance(on_date, datetime):
        on_date = datetime.combine(on_date, time(12), tzinfo=timezone.utc)
    note.display_date = on_date or note.display_date or utcnow()
