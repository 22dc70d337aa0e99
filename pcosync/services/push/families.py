"""Push Families: local families become PCO Households (members and primary contact as
relationships); new members join through household memberships; the family address goes to
the primary member's PCO record.

The hash stored after a push is the one the next Sync Families computes for the household, so
push-then-pull is all Skipped, and an unchanged family costs no request.
"""
import logging

from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Family, FamilyMember, Person, utcnow
from ...pco import schemas
from ...pco.errors import PCONotFound, PCOValidationError
from ...pco.jsonapi import document, ref
from ..rules import pending_removals
from ..rules.contact_kinds import ADDRESSES
from ..rules.families import address_values, family_state, primary_address_row
from ..rules.merge import CREATED, SKIPPED, UPDATED
from ..rules.scope import current_scope, held_pco_ids, may_send
from ..rules.state import contact_rows, with_contact
from .base import RecordPusher, count_live, live_batches
from .people import agree

log = logging.getLogger("pcosync.push")

BATCH_SIZE = 50
FAMILY_OPTIONS = (selectinload(Family.members).selectinload(FamilyMember.person)
                  .selectinload(Person.addresses),
                  selectinload(Family.address), selectinload(Family.primary_member))


def push_families(client, progress):
    progress.expect(count_live(Family))
    pusher = FamilyPusher(client, progress)
    for batch in live_batches(Family, BATCH_SIZE, *FAMILY_OPTIONS):
        for family in batch:
            pusher.push(family)
        progress.checkpoint()


def family_hash(family, members, primary):
    """What Sync Families would compute once PCO holds this family as it is here."""
    address = family.address or primary_address_row(primary)
    return family_state(family.name, [person.pco_id for person in members], primary.pco_id,
                        address_values(address))


class FamilyPusher(RecordPusher):
    def __init__(self, client, progress):
        super().__init__(client, progress)
        self.scope = current_scope()
        self.held = held_pco_ids(self.scope)

    def push(self, family):
        # A member the scope holds back is never put in a PCO household by us; a household
        # with a member outside the sync scope is left as PCO has it (leaving the scope
        # changes nothing on either side: its primary contact must not move).
        members = [member.person for member in family.members
                   if may_send(member.person, self.scope)]
        if not self._pushable(family, members) or (family.pco_household_id and any(
                member.person.out_of_scope_since for member in family.members)):
            self.progress.count(SKIPPED)
            return
        primary = family.primary_member if family.primary_member in members else members[0]
        if family.pco_household_id and family.pco_synced_hash == family_hash(
                family, members, primary):
            self.progress.count(SKIPPED)
            return
        self.attempt("Family", f"Family {family.name!r} was not pushed",
                     lambda: self._push_changed(family, members, primary),
                     pco_id=family.pco_household_id, local_id=family.id)

    def _pushable(self, family, members):
        """A family without members has nothing PCO could hold (a household needs people)."""
        missing = [person.full_name for person in members if not person.pco_id]
        if missing:
            self.progress.issue(
                "Family", f"Family {family.name!r}: {', '.join(missing)} not in PCO yet; "
                "push People first, then Push Families.", pco_id=family.pco_household_id,
                local_id=family.id)
        return bool(members) and not missing

    def _push_changed(self, family, members, primary):
        if family.pco_household_id is None:
            self._create(family, members, primary)
            outcome = CREATED
        else:
            self._update(family, members, primary)
            outcome = UPDATED
        push_family_address(self.client, family, primary)
        family.primary_member = primary
        for member in family.members:
            member.from_pco = True  # PCO holds this membership now: a pull may settle it
        family.pco_synced_hash = family_hash(family, members, primary)
        family.pco_synced_at = utcnow()
        db.session.commit()
        return outcome

    def _create(self, family, members, primary):
        resource = self.client.create_household(
            family.name, [person.pco_id for person in members], primary.pco_id)
        record = schemas.load_household(resource)
        family.pco_household_id = record["pco_household_id"]
        family.pco_updated_at = record["pco_updated_at"]
        family.pco_avatar_url = record["avatar"]  # PCO's own (pull only), as PCO answered
        db.session.commit()  # at once: a crash must not create the household twice

    def _update(self, family, members, primary):
        record = schemas.load_household(self.client.get_household(family.pco_household_id))
        present = set(record["member_pco_ids"])
        for person in members:
            if person.pco_id not in present:
                self._add_member(family, person)
        if record["name"] != family.name or record["primary_contact_pco_id"] != primary.pco_id:
            update_household(self.client, family, record, primary)
        self._remove_members(family, present)  # after the primary contact may have moved
        family.pco_updated_at = record["pco_updated_at"] or family.pco_updated_at
        family.pco_avatar_url = record["avatar"]

    def _remove_members(self, family, present):
        """People removed from the family here leave the PCO household too."""
        removals = pending_removals.pending(pending_removals.HOUSEHOLD, family.pco_household_id)
        still_held = any(removal.person_pco_id in present for removal in removals)
        held = self._household_memberships(family) if still_held else {}
        for removal in removals:
            if removal.person_pco_id in self.held:
                continue  # not written while held back; still pending for later
            if removal.person_pco_id in held:
                try:
                    self.client.delete_household_membership(family.pco_household_id,
                                                            held[removal.person_pco_id])
                except PCONotFound:
                    pass  # gone from PCO already: that is what we wanted
            pending_removals.done(removal)

    def _household_memberships(self, family):
        """{person PCO id: household membership PCO id}."""
        held = {}
        for page in self.client.iter_household_memberships(family.pco_household_id):
            for resource in page.records:
                record = schemas.load_household_membership(resource)
                held[record["person_pco_id"]] = record["pco_id"]
        return held

    def _add_member(self, family, person):
        try:
            self.client.add_household_member(family.pco_household_id, person.pco_id)
        except PCOValidationError as err:
            if "already" not in err.message.lower():
                raise


