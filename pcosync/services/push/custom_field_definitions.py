"""Push People, first step: the custom fields made here and set to "sync both ways" are created
in PCO (PCO's API lets an app create a tab, a field definition under a tab, and its options),
so their values can follow in the same push.

Never a duplicate: PCO's tabs and definitions are read first (two requests, only when there is
something to create), and a field PCO already has in a tab of the same name, with the same
name and type, is linked rather than created again. Every PCO id is committed the moment PCO
answers. A field PCO refuses is filed as a SyncIssue; its values wait, and nothing is lost.
"""
from marshmallow import ValidationError
from sqlalchemy import select

from ...extensions import db
from ...models import FieldDefinition, FieldSync, FieldTab
from ...models.custom_fields import CHOICE_TYPES
from ...pco.custom_field_schemas import load_field_definition, load_field_option, load_tab
from ..rules import custom_fields
from .base import RECORD_ERRORS, RecordFailures


def push_field_definitions(client, progress):
    pending = [definition for definition in db.session.scalars(select(FieldDefinition).where(
        FieldDefinition.pco_field_definition_id.is_(None), FieldDefinition.deleted_at.is_(None),
        FieldDefinition.sync == FieldSync.BOTH).order_by(FieldDefinition.id))
        if not definition.is_read_only]
    if not pending:
        return
    in_pco = PCOFields(client, progress)
    failures = RecordFailures(progress)
    for definition in pending:
        try:
            _push_definition(client, definition, in_pco, progress)
        except RECORD_ERRORS as err:
            db.session.rollback()
            failures.failed("FieldDefinition", f"The custom field {definition.name!r} (local id "
                            f"{definition.id}) was not created in PCO; its values wait", err,
                            local_id=definition.id)
        else:
            failures.succeeded()
    custom_fields.forget_index()


class PCOFields:
    """PCO's tabs and definitions as they are now, by name, for linking before creating."""

    def __init__(self, client, progress):
        self.tabs = {tab["name"].casefold(): tab["pco_id"] for page in client.iter_tabs()
                     for tab in _loaded(page.records, load_tab)}
        self.definitions = {
            (record["tab_pco_id"], record["name"].casefold(), record["data_type"]): record
            for page in client.iter_field_definitions()
            for record in _loaded(page.records, load_field_definition)
            if record["deleted_at"] is None}


def _loaded(resources, loader):
    loaded = []
    for resource in resources:
        try:
            loaded.append(loader(resource))
        except ValidationError:
            continue  # a malformed record cannot be a match
    return loaded


def _push_definition(client, definition, in_pco, progress):
    tab_id = _pco_tab(client, definition, in_pco)
    key = (tab_id, definition.name.casefold(), definition.data_type)
    record = in_pco.definitions.get(key)
    twin = record and db.session.scalar(select(FieldDefinition).where(
        FieldDefinition.pco_field_definition_id == record["pco_id"]))
    if twin is not None:
        progress.issue("FieldDefinition", f"The field {definition.name!r} made here is PCO's "
                       f"{twin.name!r}, which is already here: move its values to that field "
                       "(or rename it), then push again.", local_id=definition.id)
        return
    created = record is None
    if created:
        record = load_field_definition(client.create_field_definition(
            tab_id, definition.name, definition.data_type))
        in_pco.definitions[key] = record
    definition.pco_field_definition_id = record["pco_id"]
    db.session.commit()
    _push_options(client, definition, read_first=not created)


def _pco_tab(client, definition, in_pco):
    tab = definition.tab
    if tab is None:
        tab = definition.tab = _tab_named("Other fields")
    if tab.pco_tab_id is None:
        tab.pco_tab_id = in_pco.tabs.get(tab.name.casefold())
        if tab.pco_tab_id is None:
            tab.pco_tab_id = load_tab(client.create_tab(tab.name))["pco_id"]
            in_pco.tabs[tab.name.casefold()] = tab.pco_tab_id
        db.session.commit()
    return tab.pco_tab_id


def _tab_named(name):
    tab = db.session.scalar(select(FieldTab).where(FieldTab.name == name).limit(1))
    if tab is None:
        tab = FieldTab(name=name)
        db.session.add(tab)
    return tab


def _push_options(client, definition, read_first):
    """The options PCO does not have (those it has, by value, are linked; a definition just
    created has none)."""
    if definition.data_type not in CHOICE_TYPES:
        return
    held = {}
    if read_first:
        held = {option["value"]: option["pco_id"] for page in
                client.iter_field_options(definition.pco_field_definition_id)
                for option in _loaded(page.records, load_field_option)}
    for option in definition.options:
        if option.pco_field_option_id is not None:
            continue
        option.pco_field_option_id = held.get(option.value) or load_field_option(
            client.create_field_option(definition.pco_field_definition_id, option.value))["pco_id"]
        db.session.commit()
