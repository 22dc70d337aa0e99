"""Sync Families: PCO households become local families (also applied by household webhooks)."""
from collections import Counter
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Address, Family, FamilyMember, Person, ReviewKind, utcnow
from ...pco import schemas
from .bulk_create import StandIn
from .insert_many import NewId, insert_with_children
from ..rules.merge import CREATED, SKIPPED, UPDATED, is_stale
from ..rules.pending_removals import HOUSEHOLD, removed_people
from ..rules.families import (
    FAMILY_ADDRESS_FIELDS, address_values, family_state, primary_address_row,
)
from ..rules.scope import pull_narrowed
from .listing import people_by_pco_id, pull_listing, still_in_pco
from .scope import households_in_scope
from .staged_households import forget, staged_pages


def families_by_household_id(pco_household_ids, for_update=False, with_address=True):
    """Local families by PCO household id, with their members (and their address unless the
    caller reads it), in a few queries; `for_update`: their rows locked until the transaction
    ends (in id order)."""
    loads = [selectinload(Family.members).selectinload(FamilyMember.person)]
    if with_address:
        loads.append(selectinload(Family.address))
    query = select(Family).where(Family.pco_household_id.in_(set(pco_household_ids)))
    query = query.options(*loads)
    if for_update:
        query = query.with_for_update(of=Family).order_by(Family.id)
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
    """PCO's households, from its listing, or in a Full Sync from the people pages Sync People
    read (pull/staged_households.py)."""
    run_id = progress.parent.id if progress.parent is not None else None
    staged = staged_pages(client, run_id)
    pull_listing(staged or client.iter_households(read_ahead=True), schemas.load_household,
                 "Household", partial(apply_households_page, narrowed=pull_narrowed()),
                 progress, (Family, Family.pco_household_id, still_in_pco(client.get_household)))
    if staged is not None:
        forget(run_id)


def apply_households_page(records, progress, narrowed=False):
    """A page of households in a few queries: each household's state is computed from light
    rows (ids, PCO ids, the primary contacts' addresses), an unchanged or older one is skipped
    there, new ones are created in bulk, and only the changed ones load their family and
    people as objects for apply_household."""
    if narrowed:  # households follow the people inside the pull scope (rules/scope)
        records = households_in_scope(records, progress)
    if not records:
        return
    page = HouseholdsPage(records)
    # Not in a preview (its report reads the ORM's flushes), nor for a household the page
    # holds twice (the later record must find the family the first one made).
    bulk = getattr(progress, "bulk_writes", False)
    repeated = {key for key, n in Counter(r["pco_household_id"] for r in records).items()
                if n > 1}
    new, changed = [], []
    for record in records:
        outcome = page.judge(record, progress)
        if outcome == SKIPPED:
            progress.count(SKIPPED)
        elif outcome == CREATED and bulk and record["pco_household_id"] not in repeated:
            new.append(record)
        else:
            changed.append(record)
    if new:
        page.create(new)
        progress.count(CREATED, len(new))
    if changed:
        _apply_one_by_one(changed, page.removed, progress)


def _apply_one_by_one(records, removed, progress):
    """apply_household for each record, with its family and people loaded as objects."""
    people = people_by_pco_id([i for r in records for i in r["member_pco_ids"]],
                              selectinload(Person.addresses))
    families = families_by_household_id([r["pco_household_id"] for r in records])
    for record in records:
        key = record["pco_household_id"]
        outcome, families[key] = apply_household(record, families.get(key), people,
                                                 _ALREADY_FILED, removed.get(key, set()))
        progress.count(outcome)


class _AlreadyFiled:
    """What apply_household reports (the members not pulled yet) HouseholdsPage.judge has
    already filed, for every household of the page."""

    def issue(self, *args, **kwargs):
        pass

    def review(self, *args, **kwargs):
        pass


_ALREADY_FILED = _AlreadyFiled()


