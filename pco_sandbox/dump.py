"""A canonical, sorted dump of all sandbox data (GET /sandbox/dump) for convergence checks.

Plain JSON, not JSON:API: ids are strings (as PCO gives them), times ISO 8601, lists
sorted by id so two dumps of equal data are equal.

Custom fields: each person's `custom_fields` maps a definition's id to the value PCO serves (a
string: "true", "10/31/2010", ...), to the sorted values of the ticked options for a checkboxes
field, or to the file name for a file field; `tabs` and `field_definitions` (with their
`options`, deleted definitions included) list what the values refer to.
"""
from collections import Counter

from . import records
from .choice_list_kinds import PERSON_LINKS
from .tables import CONTACT_KINDS

CONTACT_FIELDS = {
    "emails": ("address", "location", "primary", "blocked"),
    "phone_numbers": ("number", "e164", "location", "primary"),
    "addresses": ("street_line_1", "street_line_2", "city", "state", "zip", "country_code",
                  "location", "primary"),
}


def dump(store, file_url=None):
    """`file_url`: how the API answers a photo's or a file's address (Context.file_url)."""
    file_url = file_url or (lambda url: url)
    with store.lock:
        db = store.db
        return {
            "counts": {"people": len(db.people), "households": len(db.households),
                       "groups": len(db.groups), "tag_groups": len(db.lists["tag_groups"]),
                       "field_data": len(db.field_data),
                       **{kind: len(db.contacts[kind]) for kind in CONTACT_KINDS}},
            "people": [_person(db, person, file_url) for person in db.people.values()],
            "households": [_household(db, household, file_url)
                           for household in db.households.values()],
            "groups": [_group(db, group) for group in db.groups.values()],
            "tabs": [{"id": str(t["id"]), "name": t["name"], "sequence": t["sequence"],
                      "slug": t["slug"]} for t in db.tabs.values()],
            "field_definitions": [definition_entry(db, d) for d in db.field_definitions.values()],
            "notes": [{"id": str(n["id"]), "person_id": n["person_id"], "note": n["note"],
                       "category_id": n["category_id"]} for n in db.notes.values()],
            "group_events": [{"id": str(e["id"]), "group_id": str(e["group_id"]),
                              "canceled": e["canceled"], "starts_at": records.iso(e["starts_at"]),
                              "attendances": len(db.attendances_of(e["id"]))}
                             for e in db.group_events.values()],
            "attendances": [{"id": str(a["id"]), "event_id": str(a["event_id"]),
                             "person_id": str(a["person_id"]), "attended": a["attended"],
                             "role": a["role"]} for a in db.attendances.values()],
        }


def counts(store):
    """How many of each record a listing pages through (GET /sandbox/counts): what the whole
    dump tells a benchmark's request count, without serializing 100,000 people."""
    with store.lock:
        db = store.db
        notes = Counter(note["category_id"] for note in db.notes.values())
        return {"people": len(db.people), "households": len(db.households),
                "tag_groups": len(db.lists["tag_groups"]), "tabs": len(db.tabs),
                "field_definitions": len(db.field_definitions),
                "group_memberships": [len(db.group_members.ids(group_id))
                                      for group_id in db.groups.rows],
                "notes_by_category": [notes[category_id]
                                      for category_id in db.note_categories.rows]}


def _times(record, names=("created_at", "updated_at")):
    return {name: records.iso(record.get(name)) for name in names}


def _person(db, person, file_url):
    entry = {"id": str(person["id"])}
    for name in records.PERSON_DEFAULTS:
        if name not in ("avatar", "demographic_avatar_url"):
            value = person.get(name, records.PERSON_DEFAULTS[name])
            entry[name] = records.iso(value) if name in records.TIME_FIELDS else value
    for _, key in PERSON_LINKS.values():
        entry[key] = str(person[key]) if person.get(key) is not None else None
    entry["avatar"] = file_url(person.get("avatar") or records.avatar_for(person))
    for kind in CONTACT_KINDS:
        entry[kind] = [_contact(kind, contact) for contact in db.contacts_of(kind, person["id"])]
    entry["custom_fields"] = custom_fields(db, person["id"])
    return entry


def custom_fields(db, person_id):
    """{definition id: value}; a checkboxes field gives the sorted ticked values."""
    values = {}
    for datum in db.field_data_of(person_id):
        key = str(datum["field_definition_id"])
        definition = db.field_definitions.get(datum["field_definition_id"])
        kind = definition["data_type"] if definition else None
        value = datum.get("file_name") if kind == "file" else datum.get("value")
        if kind == "checkboxes":
            values[key] = sorted(values.get(key, []) + [value])
        else:
            values[key] = value
    return dict(sorted(values.items()))


def definition_entry(db, definition):
    return {
        "id": str(definition["id"]), "tab_id": str(definition["tab_id"]),
        "name": definition["name"], "data_type": definition["data_type"],
        "sequence": definition["sequence"], "slug": definition["slug"],
        "deleted_at": records.iso(definition.get("deleted_at")),
        "options": [{"id": str(o["id"]), "value": o["value"], "sequence": o["sequence"]}
                    for o in db.options_of(definition["id"])],
    }


def _contact(kind, contact):
    entry = {"id": str(contact["id"])}
    entry.update({name: contact.get(name) for name in CONTACT_FIELDS[kind]})
    entry.update(_times(contact))
    return entry


def _household(db, household, file_url):
    members = sorted(db.members_of_household(household["id"]), key=lambda m: m["person_id"])
    return {
        "id": str(household["id"]), "name": household["name"],
        "avatar": file_url(household.get("avatar") or records.NO_PHOTO_URL),
        "primary_contact_id": str(household["primary_contact_id"]),
        "members": [{"person_id": str(m["person_id"]), "household_role": m["household_role"],
                     "pending": m["pending"]} for m in members],
        **_times(household),
    }


def _group(db, group):
    members = sorted(db.members_of_group(group["id"]), key=lambda m: m["person_id"])
    return {
        "id": str(group["id"]), "name": group["name"],
        "archived_at": records.iso(group["archived_at"]),
        "group_type": _list_name(db, "group_types", group.get("group_type_id")),
        "location_name": _list_name(db, "locations", group.get("location_id")),
        "schedule": group.get("schedule"), "contact_email": group.get("contact_email"),
        "tags": [_list_name(db, "tags", tag_id) for tag_id in group.get("tag_ids") or []],
        "memberships": [{"id": str(m["id"]), "person_id": str(m["person_id"]),
                         "role": m["role"], "joined_at": records.iso(m["joined_at"])}
                        for m in members],
        **_times(group),
    }


def _list_name(db, collection, item_id):
    item = db.lists[collection].get(item_id)
    return item.get("name") if item else None
