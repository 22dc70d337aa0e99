"""Person merges, as PCO's "Merge profiles" does them (a mixin of SandboxStore).

PCO has no API to merge (facts 2.1): a merge is made in PCO's UI, and the API only shows its
record, a PersonMerger (person_to_keep_id, person_to_remove_id, created_at), plus the webhook
person_merger.created. Here a merge moves the removed person's contact points, households,
groups and custom field values (where the kept person has none) to the kept person, deletes the
removed person and stamps every record it changed, so the listings by updated_at show what moved.
"""
from .errors import Invalid, NotFound
from .tables import CONTACT_KINDS


class MergerWritesMixin:
    def merge_people(self, keep_id, remove_id):
        with self.lock:
            if keep_id == remove_id:
                raise Invalid("can't merge a person into themselves",
                              parameter="person_to_remove_id", resource="PersonMerger")
            keep, remove = self.get_person(keep_id), self.get_person(remove_id)
            for kind in CONTACT_KINDS:
                self._move_contacts(kind, remove_id, keep_id)
            self._move_households(remove_id, keep_id)
            self._move_group_memberships(remove_id, keep_id)
            self._move_field_data(remove_id, keep_id)
            self.db.people.pop(remove_id)
            self._emit("people", "destroyed", remove)
            keep["updated_at"] = self.now()
            self._emit("people", "updated", keep)
            merger = self.db.person_mergers.insert({
                "person_to_keep_id": keep_id, "person_to_remove_id": remove_id,
                "created_at": self.now()})
            self._emit("person_mergers", "created", merger)
            return merger

    def get_person_merger(self, merger_id):
        merger = self.db.person_mergers.get(merger_id)
        if merger is None:
            raise NotFound(f"PersonMerger {merger_id}")
        return merger

    def _move_contacts(self, kind, from_id, to_id):
        keeps_primary = any(c.get("primary") for c in self.db.contacts_of(kind, to_id))
        for contact in self.db.contacts_of(kind, from_id):
            self.db.move_contact(kind, contact["id"], to_id)
            contact["primary"] = bool(contact.get("primary")) and not keeps_primary
            contact["updated_at"] = self.now()
            self._emit(kind, "updated", contact)

    def _move_households(self, from_id, to_id):
        for membership_id in self.db.person_households.ids(from_id):
            membership = self.db.household_memberships.rows[membership_id]
            household = self.db.households.rows[membership["household_id"]]
            if to_id not in self._member_ids(household["id"]):
                self._join_household(household, to_id, membership)
            if household["primary_contact_id"] == from_id:
                household["primary_contact_id"] = to_id
            self._drop_membership(membership_id)

    def _move_group_memberships(self, from_id, to_id):
        for membership_id in self.db.person_groups.ids(from_id):
            membership = self.db.remove_group_membership(membership_id)
            self._emit("group_memberships", "destroyed", membership)
            if self._group_membership_of(membership["group_id"], to_id) is None:
                moved = self.db.add_group_membership(membership["group_id"], to_id, {
                    "role": membership["role"], "joined_at": membership["joined_at"]})
                self._emit("group_memberships", "created", moved)