def update_household(client, family, record, primary):
    """PATCH the name and primary contact (only what differs); the client has no typed call."""
    attributes = {"name": family.name} if record["name"] != family.name else {}
    relationships = None
    if record["primary_contact_pco_id"] != primary.pco_id:
        relationships = {"primary_contact": {"data": ref("Person", primary.pco_id)}}
    body = document("Household", schemas.dump_household(attributes), relationships,
                    resource_id=family.pco_household_id)
    client.patch(f"/people/v2/households/{family.pco_household_id}", body)


def push_family_address(client, family, primary):
    """Send the family address to the primary member's PCO address and keep their local copy
    (and the state agreed with PCO) equal to it."""
    wanted = address_values(family.address)
    if wanted is None:
        return
    target = primary_address_row(primary)
    if target is None or target.pco_id is None:
        record = _create_address(client, primary, target, wanted)
    else:
        record = _update_address(client, primary, target, wanted)
    if record is not None and primary.pco_synced_state is not None:
        agree(primary, with_contact(primary.pco_synced_state, ADDRESSES.name, record))
    db.session.commit()


def _create_address(client, primary, target, wanted):
    is_primary = target.is_primary if target is not None else True
    attributes = ADDRESSES.dump({**wanted, "is_primary": is_primary})
    record = ADDRESSES.load(client.create_contact(primary.pco_id, ADDRESSES.name,
                                                  ADDRESSES.pco_type, attributes))
    if target is None:
        target = ADDRESSES.model(is_primary=is_primary)
        primary.addresses.append(target)
    _copy(target, wanted)
    target.pco_id, target.pco_updated_at = record["pco_id"], record["pco_updated_at"]
    return record


def _update_address(client, primary, target, wanted):
    """PATCH the fields PCO holds differently (per the agreed state, else the local copy)."""
    held = _held_address(primary, target)
    changed = {name: value for name, value in wanted.items() if held.get(name) != value}
    _copy(target, wanted)
    if not changed:
        return None
    record = ADDRESSES.load(client.update_contact(ADDRESSES.name, ADDRESSES.pco_type,
                                                  target.pco_id, ADDRESSES.dump(changed)))
    target.pco_updated_at = record["pco_updated_at"]
    return record


def _held_address(primary, target):
    held = contact_rows(primary.pco_synced_state, ADDRESSES.name).get(target.pco_id)
    return held if held is not None else address_values(target)


def _copy(target, values):
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
