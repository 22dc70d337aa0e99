"""Apply a PCO person to a local one. PCO wins on demographics and on the contact points it
holds; local-only contact points and operational fields (allergies, photo, verification
status) are never touched. Unchanged means no write at all; older than held means not applied.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import (
    SYNCED_PERSON_FIELDS, Address, Email, Outcome, Person, PhoneNumber, utcnow,
)
from .normalize import email_key, name_key, phone_digits
from .state import ADDRESS_FIELDS, EMAIL_FIELDS, PHONE_FIELDS, digest, person_state_from_pco

CREATED, UPDATED, SKIPPED = Outcome.CREATED, Outcome.UPDATED, Outcome.SKIPPED

CONTACTS = (
    ("emails", Email, EMAIL_FIELDS, lambda d: email_key(d["address"])),
    ("phone_numbers", PhoneNumber, PHONE_FIELDS, lambda d: phone_digits(d["number"])),
    ("addresses", Address, ADDRESS_FIELDS,
     lambda d: (d.get("street_line_1") or "", d.get("zip") or "")),
)


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
    person.search_name = name_key(person.first_name, person.last_name)
    for kind, model, fields, key in CONTACTS:
        merge_contacts(person, kind, model, fields, key, record[kind],
                       remove_missing=record.get("contacts_included", True))
    person.pco_updated_at = record["pco_updated_at"] or person.pco_updated_at
    person.pco_synced_state = person_state_from_pco(record)
    person.pco_synced_hash = digest(person.pco_synced_state)
    person.pco_synced_at = utcnow()


def merge_contacts(person, kind, model, fields, key, incoming, remove_missing=True):
    """Bring the PCO-linked contact points of one kind in line with PCO's list."""
    current = getattr(person, kind)
    by_pco_id = {c.pco_id: c for c in current if c.pco_id}
    local_only = {key(_values(c, fields)): c for c in current if not c.pco_id}
    seen = set()
    for data in incoming:
        seen.add(data["pco_id"])
        item = by_pco_id.get(data["pco_id"]) or local_only.pop(key(data), None)
        if item is None:
            item = model(pco_id=data["pco_id"])
            current.append(item)
        _set_contact(item, data, fields)
    if remove_missing:
        for item in [c for c in current if c.pco_id and c.pco_id not in seen]:
            current.remove(item)


def _values(item, fields):
    return {name: getattr(item, name) for name in fields}


def _set_contact(item, data, fields):
    item.pco_id = data["pco_id"]
    item.pco_updated_at = data.get("pco_updated_at")
    for name in fields:
        value = bool(data.get(name)) if name == "is_primary" else data.get(name)
        if getattr(item, name) != value:
            setattr(item, name, value)
    if isinstance(item, Email):
        item.normalized = email_key(item.address)
    elif isinstance(item, PhoneNumber):
        item.digits = phone_digits(item.number)
