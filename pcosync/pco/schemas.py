"""PCO JSON:API resources <-> plain dicts named like the local model attributes.

Loaders take a *resolved* resource (see PCOClient.iter_pages: included
resources already replace the refs in `relationships`) and return a dict.
A malformed record raises marshmallow.ValidationError naming its type and id;
`err.kwargs["label"]` / `err.kwargs["reason"]` hold the two parts.
Dumpers take a dict of local names and emit only the keys present, so a PATCH
carries only the changed fields.
"""
from marshmallow import ValidationError, fields, pre_load, validate

from .jsonapi import document
from .schema_base import (
    AttributesSchema, IsoDate, ResourceId, UTCDateTime, describe, is_resolved, load_resource,
    malformed, plain_text, related_id, related_ids, related_list,
)
from .custom_field_schemas import load_person_field_data
from .group_schemas import load_group, load_group_membership
from .profile_schemas import load_person_choices
from .webhook_schemas import (
    load_event_deliveries, load_event_delivery, load_webhook_subscription,
)

__all__ = [
    "document", "dump_address", "dump_email", "dump_household", "dump_person",
    "dump_phone_number", "load_address", "load_email", "load_event_deliveries",
    "load_event_delivery", "load_group", "load_group_membership", "load_household",
    "load_household_membership", "load_organization", "load_person", "load_person_merger",
    "load_phone_number",
    "load_webhook_subscription",
]


def _text(max_length=None, required=False):
    """Text that fits its column (`max_length`, the column's size) and that a database can
    store: a huge string, a NUL or broken UTF-8 from PCO used to fail a whole page's commit;
    now the record is refused alone and filed as a SyncIssue."""
    checks = [plain_text] + ([validate.Length(max=max_length)] if max_length else [])
    if required:
        return fields.String(required=True, validate=checks)
    return fields.String(load_default=None, allow_none=True, validate=checks)


def _flag(data_key=None):
    return fields.Boolean(load_default=False, allow_none=True, data_key=data_key)


def _updated_at():
    return UTCDateTime(data_key="updated_at", load_default=None, allow_none=True)


def _date():
    return fields.Date(load_default=None, allow_none=True)


def _number():
    return fields.Integer(load_default=None, allow_none=True)


class PersonAttributes(AttributesSchema):
    first_name = _text(120)
    middle_name = _text(120)
    last_name = _text(120)
    nickname = _text(120)
    gender = _text(40)
    birthdate = _date()
    status = _text(40)
    membership = _text(120)
    child = _flag()
    given_name = _text(120)
    anniversary = _date()
    grade = _number()
    graduation_year = _number()
    medical_notes = _text()
    inactivated_at = UTCDateTime(load_default=None, allow_none=True)
    pco_avatar_url = fields.String(data_key="avatar", load_default=None, allow_none=True,
                                   validate=[plain_text, validate.Length(max=500)])
    pco_updated_at = _updated_at()


class EmailAttributes(AttributesSchema):
    address = _text(320, required=True)
    location = _text(40)
    is_primary = _flag("primary")
    pco_updated_at = _updated_at()


class PhoneNumberAttributes(AttributesSchema):
    number = _text(60, required=True)
    location = _text(40)
    is_primary = _flag("primary")
    pco_updated_at = _updated_at()


class AddressAttributes(AttributesSchema):
    street_line_1 = _text(255)
    street_line_2 = _text(255)
    city = _text(120)
    state = _text(120)
    zip = _text(40)
    country_code = _text(8)
    location = _text(40)
    is_primary = _flag("primary")
    pco_updated_at = _updated_at()

    @pre_load
    def accept_legacy_street(self, data, **kwargs):
        # Before People 2023-03-21 an address had one `street` (possibly multi-line).
        if isinstance(data, dict) and "street_line_1" not in data and "street" in data:
            street = data.get("street")
            if street is not None and not isinstance(street, str):
                raise ValidationError("Not a valid string.", "street")  # one record's issue
            line_1, _, line_2 = (street or "").partition("\n")
            data = {**data, "street_line_1": line_1.strip() or None,
                    "street_line_2": data.get("street_line_2") or (line_2.strip() or None)}
        return data


class HouseholdAttributes(AttributesSchema):
    name = _text(200)
    avatar = fields.String(load_default=None, allow_none=True,
                           validate=[plain_text, validate.Length(max=500)])
    primary_contact_id = ResourceId(load_default=None, allow_none=True)
    pco_updated_at = _updated_at()


