"""Custom fields as PCO serves them (People 2025-11-10): Tab, FieldDefinition, FieldOption and
FieldDatum, with the relationships, includes, orders and filters PCO's definitions list
(twcrews/planningcenter-api `Definitions/People/2025-11-10.json`; DOC22 for paths and
assignable attributes).

Shapes checked against a real 2024 answer to `GET .../people?include=field_data`: a datum's
attributes are `file` ({"url": ...}), `file_content_type`, `file_name`, `file_size` and `value`
(a string: "true", "10/31/2010", ...), its relationships `field_definition` and `customizable`
(type "Person"), its self link `/people/v2/field_data/{id}`. PCO's docs print the definition's
`tab_id` as a key; the generated clients read it as a number, so it is one here.
"""
from . import records
from .resources import Include, Kind, ref

PEOPLE = "/people/v2"


# -- attributes -----------------------------------------------------------------------

def tab_attributes(tab, ctx):
    return {"name": tab["name"], "sequence": tab["sequence"], "slug": tab["slug"]}


def definition_attributes(definition, ctx):
    return {"config": definition.get("config"), "data_type": definition["data_type"],
            "deleted_at": records.iso(definition.get("deleted_at")),
            "name": definition["name"], "sequence": definition["sequence"],
            "slug": definition["slug"], "tab_id": definition["tab_id"]}


def option_attributes(option, ctx):
    return {"sequence": option["sequence"], "value": option["value"]}


def datum_attributes(datum, ctx):
    return {"file": {"url": ctx.file_url(datum.get("file_url"))},
            "file_content_type": datum.get("file_content_type"),
            "file_name": datum.get("file_name"), "file_size": datum.get("file_size"),
            "value": datum.get("value")}


# -- relationships --------------------------------------------------------------------

def definition_relationships(definition, ctx):
    return {"tab": {"data": ref("Tab", definition["tab_id"])}}


def option_relationships(option, ctx):
    return {"field_definition": {"data": ref("FieldDefinition", option["field_definition_id"])}}


def datum_relationships(datum, ctx):
    # `customizable` is polymorphic in PCO's docs; a person's datum names the Person.
    return {"field_definition": {"data": ref("FieldDefinition", datum["field_definition_id"])},
            "customizable": {"data": ref("Person", datum["person_id"])}}


# -- what include= reaches ------------------------------------------------------------

def live_definitions_of_tab(db, tab_id):
    return [d for d in db.field_definitions.values()
            if d["tab_id"] == tab_id and d.get("deleted_at") is None]


def _tab_options(ctx, tab):
    return [option for definition in live_definitions_of_tab(ctx.db, tab["id"])
            for option in ctx.db.options_of(definition["id"])]


def _definition_of(ctx, record):
    return ctx.db.field_definitions.get(record["field_definition_id"])


def _tab_of_datum(ctx, datum):
    definition = _definition_of(ctx, datum)
    return ctx.db.tabs.get(definition["tab_id"]) if definition else None


PERSON_FIELD_DATA = Include("field_data", True, lambda ctx, p: ctx.db.field_data_of(p["id"]))

KINDS = {
    "tabs": Kind(
        name="tabs", type="Tab", self_path=lambda t: f"{PEOPLE}/tabs/{t['id']}",
        attributes=tab_attributes,
        includes={"field_definitions": Include(
                      "field_definitions", True,
                      lambda ctx, t: live_definitions_of_tab(ctx.db, t["id"])),
                  "field_options": Include("field_options", True, _tab_options)},
        can_order_by=("name", "sequence", "slug"), can_query_by=("name", "sequence", "slug"),
        can_filter=("with_field_definitions",)),
    "field_definitions": Kind(
        name="field_definitions", type="FieldDefinition",
        self_path=lambda d: f"{PEOPLE}/field_definitions/{d['id']}",
        attributes=definition_attributes, relationships=definition_relationships,
        includes={"field_options": Include(
                      "field_options", True, lambda ctx, d: ctx.db.options_of(d["id"])),
                  "tab": Include("tabs", False, lambda ctx, d: ctx.db.tabs.get(d["tab_id"]))},
        can_order_by=("config", "data_type", "deleted_at", "name", "sequence", "slug", "tab_id"),
        can_query_by=("config", "data_type", "deleted_at", "name", "sequence", "slug", "tab_id"),
        can_filter=("include_deleted",)),
    "field_options": Kind(
        name="field_options", type="FieldOption",
        self_path=lambda o: (f"{PEOPLE}/field_definitions/{o['field_definition_id']}"
                             f"/field_options/{o['id']}"),
        attributes=option_attributes, relationships=option_relationships,
        can_order_by=("sequence", "value"), can_query_by=("sequence", "value")),
    "field_data": Kind(
        name="field_data", type="FieldDatum", self_path=lambda d: f"{PEOPLE}/field_data/{d['id']}",
        attributes=datum_attributes, relationships=datum_relationships,
        includes={"field_definition": Include("field_definitions", False, _definition_of),
                  "field_option": Include(
                      "field_options", False,
                      lambda ctx, d: ctx.db.field_options.get(d.get("field_option_id"))),
                  "tab": Include("tabs", False, _tab_of_datum)},
        can_order_by=("file", "file_content_type", "file_name", "file_size", "value"),
        can_query_by=("field_definition_id", "file", "file_content_type", "file_name",
                      "file_size", "value")),
}
