"""Canonical sync state and its hash: the same shape whether built from PCO's data or from
the local rows, so "unchanged since the last sync" is one comparison on either side."""
import hashlib
import json
from datetime import date, datetime

import orjson

from ...models import SYNCED_PERSON_FIELDS
from . import choices, custom_fields
from .contact_kinds import BY_NAME, CONTACT_KINDS

# The fields held as they are; the choices and the campus are held as PCO ids (rules/choices).
PLAIN_FIELDS = tuple(name for name in SYNCED_PERSON_FIELDS
                     if name not in choices.RELATION_FIELDS)


def digest(value):
    return hashlib.sha256(canonical_json(value)).hexdigest()


# orjson writes the bytes the json.dumps below writes, in a seventh of the time, but for text
# outside printable ASCII (json escapes it, DEL too) and a float with a one-digit negative
# exponent (1.5e-07 against 1.5e-7). json writes whatever shows one of those (non-ASCII, DEL,
# "e-", in a float or in text alike) and what orjson refuses (a date, a key not text, an
# integer past 64 bits). No state holds NaN or an infinity, which orjson writes as null: no
# synced field is a float.
_SORTED = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def canonical_json(value) -> bytes:
    """The bytes a hash is taken of, always those of the recipe below: a new recipe would make
    every hash held here wrong (everyone pushed as changed, every linked person compared)."""
    try:
        text = orjson.dumps(value, option=_SORTED)
    except TypeError:
        text = None
    if text is None or not text.isascii() or b"\x7f" in text or b"e-" in text:
        return json.dumps(value, sort_keys=True, default=str, separators=(",", ":")).encode()
    return text


def _plain(value):
    """JSON-safe and equal on both sides: dates as ISO strings."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _row(pco_id, kind, values):
    return [pco_id] + [_plain(values.get(name)) for name in kind.fields]


def _sorted_rows(rows):
    rows = list(rows)
    # Most people hold one row of a kind, or none: nothing to order, no key to make.
    return rows if len(rows) < 2 else sorted(rows, key=lambda row: json.dumps(row, default=str))


def person_state_from_pco(record, stored=None):
    """`stored`: the state held so far, for the choices the record does not carry."""
    state = {name: _plain(record.get(name)) for name in PLAIN_FIELDS}
    state.update(choices.state_from_pco(record, stored))
    for kind in CONTACT_KINDS:
        state[kind.name] = _contact_state(record, kind, stored)
    state.update(custom_fields.state_from_pco(record, stored))
    return state


def _contact_state(record, kind, stored):
    """PCO's rows of one kind. A record read without its contact points (a webhook's person, a
    PATCH's answer) says nothing about them: the rows held stay, with those it carries laid
    over them, so the agreed state never loses a contact point PCO still has."""
    rows = [_row(item.get("pco_id"), kind, item) for item in record[kind.name]]
    if record.get("contacts_included", True) or not stored:
        return _sorted_rows(rows)
    carried = {row[0] for row in rows}
    return _sorted_rows(rows + [row for row in stored.get(kind.name, [])
                                if row[0] not in carried])


def person_state_from_local(person):
    state = {name: _plain(getattr(person, name)) for name in PLAIN_FIELDS}
    state.update(choices.state_from_local(person))
    for kind in CONTACT_KINDS:
        state[kind.name] = _sorted_rows(_row(item.pco_id, kind, kind.values(item))
                                        for item in kind.items(person))
    state.update(custom_fields.state_from_local(person))
    return state


def person_hash_from_pco(record, stored=None):
    return digest(person_state_from_pco(record, stored))


def person_hash_from_local(person):
    return digest(person_state_from_local(person))


def contact_rows(state, kind_name):
    """{pco_id: {field: value}} of one kind of contact point in a stored state."""
    names = BY_NAME[kind_name].fields
    return {row[0]: dict(zip(names, row[1:])) for row in (state or {}).get(kind_name, [])}


def contact_values(kind, values):
    """One contact point's values as the synced state holds them (plain, in field order)."""
    return dict(zip(kind.fields, _row(None, kind, values)[1:]))


def with_contact(state, kind_name, record):
    """`state` with one contact point's row set to PCO's values."""
    kind = BY_NAME[kind_name]
    rows = [row for row in state.get(kind_name, []) if row[0] != record["pco_id"]]
    return {**state, kind_name: _sorted_rows(rows + [_row(record["pco_id"], kind, record)])}


def without_contact(state, kind_name, pco_id):
    return {**state, kind_name: [row for row in state.get(kind_name, []) if row[0] != pco_id]}
