"""Push People's custom fields: the values of "sync both ways" fields that differ from the
state agreed with PCO, one datum at a time (PCO has no bulk write for field data).

A row that holds a PCO datum id is in PCO: its change is a PATCH of that datum, never a second
datum, so a push whose answer was lost (or whose worker died before settling) sends nothing
twice. Unticking a checkbox deletes its datum; emptying a field deletes its datum. Unchanged
fields cost no request, and pull-only or off fields are never looked at (rules/custom_fields).
Definitions made here are created in PCO first, by custom_field_definitions.py (see
docs/rules/fields.md, "Custom fields").
"""
from sqlalchemy import select

from ...extensions import db
from ...models import FieldValue
from ...pco.custom_field_schemas import load_field_datum
from ...pco.errors import PCONotFound
from ..rules import custom_fields
from ..rules.custom_fields import datum_ids_of, state_value, values_of
from ..rules.scope import may_send


def send_custom_fields(client, person):
    if not may_send(person):
        return
    fields = custom_fields.index()
    stored = person.pco_synced_state or {}
    held = values_of(stored)
    rows_by_field = {}
    for row in person.field_values:
        field = fields.by_id.get(row.definition_id)
        if field is not None and field.pushed:
            rows_by_field.setdefault(field.pco_id, []).append(row)
    for key in dict.fromkeys([*rows_by_field, *held]):
        field = fields.by_pco.get(key)
        if field is None or not field.pushed:
            continue
        _send_field(client, person, field, rows_by_field.get(key, []), datum_ids_of(stored, key))


def _send_field(client, person, field, rows, held_ids):
    """Make PCO hold exactly these rows' values of one field."""
    wanted = {}
    for row in rows:
        value = state_value(field, row.value)
        if value is None:
            person.field_values.remove(row)  # an emptied field: nothing to keep here
        elif row.pco_field_datum_id is None and value in held_ids and value not in wanted:
            row.pco_field_datum_id = held_ids[value]  # restored as it was: PCO still holds it
        wanted.setdefault(value, row)
    kept = {row.pco_field_datum_id for row in wanted.values() if row.pco_field_datum_id}
    spare = [datum_id for datum_id in held_ids.values() if datum_id not in kept]
    for value, row in wanted.items():
        if row.pco_field_datum_id is None and spare and not field.multiple:
            row.pco_field_datum_id = spare.pop()  # a new value of a field PCO holds: update it
        if row.pco_field_datum_id is None or not _patch(client, field, row, value, held_ids):
            _create(client, person, field, row, value)
    for datum_id in spare:
        _delete(client, datum_id)


def _create(client, person, field, row, value):
    datum = load_field_datum(client.create_field_datum(person.pco_id, field.pco_id,
                                                       custom_fields.value_for_pco(field, value)))
    row.pco_field_datum_id = datum["pco_id"]
    db.session.commit()  # a crash must never lose a PCO id


def _patch(client, field, row, value, held_ids):
    """False when PCO no longer has the datum (deleted there meanwhile): create it again."""
    if held_ids.get(value) == row.pco_field_datum_id:
        return True  # PCO holds this value in this datum already
    try:
        client.update_field_datum(row.pco_field_datum_id,
                                  custom_fields.value_for_pco(field, value))
    except PCONotFound:
        row.pco_field_datum_id = None
        return False
    db.session.commit()
    return True


def _delete(client, datum_id):
    try:
        client.delete_field_datum(datum_id)
    except PCONotFound:
        pass  # already gone: what we wanted
    stale = db.session.scalar(select(FieldValue).where(FieldValue.pco_field_datum_id == datum_id))
    if stale is not None:
        stale.pco_field_datum_id = None
    db.session.commit()
