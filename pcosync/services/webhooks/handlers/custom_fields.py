"""Custom-field events: a person's field datum created, updated or destroyed, and a field
definition created, updated or destroyed in PCO. A datum's payload carries everything the rules
need (its value, its person, its definition), so it is applied without a request; a definition
met for the first time costs one request only when it is a select or checkboxes field (its
options are not in the payload). Field data carry no timestamps, so the order of delivery is
PCO's order (the rules' three-way merge still keeps a local edit PCO did not contradict).
"""
from sqlalchemy import select

from ....extensions import db
from ....models import FieldDefinition, FieldTab, FieldValue, utcnow
from ....pco.custom_field_schemas import (
    load_field_datum, load_field_definition, load_field_option,
)
from ....pco.errors import PCONotFound
from ....pco.schema_base import related_id
from ...pull.custom_fields import apply_definition, apply_options
from ...rules import custom_fields
from ...rules.erasures import skipped_note
from ...rules.merge import SKIPPED
from .common import erased, local_person, payload_data


def field_datum_changed(client, payload, log):
    datum = load_field_datum(payload_data(payload))
    if erased(datum["person_pco_id"]):
        return skipped_note(datum["person_pco_id"])
    person = local_person(datum["person_pco_id"])
    if person is None:
        return "person not pulled yet: the next Sync People brings the value"
    field = _field(client, datum["definition_pco_id"])
    if field is None or not field.synced:
        return "field not synced (off, deleted, or unknown)"
    custom_fields.apply_datum(person, field, datum["pco_id"], datum, log)
    return "applied"


def field_datum_destroyed(client, payload, log):
    data = payload_data(payload)
    datum_id = str(data["id"])
    relationships = data.get("relationships") or {}
    row = db.session.scalar(select(FieldValue).where(FieldValue.pco_field_datum_id == datum_id))
    person = local_person(related_id(relationships, "customizable")) or (row and row.person)
    definition_id = related_id(relationships, "field_definition") or (
        row and row.definition.pco_field_definition_id)
    field = custom_fields.index().by_pco.get(definition_id) if definition_id else None
    if person is None or field is None or not field.synced:
        return SKIPPED
    custom_fields.apply_datum(person, field, datum_id, None, log)
    return "removed"


def field_definition_changed(client, payload, log):
    data = payload_data(payload)
    record = load_field_definition(data)
    definition = _definition(record["pco_id"])
    needs_options = definition is None or not definition.options
    tab_id = db.session.scalar(select(FieldTab.id).where(FieldTab.pco_tab_id
                                                         == record["tab_pco_id"]))
    definition = apply_definition(definition, record, tab_id)
    db.session.flush()
    if record["data_type"] in ("select", "checkboxes") and needs_options:
        _read_options(client, definition)
    custom_fields.forget_index()
    return "applied"


def field_definition_destroyed(client, payload, log):
    definition = _definition(str(payload_data(payload)["id"]))
    if definition is None or definition.deleted_at is not None:
        return SKIPPED
    definition.deleted_at = utcnow()  # kept here with its values, marked deleted
    custom_fields.forget_index()
    return "marked deleted"


def _read_options(client, definition):
    options = [load_field_option(resource) for page in client.iter_field_options(
        definition.pco_field_definition_id) for resource in page.records]
    apply_options(definition, options)


def _definition(pco_id):
    return db.session.scalar(select(FieldDefinition).where(
        FieldDefinition.pco_field_definition_id == pco_id))


def _field(client, definition_pco_id):
    """The definition as the rules see it; one PCO request for a definition not known here."""
    field = custom_fields.index().by_pco.get(definition_pco_id)
    if field is None:
        try:
            resource = client.get_field_definition(definition_pco_id)
        except PCONotFound:
            return None  # deleted meanwhile
        field_definition_changed(client, {"data": resource}, None)
        field = custom_fields.index().by_pco.get(definition_pco_id)
    return field
