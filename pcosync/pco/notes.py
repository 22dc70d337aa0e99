"""PCO's notes and note categories (People 2025-11-10): reading, loading into plain dicts, and
the writes PCO allows (a note is created under its person, patched and deleted by its own id).

Notes cannot be filtered by `updated_at`, only ordered by it: a changed note is found by
reading newest first (deltas.iter_newest_first). Each note comes with its author (`include=
created_by`), whose name is the only thing read of them.

Every note is read a category at a time (`where[note_category_id]`, one of the two filters PCO
documents for notes; there is no `created_at` or `id` filter to page by, as People are): each
category's listing starts again at offset 0, so only a category of more than 30,000 notes
reaches PCO's stricter limit past that offset, and a category the church does not sync is
not read at all. Oldest first (`order=created_at`): an edit in PCO during the read moves no
note between pages, as newest-updated first did.
"""
from collections.abc import Iterator

from marshmallow import fields, validate

from .client import _segment, format_timestamp
from .deltas import DeltaPage, iter_newest_first
from .in_flight import read_in_flight
from .jsonapi import document, resolve_document
from .schema_base import (
    AttributesSchema, UTCDateTime, is_resolved, load_resource, malformed, plain_text, related_id,
)

NOTES = "/people/v2/notes"
CATEGORIES = "/people/v2/note_categories"
NOTE_INCLUDES = ("created_by",)
MAX_NOTE = 20_000


class NoteCategoryAttributes(AttributesSchema):
    name = fields.String(load_default=None, allow_none=True,
                         validate=[plain_text, validate.Length(max=200)])


class NoteAttributes(AttributesSchema):
    note = fields.String(load_default=None, allow_none=True,
                         validate=[plain_text, validate.Length(max=MAX_NOTE)])
    display_date = UTCDateTime(load_default=None, allow_none=True)
    created_at = UTCDateTime(load_default=None, allow_none=True)
    updated_at = UTCDateTime(load_default=None, allow_none=True)
    note_category_id = fields.Raw(load_default=None, allow_none=True)
    person_id = fields.Raw(load_default=None, allow_none=True)


_CATEGORY, _NOTE = NoteCategoryAttributes(), NoteAttributes()


def load_note_category(resource) -> dict:
    envelope, category = load_resource(resource, "NoteCategory", _CATEGORY)
    return {"pco_id": envelope["id"], "name": category["name"] or "(no name)"}


def load_note(resource) -> dict:
    """{pco_id, person_pco_id, category_pco_id, text, display_date, author_name (None when
    the author was not included), pco_updated_at}."""
    envelope, note = load_resource(resource, "Note", _NOTE)
    relationships = envelope["relationships"]
    person_id = related_id(relationships, "person") or _text_id(note["person_id"])
    category_id = related_id(relationships, "note_category") or _text_id(
        note["note_category_id"])
    if person_id is None or category_id is None:
        raise malformed(f"Note {envelope['id']}", "no person or no note category")
    return {"pco_id": envelope["id"], "person_pco_id": person_id,
            "category_pco_id": category_id, "text": note["note"] or "",
            "display_date": note["display_date"] or note["created_at"],
            "author_name": _author(relationships), "pco_updated_at": note["updated_at"]}


def _text_id(value):
    return None if value in (None, "") else str(value)


def _author(relationships):
    author = (relationships.get("created_by") or {}).get("data")
    if not is_resolved(author):
        return None
    attributes = author.get("attributes") or {}
    name = attributes.get("name") or " ".join(
        part for part in (attributes.get("first_name"), attributes.get("last_name")) if part)
    return str(name)[:200] or None


def iter_categories(client):
    return client.iter_pages(CATEGORIES)


def iter_all_notes(client, category_ids, read_ahead: bool = False) -> Iterator:
    """The notes of the categories `category_ids` (see above), a category after another;
    `read_ahead`: read ahead instead, several requests in flight across the categories
    (in_flight.py), the pages in no set order."""
    listings = [(NOTES, {"where[note_category_id]": category_id, "order": "created_at"},
                 NOTE_INCLUDES) for category_id in category_ids]
    if read_ahead:
        return read_in_flight(client, listings)
    return (page for path, params, include in listings
            for page in client.iter_pages(path, params, include=include))


def get_note(client, note_id) -> dict:
    """One note (PCONotFound when PCO no longer has it)."""
    return client.get_resource(f"{NOTES}/{_segment(note_id)}")


def iter_changed_notes(client, since) -> Iterator[DeltaPage]:
    """Notes changed since `since`, newest first, until an older one."""
    return iter_newest_first(client, NOTES, since, include=NOTE_INCLUDES)


def get_note_category(client, category_id) -> dict:
    return client.get_resource(f"{CATEGORIES}/{_segment(category_id)}")


def note_document(text, display_date, category_pco_id, note_id=None) -> dict:
    return document("Note", {"note": text, "display_date": format_timestamp(display_date),
                             "note_category_id": category_pco_id}, resource_id=note_id)


def create_note(client, person_id, body) -> dict:
    return _resource(client.post(f"/people/v2/people/{_segment(person_id)}/notes", body))


def update_note(client, note_id, body) -> dict:
    return _resource(client.patch(f"{NOTES}/{_segment(note_id)}", body))


def delete_note(client, note_id) -> None:
    client.delete(f"{NOTES}/{_segment(note_id)}")


def _resource(body) -> dict:
    resource = resolve_document(body) if isinstance(body, dict) else None
    if not isinstance(resource, dict):
        raise malformed("Note", "PCO answered a write without the note")
    return resource
