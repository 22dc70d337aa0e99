"""The one registry of contact kinds (emails, phone numbers, addresses): their local model,
PCO's type and collection, the fields that sync and the directory write, what makes two of them
the same, and how PCO's JSON:API is read and written. Merge, push, the synced state, webhooks
and the directory all take a kind from here, so adding a field is a one-line change."""
from dataclasses import dataclass
from typing import Callable

from ...models import Address, Email, PhoneNumber
from ...models.keys import email_key, phone_digits
from ...pco import schemas


@dataclass(frozen=True)
class ContactKind:
    name: str  # the Person relationship and PCO's collection, e.g. "phone_numbers"
    model: type
    pco_type: str  # PCO's resource type, e.g. "PhoneNumber"
    label: str  # for messages: "phone number"
    # What sync and the directory write. The synced state keeps values in this order, so a
    # new field goes at the end (states stored before it then simply lack it).
    fields: tuple
    match_key: Callable  # values -> what makes two contact points the same one
    load: Callable  # a PCO resource -> plain values (validated)
    dump: Callable  # plain values -> PCO attributes

    def items(self, person):
        return getattr(person, self.name)

    def values(self, item):
        return {name: getattr(item, name) for name in self.fields}


EMAILS = ContactKind(
    "emails", Email, "Email", "email", ("address", "location", "is_primary"),
    lambda values: email_key(values["address"]), schemas.load_email, schemas.dump_email)
PHONE_NUMBERS = ContactKind(
    "phone_numbers", PhoneNumber, "PhoneNumber", "phone number",
    ("number", "location", "is_primary"),
    lambda values: phone_digits(values["number"]), schemas.load_phone_number,
    schemas.dump_phone_number)
ADDRESSES = ContactKind(
    "addresses", Address, "Address", "address",
    ("street_line_1", "street_line_2", "city", "state", "zip", "location", "is_primary",
     "country_code"),
    lambda values: (values.get("street_line_1") or "", values.get("zip") or ""),
    schemas.load_address, schemas.dump_address)

CONTACT_KINDS = (EMAILS, PHONE_NUMBERS, ADDRESSES)
BY_NAME = {kind.name: kind for kind in CONTACT_KINDS}
BY_PCO_TYPE = {kind.pco_type: kind for kind in CONTACT_KINDS}
