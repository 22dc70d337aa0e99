"""The rules half of the contact kinds (emails, phone numbers, addresses): each kind is PCO's
wire kind (pco/contact_kinds.py: type, collection, event word, how it is read and written)
extended with the local facts: its model, the fields that sync and the directory write, what
makes two of them the same, its label and the directory's URL segment. Merge, push, the synced
state, webhooks, Quick Sync and the directory all take a kind from here; a kind is made only
from a wire kind, so the two halves cannot name different kinds."""
import dataclasses
from dataclasses import dataclass
from typing import Callable

from ...models import Address, Email, PhoneNumber
from ...models.keys import email_key, phone_digits
from ...pco import contact_kinds as wire


@dataclass(frozen=True)
class ContactKind(wire.WireKind):
    model: type
    label: str  # for messages: "phone number"
    # What sync and the directory write. The synced state keeps values in this order, so a
    # new field goes at the end (states stored before it then simply lack it).
    fields: tuple
    match_key: Callable  # values -> what makes two contact points the same one
    segment: str  # the directory's URL segment, e.g. "phones"

    @classmethod
    def extending(cls, wire_kind, **local):
        return cls(**{f.name: getattr(wire_kind, f.name)
                      for f in dataclasses.fields(wire_kind)}, **local)

    def items(self, person):
        return getattr(person, self.name)

    def values(self, item):
        return {name: getattr(item, name) for name in self.fields}


EMAILS = ContactKind.extending(
    wire.EMAILS, model=Email, label="email", fields=("address", "location", "is_primary"),
    match_key=lambda values: email_key(values["address"]), segment="emails")
PHONE_NUMBERS = ContactKind.extending(
    wire.PHONE_NUMBERS, model=PhoneNumber, label="phone number",
    fields=("number", "location", "is_primary"),
    match_key=lambda values: phone_digits(values["number"]), segment="phones")
ADDRESSES = ContactKind.extending(
    wire.ADDRESSES, model=Address, label="address",
    fields=("street_line_1", "street_line_2", "city", "state", "zip", "location", "is_primary",
            "country_code"),
    match_key=lambda values: (values.get("street_line_1") or "", values.get("zip") or ""),
    segment="addresses")

CONTACT_KINDS = (EMAILS, PHONE_NUMBERS, ADDRESSES)
BY_NAME = {kind.name: kind for kind in CONTACT_KINDS}
BY_PCO_TYPE = {kind.pco_type: kind for kind in CONTACT_KINDS}
BY_SEGMENT = {kind.segment: kind for kind in CONTACT_KINDS}
