"""People v2: the organization, people and their emails, phone numbers and addresses, and the
records of person merges (read-only: PCO merges in its UI, never through the API)."""
from flask import Blueprint

from . import jsonapi, records
from .choice_list_kinds import PERSON_LINKS
from .errors import NotFound
from .payloads import linked_ids, read_attributes
from .pipeline import runtime
from .tables import CONTACT_KINDS
from .views import list_response, parent_ref, show_response

bp = Blueprint("sandbox_people", __name__)


@bp.get("/people/v2")
def organization():
    return show_response("organization", lambda store: store.organization)


@bp.get("/people/v2/me")
def token_user():
    """The person the token acts as (PCO's `me`), with their `people_permissions`."""
    permissions = runtime().config["SANDBOX_TOKEN_USER_PERMISSIONS"]

    def record_of(store):
        people = list(store.db.people.values())
        if not people:
            raise NotFound("the token user is gone")
        first = min(people, key=lambda person: person["id"])
        return dict(first, people_permissions=permissions)
    return show_response("people", record_of)


@bp.get("/people/v2/people")
def list_people():
    return list_response("people", lambda store: store.db.people, "/people/v2/people")


def person_attributes():
    """The write's attributes, and the choices it names as relationships (`inactive_reason`,
    ...; `data: null` clears one), as the person record's `*_id` keys."""
    data, attributes = read_attributes(records.PERSON_ASSIGNABLE)
    attributes.update(linked_ids(data, PERSON_LINKS))
    runtime().store.check_person_links(attributes)
    if "avatar" in attributes:  # an upload's id (media.py) becomes the photo's address
        attributes["avatar"] = runtime().media.avatar_from(attributes["avatar"])
    return attributes


@bp.post("/people/v2/people")
def create_person():
    attributes = person_attributes()
    person = runtime().store.create_person(attributes)
    return show_response("people", lambda store: person, status=201)


@bp.get("/people/v2/people/<int:person_id>")
def show_person(person_id):
    return show_response("people", lambda store: store.get_person(person_id))


@bp.patch("/people/v2/people/<int:person_id>")
def update_person(person_id):
    runtime().store.get_person(person_id)  # an unknown id is a 404 before any 422
    person = runtime().store.update_person(person_id, person_attributes())
    return show_response("people", lambda store: person)


@bp.delete("/people/v2/people/<int:person_id>")
def delete_person(person_id):
    runtime().store.delete_person(person_id)
    return jsonapi.no_content()


@bp.get("/people/v2/people/<int:person_id>/households")
def list_person_households(person_id):
    return list_response(
        "households", lambda store: _checked(store, person_id).db.households_of(person_id),
        f"/people/v2/people/{person_id}/households",
        parent_of=lambda store: parent_ref("Person", person_id))


@bp.get("/people/v2/people/<int:person_id>/household_memberships")
def list_person_household_memberships(person_id):
    def memberships(store):
        rows = _checked(store, person_id).db.household_memberships.rows
        return [rows[mid] for mid in store.db.person_households.ids(person_id)]
    return list_response("household_memberships", memberships,
                         f"/people/v2/people/{person_id}/household_memberships",
                         parent_of=lambda store: parent_ref("Person", person_id))


@bp.get("/people/v2/person_mergers")
def list_person_mergers():
    return list_response("person_mergers", lambda store: store.db.person_mergers.values(),
                         "/people/v2/person_mergers")


@bp.get("/people/v2/person_mergers/<int:merger_id>")
def show_person_merger(merger_id):
    return show_response("person_mergers", lambda store: store.get_person_merger(merger_id))


def _checked(store, person_id):
    store.get_person(person_id)
    return store


# -- emails, phone numbers, addresses: one set of views per kind ----------------------

def list_person_contacts(kind, person_id):
    return list_response(
        kind, lambda store: _checked(store, person_id).db.contacts_of(kind, person_id),
        f"/people/v2/people/{person_id}/{kind}",
        parent_of=lambda store: parent_ref("Person", person_id))


def create_contact(kind, person_id):
    runtime().store.get_person(person_id)
    _, attributes = read_attributes(records.CONTACT_ASSIGNABLE[kind])
    contact = runtime().store.create_contact(kind, person_id, attributes)
    return show_response(kind, lambda store: contact, status=201)


def list_all_contacts(kind):
    return list_response(kind, lambda store: store.db.contacts[kind].values(),
                         f"/people/v2/{kind}")


def show_contact(kind, contact_id):
    return show_response(kind, lambda store: store.get_contact(kind, contact_id))


def update_contact(kind, contact_id):
    runtime().store.get_contact(kind, contact_id)
    _, attributes = read_attributes(records.CONTACT_ASSIGNABLE[kind])
    contact = runtime().store.update_contact(kind, contact_id, attributes)
    return show_response(kind, lambda store: contact)


def delete_contact(kind, contact_id):
    runtime().store.delete_contact(kind, contact_id)
    return jsonapi.no_content()


def _register_contact_routes():
    """Separate rules per kind keep route templates (and stats) exact."""
    routes = (
        ("/people/v2/people/<int:person_id>/{kind}", "GET", list_person_contacts),
        ("/people/v2/people/<int:person_id>/{kind}", "POST", create_contact),
        ("/people/v2/{kind}", "GET", list_all_contacts),
        ("/people/v2/{kind}/<int:contact_id>", "GET", show_contact),
        ("/people/v2/{kind}/<int:contact_id>", "PATCH", update_contact),
        ("/people/v2/{kind}/<int:contact_id>", "DELETE", delete_contact),
    )
    for kind in CONTACT_KINDS:
        for rule, method, view in routes:
            bp.add_url_rule(rule.format(kind=kind), f"{view.__name__}_{kind}", view,
                            methods=[method], defaults={"kind": kind})


_register_contact_routes()
