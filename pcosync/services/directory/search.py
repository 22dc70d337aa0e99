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
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ...models import Email, Person, PhoneNumber
from ...models.keys import email_key, name_part, phone_digits

# Characters a prefix upper bound may step through without leaving "plain" collation order.
_ALPHABET = string.digits + string.ascii_lowercase
MIN_PHONE_DIGITS = 3


class selective(FunctionElement):  # noqa: N801 (used like a SQL function)
    """A condition that matches few rows. SQLite cannot estimate a range's size without
    statistics, and with a LIMIT and several OR'ed ranges it may prefer walking the whole
    ORDER BY index (60 ms for 3 rows in 50,000); likelihood() tells it otherwise. PostgreSQL
    keeps statistics and gets the bare condition."""

    # No Boolean type on purpose: SQLAlchemy would write "likelihood(...) = 1" on SQLite, which
    # hides the condition from the planner again.
    name = "selective"
    inherit_cache = True


@compiles(selective)
def _selective_anywhere(element, compiler, **kw):
    return "(%s)" % compiler.process(element.clauses, **kw)


@compiles(selective, "sqlite")
def _selective_on_sqlite(element, compiler, **kw):
    return "likelihood(%s, 0.001)" % compiler.process(element.clauses, **kw)


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


def in_prefix_range(column, prefix):
    """The index-friendly part: every string starting with `prefix` is in this range."""
    upper = prefix_upper_bound(prefix)
    return column >= prefix if upper is None else and_(column >= prefix, column < upper)


def like_prefix(prefix):
    return _escape_like(prefix) + "%"


def starts_with(column, prefix):
    """`column` starts with `prefix` (case as given), written so an index on `column` is used."""
    return and_(in_prefix_range(column, prefix), column.like(like_prefix(prefix), escape="\\"))


def looks_like_phone(text):
    return (re.fullmatch(r"[\d\s().+-]+", text) is not None
            and len(phone_digits(text)) >= MIN_PHONE_DIGITS)


def _last_name_spellings(text):
    """`last_name` keeps the person's own capitals; try how people write surnames."""
    text = " ".join(text.split())
    return {text, text.lower(), text.capitalize(), text.title(), text.upper()}


def name_condition(text):
    """`search_name` starts with the normalized text, or the last name starts with the text in
    any case. The last name is indexed as written, so each usual spelling of the text is one
    index range (on a case-insensitive collation one range already finds them all). A flat OR
    of ranges lets SQLite and PostgreSQL answer each term from its index and merge."""
    exact_last_name = Person.last_name.ilike(like_prefix(text.strip()), escape="\\")
    by_last_name = [and_(in_prefix_range(Person.last_name, spelling), exact_last_name)
                    for spelling in sorted(_last_name_spellings(text))]
    return or_(starts_with(Person.search_name, name_part(text)), *by_last_name)


def email_condition(text):
    ids = select(Email.person_id).where(starts_with(Email.normalized, email_key(text)))
    return Person.id.in_(ids)


def phone_condition(text):
    """Digits from their start. PCO numbers often carry the +1 country code that people leave
    out when they type, so "503 555" also finds "+1 503 555 0177"."""
    digits = phone_digits(text)
    prefixes = {digits} if digits.startswith("1") else {digits, "1" + digits}
    matches = or_(*[starts_with(PhoneNumber.digits, prefix) for prefix in sorted(prefixes)])
    return Person.id.in_(select(PhoneNumber.person_id).where(matches))


def person_condition(text):
    """What a search box query means: an email when it has an @, a phone number when it is
    digits and separators, else a name (first name, "first last", or last name).
    None for an empty query: no condition."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text:
        return selective(email_condition(text))
    if looks_like_phone(text):
        return selective(phone_condition(text))
    return selective(name_condition(text))
