"""People v2 custom fields over HTTP: tabs, field definitions (deleted ones only with
`filter=include_deleted`, or `with_deleted` under a tab), their options, and a person's field
data (also reached with `include=field_data` on people).

Paths as PCO's documentation gives them: a definition is created under its tab, an option under
its definition, a datum under its person; a datum is read, patched and deleted at
/people/v2/field_data/{id} and under its person (/people/v2/people/{id}/field_data/{id}).
"""
from flask import Blueprint, request

from . import jsonapi
from .field_kinds import live_definitions_of_tab
from .payloads import read_attributes, related_id
from .pipeline import runtime
from .store_field_definitions import DEFINITION_KEYS
from .views import list_response, parent_ref, show_response

bp = Blueprint("sandbox_fields", __name__)
P = "/people/v2"
DATUM_KEYS = frozenset({"value", "field_definition_id"})  # DOC22 create/update assignable
OPTION_KEYS = frozenset({"value", "sequence"})
TAB_KEYS = frozenset({"name", "sequence"})


def filters():
    return {name.strip() for name in request.args.get("filter", "").split(",") if name.strip()}


def _definitions(store, tab_id=None, deleted_too=False):
    return [d for d in store.db.field_definitions.values()
            if (tab_id is None or d["tab_id"] == tab_id)
            and (deleted_too or d.get("deleted_at") is None)]


# -- tabs -----------------------------------------------------------------------------

@bp.get(f"{P}/tabs")
def list_tabs():
    def tabs(store):
        rows = store.db.tabs.values()
        if "with_field_definitions" in filters():
            rows = [t for t in rows if live_definitions_of_tab(store.db, t["id"])]
        return rows
    return list_response("tabs", tabs, f"{P}/tabs")


@bp.post(f"{P}/tabs")
def create_tab():
    """PCO's API creates tabs (People 2025-11-10: Tab is postable with name, sequence)."""
    _, attributes = read_attributes(TAB_KEYS)
    tab = runtime().store.create_tab(attributes)
    return show_response("tabs", lambda store: tab, status=201)


@bp.get(f"{P}/tabs/<int:tab_id>")
def show_tab(tab_id):
    return show_response("tabs", lambda store: store.get_tab(tab_id))


@bp.get(f"{P}/tabs/<int:tab_id>/field_definitions")
def list_tab_definitions(tab_id):
    def definitions(store):
        store.get_tab(tab_id)
        return _definitions(store, tab_id, deleted_too="with_deleted" in filters())
    return list_response("field_definitions", definitions, f"{P}/tabs/{tab_id}/field_definitions",
                         parent_of=lambda store: parent_ref("Tab", tab_id))


@bp.post(f"{P}/tabs/<int:tab_id>/field_definitions")
def create_definition(tab_id):
    runtime().store.get_tab(tab_id)
    _, attributes = read_attributes(DEFINITION_KEYS)
    definition = runtime().store.create_field_definition(tab_id, attributes)
    return show_response("field_definitions", lambda store: definition, status=201)


@bp.get(f"{P}/tabs/<int:tab_id>/field_options")
def list_tab_options(tab_id):
    def options(store):
        store.get_tab(tab_id)
        return [o for d in _definitions(store, tab_id) for o in store.db.options_of(d["id"])]
    return list_response("field_options", options, f"{P}/tabs/{tab_id}/field_options",
                         parent_of=lambda store: parent_ref("Tab", tab_id))


# -- field definitions and options ----------------------------------------------------

@bp.get(f"{P}/field_definitions")
def list_definitions():
    return list_response("field_definitions", lambda store: _definitions(
        store, deleted_too="include_deleted" in filters()), f"{P}/field_definitions")


@bp.get(f"{P}/field_definitions/<int:definition_id>")
def show_definition(definition_id):
    return show_response("field_definitions",
                         lambda store: store.get_field_definition(definition_id))


