"""The one way tests build people, families and groups.

- Records shaped like pcosync.pco.schemas output (what a pull or a webhook hands the rules):
  person_record, email_record, phone_record.
- Local rows, written and committed through the ORM: make_person, make_family, make_group,
  one_of_everything. The models keep the derived keys (search_name, normalized, digits).

By default make_person() is the local twin of person_record(): Ann Lee, born 1 May 1980.
"""
import io
from datetime import date, datetime, timezone
from itertools import count

from PIL import Image
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import (
    Address, Attendance, Department, DuplicatePair, Email, Family, FamilyMember, FieldChange,
    Group, GroupEvent, GroupMembership, MediaKind, MediaSource, NameEquivalence, Note,
    NoteCategory, Person, PhoneNumber, Role,
)

_ids = count(1000)
BIRTHDATE = date(1980, 5, 1)


def when(day, hour=12):
    return datetime(2026, 1, day, hour, tzinfo=timezone.utc)


# -- records, as PCO's schemas load them ------------------------------------------------------

def email_record(address, pco_id=None, primary=True, location="Home"):
    return {"pco_id": pco_id or str(next(_ids)), "address": address, "location": location,
            "is_primary": primary, "pco_updated_at": when(1)}


def phone_record(number, pco_id=None, primary=True, location="Mobile"):
    return {"pco_id": pco_id or str(next(_ids)), "number": number, "location": location,
            "is_primary": primary, "pco_updated_at": when(1)}


def person_record(pco_id=None, first_name="Ann", last_name="Lee", birthdate=BIRTHDATE,
                  emails=(), phones=(), addresses=(), updated=None, **extra):
    record = {
        "pco_id": pco_id or str(next(_ids)), "first_name": first_name, "middle_name": None,
        "last_name": last_name, "nickname": None, "gender": None, "birthdate": birthdate,
        "status": "active", "membership": None, "child": False,
        "pco_updated_at": updated or when(2), "emails": list(emails),
        "phone_numbers": list(phones), "addresses": list(addresses), "contacts_included": True,
    }
    record.update(extra)
    return record


# -- local rows -------------------------------------------------------------------------------

def make_person(first_name="Ann", last_name="Lee", birthdate=BIRTHDATE, emails=(), phones=(),
                addresses=(), **fields):
    """A person with the given emails, phone numbers and addresses (dicts of Address fields);
    the first of each kind is the primary one. Any other Person field as a keyword."""
    person = Person(first_name=first_name, last_name=last_name, birthdate=birthdate, **fields)
    for position, address in enumerate(emails):
        person.emails.append(Email(address=address, location="Home", is_primary=position == 0))
    for position, number in enumerate(phones):
        person.phone_numbers.append(PhoneNumber(number=number, location="Mobile",
                                                is_primary=position == 0))
    for position, values in enumerate(addresses):
        person.addresses.append(Address(**{"location": "Home", **values},
                                        is_primary=position == 0))
    return save(person)


def make_family(name="Lee family", members=(), primary=None, address=None, role="adult"):
    """A family of `members` (all with `role`); the primary member is `primary`, else the
    first member. `address`: a dict of Address fields."""
    members = list(members)
    family = Family(name=name, primary_member=primary or (members[0] if members else None))
    for person in members:
        family.members.append(FamilyMember(person=person, role=role))
    if address:
        family.address = Address(is_primary=True, **address)
    return save(family)


def make_group(name="Choir", department="Music", pco_group_id=None, members=(),
               joined_at=None):
    """A group in `department` (found by name, or made), with `members`: (person, role) pairs
    that joined at `joined_at`."""
    found = db.session.query(Department).filter_by(name=department).first()
    group = Group(name=name, department=found or Department(name=department),
                  pco_group_id=pco_group_id)
    for person, role in members:
        group.memberships.append(GroupMembership(person=person, role=role, joined_at=joined_at))
    return save(group)


def one_of_everything():
    """A person with an email and a phone in a family and a group, and a second person: ids for
    every directory route's arguments, so each route points at a real row."""
    ann = make_person("Ann", "Lee", emails=["ann@example.org"], phones=["503-555-0101"])
    bob = make_person("Bob", "Lee")
    family = make_family("Lee family", [ann])
    group = make_group("Choir", members=[(ann, "member")])
    pair = save(DuplicatePair(person_id=min(ann.id, bob.id), other_person_id=max(ann.id, bob.id),
                              score=80, reasons=["same last name"]))
    names = save(NameEquivalence(kind="first", name="jose", other_name="pepe", added_by="test"))
    note = make_note(ann)
    make_meeting(group, {ann: True, bob: False})
    role = db.session.scalar(select(Role).where(Role.name == "VIEWER"))
    group.description = "Sings on Sundays"  # a change of a value in the history, to undo
    save(group)
    change = db.session.scalar(select(FieldChange).where(FieldChange.group_id == group.id,
                                                         FieldChange.field == "description"))
    photo = make_photo(ann)
    ids = {"person_id": ann.id, "file_id": photo.id, "family_id": family.id,
           "group_id": group.id,
           "contact_id": ann.emails[0].id, "kind": "emails",
           "member_id": family.members[0].id, "membership_id": group.memberships[0].id,
           "pair_id": pair.id, "row_id": names.id,
           "note_id": note.id, "role_id": role.id if role else 1,
           "change_id": change.id if change else 1}
    return ids, bob


def make_photo(person):
    """A photo taken here for `person`, stored (bytes and row) as the directory stores one."""
    from pcosync.services.media import files

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 90, 160)).save(out, "PNG")
    row, _ = files.keep(MediaKind.PERSON_PHOTO, person.id, "local:test", out.getvalue(),
                        "image/png", source=MediaSource.LOCAL)
    db.session.commit()
    return row


NOTE_TEXT = "Pastoral: grieving, visit on Tuesday"


def make_meeting(group, attended, name="Choir practice", days_ago=7):
    """A meeting of `group` from PCO with its attendance ({person: attended})."""
    event = GroupEvent(group=group, name=name, starts_at=when(days_ago), canceled=False,
                       pco_event_id=f"ev-{group.id}-{days_ago}")
    for position, (person, was_there) in enumerate(attended.items()):
        event.attendances.append(Attendance(
            person=person, attended=was_there, role="member",
            pco_attendance_id=f"at-{group.id}-{days_ago}-{position}"))
    return save(event)


def make_note(person, text=NOTE_TEXT, category="Pastoral Care", **fields):
    """A note on `person` in a category of that name (made on first need)."""
    found = db.session.scalar(select(NoteCategory).where(NoteCategory.name == category))
    note = Note(person=person, text=text, display_date=when(1),
                category=found or NoteCategory(name=category), **fields)
    return save(note)


def save(row):
    db.session.add(row)
    db.session.commit()
    return row
