"""Apply a PCO person to a local one. PCO wins on demographics and on the contact points it
holds; local-only contact points and operational fields (allergies, photo, verification
status) are never touched. Unchanged means no write at all; older than held means not applied.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import SYNCED_PERSON_FIELDS, Outcome, Person, utcnow
from .contact_kinds import CONTACT_KINDS
from .state import digest, person_state_from_pco

CREATED, UPDATED, SKIPPED = Outcome.CREATED, Outcome.UPDATED, Outcome.SKIPPED


def is_stale(held, incoming):
    """A late webhook or an old page must not roll newer data back."""
    return held is not None and incoming is not None and incoming < held


def is_unchanged(held_updated_at, held_hash, record):
    """What apply_person would skip for a person already linked to this record's PCO id."""
    return (is_stale(held_updated_at, record["pco_updated_at"])
            or held_hash == digest(person_state_from_pco(record)))


def unchanged_pco_ids(records):
    """PCO ids of the records a pull would skip, from one light query: a page of unchanged
    people costs no person objects and none of their contact points."""
    query = (select(Person.pco_id, Person.pco_updated_at, Person.pco_synced_hash)
             .where(Person.pco_id.in_([r["pco_id"] for r in records])))
    held = {row.pco_id: row for row in db.session.execute(query)}
    return {r["pco_id"] for r in records
            if (row := held.get(r["pco_id"])) is not None
            and is_unchanged(row.pco_updated_at, row.pco_synced_hash, r)}


def apply_person(person, record):
    """Merge `record` (from schemas.load_person) into `person` (None: create). Returns the
    outcome: created, updated or skipped."""
    if person is None:
        person = Person(pco_id=record["pco_id"])
        db.session.add(person)
        _write(person, record)
        return CREATED, person
    if is_stale(person.pco_updated_at, record["pco_updated_at"]) or (
            person.pco_id == record["pco_id"]
            and is_unchanged(person.pco_updated_at, person.pco_synced_hash, record)):
        return SKIPPED, person
    person.pco_id = record["pco_id"]
    _write(person, record)
    return UPDATED, person


def _write(person, record):
    for name in SYNCED_PERSON_FIELDS:
        value = record.get(name)
        if name == "status":
            value = value if value in ("active", "inactive") else "active"
        if name == "child":
            value = bool(value)
        if getattr(person, name) != value:
            setattr(person, name, value)
    for kind in CONTACT_KINDS:
        merge_contacts(person, kind, record[kind.name],
                       remove_missing=record.get("contacts_included", True))
    person.pco_updated_at = record["pco_updated_at"] or person.pco_updated_at
    person.pco_synced_state = person_state_from_pco(record)
    person.pco_synced_hash = digest(person.pco_synced_state)
    person.pco_synced_at = utcnow()


def merge_contacts(person, kind, incoming, remove_missing=True):
    """Bring the PCO-linked contact points of one kind in line with PCO's list."""
    current = kind.items(person)
    by_pco_id = {c.pco_id: c for c in current if c.pco_id}
    local_only = {kind.match_key(kind.values(c)): c for c in current if not c.pco_id}
    seen = set()
    for data in incoming:
        seen.add(data["pco_id"])
        item = by_pco_id.get(data["pco_id"]) or local_only.pop(kind.match_key(data), None)
        if item is None:
            item = kind.model(pco_id=data["pco_id"])
            current.append(item)
        _set_contact(item, data, kind.fields)
    if remove_missing:
        for item in [c for c in current if c.pco_id and c.pco_id not in seen]:
            current.remove(item)


def _set_contact(item, data, fields):
    item.pco_id = data["pco_id"]
    item.pco_updated_at = data.get("pco_updated_at")
    for name in fields:
        value = bool(data.get(name)) if name == "is_primary" else data.get(name)
        if getattr(item, name) != value:
            setattr(item, name, value)
