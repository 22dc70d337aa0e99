"""Raw in-memory tables and the indexes that keep lookups O(1).

`Database` knows nothing about validation, locking or events: the generator fills one
directly (fast), and `SandboxStore` wraps one with PCO's rules.
"""
from .stamp_order import StampOrder

# Distinct id ranges per type make ids look like PCO's and keep a mixed-up id from
# silently hitting a record of another type.
FIRST_IDS = {
    "people": 10_000_001, "emails": 20_000_001, "phone_numbers": 30_000_001,
    "addresses": 40_000_001, "households": 50_000_001, "household_memberships": 60_000_001,
    "groups": 70_001, "group_memberships": 80_000_001, "person_mergers": 90_000_001,
    # Custom fields: tabs, definitions and options are few; a person's field data are many.
    "tabs": 15_001, "field_definitions": 300_001, "field_options": 400_001,
    "field_data": 100_000_001,
    # Pastoral notes: a few categories, many notes.
    "note_categories": 5_001, "notes": 110_000_001,
    # Groups' events (meetings) and who attended them: read only, as in PCO.
    "group_events": 120_000_001, "attendances": 130_000_001,
}
CONTACT_KINDS = ("emails", "phone_numbers", "addresses")
# People's choice lists and campuses, and Groups' types, locations, tag groups and tags: small
# tables of their own, each with its own id range.
LIST_TABLES = ("marital_statuses", "inactive_reasons", "name_prefixes", "name_suffixes",
               "school_options", "campuses", "group_types", "locations", "tag_groups", "tags")
LIST_FIRST_IDS = {name: 1_001 + position * 1_000 for position, name in enumerate(LIST_TABLES)}


class Table:
    """Rows by integer id; dict order is id order because ids only grow."""

    def __init__(self, first_id):
        self.rows = {}
        self.next_id = first_id
        self._stamp_order = None

    def insert(self, record):
        record["id"] = self.next_id
        self.next_id += 1
        self.rows[record["id"]] = record
        if self._stamp_order is not None:
            self._stamp_order.add(record)
        return record

    def get(self, record_id):
        return self.rows.get(record_id)

    def pop(self, record_id):
        record = self.rows.pop(record_id, None)
        if record is not None and self._stamp_order is not None:
            self._stamp_order.remove(record)
        return record

    def stamp_order(self):
        """The rows in created_at order (stamp_order.py), sorted once on first use."""
        if self._stamp_order is None:
            self._stamp_order = StampOrder(self.rows)
        return self._stamp_order

    def values(self):
        return self.rows.values()

    def __len__(self):
        return len(self.rows)


class Index:
    """Parent id -> child ids, kept in insertion (= id) order."""

    def __init__(self):
        self._children = {}

    def add(self, parent_id, child_id):
        self._children.setdefault(parent_id, {})[child_id] = None

    def remove(self, parent_id, child_id):
        children = self._children.get(parent_id)
        if children is not None:
            children.pop(child_id, None)

    def ids(self, parent_id):
        return list(self._children.get(parent_id, ()))

    def drop(self, parent_id):
        return list(self._children.pop(parent_id, {}))


