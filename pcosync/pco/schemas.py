"""PCO JSON:API resources <-> plain dicts named like the local model attributes.

Loaders take a *resolved* resource (see PCOClient.iter_pages: included
resources already replace the refs in `relationships`) and return a dict.
A malformed record raises marshmallow.ValidationError naming its type and id;
`err.kwargs["label"]` / `err.kwargs["reason"]` hold the two parts.
Dumpers take a dict of local names and emit only the keys present, so a PATCH
carries only the changed fields.
"""
from marshmallow import ValidationError, fields, validate

from .jsonapi import document
from .contact_kinds import WIRE_KINDS
from .schema_base import (
    AttributesSchema, IsoDate, ResourceId, UTCDateTime, describe, flag_field, is_resolved,
    load_resource, malformed, plain_text, raw_field, related_id, related_ids, related_list,
    text_field, updated_at_field,
)
from .custom_field_schemas import load_person_field_data
from .group_schemas import load_group, load_group_membership
from .profile_schemas import load_person_choices
from .versions import person_version
from .webhook_schemas import (
    load_event_deliveries, load_event_delivery, load_webhook_subscription,
)

__all__ = [
    "document", "dump_household", "dump_person", "load_event_deliveries",
    "load_event_delivery", "load_group", "load_group_membership", "load_household",
    "load_household_membership", "load_organization", "load_person", "load_person_merger",
    "load_webhook_subscription",
]


def _date():
    return fields.Date(load_default=None, allow_none=True)


def _number():
    return fields.Integer(load_default=None, allow_none=True)


class PersonAttributes(AttributesSchema):
    first_name = text_field(120)
    middle_name = text_field(120)
    last_name = text_field(120)
    nickname = text_field(120)
    gender = text_field(40)
    birthdate = _date()
    status = text_field(40)
    membership = text_field(120)
    child = flag_field()
    given_name = text_field(120)
    anniversary = _date()
    grade = _number()
    graduation_year = _number()
    medical_notes = text_field()
    inactivated_at = UTCDateTime(load_default=None, allow_none=True)
    pco_avatar_url = fields.String(data_key="avatar", load_default=None, allow_none=True,
                                   validate=[plain_text, validate.Length(max=500)])
    pco_updated_at = updated_at_field()


class HouseholdAttributes(AttributesSchema):
    name = text_field(200)
    avatar = fields.String(load_default=None, allow_none=True,
                           validate=[plain_text, validate.Length(max=500)])
    primary_contact_id = ResourceId(load_default=None, allow_none=True)
    pco_updated_at = updated_at_field()


class HouseholdMembershipAttributes(AttributesSchema):
    household_role = text_field(40)
    pending = flag_field()
    person_id = ResourceId(load_default=None, allow_none=True)


class OrganizationAttributes(AttributesSchema):
    name = text_field(200)


class PersonMergerAttributes(AttributesSchema):
    person_to_keep_id = ResourceId(load_default=None, allow_none=True)
    person_to_remove_id = ResourceId(load_default=None, allow_none=True)
    created_at = UTCDateTime(load_default=None, allow_none=True)


# A person pushed before this app used PCO's names may still hold "M" or "F" in PCO: read as
# the names they stand for, as the migration b7d1e0a2c4f6 rewrote the rows and synced states.
GENDER_LETTERS = {"M": "Male", "F": "Female"}

_PERSON = PersonAttributes()
_HOUSEHOLD = HouseholdAttributes()
_HOUSEHOLD_MEMBERSHIP = HouseholdMembershipAttributes()
_ORGANIZATION = OrganizationAttributes()
_PERSON_MERGER = PersonMergerAttributes()


# People

