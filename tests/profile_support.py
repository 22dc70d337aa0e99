"""Helpers for the whole-person tests: a sandbox person with every profile field set through
PCO's API, and the profile as PCO holds it and as the local copy holds it, in one shape.

The profile shape: {field: value} with the local field names; choices by their value, the
campus by its name, dates as ISO strings.
"""
from datetime import date, datetime

import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Campus, Person

AUTH = ("sandbox", "sandbox")
PEOPLE = "/people/v2/people"
# Local field -> (PCO relationship/include, the sandbox's list, the attribute naming an item,
# the list's type).
CHOICES = {
    "marital_status": ("marital_status", "marital_statuses", "value", "MaritalStatus"),
    "inactive_reason": ("inactive_reason", "inactive_reasons", "value", "InactiveReason"),
    "name_prefix": ("name_prefix", "name_prefixes", "value", "NamePrefix"),
    "name_suffix": ("name_suffix", "name_suffixes", "value", "NameSuffix"),
    "school": ("school", "school_options", "value", "SchoolOption"),
    "campus": ("primary_campus", "campuses", "name", "Campus"),
}
ATTRIBUTES = ("given_name", "anniversary", "grade", "graduation_year", "medical_notes",
              "inactivated_at", "status")
INCLUDE = ",".join(spec[0] for spec in CHOICES.values())


def api(server, method, path, body=None, **params):
    response = requests.request(method, server.url + path, auth=AUTH, json=body, params=params,
                                timeout=10)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def list_ids(server, collection, product="people"):
    """{value (or name): id} of one of the sandbox's lists."""
    body = api(server, "GET", f"/{product}/v2/{collection}", per_page=100)
    return {(item["attributes"].get("value") or item["attributes"].get("name")): item["id"]
            for item in body["data"]}


def person_write(attributes=None, **choices):
    """A Person PATCH body: attributes, and choices named by id as relationships."""
    relationships = {
        CHOICES[field][0]: {"data": {"type": CHOICES[field][3], "id": pco_id} if pco_id else None}
        for field, pco_id in choices.items()}
    return {"data": {"type": "Person", "attributes": attributes or {},
                     "relationships": relationships}}


EVERY_FIELD = {
    "given_name": "Johannes", "anniversary": "2001-06-02", "grade": 4, "graduation_year": 2034,
    "medical_notes": "Peanut allergy: carries an EpiPen", "status": "inactive",
}
EVERY_CHOICE = {"marital_status": "Married", "inactive_reason": "Moved away",
                "name_prefix": "Rev.", "name_suffix": "Jr.", "school": "Lincoln Elementary",
                "campus": "North Campus"}


def set_every_field(server, pco_id):
    """Give a sandbox person every profile field, as an admin would in PCO."""
    choices = {field: list_ids(server, CHOICES[field][1])[value]
               for field, value in EVERY_CHOICE.items()}
    api(server, "PATCH", f"{PEOPLE}/{pco_id}", person_write(EVERY_FIELD, **choices))


def first_adult(server):
    body = api(server, "GET", PEOPLE, per_page=100, **{"where[child]": "false"})
    return next(p["id"] for p in body["data"] if p["attributes"]["status"] == "active")


def pco_profile(server, pco_id):
    body = api(server, "GET", f"{PEOPLE}/{pco_id}", include=INCLUDE)
    attributes = body["data"]["attributes"]
    included = {(item["type"], item["id"]): item["attributes"] for item in body["included"]}
    profile = {name: attributes[name] for name in ATTRIBUTES}
    for field, (relationship, _, value_name, _) in CHOICES.items():
        ref = body["data"]["relationships"][relationship]["data"]
        profile[field] = included[(ref["type"], ref["id"])][value_name] if ref else None
    profile["avatar"] = attributes["avatar"]
    return profile


def _plain(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat() if isinstance(value, date) else value


def local_profile(pco_id):
    db.session.expire_all()
    person = db.session.scalar(select(Person).where(Person.pco_id == str(pco_id)))
    profile = {name: _plain(getattr(person, name)) for name in ATTRIBUTES}
    for field in CHOICES:
        if field != "campus":
            profile[field] = getattr(person, field)
    profile["campus"] = person.campus.name if person.campus else None
    profile["avatar"] = person.pco_avatar_url
    return profile


def campus_id(name):
    return db.session.scalar(select(Campus.id).where(Campus.name == name))
