"""Families (PCO Households): the list, one family, its members, primary member and address.

`pco_household_id` and `pco_synced_hash` are never written here; the pusher compares the
family's state with its hash, so changing name, members, primary or address is enough.
"""
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Address, Family, FamilyMember, Person
from ..rules import pending_removals
from .common import paginate, person_to_add
from .contacts import FAMILY_ADDRESS_FIELDS
from .search import name_condition

# PCO's household roles; a role pulled from elsewhere is kept and shown as it is.
FAMILY_ROLES = (("adult", "Adult"), ("child", "Child"),
                ("parent_guardian", "Parent / guardian"), ("other_adult", "Other adult"))


def family_condition(text):
    """Families whose name starts with `text` ("clark"), with a member whose name does
    ("ann clark", "lee"), or whose home address has it in its street or city: three "Clark
    Household"s are told apart by who is in them and where they live."""
    members = select(FamilyMember.family_id).join(Person, Person.id == FamilyMember.person_id)
    pattern = f"%{text.lower()}%"
    at_address = select(Address.family_id).where(Address.family_id.is_not(None), or_(
        func.lower(Address.street_line_1).like(pattern), func.lower(Address.city).like(pattern)))
    return or_(func.lower(Family.name).startswith(text.lower(), autoescape=True),
               Family.id.in_(members.where(name_condition(text))), Family.id.in_(at_address))


def list_families(page=1, search=""):
    """One page of families by name as (family, member count), in a fixed number of queries."""
    member_count = (select(func.count(FamilyMember.id))
                    .where(FamilyMember.family_id == Family.id)
                    .correlate(Family).scalar_subquery())
    query = (select(Family).where(Family.archived_at.is_(None))
             .options(selectinload(Family.primary_member), selectinload(Family.address),
                      selectinload(Family.members).selectinload(FamilyMember.person)))
    if search:
        query = query.where(family_condition(search))
    result = paginate(query, (Family.name, Family.id), page)
    counts = dict(db.session.execute(
        select(Family.id, member_count).where(Family.id.in_([f.id for f in result.items]))).all())
    result.items = [(family, counts.get(family.id, 0)) for family in result.items]
    return result


def load_family(family_id):
    options = [selectinload(Family.members).selectinload(FamilyMember.person),
               selectinload(Family.address), selectinload(Family.primary_member)]
    return db.session.get(Family, family_id, options=options)


def create_family(name):
    family = Family(name=name)
    db.session.add(family)
    db.session.commit()
    return family


def update_family(family, name, address_data):
    """Rename and set the family address; an address with every field empty removes it."""
    family.name = name
    _set_address(family, address_data)
    db.session.commit()
    return family


def _set_address(family, data):
    values = {name: data.get(name) for name in FAMILY_ADDRESS_FIELDS}
    if not any(values.values()):
        family.address = None
        return
    family.set_address(values)


def member_ids(family):
    return {member.person_id for member in family.members}


def add_member(family, person_id, role):
    person = person_to_add(person_id, member_ids(family), "already a member of this family")
    family.members.append(FamilyMember(person=person, role=role))
    if family.primary_member_id is None:
        family.primary_member = person  # a family's first member is its primary contact
    pending_removals.forget(pending_removals.HOUSEHOLD, family.pco_household_id, person.pco_id)
    db.session.commit()
    return person


def remove_member(family, member):
    """Remove; when it was the primary member, no one is primary until the admin chooses.
    Returns True when PCO's household still holds them: the next push removes them there."""
    if family.primary_member_id == member.person_id:
        family.primary_member = None
    held_by_pco = member.from_pco and pending_removals.remember(
        pending_removals.HOUSEHOLD, family.pco_household_id, member.person.pco_id)
    family.members.remove(member)
    db.session.commit()
    return held_by_pco


def make_primary(family, member):
    family.primary_member_id = member.person_id
    db.session.commit()
