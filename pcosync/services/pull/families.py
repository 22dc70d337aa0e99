"""Sync Families: PCO households become local families (also applied by household webhooks)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Family, FamilyMember, Person, ReviewKind, utcnow
from ...pco import schemas
from ..rules.merge import CREATED, SKIPPED, UPDATED, is_stale
from ..rules.pending_removals import HOUSEHOLD, removed_people
from ..rules.families import address_values, family_state, primary_address_row
from .listing import people_by_pco_id, pull_listing, still_in_pco


def families_by_household_id(pco_household_ids):
    """Local families by PCO household id, with their members and address, in a few queries."""
    query = (select(Family).where(Family.pco_household_id.in_(set(pco_household_ids)))
             .options(selectinload(Family.members).selectinload(FamilyMember.person),
                      selectinload(Family.address)))
    return {family.pco_household_id: family for family in db.session.scalars(query)}


def find_family(pco_household_id):
    return families_by_household_id([pco_household_id]).get(pco_household_id)


def apply_household(record, family, people, progress, removed=frozenset()):
    """`family`: the local family linked to this household, or None; `people`: local people by
    PCO id (at least this household's, with their addresses); `removed`: PCO ids of people
    removed from this family here, whom the next push removes in PCO (see removed_from_households).
    Returns (outcome, family)."""
    if family is not None and is_stale(family.pco_updated_at, record["pco_updated_at"]):
        return SKIPPED, family
    members = _linked_members(record, people, progress)
    primary = people.get(record["primary_contact_pco_id"])
    address = address_values(primary_address_row(primary))
    # The hash is of what PCO holds, removals pending or not, so the push still sees them.
    new_hash = family_state(record["name"], [p.pco_id for p in members],
                            primary.pco_id if primary else None, address)
    if (family is not None and family.pco_synced_hash == new_hash
            and family.pco_avatar_url == record.get("avatar")):
        return SKIPPED, family
    outcome = UPDATED if family is not None else CREATED
    if family is None:
        family = Family(pco_household_id=record["pco_household_id"], name=record["name"])
        db.session.add(family)
    kept = [p for p in members if p.pco_id not in removed]
    if primary is not None and primary.pco_id in removed:
        primary = None  # removed here: the admin chooses another primary member
    _write_family(family, record, kept, primary, address)
    family.pco_synced_hash = new_hash
    return outcome, family


def removed_from_households(pco_household_ids):
    """{household PCO id: PCO ids of the people removed from its family here}."""
    removed = {}
    for household, person in removed_people(HOUSEHOLD, pco_household_ids):
        removed.setdefault(household, set()).add(person)
    return removed


def _linked_members(record, people, progress):
    members = []
    for pco_id in record["member_pco_ids"]:
        person = people.get(pco_id)
        if person is None:
            reason = (f"Member PCO person {pco_id} of household {record['name']!r} is not in "
                      "the local database yet: run Sync People first, then Sync Families.")
            progress.issue("Household", reason, pco_id=record["pco_household_id"])
            progress.review(ReviewKind.MEMBER_NOT_PULLED, reason,
                            f"{record['pco_household_id']}:{pco_id}", pco_id=pco_id,
                            details={"household_pco_id": record["pco_household_id"]})
        else:
            members.append(person)
    return members


def _write_family(family, record, members, primary, address):
    family.name = record["name"] or family.name or "Household"
    family.pco_avatar_url = record.get("avatar")  # pull only: PCO's household photo
    family.pco_updated_at = record["pco_updated_at"] or family.pco_updated_at
    family.pco_synced_at = utcnow()
    family.archived_at = None
    wanted = {p.id: p for p in members}
    for member in list(family.members):
        # PCO decides the membership of people linked to PCO; local-only people stay.
        if member.person.pco_id and member.person_id not in wanted:
            family.members.remove(member)
    present = {m.person_id for m in family.members}
    for person in members:
        if person.id not in present:
            role = "child" if person.child else "adult"
            family.members.append(FamilyMember(person=person, role=role, from_pco=True))
    family.primary_member = primary
    if address is not None:
        family.set_address(address)


def pull_families(client, progress):
    def apply_page(records, progress):
        people = people_by_pco_id([i for r in records for i in r["member_pco_ids"]],
                                  selectinload(Person.addresses))
        keys = [r["pco_household_id"] for r in records]
        families, removed = families_by_household_id(keys), removed_from_households(keys)
        for record in records:
            key = record["pco_household_id"]
            outcome, families[key] = apply_household(record, families.get(key), people,
                                                     progress, removed.get(key, set()))
            progress.count(outcome)

    pull_listing(client.iter_households(), schemas.load_household, "Household", apply_page,
                 progress, (Family, Family.pco_household_id, still_in_pco(client.get_household)))
