"""The wire half of the contact kinds (emails, phone numbers, addresses): PCO's resource type,
the person's relationship (also the include name and the collection), the word in webhook
event names, the attributes read and written, and whether the listing takes
`where[updated_at]`. The client, the deltas and the person loader read this table; the rules
half (services/rules/contact_kinds.py) extends each kind with the local facts, so the two
cannot name different kinds."""
from dataclasses import dataclass

from marshmallow import ValidationError, fields, pre_load

from .schema_base import (
    AttributesSchema, flag_field, load_resource, raw_field, related_id, text_field,
    updated_at_field,
)

PEOPLE_API = "/people/v2"


class EmailAttributes(AttributesSchema):
    address = text_field(320, required=True)
    location = text_field(40)
    is_primary = flag_field("primary")
    pco_updated_at = updated_at_field()


class PhoneNumberAttributes(AttributesSchema):
    number = text_field(60, required=True)
    location = text_field(40)
    is_primary = flag_field("primary")
    pco_updated_at = updated_at_field()


class AddressAttributes(AttributesSchema):
    street_line_1 = text_field(255)
    street_line_2 = text_field(255)
    city = text_field(120)
    state = text_field(120)
    zip = text_field(40)
    country_code = text_field(8)
    location = text_field(40)
    is_primary = flag_field("primary")
    pco_updated_at = updated_at_field()

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


class EmailWrite(AttributesSchema):
    address = raw_field()
    location = raw_field()
    is_primary = fields.Boolean(data_key="primary", allow_none=True)


class PhoneNumberWrite(AttributesSchema):
    number = raw_field()
    location = raw_field()
    is_primary = fields.Boolean(data_key="primary", allow_none=True)


class AddressWrite(AttributesSchema):
    street_line_1 = raw_field()
    street_line_2 = raw_field()
    city = raw_field()
    state = raw_field()
    zip = raw_field()
    country_code = raw_field()
    location = raw_field()
    is_primary = fields.Boolean(data_key="primary", allow_none=True)


def with_local_primary(values: dict) -> dict:
    """Accept `primary` as well as the local `is_primary` key."""
    if "primary" in values and "is_primary" not in values:
        values = {**values, "is_primary": values["primary"]}
    return values


@dataclass(frozen=True)
class WireKind:
    name: str  # the Person relationship, include name and collection, e.g. "phone_numbers"
    pco_type: str  # PCO's resource type, e.g. "PhoneNumber"
    event_resource: str  # the resource in webhook event names, e.g. "phone_number"
    attributes: AttributesSchema  # what a read carries (PCO names -> local names)
    write: AttributesSchema  # what a write may carry
    queryable_by_updated_at: bool  # the listing takes where[updated_at] (else newest first)

    @property
    def path(self) -> str:
        """The collection of every person's contact points of this kind."""
        return f"{PEOPLE_API}/{self.name}"

    def load(self, resource) -> dict:
        """A PCO resource -> plain values (validated), with its id and its person's."""
        envelope, contact = load_resource(resource, self.pco_type, self.attributes)
        contact["pco_id"] = envelope["id"]
        contact["is_primary"] = bool(contact["is_primary"])
        person_id = related_id(envelope["relationships"], "person")
        if person_id is not None:
            contact["person_pco_id"] = person_id
        return contact

    def dump(self, values: dict) -> dict:
        """Plain values -> PCO attributes (only the keys present)."""
        return self.write.dump(with_local_primary(values))


EMAILS = WireKind("emails", "Email", "email", EmailAttributes(), EmailWrite(), True)
PHONE_NUMBERS = WireKind("phone_numbers", "PhoneNumber", "phone_number", PhoneNumberAttributes(),
                         PhoneNumberWrite(), True)
# PCO lets /people/v2/addresses be ordered by updated_at but not queried by it:
# addresses are read newest first until one is older than the cursor.
ADDRESSES = WireKind("addresses", "Address", "address", AddressAttributes(), AddressWrite(),
                     False)

WIRE_KINDS = (EMAILS, PHONE_NUMBERS, ADDRESSES)
BY_NAME = {kind.name: kind for kind in WIRE_KINDS}
