"""Group Membership rules of the sandbox store (a mixin of SandboxStore).

Groups themselves are read-only through the API, as in PCO; only memberships change.
"""
from .errors import Invalid, NotFound

ONE_ACTIVE_MEMBERSHIP = "A Person can only have one active Membership to a Group at a time"


class GroupWritesMixin:
    def get_group(self, group_id):
        group = self.db.groups.get(group_id)
        if group is None:
            raise NotFound(f"Group {group_id}")
        return group

    def get_group_membership(self, group_id, membership_id):
        self.get_group(group_id)
        membership = self.db.group_memberships.get(membership_id)
        if membership is None or membership["group_id"] != group_id:
            raise NotFound(f"Membership {membership_id}")
        return membership

    def create_group_membership(self, group_id, person_id, attributes):
        with self.lock:
            self.get_group(group_id)
            if person_id is None or self.db.people.get(person_id) is None:
                raise Invalid("can't be blank", parameter="person", resource="Membership")
            if self._group_membership_of(group_id, person_id) is not None:
                raise Invalid(ONE_ACTIVE_MEMBERSHIP, parameter="person", resource="Membership")
            membership = {
                "role": attributes.get("role") or "member",
                "joined_at": attributes.get("joined_at") or self.now(),
            }
            self.db.add_group_membership(group_id, person_id, membership)
            self._emit("group_memberships", "created", membership)
            return membership

    def update_group_membership(self, group_id, membership_id, attributes):
        with self.lock:
            membership = self.get_group_membership(group_id, membership_id)
            changes = {k: v for k, v in attributes.items() if k in ("role", "joined_at")}
            if self._changed(membership, changes):
                membership.update(changes)
                self._emit("group_memberships", "updated", membership)
            return membership

    def delete_group_membership(self, group_id, membership_id):
        with self.lock:
            self.get_group_membership(group_id, membership_id)
            membership = self.db.remove_group_membership(membership_id)
            self._emit("group_memberships", "destroyed", membership)

    def _group_membership_of(self, group_id, person_id):
        for membership_id in self.db.person_groups.ids(person_id):
            membership = self.db.group_memberships.rows[membership_id]
            if membership["group_id"] == group_id:
                return membership
        return None

    def _leave_groups(self, person_id):
        for membership_id in self.db.person_groups.ids(person_id):
            membership = self.db.remove_group_membership(membership_id)
            self._emit("group_memberships", "destroyed", membership)
