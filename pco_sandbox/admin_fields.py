"""Admin routes for custom fields (under /sandbox, like admin.py: no auth, limits or faults):
"an edit in PCO" for tests and the demo, made through the store so that `updated_at` moves and
the webhooks fire exactly as for a change staff make in PCO's UI.

    POST   /sandbox/field_data              {"person_id", "field": name or id, "value"}
    POST   /sandbox/field_definitions       {"tab", "name", "data_type", "options": [...]}
    PATCH  /sandbox/field_definitions/<id>  {"name", "sequence", ...}
    DELETE /sandbox/field_definitions/<id>  (stamps deleted_at, fires field_definition.destroyed)

`value` is a string (a boolean may be true/false), a list of ticked options for a checkboxes
field (exactly those end up ticked), or null to clear; for a file field, a file name stands for
a file staff uploaded in PCO.
"""
from flask import Blueprint, request

from .dump import definition_entry
from .errors import Invalid, NotFound
from .pipeline import json_body, runtime

bp = Blueprint("sandbox_admin_fields", __name__, url_prefix="/sandbox")
EDITABLE = ("name", "data_type", "sequence", "slug", "config")
FILE_URL = ("https://account-center-production.s3.amazonaws.com/uploads/field_datum/"
            "organization-{org}/person-{person}/field-definition-{definition}/{name}")


def _body():
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _problem(exc):
    detail = exc.detail if isinstance(exc, Invalid) else f"{exc} could not be found"
    return json_body({"error": detail}, status=404 if isinstance(exc, NotFound) else 422)


def definition_named(store, field):
    """A live definition by id or by name (case-insensitive)."""
    if isinstance(field, int) or str(field or "").isdigit():
        return store.get_field_definition(int(field))
    wanted = str(field or "").strip().lower()
    for definition in store.db.field_definitions.values():
        if definition["name"].lower() == wanted and definition.get("deleted_at") is None:
            return definition
    raise NotFound(f"FieldDefinition {field!r}")


def file_upload(store, person_id, definition, name):
    org = store.organization["id"]
    return {"file_name": name, "file_content_type": "application/pdf", "file_size": 48_213,
            "file_url": FILE_URL.format(org=org, person=person_id, definition=definition["id"],
                                        name=name)}


def datum_summary(datum):
    return {"id": str(datum["id"]), "person_id": str(datum["person_id"]),
            "field_definition_id": str(datum["field_definition_id"]), "value": datum["value"],
            "file_name": datum.get("file_name")}


@bp.post("/field_data")
def set_field_value():
    body, rt = _body(), runtime()
    rt.remember_base_url(request.host_url)
    store = rt.store
    try:
        with store.lock:
            person_id = _person_id(store, body.get("person_id"))
            definition = definition_named(store, body.get("field"))
            data = _set(store, person_id, definition, body.get("value"))
    except (Invalid, NotFound) as exc:
        return _problem(exc)
    return json_body({"person_id": str(person_id), "field_definition_id": str(definition["id"]),
                      "data": [datum_summary(d) for d in data]})


def _person_id(store, raw):
    person_id = int(raw) if str(raw or "").strip().isdigit() else None
    store.get_person(person_id)
    return person_id


def _set(store, person_id, definition, value):
    if definition["data_type"] != "file" or value is None:
        return store.set_person_field(person_id, definition["id"], value)
    for datum in [d for d in store.db.field_data_of(person_id)
                  if d["field_definition_id"] == definition["id"]]:
        store.delete_field_datum(datum["id"])
    upload = file_upload(store, person_id, definition, str(value))
    return [store.create_field_datum(person_id, definition["id"], None, file=upload)]


@bp.post("/field_definitions")
def create_definition():
    body, rt = _body(), runtime()
    rt.remember_base_url(request.host_url)
    store = rt.store
    try:
        with store.lock:
            tab = store.tab_named(body.get("tab")) or store.create_tab({"name": body.get("tab")})
            definition = store.create_field_definition(tab["id"], _edits(body))
            for value in body.get("options") or []:
                store.create_field_option(definition["id"], {"value": value})
    except (Invalid, NotFound) as exc:
        return _problem(exc)
    return json_body(_definition_summary(store, definition), status=201)


@bp.patch("/field_definitions/<int:definition_id>")
def update_definition(definition_id):
    rt = runtime()
    rt.remember_base_url(request.host_url)
    try:
        definition = rt.store.update_field_definition(definition_id, _edits(_body()))
    except (Invalid, NotFound) as exc:
        return _problem(exc)
    return json_body(_definition_summary(rt.store, definition))


@bp.delete("/field_definitions/<int:definition_id>")
def delete_definition(definition_id):
    rt = runtime()
    rt.remember_base_url(request.host_url)
    try:
        definition = rt.store.delete_field_definition(definition_id)
    except NotFound as exc:
        return _problem(exc)
    return json_body(_definition_summary(rt.store, definition))


def _definition_summary(store, definition):
    return definition_entry(store.db, definition)


def _edits(body):
    return {key: body[key] for key in EDITABLE if key in body}
