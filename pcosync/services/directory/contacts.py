"""A person's emails, phone numbers and addresses: add, edit, remove.

The search keys (`Email.normalized`, `PhoneNumber.digits`) are derived here on every write.
Removing a contact point that came from PCO is allowed: PCO keeps its copy until the next
push or pull settles it, which the page tells the admin.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import Address, Email, PhoneNumber
from ..rules.normalize import email_key, phone_digits


@dataclass(frozen=True)
class ContactKind:
    """One kind of contact point as the directory handles it."""

    model: type
    relation: str  # the Person relationship holding them
    fields: tuple  # the columns a form may write
    singular: str

    def derive_keys(self, contact):
        if self.model is Email:
            contact.normalized = email_key(contact.address)
        elif self.model is PhoneNumber:
            contact.digits = phone_digits(contact.number)


ADDRESS_FIELDS = ("street_line_1", "street_line_2", "city", "state", "zip", "country_code")
KINDS = {
    "emails": ContactKind(Email, "emails", ("address", "location", "is_primary"), "email"),
    "phones": ContactKind(PhoneNumber, "phone_numbers", ("number", "location", "is_primary"),
                          "phone number"),
    "addresses": ContactKind(Address, "addresses", ADDRESS_FIELDS + ("location", "is_primary"),
                             "address"),
}


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
    kind.derive_keys(contact)


def _keep_one_primary(person, kind, chosen):
    """A person has at most one primary contact point of each kind: the one just marked."""
    if not chosen.is_primary:
        return
    for other in getattr(person, kind.relation):
        if other is not chosen and other.is_primary:
            other.is_primary = False


def add_contact(person, kind_name, data):
    kind = KINDS[kind_name]
    contact = kind.model()
    _write(kind, contact, data)
    if not getattr(person, kind.relation):
        contact.is_primary = True  # the first one is the primary one
    getattr(person, kind.relation).append(contact)
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
    getattr(person, kind.relation).remove(contact)
    db.session.commit()
    return held_by_pco
