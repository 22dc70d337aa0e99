"""What the history records: the synced fields of each kind of record, the pages a row of
each belongs to (its person, family, group), and how values are kept as text."""
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from ...models import (
    SYNCED_PERSON_FIELDS, Address, Email, Family, FamilyMember, FieldValue, Group,
    GroupMembership, Person, PhoneNumber,
)
from ..rules.contact_kinds import ADDRESSES, EMAILS, PHONE_NUMBERS

# Local operational fields (allergies, photo, verification) are not synced and not recorded.
PERSON_FIELDS = SYNCED_PERSON_FIELDS + ("archived_at", "pco_id")
# What a revert never writes back: a PCO link is not a value of the record.
NOT_REVERTED = frozenset({"pco_id"})


def _person(obj):
    return {"person_id": obj.person_id}


def _address_owner(obj):
    return {"person_id": obj.person_id, "family_id": obj.family_id}


@dataclass(frozen=True)
class Tracked:
    model: type
    fields: tuple
    owners: Callable  # obj -> {"person_id"/"family_id"/"group_id": id}, its pages
    describe: Callable  # obj -> a short text naming it ("ann@example.org")
    # Part of its owner (a contact point, a value): made with a new owner, it is not recorded
    # apart from the owner's "created".
    part: bool = False

    @property
    def name(self):
        return self.model.__name__


def _text(*names):
    def describe(obj):
        return ", ".join(str(v) for v in (getattr(obj, n, None) for n in names) if v) or None
    return describe


TRACKED = {t.model: t for t in (
    Tracked(Person, PERSON_FIELDS, lambda obj: {"person_id": obj.id},
            lambda obj: obj.full_name),
    Tracked(Email, EMAILS.fields, _person, _text("address"), True),
    Tracked(PhoneNumber, PHONE_NUMBERS.fields, _person, _text("number"), True),
    Tracked(Address, ADDRESSES.fields, _address_owner, lambda obj: obj.one_line() or None, True),
    Tracked(Family, ("name", "primary_member_id", "archived_at"),
            lambda obj: {"family_id": obj.id}, _text("name")),
    Tracked(FamilyMember, ("role",),
            lambda obj: {"person_id": obj.person_id, "family_id": obj.family_id}, _text("role")),
    Tracked(Group, ("name", "description", "archived_at"),
            lambda obj: {"group_id": obj.id}, _text("name")),
    Tracked(GroupMembership, ("role",),
            lambda obj: {"person_id": obj.person_id, "group_id": obj.group_id}, _text("role")),
    Tracked(FieldValue, ("value",), _person, _text("value"), True),
)}
BY_NAME = {t.name: t for t in TRACKED.values()}


def encode(value):
    """A value as the history keeps it: text as it is, dates as ISO text, others as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return json.dumps(value, default=str, sort_keys=True)


def decode(record_type, field, text):
    """`encode`'s text back as the column's Python value."""
    if text is None:
        return None
    kind = BY_NAME[record_type].model.__table__.c[field].type.python_type
    if kind is str:
        return text
    if kind is datetime:
        return datetime.fromisoformat(text)
    if kind is date:
        return date.fromisoformat(text[:10])
    return kind(json.loads(text))