@bp.patch(f"{P}/field_definitions/<int:definition_id>")
def update_definition(definition_id):
    runtime().store.get_field_definition(definition_id)
    _, attributes = read_attributes(DEFINITION_KEYS)
    definition = runtime().store.update_field_definition(definition_id, attributes)
    return show_response("field_definitions", lambda store: definition)


@bp.delete(f"{P}/field_definitions/<int:definition_id>")
def delete_definition(definition_id):
    runtime().store.delete_field_definition(definition_id)
    return jsonapi.no_content()


@bp.get(f"{P}/field_definitions/<int:definition_id>/tab")
def show_definition_tab(definition_id):
    return show_response("tabs", lambda store: store.get_tab(
        store.get_field_definition(definition_id)["tab_id"]))


@bp.get(f"{P}/field_definitions/<int:definition_id>/field_options")
def list_options(definition_id):
    def options(store):
        store.get_field_definition(definition_id)
        return store.db.options_of(definition_id)
    return list_response("field_options", options,
                         f"{P}/field_definitions/{definition_id}/field_options",
                         parent_of=lambda store: parent_ref("FieldDefinition", definition_id))


@bp.post(f"{P}/field_definitions/<int:definition_id>/field_options")
def create_option(definition_id):
    runtime().store.get_field_definition(definition_id)
    _, attributes = read_attributes(OPTION_KEYS)
    option = runtime().store.create_field_option(definition_id, attributes)
    return show_response("field_options", lambda store: option, status=201)


@bp.get(f"{P}/field_definitions/<int:definition_id>/field_options/<int:option_id>")
def show_option(definition_id, option_id):
    return show_response("field_options",
                         lambda store: store.get_field_option(definition_id, option_id))


# -- field data -----------------------------------------------------------------------

@bp.get(f"{P}/field_data")
def list_all_data():
    return list_response("field_data", lambda store: store.db.field_data.values(),
                         f"{P}/field_data")


@bp.get(f"{P}/people/<int:person_id>/field_data")
def list_person_data(person_id):
    def data(store):
        store.get_person(person_id)
        return store.db.field_data_of(person_id)
    return list_response("field_data", data, f"{P}/people/{person_id}/field_data",
                         parent_of=lambda store: parent_ref("Person", person_id))


@bp.post(f"{P}/people/<int:person_id>/field_data")
def create_datum(person_id):
    runtime().store.get_person(person_id)
    data, attributes = read_attributes(DATUM_KEYS)
    definition_id = related_id(data, "field_definition") or attributes.get("field_definition_id")
    datum = runtime().store.create_field_datum(person_id, definition_id, attributes.get("value"))
    return show_response("field_data", lambda store: datum, status=201)


@bp.get(f"{P}/field_data/<int:datum_id>")
@bp.get(f"{P}/people/<int:person_id>/field_data/<int:datum_id>")
def show_datum(datum_id, person_id=None):
    return show_response("field_data", lambda store: store.get_field_datum(datum_id, person_id))


@bp.patch(f"{P}/field_data/<int:datum_id>")
@bp.patch(f"{P}/people/<int:person_id>/field_data/<int:datum_id>")
def update_datum(datum_id, person_id=None):
    runtime().store.get_field_datum(datum_id, person_id)
    data, attributes = read_attributes(DATUM_KEYS)
    definition_id = related_id(data, "field_definition")
    if definition_id is not None:
        attributes["field_definition_id"] = definition_id
    datum = runtime().store.update_field_datum(datum_id, attributes)
    return show_response("field_data", lambda store: datum)


@bp.delete(f"{P}/field_data/<int:datum_id>")
@bp.delete(f"{P}/people/<int:person_id>/field_data/<int:datum_id>")
def delete_datum(datum_id, person_id=None):
    runtime().store.delete_field_datum(datum_id, person_id)
    return jsonapi.no_content()


@bp.get(f"{P}/field_data/<int:datum_id>/field_definition")
def show_datum_definition(datum_id):
    return show_response("field_definitions", lambda store: store.get_field_definition(
        store.get_field_datum(datum_id)["field_definition_id"]))
