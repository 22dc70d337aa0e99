"""People v2 households and household memberships (docs/pco-api-facts.md §2.3).

A household is created with its people and primary contact as *relationships*; members
join later through household_memberships with `relationships.person`.
"""
from flask import Blueprint

from . import jsonapi, records
from .payloads import PayloadError, read_attributes, related_id, related_ids
from .pipeline import runtime
from .views import list_response, parent_ref, show_response

bp = Blueprint("sandbox_households", __name__)


@bp.get("/people/v2/households")
def list_households():
    return list_response("households", lambda store: store.db.households,
                         "/people/v2/households")


def household_attributes():
    """The write's data and attributes; an `avatar` given as an upload's id (media.py) becomes
    the photo's address, as for a person."""
    data, attributes = read_attributes(records.HOUSEHOLD_ASSIGNABLE)
    if attributes.get("avatar"):
        attributes["avatar"] = runtime().media.avatar_from(attributes["avatar"], "Household")
    return data, attributes


@bp.post("/people/v2/households")
def create_household():
    data, attributes = household_attributes()
    primary_id = related_id(data, "primary_contact") or attributes.get("primary_contact_id")
    household = runtime().store.create_household(
        attributes, related_ids(data, "people"), primary_id)
    return show_response("households", lambda store: household, status=201)


@bp.get("/people/v2/households/<int:household_id>")
def show_household(household_id):
    return show_response("households", lambda store: store.get_household(household_id))


@bp.patch("/people/v2/households/<int:household_id>")
def update_household(household_id):
    runtime().store.get_household(household_id)
    data, attributes = household_attributes()
    primary_id = related_id(data, "primary_contact")
    if primary_id is not None:
        attributes["primary_contact_id"] = primary_id
    household = runtime().store.update_household(household_id, attributes)
    return show_response("households", lambda store: household)


@bp.delete("/people/v2/households/<int:household_id>")
def delete_household(household_id):
    runtime().store.delete_household(household_id)
    return jsonapi.no_content()


@bp.get("/people/v2/households/<int:household_id>/people")
def list_household_people(household_id):
    def people(store):
        store.get_household(household_id)
        return [store.db.people.rows[m["person_id"]]
                for m in store.db.members_of_household(household_id)]
    return list_response("people", people, f"/people/v2/households/{household_id}/people",
                         parent_of=lambda store: parent_ref("Household", household_id))


@bp.get("/people/v2/households/<int:household_id>/household_memberships")
def list_household_memberships(household_id):
    def memberships(store):
        store.get_household(household_id)
        return store.db.members_of_household(household_id)
    return list_response("household_memberships", memberships,
                         f"/people/v2/households/{household_id}/household_memberships",
                         parent_of=lambda store: parent_ref("Household", household_id))


@bp.post("/people/v2/households/<int:household_id>/household_memberships")
def create_household_membership(household_id):
    runtime().store.get_household(household_id)
    data, attributes = read_attributes(records.HOUSEHOLD_MEMBERSHIP_ASSIGNABLE,
                                       renamed={"people": "people_ids"})
    if "people" in (data.get("relationships") or {}):
        # PCO issue #280: a to-many `people` here is refused under its column name.
        raise PayloadError(jsonapi.forbidden_attributes(["people_ids"]))
    person_id = related_id(data, "person") or attributes.get("person_id")
    membership = runtime().store.add_household_member(household_id, person_id, attributes)
    return show_response("household_memberships", lambda store: membership, status=201)


@bp.get("/people/v2/households/<int:household_id>/household_memberships/<int:membership_id>")
def show_household_membership(household_id, membership_id):
    return show_response("household_memberships", lambda store: store.get_household_membership(
        household_id, membership_id))


@bp.patch("/people/v2/households/<int:household_id>/household_memberships/<int:membership_id>")
def update_household_membership(household_id, membership_id):
    runtime().store.get_household_membership(household_id, membership_id)
    _, attributes = read_attributes(records.HOUSEHOLD_MEMBERSHIP_ASSIGNABLE)
    membership = runtime().store.update_household_member(household_id, membership_id,
                                                         attributes)
    return show_response("household_memberships", lambda store: membership)


@bp.delete("/people/v2/households/<int:household_id>/household_memberships/<int:membership_id>")
def delete_household_membership(household_id, membership_id):
    runtime().store.remove_household_member(household_id, membership_id)
    return jsonapi.no_content()
