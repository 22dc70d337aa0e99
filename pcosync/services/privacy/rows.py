"""Rows as plain JSON-able dicts, and the strings that identify a person (for scrubbing the
rows about others that mention them)."""
import json
from datetime import date, datetime

from sqlalchemy import inspect

# How an erased value reads in a row that stays (a change to another record keeps the fact of
# the change, not the personal value).
ERASED_VALUE = "(erased)"
SHORTEST_NEEDLE = 3  # shorter strings would match unrelated text


def plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return json.loads(json.dumps(value, default=str))


def row_dict(row, leave_out=()):
    """Every column of `row` (a model instance) by name, as JSON-able values."""
    return {column.key: plain(getattr(row, column.key))
            for column in inspect(type(row)).column_attrs if column.key not in leave_out}


def identifying_strings(person):
    """Their names, emails and phone numbers as held: what must not survive in other rows."""
    names = {person.full_name, " ".join(p for p in (person.first_name, person.last_name) if p)}
    found = names | {e.address for e in person.emails} | {p.number for p in person.phone_numbers}
    return sorted(s for s in found if s and len(s.strip()) >= SHORTEST_NEEDLE
                  and s != "(no name)")
