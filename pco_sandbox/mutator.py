"""Random but realistic edits "made in PCO by church staff" (POST /sandbox/mutate).

Every edit goes through the store's public methods, so it bumps `updated_at` and fires
the same webhooks an API write would. Custom field edits (mutator_fields.py) join the mix when
asked for (`custom_fields`): the default mix stays as it was, so a seed gives the same edits
it always gave.
"""
import random

from . import namebank
from .mutator_fields import clear_field, set_field

ACTIONS = (
    ("rename", 18), ("change_birthdate", 10), ("add_email", 10), ("update_email", 10),
    ("delete_email", 5), ("add_phone", 8), ("update_phone", 8), ("delete_phone", 4),
    ("update_address", 6), ("create_person", 12), ("delete_person", 3),
)
FIELD_ACTIONS = (("set_field", 8), ("clear_field", 3))
CONTACT_TYPES = {"emails": "Email", "phone_numbers": "PhoneNumber", "addresses": "Address"}


def mutate(store, count=10, seed=None, custom_fields=False):
    """Make `count` edits; returns one description per edit, in order."""
    rng = random.Random(seed)
    names, weights = zip(*(ACTIONS + (FIELD_ACTIONS if custom_fields else ())))
    changes = []
    with store.lock:
        for _ in range(int(count)):
            if not store.db.people:
                changes.append(_create_person(store, rng, None))
                continue
            action = rng.choices(names, weights)[0]
            person_id = rng.choice(list(store.db.people.rows))
            changes.append(MUTATIONS[action](store, rng, person_id))
    return changes


def _change(action, type_name, record_id, person_id, attributes=None):
    return {"action": action, "type": type_name, "id": str(record_id),
            "person_id": str(person_id) if person_id else None, "attributes": attributes or {}}


def _rename(store, rng, person_id):
    field = rng.choice(("first_name", "last_name"))
    pool = namebank.LAST_NAMES if field == "last_name" else namebank.FEMALE_FIRST_NAMES
    attributes = {field: rng.choice(pool)}
    store.update_person(person_id, attributes)
    return _change("rename", "Person", person_id, person_id, attributes)


def _change_birthdate(store, rng, person_id):
    attributes = {"birthdate": "%04d-%02d-%02d" % (
        rng.randint(1945, 2015), rng.randint(1, 12), rng.randint(1, 28))}
    store.update_person(person_id, attributes)
    return _change("change_birthdate", "Person", person_id, person_id, attributes)


def _new_email(rng, person):
    slug = "".join(ch for ch in (person.get("first_name") or "member").lower() if ch.isalnum())
    return f"{slug or 'member'}.{rng.randint(100, 99999)}@{rng.choice(namebank.EMAIL_DOMAINS)}"


def _new_phone(rng):
    return "%s-555-%04d" % (rng.choice(namebank.AREA_CODES), rng.randint(0, 9999))


def _add_email(store, rng, person_id):
    person = store.get_person(person_id)
    attributes = {"address": _new_email(rng, person), "location": "Home",
                  "primary": not store.db.contacts_of("emails", person_id)}
    email = store.create_contact("emails", person_id, attributes)
    return _change("add_email", "Email", email["id"], person_id, attributes)


def _add_phone(store, rng, person_id):
    attributes = {"number": _new_phone(rng), "location": "Mobile",
                  "primary": not store.db.contacts_of("phone_numbers", person_id)}
    phone = store.create_contact("phone_numbers", person_id, attributes)
    return _change("add_phone", "PhoneNumber", phone["id"], person_id, attributes)


def _update_contact(kind, action, make_attributes, fallback):
    def mutation(store, rng, person_id):
        contacts = store.db.contacts_of(kind, person_id)
        if not contacts:
            return fallback(store, rng, person_id)
        contact = rng.choice(contacts)
        attributes = make_attributes(rng, store.get_person(person_id))
        store.update_contact(kind, contact["id"], attributes)
        return _change(action, CONTACT_TYPES[kind], contact["id"], person_id, attributes)
    return mutation


def _delete_contact(kind, action, fallback):
    def mutation(store, rng, person_id):
        contacts = store.db.contacts_of(kind, person_id)
        if not contacts:
            return fallback(store, rng, person_id)
        contact = rng.choice(contacts)
        store.delete_contact(kind, contact["id"])
        return _change(action, CONTACT_TYPES[kind], contact["id"], person_id)
    return mutation


def _address_attributes(rng, person):
    city, state, zip_prefix = rng.choice(namebank.CITIES)
    return {"street_line_1": "%d %s %s" % (rng.randint(10, 9999), rng.choice(
        namebank.STREET_NAMES), rng.choice(namebank.STREET_KINDS)),
        "city": city, "state": state, "zip": "%s%02d" % (zip_prefix, rng.randint(1, 99))}


def _add_address(store, rng, person_id):
    attributes = dict(_address_attributes(rng, None), location="Home", country_code="US",
                      primary=not store.db.contacts_of("addresses", person_id))
    address = store.create_contact("addresses", person_id, attributes)
    return _change("add_address", "Address", address["id"], person_id, attributes)


def _create_person(store, rng, person_id):
    first_names = namebank.MALE_FIRST_NAMES + namebank.FEMALE_FIRST_NAMES
    attributes = {"first_name": rng.choice(first_names),
                  "last_name": rng.choice(namebank.LAST_NAMES)}
    person = store.create_person(attributes)
    _add_email(store, rng, person["id"])
    return _change("create_person", "Person", person["id"], person["id"], attributes)


def _delete_person(store, rng, person_id):
    store.delete_person(person_id)
    return _change("delete_person", "Person", person_id, person_id)


MUTATIONS = {
    "rename": _rename,
    "change_birthdate": _change_birthdate,
    "add_email": _add_email,
    "update_email": _update_contact(
        "emails", "update_email", lambda rng, person: {"address": _new_email(rng, person)},
        _add_email),
    "delete_email": _delete_contact("emails", "delete_email", _add_email),
    "add_phone": _add_phone,
    "update_phone": _update_contact(
        "phone_numbers", "update_phone", lambda rng, person: {"number": _new_phone(rng)},
        _add_phone),
    "delete_phone": _delete_contact("phone_numbers", "delete_phone", _add_phone),
    "update_address": _update_contact(
        "addresses", "update_address", _address_attributes, _add_address),
    "create_person": _create_person,
    "delete_person": _delete_person,
    # A PCO without editable custom fields (or a person without values) gets another edit.
    "set_field": lambda store, rng, pid: set_field(store, rng, pid) or _rename(store, rng, pid),
    "clear_field": lambda store, rng, pid: (clear_field(store, rng, pid)
                                            or set_field(store, rng, pid)
                                            or _rename(store, rng, pid)),
}
