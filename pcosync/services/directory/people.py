"""People in the local directory: the list, one person's page, create, edit, archive.

Edits write only the fields a form may change. The PCO link (`pco_id`, `pco_updated_at`,
`pco_synced_hash`) is never written here: the pusher finds local edits by comparing the hash of
the person's synced fields with `pco_synced_hash`, so changing the fields is all it needs.
"""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    Email, Family, FamilyMember, Group, GroupMembership, Person, PersonStatus, PhoneNumber,
    utcnow,
)
from ...models.people import PERSON_SORT_NAME
from ..rules.contact_kinds import CONTACT_KINDS
from ..rules.state import person_state_from_local
from . import custom_fields, keyset
from .common import paginate
from .search import person_condition

# What the person form may write; everything else on Person belongs to the sync.
EDITABLE_PERSON_FIELDS = (
    "first_name", "middle_name", "last_name", "nickname", "gender", "birthdate", "status",
    "membership", "child", "given_name", "name_prefix", "name_suffix", "anniversary",
    "marital_status", "grade", "graduation_year", "school", "medical_notes", "inactive_reason",
    "campus_id", "allergies", "photo_url", "verification_status",
)
PICKER_LIMIT = 20
# The index ix_people_sort_name serves it (id breaks ties, so pages never overlap); a missing
# name part sorts as "", so a nameless person is a keyset boundary like any other.
PEOPLE_ORDER = (*PERSON_SORT_NAME, Person.id)


def people_row_key(person):
    """A person's values of PEOPLE_ORDER."""
    return (person.last_name or "", person.first_name or "", person.id)


def list_people(search="", page=1, archived=False, after=None, before=None):
    """One page of people, with what the list shows loaded in two extra queries in all.
    `after`/`before`: a keyset link's token (keyset.py); without one, page `page` by offset."""
    query = select(Person).options(
        selectinload(Person.emails), selectinload(Person.phone_numbers))
    query = query.where(Person.archived_at.is_not(None) if archived
                        else Person.archived_at.is_(None))
    condition = person_condition(search)
    if condition is not None:
        query = query.where(condition)
    after_key, before_key = keyset.decode(after or ""), keyset.decode(before or "")
    if page == 1 or after_key or before_key:
        return keyset.keyset_page(query, PEOPLE_ORDER, people_row_key, page,
                                  after=after_key, before=before_key)
    result = paginate(query, PEOPLE_ORDER, page)
    # The next and previous links from here on are keyset links.
    if result.items and result.has_next:
        result.next_key = keyset.encode(people_row_key(result.items[-1]))
    if result.items and result.has_prev:
        result.prev_key = keyset.encode(people_row_key(result.items[0]))
    return result


def find_people(search, exclude_ids=(), limit=PICKER_LIMIT):
    """Active-directory people matching `search`, for "add a member" pickers."""
    condition = person_condition(search)
    if condition is None:
        return []
    query = (select(Person).where(condition, Person.archived_at.is_(None))
             .order_by(*PEOPLE_ORDER).options(selectinload(Person.emails)).limit(limit))
    if exclude_ids:
        query = query.where(Person.id.not_in(list(exclude_ids)))
    return db.session.scalars(query).all()


def load_person(person_id):
    """The person with contact points and campus loaded, or None."""
    options = [selectinload(Person.emails), selectinload(Person.phone_numbers),
               selectinload(Person.addresses), selectinload(Person.campus)]
    return db.session.get(Person, person_id, options=options)


def families_of(person):
    query = (select(FamilyMember).join(Family).where(FamilyMember.person_id == person.id)
             .options(selectinload(FamilyMember.family)).order_by(Family.name, Family.id))
    return db.session.scalars(query).all()


def groups_of(person):
    query = (select(GroupMembership).join(Group).where(GroupMembership.person_id == person.id)
             .options(selectinload(GroupMembership.group).selectinload(Group.department))
             .order_by(Group.name, Group.id))
    return db.session.scalars(query).all()


def apply_person_fields(person, data):
    for name in EDITABLE_PERSON_FIELDS:
        if name in data and getattr(person, name) != data[name]:
            setattr(person, name, data[name])


def create_person(data, email=None, phone=None):
    """A new local person (no PCO id until a push), with an optional first email and phone."""
    person = Person()
    apply_person_fields(person, data)
    if email:
        person.emails.append(Email(address=email, location="Home", is_primary=True))
    if phone:
        person.phone_numbers.append(PhoneNumber(number=phone, location="Mobile", is_primary=True))
    db.session.add(person)
    db.session.commit()
    return person


def update_person(person, data):
    apply_person_fields(person, data)
    db.session.commit()
    return person


def archive_person(person, inactive_reason=None):
    """Hide from the directory; the row stays (a person linked to PCO is never deleted).
    Archived here is inactive in PCO: the next Push People sends the status and the reason."""
    if person.archived_at is None:
        person.archived_at = utcnow()
        person.status = PersonStatus.INACTIVE
        person.inactive_reason = inactive_reason or person.inactive_reason
        db.session.commit()


def restore_person(person):
    """Back in the directory, and active (in PCO too, with the next Push People)."""
    if person.archived_at is not None:
        person.archived_at = None
        person.status = PersonStatus.ACTIVE
        person.inactive_reason = None
        db.session.commit()


CONTACT_NAMES = {kind.name for kind in CONTACT_KINDS}
NOT_FIELDS = CONTACT_NAMES | set(custom_fields.STATE_KEYS)  # shown in their own words


def waiting_for_push(person):
    """[(what, here, in PCO)]: what differs from the state last agreed with PCO, which the next
    push sends (a linked person's fields, and how many contact points changed)."""
    base = person.pco_synced_state
    if person.pco_id is None or base is None:
        return []
    local = person_state_from_local(person)
    fields = [(name.replace("_", " "), local[name], base.get(name)) for name in local
              if name not in NOT_FIELDS and local[name] != base.get(name)]
    fields += custom_fields.waiting_for_push(local, base)
    changed = [kind.label for kind in CONTACT_KINDS if local[kind.name] != base.get(kind.name)]
    return fields + [(f"{label}s", "changed here", "") for label in changed]
