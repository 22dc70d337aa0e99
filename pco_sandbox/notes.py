"""People v2 notes over HTTP, with PCO's paths (People 2025-11-10; spec 2.6):

    GET|POST          /people/v2/note_categories      GET|DELETE .../note_categories/{id}
    GET               /people/v2/notes                GET|PATCH|DELETE /people/v2/notes/{id}
    GET|POST          /people/v2/people/{id}/notes

and the admin routes that make "an edit in PCO" for tests and the demo (under /sandbox, like
admin_fields.py): POST /sandbox/notes {"person_id", "category" (name or id), "note",
"created_by_id"}, PATCH /sandbox/notes/<id> {"note", "category", ...}, DELETE the same.
"""
from flask import Blueprint, request

from . import jsonapi
from .errors import Invalid, NotFound
from .payloads import read_attributes
from .pipeline import json_body, runtime
from .views import list_response, parent_ref, show_response

bp = Blueprint("sandbox_notes", __name__)
admin_bp = Blueprint("sandbox_admin_notes", __name__, url_prefix="/sandbox")
P = "/people/v2"
NOTE_KEYS = frozenset({"note", "display_date", "note_category_id"})
CATEGORY_KEYS = frozenset({"name", "locked"})


@bp.get(f"{P}/note_categories")
def list_categories():
    return list_response("note_categories", lambda store: store.db.note_categories.values(),
                         f"{P}/note_categories")


@bp.post(f"{P}/note_categories")
def create_category():
    _, attributes = read_attributes(CATEGORY_KEYS)
    category = runtime().store.create_note_category(attributes)
    return show_response("note_categories", lambda store: category, status=201)


@bp.get(f"{P}/note_categories/<int:category_id>")
def show_category(category_id):
    return show_response("note_categories", lambda store: store.get_note_category(category_id))


@bp.delete(f"{P}/note_categories/<int:category_id>")
def delete_category(category_id):
    runtime().store.delete_note_category(category_id)
    return jsonapi.no_content()


@bp.get(f"{P}/notes")
def list_notes():
    return list_response("notes", lambda store: store.db.notes.values(), f"{P}/notes")


@bp.get(f"{P}/people/<int:person_id>/notes")
def list_person_notes(person_id):
    def notes(store):
        store.get_person(person_id)
        return store.db.notes_of(person_id)
    return list_response("notes", notes, f"{P}/people/{person_id}/notes",
                         parent_of=lambda store: parent_ref("Person", person_id))


@bp.post(f"{P}/people/<int:person_id>/notes")
def create_note(person_id):
    _, attributes = read_attributes(NOTE_KEYS)
    note = runtime().store.create_note(person_id, attributes)
    return show_response("notes", lambda store: note, status=201)


@bp.get(f"{P}/notes/<int:note_id>")
def show_note(note_id):
    return show_response("notes", lambda store: store.get_note(note_id))


@bp.patch(f"{P}/notes/<int:note_id>")
def update_note(note_id):
    runtime().store.get_note(note_id)
    _, attributes = read_attributes(NOTE_KEYS)
    note = runtime().store.update_note(note_id, attributes)
    return show_response("notes", lambda store: note)


@bp.delete(f"{P}/notes/<int:note_id>")
def delete_note(note_id):
    runtime().store.delete_note(note_id)
    return jsonapi.no_content()


# -- admin: "an edit in PCO" ----------------------------------------------------------

def _admin_attributes(store, body):
    attributes = {key: body[key] for key in ("note",) if key in body}
    if "category" in body:
        attributes["note_category_id"] = category_named(store, body["category"])["id"]
    return attributes


def category_named(store, category):
    if isinstance(category, int) or str(category or "").isdigit():
        return store.get_note_category(int(category))
    wanted = str(category or "").strip().lower()
    for row in store.db.note_categories.values():
        if row["name"].lower() == wanted:
            return row
    raise NotFound(f"NoteCategory {category!r}")


def _admin(write):
    store = runtime().store
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    try:
        with store.lock:
            note = write(store, body)
    except (Invalid, NotFound) as exc:
        detail = exc.detail if isinstance(exc, Invalid) else f"{exc} could not be found"
        return json_body({"error": detail}, status=404 if isinstance(exc, NotFound) else 422)
    return json_body({"note": note} if note else {}, status=200)


@admin_bp.post("/notes")
def admin_create_note():
    return _admin(lambda store, body: store.create_note(
        int(body.get("person_id") or 0), _admin_attributes(store, body),
        created_by_id=body.get("created_by_id")))


@admin_bp.patch("/notes/<int:note_id>")
def admin_update_note(note_id):
    return _admin(lambda store, body: store.update_note(note_id, _admin_attributes(store, body)))


@admin_bp.delete("/notes/<int:note_id>")
def admin_delete_note(note_id):
    return _admin(lambda store, body: store.delete_note(note_id))


@admin_bp.post("/note_categories")
def admin_create_category():
    return _admin(lambda store, body: store.create_note_category(body))