class HouseholdsPage:
    """What a page of households needs, read once: the families held (light rows), the local
    people its households name (id, child), their primary contacts' addresses, and the people
    removed here from those families."""

    def __init__(self, records):
        keys = [r["pco_household_id"] for r in records]
        self.held = {row.pco_household_id: row for row in db.session.execute(
            select(Family.pco_household_id, Family.pco_updated_at, Family.pco_synced_hash,
                   Family.pco_avatar_url).where(Family.pco_household_id.in_(set(keys))))}
        member_ids = {i for r in records for i in r["member_pco_ids"]}
        self.people = {row.pco_id: row for row in db.session.execute(
            select(Person.pco_id, Person.id, Person.child).where(
                Person.pco_id.in_(member_ids)))} if member_ids else {}
        self.addresses = _primary_addresses(
            {self.people[r["primary_contact_pco_id"]].id for r in records
             if r["primary_contact_pco_id"] in self.people})
        self.removed = removed_from_households(keys)
        self.plans = {}

    def judge(self, record, progress):
        """SKIPPED, CREATED or UPDATED, as apply_household would decide; the members not
        pulled yet are reported as it reports them."""
        held = self.held.get(record["pco_household_id"])
        if held is not None and is_stale(held.pco_updated_at, record["pco_updated_at"]):
            return SKIPPED
        members = _linked_members(record, self.people, progress)
        primary = self.people.get(record["primary_contact_pco_id"])
        address = self.addresses.get(primary.id) if primary is not None else None
        new_hash = family_state(record["name"], [p.pco_id for p in members],
                                primary.pco_id if primary else None, address)
        if held is not None:
            unchanged = (held.pco_synced_hash == new_hash
                         and held.pco_avatar_url == record.get("avatar"))
            return SKIPPED if unchanged else UPDATED
        self.plans[record["pco_household_id"]] = (members, primary, address, new_hash)
        return CREATED

    def create(self, records):
        """New families in bulk, with their members and addresses: the rows apply_household's
        _write_family makes."""
        now = utcnow()
        keys = [record["pco_household_id"] for record in records]
        members = [StandIn(FamilyMember, family_id=NewId(key), person_id=person.id,
                           role="child" if person.child else "adult", from_pco=True).values
                   for key in keys for person in self._kept(key)]
        addresses = [_family_address(NewId(key), self.plans[key][2]).values
                     for key in keys if self.plans[key][2] is not None]
        insert_with_children(Family, Family.pco_household_id,
                             [self._family_row(record, now) for record in records],
                             [(FamilyMember, members), (Address, addresses)])

    def _kept(self, key):
        removed = self.removed.get(key, set())
        return [person for person in self.plans[key][0] if person.pco_id not in removed]

    def _family_row(self, record, now):
        key = record["pco_household_id"]
        _members, primary, _address, new_hash = self.plans[key]
        if primary is not None and primary.pco_id in self.removed.get(key, set()):
            primary = None  # removed here: the admin chooses another primary member
        return StandIn(Family, pco_household_id=key, name=record["name"] or "Household",
                       pco_avatar_url=record.get("avatar"),
                       pco_updated_at=record["pco_updated_at"], pco_synced_at=now,
                       primary_member_id=primary.id if primary is not None else None,
                       pco_synced_hash=new_hash).values


def _family_address(family_id, values):
    """Family.set_address on a new family, on a stand-in."""
    address = StandIn(Address, family_id=family_id, location="Home", is_primary=True)
    for name, value in values.items():
        if getattr(address, name) != value:
            setattr(address, name, value)
    return address


def _primary_addresses(person_ids):
    """{person id: the values of the address a household takes from them} (see
    rules/families.primary_address_row: their primary address, else their first one)."""
    if not person_ids:
        return {}
    found = {}
    rows = db.session.execute(select(Address.person_id, Address.is_primary,
                                     *[getattr(Address, name) for name in FAMILY_ADDRESS_FIELDS])
                              .where(Address.person_id.in_(person_ids)).order_by(Address.id))
    for row in rows:
        if row.person_id not in found or (row.is_primary and not found[row.person_id][0]):
            found[row.person_id] = (row.is_primary,
                                    {name: getattr(row, name) for name in FAMILY_ADDRESS_FIELDS})
    return {person_id: values for person_id, (_primary, values) in found.items()}
