"""The thread-safe sandbox store: PCO's business rules and change events over a Database.

Every public method takes the store's re-entrant lock, so request threads, the mutate
admin route and direct test calls can interleave safely. Each change is announced to the
listeners (the webhook dispatcher) while the lock is held, so a listener sees the record
exactly as the change left it.
"""
import threading
import time
from dataclasses import dataclass

from . import records
from .errors import Invalid, NotFound
from .store_field_definitions import FieldDefinitionWritesMixin
from .store_fields import FieldWritesMixin
from .store_groups import GroupWritesMixin
from .store_households import HouseholdWritesMixin
from .store_choice_lists import ListWritesMixin
from .store_mergers import MergerWritesMixin
from .store_notes import NoteWritesMixin
from .tables import CONTACT_KINDS, Database

EVENT_PREFIXES = {
    "people": "people.v2.events.person",
    "emails": "people.v2.events.email",
    "phone_numbers": "people.v2.events.phone_number",
    "addresses": "people.v2.events.address",
    "households": "people.v2.events.household",
    "group_memberships": "groups.v2.events.membership",
    "person_mergers": "people.v2.events.person_merger",
    "field_data": "people.v2.events.field_datum",
    "field_definitions": "people.v2.events.field_definition",
    "notes": "people.v2.events.note",
    "people_lists": "people.v2.events.list",
    "list_results": "people.v2.events.list_result",
}

ORGANIZATION = {
    "id": 427, "name": "Sandbox Community Church", "country_code": "US",
    "date_format": "%m/%d/%Y", "time_zone": "America/New_York",
    "contact_website": "https://sandbox-community.example.org", "created_at": 1420070400,
}


@dataclass
class ChangeEvent:
    name: str
    kind: str
    record: dict
    destroyed: bool
    at: int


class SandboxStore(HouseholdWritesMixin, GroupWritesMixin, MergerWritesMixin, ListWritesMixin,
                   FieldWritesMixin, FieldDefinitionWritesMixin, NoteWritesMixin):
    def __init__(self, database=None):
        self.lock = threading.RLock()
        self.db = database or Database()
        self.organization = dict(ORGANIZATION)
        self.sent_deliveries = []
        self._listeners = []

    # -- plumbing ---------------------------------------------------------------------

    def load(self, database):
        """Swap in freshly generated data; keeps this object (and app.extensions) valid."""
        with self.lock:
            self.db = database

    def subscribe(self, listener):
        self._listeners.append(listener)

    def now(self):
        return int(time.time())

    def _emit(self, kind, action, record):
        event = ChangeEvent(f"{EVENT_PREFIXES[kind]}.{action}", kind, record,
                            action == "destroyed", self.now())
        for listener in self._listeners:
            listener(event)

    @staticmethod
    def _changed(record, changes):
        return {key: value for key, value in changes.items() if record.get(key) != value}

    # -- people -----------------------------------------------------------------------

    def get_person(self, person_id):
        person = self.db.people.get(person_id)
        if person is None:
            raise NotFound(f"Person {person_id}")
        return person

    def create_person(self, attributes):
        with self.lock:
            now = self.now()
            person = {"created_at": now, "updated_at": now}
            self._assign_person(person, attributes, now)
            self.db.add_person(person)
            self._emit("people", "created", person)
            return person

    def update_person(self, person_id, attributes):
        with self.lock:
            person = self.get_person(person_id)
            candidate = dict(person)
            self._assign_person(candidate, attributes, self.now())
            if self._changed(person, candidate):
                candidate["updated_at"] = self.now()
                person.update(candidate)
                self._emit("people", "updated", person)
            return person

    def _assign_person(self, person, attributes, now):
        person.update(attributes)
        records.apply_status_rules(person, attributes, now)
        if not (person.get("first_name") or person.get("last_name")):
            raise Invalid("can't be blank", parameter="first_name", resource="Person")
        person["name"] = records.full_name(person.get("first_name"), person.get("last_name"))

    def delete_person(self, person_id):
        with self.lock:
            person = self.get_person(person_id)
            for kind in CONTACT_KINDS:
                for contact in self.db.contacts_of(kind, person_id):
                    self.db.remove_contact(kind, contact["id"])
            self._leave_households(person_id)
            self._leave_groups(person_id)
            self._drop_field_data(person_id)
            self._drop_notes(person_id)
            self.db.people.pop(person_id)
            self._emit("people", "destroyed", person)

    # -- emails, phone numbers, addresses ---------------------------------------------

    def get_contact(self, kind, contact_id):
        contact = self.db.contacts[kind].get(contact_id)
        if contact is None:
            raise NotFound(f"{kind} {contact_id}")
        return contact

    def create_contact(self, kind, person_id, attributes):
        with self.lock:
            self.get_person(person_id)
            now = self.now()
            contact = dict(records.CONTACT_DEFAULTS[kind], created_at=now, updated_at=now)
            self._assign_contact(kind, contact, attributes)
            self.db.add_contact(kind, person_id, contact)
            self._emit(kind, "created", contact)
            self._keep_single_primary(kind, contact)
            return contact

    def update_contact(self, kind, contact_id, attributes):
        with self.lock:
            contact = self.get_contact(kind, contact_id)
            candidate = dict(contact)
            self._assign_contact(kind, candidate, attributes)
            if self._changed(contact, candidate):
                candidate["updated_at"] = self.now()
                contact.update(candidate)
                self._emit(kind, "updated", contact)
                self._keep_single_primary(kind, contact)
            return contact

    def delete_contact(self, kind, contact_id):
        with self.lock:
            contact = self.get_contact(kind, contact_id)
            self.db.remove_contact(kind, contact_id)
            self._emit(kind, "destroyed", contact)

    def _assign_contact(self, kind, contact, attributes):
        contact.update(attributes)
        required = records.CONTACT_REQUIRED[kind]
        if required and not str(contact.get(required) or "").strip():
            raise Invalid("can't be blank", parameter=required,
                          resource=records.CONTACT_TYPES[kind])
        if kind == "phone_numbers":
            contact.update(records.phone_parts(contact["number"]))
        if kind == "addresses":
            contact["country_name"] = records.COUNTRY_NAMES.get(contact.get("country_code"))

    def _keep_single_primary(self, kind, contact):
        """A person has one primary email (phone, address): a new primary demotes the old."""
        if not contact.get("primary"):
            return
        for other in self.db.contacts_of(kind, contact["person_id"]):
            if other is not contact and other.get("primary"):
                other.update(primary=False, updated_at=self.now())
                self._emit(kind, "updated", other)
