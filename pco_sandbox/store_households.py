"""Household and HouseholdMembership rules of the sandbox store (a mixin of SandboxStore).

PCO has no household_membership.* webhook event: membership changes show up as
household.updated, whose payload carries the `people` relationship.
"""
from . import records
from .errors import Invalid, NotFound


class HouseholdWritesMixin:
    def get_household(self, household_id):
        household = self.db.households.get(household_id)
        if household is None:
            raise NotFound(f"Household {household_id}")
        return household

    def get_household_membership(self, household_id, membership_id):
        self.get_household(household_id)
        membership = self.db.household_memberships.get(membership_id)
        if membership is None or membership["household_id"] != household_id:
            raise NotFound(f"HouseholdMembership {membership_id}")
        return membership

    def create_household(self, attributes, people_ids, primary_contact_id):
        with self.lock:
            self._check_new_household(people_ids, primary_contact_id)
            now = self.now()
            primary = self.get_person(primary_contact_id)
            household = {
                "name": attributes.get("name") or records.household_name_for(
                    primary.get("last_name"), primary.get("first_name")),
                "avatar": attributes.get("avatar"), "primary_contact_id": primary_contact_id,
                "created_at": now, "updated_at": now,
            }
            self.db.add_household(household)
            for person_id in dict.fromkeys(people_ids):
                self._join_household(household, person_id, {})
            self._emit("households", "created", household)
            return household

    def _check_new_household(self, people_ids, primary_contact_id):
        if not people_ids:
            raise Invalid("can't be blank", parameter="people", resource="Household")
        if primary_contact_id is None:
            raise Invalid("can't be blank", parameter="primary_contact", resource="Household")
        for person_id in people_ids:
            if self.db.people.get(person_id) is None:
                raise Invalid(f"Person {person_id} could not be found", parameter="people",
                              resource="Household")
        if primary_contact_id not in people_ids:
            raise Invalid("must be one of the household's people",
                          parameter="primary_contact", resource="Household")

    def update_household(self, household_id, attributes):
        with self.lock:
            household = self.get_household(household_id)
            changes = {k: v for k, v in attributes.items() if k in ("name", "avatar")}
            primary_id = attributes.get("primary_contact_id")
            if primary_id is not None:
                if primary_id not in self._member_ids(household_id):
                    raise Invalid("must be one of the household's people",
                                  parameter="primary_contact_id", resource="Household")
                changes["primary_contact_id"] = primary_id
            if self._changed(household, changes):
                household.update(changes, updated_at=self.now())
                self._emit("households", "updated", household)
            return household

    def delete_household(self, household_id):
        with self.lock:
            household = self.get_household(household_id)
            for membership in self.db.members_of_household(household_id):
                self.db.remove_household_member(membership["id"])
            self.db.households.pop(household_id)
            self._emit("households", "destroyed", household)

    def add_household_member(self, household_id, person_id, attributes):
        with self.lock:
            household = self.get_household(household_id)
            if person_id is None or self.db.people.get(person_id) is None:
                raise Invalid("can't be blank", parameter="person",
                              resource="HouseholdMembership")
            if person_id in self._member_ids(household_id):
                raise Invalid("has already been taken", parameter="person",
                              resource="HouseholdMembership")
            membership = self._join_household(household, person_id, attributes)
            household["updated_at"] = self.now()
            self._emit("households", "updated", household)
            return membership

    def update_household_member(self, household_id, membership_id, attributes):
        with self.lock:
            membership = self.get_household_membership(household_id, membership_id)
            changes = {k: v for k, v in attributes.items() if k in ("pending", "household_role")}
            if self._changed(membership, changes):
                membership.update(changes)
                household = self.get_household(household_id)
                household["updated_at"] = self.now()
                self._emit("households", "updated", household)
            return membership

    def remove_household_member(self, household_id, membership_id):
        with self.lock:
            self.get_household_membership(household_id, membership_id)
            self._drop_membership(membership_id)

    def _join_household(self, household, person_id, attributes):
        person = self.db.people.rows[person_id]
        default_role = "child_or_dependent" if person.get("child") else "adult"
        membership = {
            "pending": bool(attributes.get("pending", False)),
            "household_role": attributes.get("household_role") or default_role,
        }
        return self.db.add_household_member(household["id"], person_id, membership)

    def _member_ids(self, household_id):
        return [m["person_id"] for m in self.db.members_of_household(household_id)]

    def _leave_households(self, person_id):
        for membership_id in self.db.person_households.ids(person_id):
            self._drop_membership(membership_id)

    def _drop_membership(self, membership_id):
        """Remove a member; a household left empty is destroyed, a lost primary replaced."""
        membership = self.db.remove_household_member(membership_id)
        household = self.db.households.rows[membership["household_id"]]
        remaining = self._member_ids(household["id"])
        if not remaining:
            self.db.households.pop(household["id"])
            self._emit("households", "destroyed", household)
            return
        if household["primary_contact_id"] == membership["person_id"]:
            household["primary_contact_id"] = remaining[0]
        household["updated_at"] = self.now()
        self._emit("households", "updated", household)
