"""Push Group Memberships: local memberships of groups that have a PCO id.

PCO's API cannot create groups, so a group without a PCO id is skipped. A group whose local
memberships are all linked and unchanged costs no request; otherwise PCO's memberships are
read once and only the ones PCO lacks are created. A membership PCO already has is Skipped,
not an error. A role changed here is PATCHed; a membership removed here is deleted in PCO.
"""
import logging

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Group, GroupMembership
from ...pco import schemas
from ...pco.errors import PCONotFound, PCOValidationError
from ..rules import pending_removals
from ..rules.merge import CREATED, SKIPPED, UPDATED
from ..rules.scope import current_scope, held_pco_ids, may_send
from .base import RECORD_ERRORS, RecordPusher

log = logging.getLogger("pcosync.push")

# How PCO words a refused second membership ("A Person can only have one active Membership
# to a Group at a time"); other wordings of the same refusal say "already".
ALREADY_MEMBER_HINTS = ("already", "one active membership")


def push_memberships(client, progress):
    pusher = MembershipPusher(client, progress)
    # Removals first: they commit one by one, which would expire the groups loaded below.
    removals = pending_removals.pending(pending_removals.GROUP)
    pusher.push_removals(removals)
    groups = db.session.scalars(
        select(Group).where(Group.archived_at.is_(None)).order_by(Group.id)
        .options(selectinload(Group.memberships).selectinload(GroupMembership.person))).all()
    progress.expect(_expected(groups) + len(removals))
    for group in groups:
        if group.pco_group_id is None:
            progress.count(SKIPPED)  # PCO cannot take memberships of a group it does not have
        else:
            pusher.push_group(group)
        progress.checkpoint()


def _expected(groups):
    ids = [group.id for group in groups if group.pco_group_id]
    linked = db.session.scalar(select(func.count()).select_from(GroupMembership)
                               .where(GroupMembership.group_id.in_(ids))) if ids else 0
    return linked + sum(1 for group in groups if group.pco_group_id is None)


def is_already_member(err):
    message = err.message.lower()
    return any(hint in message for hint in ALREADY_MEMBER_HINTS)


class MembershipPusher(RecordPusher):
    def __init__(self, client, progress):
        super().__init__(client, progress)
        self.scope = current_scope()
        self.held = held_pco_ids(self.scope)

    def push_group(self, group):
        pending = [membership for membership in group.memberships
                   if self._needs_push(group, membership)]
        if not pending:
            return
        try:
            held = self._held_by_pco(group)
        except RECORD_ERRORS as err:
            self.failures.failed("Group", f"Memberships of group {group.name!r} were not "
                                 "pushed", err, pco_id=group.pco_group_id, local_id=group.id)
            return
        for membership in pending:
            self._push(group, membership, held)

    def push_removals(self, removals):
        """Memberships removed here that PCO still holds: deleted there, then forgotten."""
        for removal in removals:
            if removal.person_pco_id in self.held:
                continue  # not written while held back; still pending for later
            self.attempt("Membership", f"The removal of PCO person {removal.person_pco_id} "
                         f"from PCO group {removal.parent_pco_id} was not pushed",
                         lambda: self._remove(removal), pco_id=removal.membership_pco_id)
        self.progress.checkpoint()

    def _remove(self, removal):
        try:
            self.client.delete_group_membership(removal.parent_pco_id, removal.membership_pco_id)
        except PCONotFound:
            pass  # gone from PCO already: that is what we wanted
        pending_removals.done(removal)
        return UPDATED

    def _needs_push(self, group, membership):
        """Counts the memberships that need nothing (or cannot be pushed) as Skipped; pushes
        the role of a linked one changed here."""
        person = membership.person
        if not may_send(person, self.scope):
            self.progress.count(SKIPPED)
            return False
        if membership.pco_membership_id and person.archived_at is None and (
                membership.pco_synced_role not in (None, membership.role)):
            self._push_role(group, membership)
            return False
        if membership.pco_membership_id or person.archived_at is not None:
            self.progress.count(SKIPPED)
            return False
        if not person.pco_id:
            self.progress.issue(
                "Membership", f"{person.full_name} of group "
                f"{group.name!r} is not in PCO yet: push People first.", local_id=membership.id)
            self.progress.count(SKIPPED)
            return False
        return True

    def _push_role(self, group, membership):
        self.attempt("Membership", f"The role of {membership.person.full_name} in group "
                     f"{group.name!r} was not pushed", lambda: self._send_role(group, membership),
                     pco_id=membership.pco_membership_id, local_id=membership.id)

    def _send_role(self, group, membership):
        resource = self.client.update_group_membership(
            group.pco_group_id, membership.pco_membership_id, membership.role)
        record = schemas.load_group_membership(resource, group.pco_group_id)
        membership.pco_synced_role = record["role"]
        db.session.commit()
        return UPDATED

    def _held_by_pco(self, group):
        """PCO's memberships of the group: {person PCO id: (membership PCO id, role)}."""
        held = {}
        for page in self.client.iter_group_memberships(group.pco_group_id):
            for resource in page.records:
                try:
                    record = schemas.load_group_membership(resource, group.pco_group_id)
                except ValidationError:
                    continue
                held[record["person_pco_id"]] = (record["pco_membership_id"], record["role"])
        return held

    def _push(self, group, membership, held):
        person = membership.person
        if person.pco_id in held:
            membership.pco_membership_id, membership.pco_synced_role = held[person.pco_id]
            db.session.commit()
            if membership.role != membership.pco_synced_role:
                self._push_role(group, membership)
            else:
                self.progress.count(SKIPPED)
            return
        self.attempt("Membership", f"{person.full_name} in group {group.name!r} was not pushed",
                     lambda: self._create(group, membership), pco_id=group.pco_group_id,
                     local_id=membership.id)

    def _create(self, group, membership):
        try:
            resource = self.client.create_group_membership(
                group.pco_group_id, membership.person.pco_id, membership.role,
                membership.joined_at)
        except PCOValidationError as err:
            if is_already_member(err):
                return SKIPPED  # PCO gained it since we read the list: nothing to do
            raise
        record = schemas.load_group_membership(resource, group.pco_group_id)
        membership.pco_membership_id = record["pco_membership_id"]
        membership.pco_synced_role = record["role"] or membership.role
        # PCO's joined_at (defaulted, or to the second): its webhook echo then changes nothing.
        membership.joined_at = record["joined_at"] or membership.joined_at
        db.session.commit()
        return CREATED