class HouseholdMembershipAttributes(AttributesSchema):
    household_role = _text(40)
    pending = _flag()
    person_id = ResourceId(load_default=None, allow_none=True)


class OrganizationAttributes(AttributesSchema):
    name = _text(200)


class PersonMergerAttributes(AttributesSchema):
    person_to_keep_id = ResourceId(load_default=None, allow_none=True)
    person_to_remove_id = ResourceId(load_default=None, allow_none=True)
    created_at = UTCDateTime(load_default=None, allow_none=True)


# A person pushed before this app used PCO's names may still hold "M" or "F" in PCO: read as
# the names they stand for, as the migration b7d1e0a2c4f6 rewrote the rows and synced states.
GENDER_LETTERS = {"M": "Male", "F": "Female"}

_PERSON = PersonAttributes()
_EMAIL = EmailAttributes()
_PHONE = PhoneNumberAttributes()
_ADDRESS = AddressAttributes()
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
    for name, loader in (("emails", load_email), ("phone_numbers", load_phone_number),
                         ("addresses", load_address)):
        person[name], whole = _load_contacts(envelope, name, loader, label)
        complete = complete and whole
    # Only when all three lists are complete may the caller drop local copies missing here.
    person["contacts_included"] = complete
    person["choices"] = load_person_choices(envelope["relationships"], label)
    person["field_data"], person["field_data_included"] = load_person_field_data(
        envelope["relationships"], label)
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


def _load_contact(resource, type_: str, schema) -> dict:
    envelope, contact = load_resource(resource, type_, schema)
    contact["pco_id"] = envelope["id"]
    contact["is_primary"] = bool(contact["is_primary"])
    person_id = related_id(envelope["relationships"], "person")
    if person_id is not None:
        contact["person_pco_id"] = person_id
    return contact


def load_email(resource) -> dict:
    return _load_contact(resource, "Email", _EMAIL)


def load_phone_number(resource) -> dict:
    return _load_contact(resource, "PhoneNumber", _PHONE)


def load_address(resource) -> dict:
    return _load_contact(resource, "Address", _ADDRESS)


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

def _optional():
    return fields.Raw(allow_none=True)


class PersonWrite(AttributesSchema):
    """Person attributes a write may carry (choices go by id: see profile_schemas)."""
    first_name = _optional()
    middle_name = _optional()
    last_name = _optional()
    nickname = _optional()
    gender = _optional()
    birthdate = IsoDate(allow_none=True)
    status = _optional()
    membership = _optional()
    child = fields.Boolean(allow_none=True)
    given_name = _optional()
    anniversary = IsoDate(allow_none=True)
    grade = fields.Integer(allow_none=True)
    graduation_year = fields.Integer(allow_none=True)
    medical_notes = _optional()


class EmailWrite(AttributesSchema):
    address = _optional()
    location = _optional()
    is_primary = fields.Boolean(data_key="primary", allow_none=True)


class PhoneNumberWrite(AttributesSchema):
    number = _optional()
    location = _optional()
    is_primary = fields.Boolean(data_key="primary", allow_none=True)


class AddressWrite(AttributesSchema):
    street_line_1 = _optional()
    street_line_2 = _optional()
    city = _optional()
    state = _optional()
    zip = _optional()
    country_code = _optional()
    location = _optional()
    is_primary = fields.Boolean(data_key="primary", allow_none=True)


class HouseholdWrite(AttributesSchema):
    name = _optional()


def _with_local_primary(fields_: dict) -> dict:
    """Accept `primary` as well as the local `is_primary` key."""
    if "primary" in fields_ and "is_primary" not in fields_:
        fields_ = {**fields_, "is_primary": fields_["primary"]}
    return fields_


def dump_person(fields_: dict) -> dict:
    return PersonWrite().dump(fields_)


def dump_email(fields_: dict) -> dict:
    return EmailWrite().dump(_with_local_primary(fields_))


def dump_phone_number(fields_: dict) -> dict:
    return PhoneNumberWrite().dump(_with_local_primary(fields_))


def dump_address(fields_: dict) -> dict:
    return AddressWrite().dump(_with_local_primary(fields_))


def dump_household(fields_: dict) -> dict:
    return HouseholdWrite().dump(fields_)