class Database:
    def __init__(self):
        self.people = Table(FIRST_IDS["people"])
        self.contacts = {kind: Table(FIRST_IDS[kind]) for kind in CONTACT_KINDS}
        self.households = Table(FIRST_IDS["households"])
        self.household_memberships = Table(FIRST_IDS["household_memberships"])
        self.groups = Table(FIRST_IDS["groups"])
        self.group_memberships = Table(FIRST_IDS["group_memberships"])
        self.person_mergers = Table(FIRST_IDS["person_mergers"])
        self.tabs = Table(FIRST_IDS["tabs"])
        self.field_definitions = Table(FIRST_IDS["field_definitions"])
        self.field_options = Table(FIRST_IDS["field_options"])
        self.field_data = Table(FIRST_IDS["field_data"])
        self.note_categories = Table(FIRST_IDS["note_categories"])
        self.notes = Table(FIRST_IDS["notes"])
        self.lists = {name: Table(LIST_FIRST_IDS[name]) for name in LIST_TABLES}
        self.person_contacts = {kind: Index() for kind in CONTACT_KINDS}
        self.person_households = Index()
        self.household_members = Index()
        self.person_groups = Index()
        self.group_members = Index()
        self.person_field_data = Index()
        self.definition_options = Index()
        self.person_notes = Index()
        self.group_events = Table(FIRST_IDS["group_events"])
        self.attendances = Table(FIRST_IDS["attendances"])
        self.events_of_group = Index()
        self.attendances_of_event = Index()

    def add_person(self, record):
        return self.people.insert(record)

    def add_contact(self, kind, person_id, record):
        record["person_id"] = person_id
        self.contacts[kind].insert(record)
        self.person_contacts[kind].add(person_id, record["id"])
        return record

    def remove_contact(self, kind, contact_id):
        record = self.contacts[kind].pop(contact_id)
        if record is not None:
            self.person_contacts[kind].remove(record["person_id"], contact_id)
        return record

    def move_contact(self, kind, contact_id, person_id):
        record = self.contacts[kind].rows[contact_id]
        self.person_contacts[kind].remove(record["person_id"], contact_id)
        record["person_id"] = person_id
        self.person_contacts[kind].add(person_id, contact_id)
        return record

    def contacts_of(self, kind, person_id):
        table = self.contacts[kind]
        return [table.rows[cid] for cid in self.person_contacts[kind].ids(person_id)]

    def add_household(self, record):
        return self.households.insert(record)

    def add_household_member(self, household_id, person_id, record):
        record.update(household_id=household_id, person_id=person_id)
        self.household_memberships.insert(record)
        self.household_members.add(household_id, record["id"])
        self.person_households.add(person_id, record["id"])
        return record

    def remove_household_member(self, membership_id):
        record = self.household_memberships.pop(membership_id)
        if record is not None:
            self.household_members.remove(record["household_id"], membership_id)
            self.person_households.remove(record["person_id"], membership_id)
        return record

    def members_of_household(self, household_id):
        rows = self.household_memberships.rows
        return [rows[mid] for mid in self.household_members.ids(household_id)]

    def households_of(self, person_id):
        rows = self.household_memberships.rows
        return [self.households.rows[rows[mid]["household_id"]]
                for mid in self.person_households.ids(person_id)]

    def add_group(self, record):
        return self.groups.insert(record)

    def add_group_membership(self, group_id, person_id, record):
        record.update(group_id=group_id, person_id=person_id)
        self.group_memberships.insert(record)
        self.group_members.add(group_id, record["id"])
        self.person_groups.add(person_id, record["id"])
        return record

    def remove_group_membership(self, membership_id):
        record = self.group_memberships.pop(membership_id)
        if record is not None:
            self.group_members.remove(record["group_id"], membership_id)
            self.person_groups.remove(record["person_id"], membership_id)
        return record

    def members_of_group(self, group_id):
        rows = self.group_memberships.rows
        return [rows[mid] for mid in self.group_members.ids(group_id)]

    def add_field_option(self, definition_id, record):
        record["field_definition_id"] = definition_id
        self.field_options.insert(record)
        self.definition_options.add(definition_id, record["id"])
        return record

    def options_of(self, definition_id):
        rows = self.field_options.rows
        return [rows[oid] for oid in self.definition_options.ids(definition_id)]

    def add_field_datum(self, person_id, record):
        record["person_id"] = person_id
        self.field_data.insert(record)
        self.person_field_data.add(person_id, record["id"])
        return record

    def remove_field_datum(self, datum_id):
        record = self.field_data.pop(datum_id)
        if record is not None:
            self.person_field_data.remove(record["person_id"], datum_id)
        return record

    def move_field_datum(self, datum_id, person_id):
        record = self.field_data.rows[datum_id]
        self.person_field_data.remove(record["person_id"], datum_id)
        record["person_id"] = person_id
        self.person_field_data.add(person_id, datum_id)
        return record

    def field_data_of(self, person_id):
        rows = self.field_data.rows
        return [rows[did] for did in self.person_field_data.ids(person_id)]

    def add_note(self, person_id, record):
        record["person_id"] = person_id
        self.notes.insert(record)
        self.person_notes.add(person_id, record["id"])
        return record

    def remove_note(self, note_id):
        record = self.notes.pop(note_id)
        if record is not None:
            self.person_notes.remove(record["person_id"], note_id)
        return record

    def notes_of(self, person_id):
        rows = self.notes.rows
        return [rows[nid] for nid in self.person_notes.ids(person_id)]

    def add_group_event(self, group_id, record):
        record["group_id"] = group_id
        self.group_events.insert(record)
        self.events_of_group.add(group_id, record["id"])
        return record

    def add_attendance(self, event_id, person_id, record):
        record.update(event_id=event_id, person_id=person_id)
        self.attendances.insert(record)
        self.attendances_of_event.add(event_id, record["id"])
        return record

    def events_of(self, group_id):
        rows = self.group_events.rows
        return [rows[eid] for eid in self.events_of_group.ids(group_id)]

    def attendances_of(self, event_id):
        rows = self.attendances.rows
        return [rows[aid] for aid in self.attendances_of_event.ids(event_id)]
