"""People v2 lists (facts 2.6): rule-based lists of people, their list results, and the `run`
action that refreshes a list in the background.

PCO's API cannot create a list (#1435, #1463): the admin routes make one and set who its rules
match; the people enter the list's results only when it runs (the `run` action, or the admin
route with "run": true). A run creates a ListResult for each person newly matched
(`list_result.created`, which PCO fires only on a person's first entry, #651), destroys those of
people no longer matched (`list_result.destroyed`), and stamps `refreshed_at`
(`list.refreshed`, #1001).
"""
from flask import Blueprint, request

from . import jsonapi
from .errors import NotFound
from .pipeline import json_body, runtime
from .records import iso
from .resources import Kind, Include, formatted, ref
from .tables import Table
from .views import list_response, parent_ref, show_response

bp = Blueprint("sandbox_people_lists", __name__)
FIRST_LIST_ID, FIRST_RESULT_ID = 2_500_001, 2_600_001
LIST_DEFAULTS = {
    "auto_refresh": False, "automations_active": False, "automations_count": 0,
    "batch_completed_at": None, "created_at": None, "description": None,
    "has_inactive_results": False, "include_inactive": True, "invalid": False, "name": None,
    "name_or_description": None, "paused_automations_count": 0, "recently_viewed": False,
    "refreshed_at": None, "return_original_if_none": False, "returns": "individuals",
    "starred": False, "status": "complete", "subset": "all", "total_people": 0,
    "updated_at": None,
}


def tables(db):
    """The lists and their results, kept beside the generated tables (made on first need)."""
    if not hasattr(db, "people_lists"):
        db.people_lists, db.list_results = Table(FIRST_LIST_ID), Table(FIRST_RESULT_ID)
    return db.people_lists, db.list_results


def results_of(db, list_id):
    return [r for r in tables(db)[1].values() if r["list_id"] == list_id]


def list_attributes(record, ctx):
    attrs = formatted(record, LIST_DEFAULTS)
    attrs["total_people"] = len(results_of(ctx.db, record["id"]))
    attrs["name_or_description"] = record.get("name") or record.get("description")
    for name in ("refreshed_at", "batch_completed_at"):
        attrs[name] = iso(record.get(name)) if record.get(name) else None
    return attrs


KINDS = {
    "people_lists": Kind(
        name="people_lists", type="List", self_path=lambda r: f"/people/v2/lists/{r['id']}",
        attributes=list_attributes, can_order_by=("name", "created_at", "updated_at"),
        can_query_by=("name", "created_at", "updated_at")),
    "list_results": Kind(
        name="list_results", type="ListResult",
        self_path=lambda r: f"/people/v2/lists/{r['list_id']}/list_results/{r['id']}",
        attributes=lambda r, ctx: formatted(r, {"created_at": None, "updated_at": None}),
        relationships=lambda r, ctx: {"person": {"data": ref("Person", r["person_id"])},
                                      "list": {"data": ref("List", r["list_id"])}},
        includes={"person": Include("people", False,
                                    lambda ctx, r: ctx.db.people.get(r["person_id"]))},
        can_query_by=("person_id",)),
}


def get_list(store, list_id):
    record = tables(store.db)[0].get(list_id)
    if record is None:
        raise NotFound(f"List {list_id}")
    return record


@bp.get("/people/v2/lists")
def index():
    return list_response("people_lists", lambda store: tables(store.db)[0].values(),
                         "/people/v2/lists")


@bp.get("/people/v2/lists/<int:list_id>")
def show(list_id):
    return show_response("people_lists", lambda store: get_list(store, list_id))


@bp.get("/people/v2/lists/<int:list_id>/people")
def people(list_id):
    def rows(store):
        get_list(store, list_id)
        return [store.db.people.rows[r["person_id"]] for r in results_of(store.db, list_id)
                if r["person_id"] in store.db.people.rows]
    return list_response("people", rows, f"/people/v2/lists/{list_id}/people",
                         parent_of=lambda store: parent_ref("List", list_id))


@bp.get("/people/v2/lists/<int:list_id>/list_results")
def list_results(list_id):
    def rows(store):
        get_list(store, list_id)
        return results_of(store.db, list_id)
    return list_response("list_results", rows, f"/people/v2/lists/{list_id}/list_results",
                         parent_of=lambda store: parent_ref("List", list_id))


@bp.route("/people/v2/lists/<int:list_id>/run", methods=["POST", "GET"])
def run(list_id):
    """PCO refreshes in the background and answers 204 at once; here the run is done before
    the answer (its webhooks still go out from the delivery thread)."""
    store = runtime().store
    with store.lock:
        run_list(store, get_list(store, list_id))
    return jsonapi.no_content()


def run_list(store, record):
    lists, results = tables(store.db)
    matched = [pid for pid in record.get("rule_person_ids", []) if pid in store.db.people.rows]
    held = {r["person_id"]: r for r in results_of(store.db, record["id"])}
    now = store.now()
    for person_id in matched:
        if person_id not in held:
            result = results.insert({"list_id": record["id"], "person_id": person_id,
                                     "created_at": now, "updated_at": now})
            if person_id not in record.setdefault("ever_entered", []):
                record["ever_entered"].append(person_id)
                store._emit("list_results", "created", result)
    for person_id, result in held.items():
        if person_id not in matched:
            results.pop(result["id"])
            store._emit("list_results", "destroyed", result)
    record["refreshed_at"] = record["updated_at"] = now
    store._emit("people_lists", "refreshed", record)


# -- admin (not PCO's API: PCO makes lists in its UI) ------------------------------------------

@bp.post("/sandbox/lists")
def admin_create():
    """{"name", "description", "person_ids": [...], "run": true}: a list whose rules match
    these people."""
    body = request.get_json(silent=True) or {}
    store = runtime().store
    with store.lock:
        now = store.now()
        record = tables(store.db)[0].insert({
            "name": body.get("name") or "Untitled list", "description": body.get("description"),
            "rule_person_ids": [int(i) for i in body.get("person_ids", [])],
            "created_at": now, "updated_at": now})
        if body.get("run", True):
            run_list(store, record)
    return json_body({"id": str(record["id"]), "name": record["name"]}, status=201)


@bp.patch("/sandbox/lists/<int:list_id>")
def admin_update(list_id):
    """{"person_ids": [...], "run": true}: who the list's rules match now."""
    body = request.get_json(silent=True) or {}
    store = runtime().store
    with store.lock:
        record = get_list(store, list_id)
        record["rule_person_ids"] = [int(i) for i in body.get("person_ids", [])]
        if body.get("run", True):
            run_list(store, record)
    return json_body({"id": str(record["id"]),
                      "people": [str(r["person_id"]) for r in results_of(store.db, list_id)]})
