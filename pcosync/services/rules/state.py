"""Canonical sync state and its hash: the same shape whether built from PCO's data or from
the local rows, so "unchanged since the last sync" is one comparison on either side."""
import hashlib
import json
from datetime import date, datetime

from ...models import SYNCED_PERSON_FIELDS

EMAIL_FIELDS = ("address", "location", "is_primary")
PHONE_FIELDS = ("number", "location", "is_primary")
ADDRESS_FIELDS = ("street_line_1", "street_line_2", "city", "state", "zip", "location",
                  "is_primary")
CONTACT_KINDS = (("emails", EMAIL_FIELDS), ("phone_numbers", PHONE_FIELDS),
                 ("addresses", ADDRESS_FIELDS))


def digest(value):
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    """JSON-safe and equal on both sides: dates as ISO strings."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _contact_state(items, names, get):
    rows = [[get(item, "pco_id")] + [_plain(get(item, n)) for n in names] for item in items]
    return sorted(rows, key=lambda row: json.dumps(row, default=str))


def person_state_from_pco(record):
    state = {name: _plain(record.get(name)) for name in SYNCED_PERSON_FIELDS}
    for kind, names in CONTACT_KINDS:
        state[kind] = _contact_state(record[kind], names, lambda d, n: d.get(n))
    return state


def person_state_from_local(person):
    state = {name: _plain(getattr(person, name)) for name in SYNCED_PERSON_FIELDS}
    for kind, names in CONTACT_KINDS:
        state[kind] = _contact_state(getattr(person, kind), names, getattr)
    return state


def person_hash_from_pco(record):
    return digest(person_state_from_pco(record))


def contact_rows(state, kind):
    """{pco_id: {field: value}} of one kind of contact point in a stored state."""
    names = dict(CONTACT_KINDS)[kind]
    return {row[0]: dict(zip(names, row[1:])) for row in (state or {}).get(kind, [])}


def person_hash_from_local(person):
    return digest(person_state_from_local(person))


def family_state(name, member_pco_ids, primary_pco_id, address_values):
    return digest({"name": name, "members": sorted(member_pco_ids),
                   "primary": primary_pco_id, "address": address_values})
