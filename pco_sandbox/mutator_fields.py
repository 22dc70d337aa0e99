"""Custom field edits "made in PCO by church staff", for the mutator: set or change a person's
value (tick or untick one option of a checkboxes field), or clear one of their values. Each goes
through the store, so the person's `updated_at` moves and field_datum.* webhooks fire.
"""
import time

from .custom_field_data import plain_maker

EDITABLE = ("string", "text", "date", "number", "boolean", "select", "checkboxes")


def _change(action, datum, attributes):
    return {"action": action, "type": "FieldDatum", "id": str(datum["id"]),
            "person_id": str(datum["person_id"]), "attributes": attributes}


def _attributes(datum):
    return {"field_definition_id": str(datum["field_definition_id"]), "value": datum["value"]}


def set_field(store, rng, person_id):
    """None when PCO has no field staff could edit (the caller makes another edit)."""
    definitions = [d for d in store.db.field_definitions.values()
                   if d.get("deleted_at") is None and d["data_type"] in EDITABLE
                   and (d["data_type"] != "select" or store.db.options_of(d["id"]))]
    if not definitions:
        return None
    definition = rng.choice(definitions)
    held = [d for d in store.db.field_data_of(person_id)
            if d["field_definition_id"] == definition["id"]]
    if definition["data_type"] == "checkboxes":
        return _tick_or_untick(store, rng, person_id, definition, held)
    value = _new_value(store, rng, definition, store.get_person(person_id))
    if held:
        datum = store.update_field_datum(held[0]["id"], {"value": value})
    else:
        datum = store.create_field_datum(person_id, definition["id"], value)
    return _change("set_field", datum, _attributes(datum))


def _tick_or_untick(store, rng, person_id, definition, held):
    ticked = {d["value"] for d in held}
    unticked = [o for o in store.db.options_of(definition["id"]) if o["value"] not in ticked]
    if unticked and (not held or rng.random() < 0.6):
        datum = store.create_field_datum(person_id, definition["id"], rng.choice(unticked)["value"])
        return _change("set_field", datum, _attributes(datum))
    datum = rng.choice(held)
    store.delete_field_datum(datum["id"])
    return _change("clear_field", datum, _attributes(datum))


def _new_value(store, rng, definition, person):
    if definition["data_type"] == "select":
        return rng.choice(store.db.options_of(definition["id"]))["value"]
    latest_year = time.gmtime(store.now()).tm_year - 1
    make = plain_maker(rng, definition["data_type"], latest_year,
                       store.organization["date_format"])
    return make(person)


def clear_field(store, rng, person_id):
    """Staff empty one of the person's fields (or untick one box); None when they have none."""
    held = store.db.field_data_of(person_id)
    if not held:
        return None
    datum = rng.choice(held)
    store.delete_field_datum(datum["id"])
    return _change("clear_field", datum, _attributes(datum))
