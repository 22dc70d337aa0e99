"""A person's emails, phone numbers and addresses: add, edit, remove.

The search keys (`Email.normalized`, `PhoneNumber.digits`) are kept by the models. Removing a
contact point that came from PCO is allowed: the next push removes it in PCO too.
"""
from sqlalchemy import select

from ...extensions import db
from ..rules.contact_kinds import ADDRESSES, BY_SEGMENT

KINDS = BY_SEGMENT  # the directory's URL segment -> the kind of contact point
# What the family form edits of the family address (a family's address has no location).
FAMILY_ADDRESS_FIELDS = tuple(name for name in ADDRESSES.fields
                              if name not in ("location", "is_primary"))


def find_contact(person, kind_name, contact_id):
    """The person's contact point of that kind and id, or None (never someone else's)."""
    kind = KINDS[kind_name]
    query = select(kind.model).where(kind.model.id == contact_id,
                                     kind.model.person_id == person.id)
    return db.session.scalar(query)


def _write(kind, contact, data):
    for name in kind.fields:
        if name in data and getattr(contact, name) != data[name]:
            setattr(contact, name, data[name])


def _keep_one_primary(person, kind, chosen):
    """A person has at most one primary contact point of each kind: the one just marked."""
    if not chosen.is_primary:
        return
    for other in kind.items(person):
        if other is not chosen and other.is_primary:
            other.is_primary = False


def add_contact(person, kind_name, data):
    kind = KINDS[kind_name]
    contact = kind.model()
    _write(kind, contact, data)
    if not kind.items(person):
        contact.is_primary = True  # the first one is the primary one
    kind.items(person).append(contact)
    _keep_one_primary(person, kind, contact)
    db.session.commit()
    return contact


def update_contact(person, kind_name, contact, data):
    kind = KINDS[kind_name]
    _write(kind, contact, data)
    _keep_one_primary(person, kind, contact)
    db.session.commit()
    return contact


def remove_contact(person, kind_name, contact):
    """Delete the row. Returns True when PCO still holds a copy (it had a PCO id)."""
    kind = KINDS[kind_name]
    held_by_pco = contact.pco_id is not None
    kind.items(person).remove(contact)
    db.session.commit()
    return held_by_pco
