"""PCO's custom-field tabs and definitions with their options, read at the start of each Sync
People (two requests: tabs, then definitions with their options included) and kept locally.
The values come with the people pages (`include=field_data`): no request per person.

A definition PCO deleted (or no longer lists) stays here, marked deleted, with its values; a
definition PCO adds starts as pull only: nothing local is sent before an admin says so.
"""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import FieldDefinition, FieldOption, FieldTab, utcnow
from ...pco.custom_field_schemas import load_field_definition, load_field_option, load_tab
from ...pco.errors import PCONotFound, PCOValidationError
from ...pco.schema_base import is_resolved, related_list
from ..rules import custom_fields
from .listing import load_records

SKIPPABLE = (PCONotFound, PCOValidationError)


def pull_custom_fields(client, progress):
    try:
        tabs = _read(client.iter_tabs(), load_tab, "Tab", progress)
        pages = list(client.iter_field_definitions())
    except SKIPPABLE as err:
        progress.issue("FieldDefinition", f"PCO's custom fields could not be read, so their "
                       f"values were not synced this time: {err}")
        return
    tab_ids = apply_tabs(tabs)
    definitions = [(record, resource) for page in pages for resource in page.records
                   for record in load_records([resource], load_field_definition,
                                              "FieldDefinition", progress)]
    held = apply_definitions([record for record, _ in definitions], tab_ids)
    for record, resource in definitions:
        apply_options(held[record["pco_id"]], _options(client, resource, progress))
    custom_fields.forget_index()


def _read(pages, loader, record_type, progress):
    return [item for page in pages
            for item in load_records(page.records, loader, record_type, progress)]


def _options(client, resource, progress):
    """The definition's options from its included list, else (not included) its own list."""
    included = related_list((resource or {}).get("relationships") or {}, "field_options")
    if included is not None and all(is_resolved(item) for item in included):
        return load_records(included, load_field_option, "FieldOption", progress)
    return _read(client.iter_field_options(resource["id"]), load_field_option, "FieldOption",
                 progress)


def apply_tabs(tabs):
    """{tab PCO id: local id}, every tab PCO listed added or renamed."""
    held = {tab.pco_tab_id: tab for tab in db.session.scalars(select(FieldTab))}
    for record in tabs:
        tab = held.get(record["pco_id"])
        if tab is None:
            tab = held[record["pco_id"]] = FieldTab(pco_tab_id=record["pco_id"])
            db.session.add(tab)
        tab.name, tab.sequence = record["name"], record["sequence"]
    db.session.flush()
    return {pco_id: tab.id for pco_id, tab in held.items()}


def apply_definitions(records, tab_ids):
    """{PCO id: definition} of every definition linked to PCO, with their options loaded (one
    query), each listed one added or updated."""
    held = {d.pco_field_definition_id: d for d in db.session.scalars(
        select(FieldDefinition).where(FieldDefinition.pco_field_definition_id.is_not(None))
        .options(selectinload(FieldDefinition.options)))}
    listed = set()
    for record in records:
        held[record["pco_id"]] = apply_definition(held.get(record["pco_id"]), record,
                                                  tab_ids.get(record["tab_pco_id"]))
        listed.add(record["pco_id"])
    for pco_id, definition in held.items():
        if pco_id not in listed and definition.deleted_at is None:
            definition.deleted_at = utcnow()  # gone from PCO's list: kept here, values too
    db.session.flush()
    return held


def apply_definition(definition, record, tab_id):
    """Add or update one definition from PCO (its sync setting is the admin's: untouched)."""
    if definition is None:
        definition = FieldDefinition(pco_field_definition_id=record["pco_id"])
        db.session.add(definition)
    definition.name, definition.data_type = record["name"], record["data_type"]
    definition.sequence, definition.deleted_at = record["sequence"], record["deleted_at"]
    if tab_id is not None:
        definition.tab_id = tab_id
    return definition


def apply_options(definition, options):
    held = {option.pco_field_option_id: option for option in definition.options}
    for record in options:
        option = held.pop(record["pco_id"], None)
        if option is None:
            option = FieldOption(pco_field_option_id=record["pco_id"])
            definition.options.append(option)
        option.value, option.sequence = record["value"][:255], record["sequence"]
    for pco_id, option in held.items():
        if pco_id is not None:
            definition.options.remove(option)  # values are kept as text: nothing is lost
