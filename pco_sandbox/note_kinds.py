"""Notes and note categories as PCO serves them (People 2025-11-10, twcrews/planningcenter-api
`Definitions/People/2025-11-10.json`): a Note's attributes are created_at, created_by_id,
display_date, note, note_category_id, organization_id, person_id and updated_at, its
relationships note_category, person and created_by; it includes `category`, `created_by` and
`person`; it is ordered by created_at, display_date, id, note, note_category_id and updated_at
and queried only by note and note_category_id (no `where[updated_at]`). A NoteCategory has
created_at, locked, name, organization_id and updated_at.
"""
from . import records
from .resources import Include, Kind, ref

PEOPLE = "/people/v2"


def category_attributes(category, ctx):
    return {"created_at": records.iso(category["created_at"]), "locked": category["locked"],
            "name": category["name"], "organization_id": ctx.organization["id"],
            "updated_at": records.iso(category["updated_at"])}


def note_attributes(note, ctx):
    return {"created_at": records.iso(note["created_at"]),
            "created_by_id": note.get("created_by_id"),
            "display_date": records.iso(note["display_date"]), "note": note["note"],
            "note_category_id": note["category_id"], "organization_id": ctx.organization["id"],
            "person_id": note["person_id"], "updated_at": records.iso(note["updated_at"])}


def note_relationships(note, ctx):
    return {"note_category": {"data": ref("NoteCategory", note["category_id"])},
            "person": {"data": ref("Person", note["person_id"])},
            "created_by": {"data": ref("Person", note.get("created_by_id"))},
            "organization": {"data": ref("Organization", ctx.organization["id"])}}


KINDS = {
    "note_categories": Kind(
        name="note_categories", type="NoteCategory",
        self_path=lambda c: f"{PEOPLE}/note_categories/{c['id']}",
        attributes=category_attributes,
        relationships=lambda c, ctx: {
            "organization": {"data": ref("Organization", ctx.organization["id"])}},
        can_order_by=("created_at", "locked", "name", "organization_id", "updated_at"),
        can_query_by=("created_at", "locked", "name", "organization_id", "updated_at")),
    "notes": Kind(
        name="notes", type="Note", self_path=lambda n: f"{PEOPLE}/notes/{n['id']}",
        attributes=note_attributes, relationships=note_relationships,
        includes={"category": Include(
                      "note_categories", False,
                      lambda ctx, n: ctx.db.note_categories.get(n["category_id"])),
                  "created_by": Include(
                      "people", False, lambda ctx, n: ctx.db.people.get(n.get("created_by_id"))),
                  "person": Include("people", False, lambda ctx, n: ctx.db.people.get(
                      n["person_id"]))},
        can_order_by=("created_at", "display_date", "note", "note_category_id", "updated_at"),
        can_query_by=("note", "note_category_id"), stored_as={"note_category_id": "category_id"}),
}
