"""Groups v2: groups (read-only, as in PCO), memberships, and the Groups view of people.

Groups people share their ids with People persons here (PCO does not document this; see
docs/pco-api-facts.md §2.4), so a membership's `person` can be looked up in People directly.
"""
from flask import Blueprint, request

from . import jsonapi, records
from .payloads import read_attributes
from .pipeline import runtime
from .queries import QueryError
from .views import list_response, parent_ref, show_response

bp = Blueprint("sandbox_groups", __name__)
ARCHIVE_STATUSES = ("not_archived", "only", "include")
API_USER_ID = 1


@bp.get("/groups/v2")
def organization():
    return show_response("organization", lambda store: store.organization)


@bp.get("/groups/v2/groups")
def list_groups():
    args = request.args.to_dict()
    status = args.pop("where[archive_status]", "not_archived")
    if status not in ARCHIVE_STATUSES:
        raise QueryError("where[archive_status] must be not_archived, only or include")

    def groups(store):
        return [group for group in store.db.groups.values()
                if status == "include" or (group["archived_at"] is not None) == (status == "only")]
    return list_response("groups", groups, "/groups/v2/groups", args=args)


@bp.post("/groups/v2/groups")
def create_group():
    # PCO issue #1176: groups cannot be created through the API.
    return jsonapi.error(
        403, "Forbidden", "You do not have permission to perform this action",
        meta={"description": f"User with id {API_USER_ID} cannot create a Group."})


@bp.get("/groups/v2/groups/<int:group_id>")
def show_group(group_id):
    return show_response("groups", lambda store: store.get_group(group_id))


@bp.get("/groups/v2/groups/<int:group_id>/memberships")
def list_memberships(group_id):
    def memberships(store):
        store.get_group(group_id)
        return store.db.members_of_group(group_id)
    return list_response("group_memberships", memberships,
                         f"/groups/v2/groups/{group_id}/memberships",
                         parent_of=lambda store: parent_ref("Group", group_id))


@bp.post("/groups/v2/groups/<int:group_id>/memberships")
def create_membership(group_id):
    runtime().store.get_group(group_id)
    _, attributes = read_attributes(records.GROUP_MEMBERSHIP_ASSIGNABLE)
    membership = runtime().store.create_group_membership(
        group_id, attributes.get("person_id"), attributes)
    return show_response("group_memberships", lambda store: membership, status=201)


@bp.get("/groups/v2/groups/<int:group_id>/memberships/<int:membership_id>")
def show_membership(group_id, membership_id):
    return show_response("group_memberships",
                         lambda store: store.get_group_membership(group_id, membership_id))


@bp.patch("/groups/v2/groups/<int:group_id>/memberships/<int:membership_id>")
def update_membership(group_id, membership_id):
    runtime().store.get_group_membership(group_id, membership_id)
    _, attributes = read_attributes({"role", "joined_at"})
    membership = runtime().store.update_group_membership(group_id, membership_id, attributes)
    return show_response("group_memberships", lambda store: membership)


@bp.delete("/groups/v2/groups/<int:group_id>/memberships/<int:membership_id>")
def delete_membership(group_id, membership_id):
    runtime().store.delete_group_membership(group_id, membership_id)
    return jsonapi.no_content()


@bp.get("/groups/v2/people/<int:person_id>")
def show_groups_person(person_id):
    return show_response("groups_people", lambda store: store.get_person(person_id))


@bp.get("/groups/v2/people/<int:person_id>/memberships")
def list_person_memberships(person_id):
    def memberships(store):
        store.get_person(person_id)
        rows = store.db.group_memberships.rows
        return [rows[mid] for mid in store.db.person_groups.ids(person_id)]
    return list_response("group_memberships", memberships,
                         f"/groups/v2/people/{person_id}/memberships",
                         parent_of=lambda store: parent_ref("Person", person_id))