def load_person(resource) -> dict:
    envelope, person = load_resource(resource, "Person", _PERSON)
    person["pco_id"] = envelope["id"]
    person["status"] = "inactive" if (person["status"] or "").lower() == "inactive" else "active"
    person["gender"] = GENDER_LETTERS.get(person["gender"], person["gender"])
    person["child"] = bool(person["child"])
    label = describe(resource, "Person")
    complete = True
    for kind in WIRE_KINDS:
        person[kind.name], whole = _load_contacts(envelope, kind.name, kind.load, label)
        complete = complete and whole
    # Only when every list is complete may the caller drop local copies missing here.
    person["contacts_included"] = complete
    person["choices"] = load_person_choices(envelope["relationships"], label)
    person["field_data"], person["field_data_included"] = load_person_field_data(
        envelope["relationships"], label)
    person["pco_version"] = person_version(resource)  # this version of PCO's (pco/versions)
    return person


def _load_contacts(envelope: dict, name: str, loader, person_label: str) -> tuple[list, bool]:
    """(loaded children, whether the relationship was sent and fully resolved)."""
    items = related_list(envelope["relationships"], name)
    if items is None:
        return [], False
    loaded = []
    for item in items:
        if not is_resolved(item):
            continue  # a ref missing from `included`: the list is incomplete
        try:
            child = loader(item)
        except ValidationError as err:
            reason = err.kwargs.get("reason", str(err))
            raise malformed(f"{person_label}, {err.kwargs.get('label', name)}", reason) from None
        child.setdefault("person_pco_id", envelope["id"])
        loaded.append(child)
    return loaded, len(loaded) == len(items)


def load_person_merger(resource) -> dict:
    """PCO merged two people: who was kept, who was removed (attributes, else relationships)."""
    envelope, merger = load_resource(resource, "PersonMerger", _PERSON_MERGER)
    relationships = envelope["relationships"]
    keep = merger["person_to_keep_id"] or related_id(relationships, "person_to_keep")
    remove = merger["person_to_remove_id"] or related_id(relationships, "person_to_remove")
    if keep is None or remove is None:
        raise malformed(describe(resource, "PersonMerger"), "no person to keep or to remove")
    return {"pco_id": envelope["id"], "person_to_keep_id": keep,
            "person_to_remove_id": remove, "created_at": merger["created_at"]}


def load_organization(resource) -> dict:
    envelope, organization = load_resource(resource, "Organization", _ORGANIZATION)
    return {"pco_id": envelope["id"], "name": organization["name"]}


# Households

def load_household(resource) -> dict:
    envelope, household = load_resource(resource, "Household", _HOUSEHOLD)
    relationships = envelope["relationships"]
    primary = related_id(relationships, "primary_contact") or household["primary_contact_id"]
    return {
        "pco_household_id": envelope["id"],
        "name": household["name"],
        "primary_contact_pco_id": primary,
        "member_pco_ids": related_ids(relationships, "people"),
        "avatar": household["avatar"],
        "pco_updated_at": household["pco_updated_at"],
    }


def load_household_membership(resource) -> dict:
    envelope, membership = load_resource(resource, "HouseholdMembership", _HOUSEHOLD_MEMBERSHIP)
    relationships = envelope["relationships"]
    person_id = related_id(relationships, "person") or membership["person_id"]
    if person_id is None:
        raise malformed(describe(resource, "HouseholdMembership"), "no person")
    return {
        "pco_id": envelope["id"],
        "person_pco_id": person_id,
        "household_pco_id": related_id(relationships, "household"),
        "household_role": membership["household_role"],
        "pending": bool(membership["pending"]),
    }


# Dumps for writes

class PersonWrite(AttributesSchema):
    """Person attributes a write may carry (choices go by id: see profile_schemas)."""
    first_name = raw_field()
    middle_name = raw_field()
    last_name = raw_field()
    nickname = raw_field()
    gender = raw_field()
    birthdate = IsoDate(allow_none=True)
    status = raw_field()
    membership = raw_field()
    child = fields.Boolean(allow_none=True)
    given_name = raw_field()
    anniversary = IsoDate(allow_none=True)
    grade = fields.Integer(allow_none=True)
    graduation_year = fields.Integer(allow_none=True)
    medical_notes = raw_field()


class HouseholdWrite(AttributesSchema):
    name = raw_field()


def dump_person(fields_: dict) -> dict:
    return PersonWrite().dump(fields_)


def dump_household(fields_: dict) -> dict:
    return HouseholdWrite().dump(fields_)
