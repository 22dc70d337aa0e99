"""Directory search that stays indexed on 50,000 people.

Every search is a prefix search on a column with a plain b-tree index: `search_name` (normalized
"first last"), `last_name`, `Email.normalized` and `PhoneNumber.digits`. A prefix is written as a
range (`col >= 'smi' AND col < 'smj'`), which any b-tree index answers on SQLite and on
PostgreSQL whatever the database collation, while `LIKE 'smi%'` alone is only indexed on
PostgreSQL with the C collation or a pattern_ops index. The LIKE stays next to the range as the
exact test, so a locale collation's looser range can never add a wrong row.
"""
import re
import string

from sqlalchemy import and_, or_, select

from ..models import Email, Person, PhoneNumber
from .normalize import email_key, name_part, phone_digits

# Characters a prefix upper bound may step through without leaving "plain" collation order.
_ALPHABET = string.digits + string.ascii_lowercase
MIN_PHONE_DIGITS = 3


def prefix_upper_bound(prefix):
    """The smallest string above every string that starts with `prefix`: 'smi' -> 'smj',
    'abz' -> 'ac', '09' -> '1'. None when there is none ('zz'): then only the lower bound."""
    stem = prefix
    while stem:
        last = stem[-1]
        if last in _ALPHABET and last != _ALPHABET[-1]:
            return stem[:-1] + _ALPHABET[_ALPHABET.index(last) + 1]
        if last not in _ALPHABET:
            # A space or punctuation: the next code point is safe in binary and in C order.
            return stem[:-1] + chr(ord(last) + 1)
        stem = stem[:-1]
    return None


def _escape_like(value):
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def starts_with(column, prefix):
    """`column` starts with `prefix` (case as given), written so an index on `column` is used."""
    bounds = [column >= prefix]
    upper = prefix_upper_bound(prefix)
    if upper is not None:
        bounds.append(column < upper)
    bounds.append(column.like(_escape_like(prefix) + "%", escape="\\"))
    return and_(*bounds)


def looks_like_phone(text):
    return (re.fullmatch(r"[\d\s().+-]+", text) is not None
            and len(phone_digits(text)) >= MIN_PHONE_DIGITS)


def _last_name_spellings(text):
    """`last_name` keeps the person's own capitals; try how people write surnames."""
    text = " ".join(text.split())
    return {text, text.lower(), text.capitalize(), text.title(), text.upper()}


def name_condition(text):
    by_last_name = [starts_with(Person.last_name, s) for s in _last_name_spellings(text)]
    return or_(starts_with(Person.search_name, name_part(text)), *by_last_name)


def email_condition(text):
    ids = select(Email.person_id).where(starts_with(Email.normalized, email_key(text)))
    return Person.id.in_(ids)


def phone_condition(text):
    ids = select(PhoneNumber.person_id).where(starts_with(PhoneNumber.digits, phone_digits(text)))
    return Person.id.in_(ids)


def person_condition(text):
    """What a search box query means: an email when it has an @, a phone number when it is
    digits and separators, else a name (first name, "first last", or last name).
    None for an empty query: no condition."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text:
        return email_condition(text)
    if looks_like_phone(text):
        return phone_condition(text)
    return name_condition(text)
