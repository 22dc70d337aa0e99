"""PCO's choice lists and campuses, and how a person names them, <-> plain dicts.

A person reaches each choice through a to-one relationship (People 2025-11-10): `marital_status`,
`inactive_reason`, `name_prefix`, `name_suffix`, `school` (a SchoolOption) and `primary_campus`
(a Campus). A relationship is only in a person's body when it was asked for with `include=`
(`primary_campus` always is), so a relationship that is missing means "not said", not "none".

Writes name a choice by id. PCO's staff documented `marital_status_id` and `primary_campus_id` as
attributes of the person (developers #683, DOC22's assignable list) and the inactive reason as
`relationships.inactive_reason` (#392, #528; `null` clears it); the definitions mark the other
includes (`name_prefix`, `name_suffix`, `school`) assignable the same way as `inactive_reason`.
"""
from dataclasses import dataclass

from marshmallow import ValidationError, fields, validate

from .jsonapi import ref, resource_key
from .schema_base import (
    AttributesSchema, ResourceId, describe, load_resource, malformed, plain_text,
)

VALUE_LENGTH = 200


@dataclass(frozen=True)
class ChoiceList:
    field: str  # the local Person field (and the kind of choice), e.g. "marital_status"
    relationship: str  # the Person relationship and include name, e.g. "marital_status"
    pco_type: str  # the list's resource type, e.g. "MaritalStatus"
    path: str  # the list, e.g. "/people/v2/marital_statuses"
    value_attribute: str  # "value" ("name" for campuses)
    write_attribute: str | None  # "marital_status_id", or None: written as a relationship
    label: str  # for messages


CHOICE_LISTS = (
    ChoiceList("marital_status", "marital_status", "MaritalStatus",
               "/people/v2/marital_statuses", "value", "marital_status_id", "marital status"),
    ChoiceList("inactive_reason", "inactive_reason", "InactiveReason",
               "/people/v2/inactive_reasons", "value", None, "inactive reason"),
    ChoiceList("name_prefix", "name_prefix", "NamePrefix", "/people/v2/name_prefixes", "value",
               None, "name prefix"),
    ChoiceList("name_suffix", "name_suffix", "NameSuffix", "/people/v2/name_suffixes", "value",
               None, "name suffix"),
    ChoiceList("school", "school", "SchoolOption", "/people/v2/school_options", "value", None,
               "school"),
    ChoiceList("campus_id", "primary_campus", "Campus", "/people/v2/campuses", "name",
               "primary_campus_id", "campus"),
)
BY_FIELD = {choice.field: choice for choice in CHOICE_LISTS}
PERSON_CHOICE_INCLUDES = tuple(choice.relationship for choice in CHOICE_LISTS)


def _value():
    return fields.String(load_default=None, allow_none=True,
                         validate=[plain_text, validate.Length(max=VALUE_LENGTH)])


class ChoiceAttributes(AttributesSchema):
    value = _value()


class CampusAttributes(AttributesSchema):
    name = _value()


class TagAttributes(AttributesSchema):
    name = _value()


_CHOICE = ChoiceAttributes()
_CAMPUS = CampusAttributes()
_TAG = TagAttributes()
_VALUE = _value()
_ID = ResourceId()


def load_choice(resource, choice: ChoiceList) -> dict:
    """One option of a list: {"pco_id", "value"}; a blank value is refused."""
    schema = _CAMPUS if choice.value_attribute == "name" else _CHOICE
    envelope, attributes = load_resource(resource, choice.pco_type, schema)
    value = (attributes[choice.value_attribute] or "").strip()
    if not value:
        raise malformed(describe(resource, choice.pco_type), f"no {choice.value_attribute}")
    return {"pco_id": envelope["id"], "value": value}


def load_tag(resource) -> dict:
    envelope, attributes = load_resource(resource, "Tag", _TAG)
    name = (attributes["name"] or "").strip()
    if not name:
        raise malformed(describe(resource, "Tag"), "no name")
    return {"pco_id": envelope["id"], "value": name}


def load_person_choices(relationships: dict, person_label: str) -> dict:
    """{field: None (PCO holds none) or {"pco_id", "value" (None when only referenced)}} for
    each choice relationship the person's body carries; the others are left out."""
    found = {}
    for choice in CHOICE_LISTS:
        relationship = relationships.get(choice.relationship)
        if not isinstance(relationship, dict) or "data" not in relationship:
            continue
        found[choice.field] = _linked_choice(relationship["data"], choice, person_label)
    return found


def _linked_choice(data, choice, person_label):
    if data is None:
        return None
    pco_id = _resource_id(data)
    if pco_id is None:
        raise malformed(person_label, f"relationships.{choice.relationship}: not a resource")
    if "attributes" not in data:
        return {"pco_id": pco_id, "value": None}
    attributes = data["attributes"] if isinstance(data["attributes"], dict) else {}
    value = attributes.get(choice.value_attribute)
    try:
        value = _VALUE.deserialize(value)
    except ValidationError as err:
        raise malformed(person_label, f"{choice.relationship}: {err.messages[0]}") from None
    return {"pco_id": pco_id, "value": (value or "").strip() or None}


def _resource_id(data):
    """The id of a {type, id} ref, or None when it is not one."""
    if not isinstance(data, dict) or resource_key(data) is None:
        return None
    try:
        return _ID.deserialize(data.get("id"))
    except ValidationError:
        return None


def choice_write(changed: dict) -> tuple[dict, dict]:
    """(attributes, relationships) naming the changed choices by PCO id (None clears one)."""
    attributes, relationships = {}, {}
    for field, pco_id in changed.items():
        choice = BY_FIELD[field]
        if choice.write_attribute:
            attributes[choice.write_attribute] = pco_id
        else:
            data = ref(choice.pco_type, pco_id) if pco_id is not None else None
            relationships[choice.relationship] = {"data": data}
    return attributes, relationships


def included_name(relationships: dict, name: str, label: str) -> str | None:
    """The `name` of an included to-one resource (a group's type or location), or None."""
    relationship = relationships.get(name)
    data = relationship.get("data") if isinstance(relationship, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("attributes"), dict):
        return None
    try:
        value = _VALUE.deserialize(data["attributes"].get("name"))
    except ValidationError as err:
        raise malformed(label, f"{name}: {err.messages[0]}") from None
    return (value or "").strip() or None
