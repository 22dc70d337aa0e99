"""Numbers from people and from the wire, bounded before any conversion.

`int(Decimal("1e1000000"))` builds a million-digit integer (half a minute of CPU) and the "f"
format writes one out: a nine-byte form value could hold a web worker until its timeout. Every
caller that turns outside text into a number goes through here, so the bound lives in one place
and a later form or payload is safe without thinking of it.
"""
import re
from decimal import Decimal

INT32 = (-2**31, 2**31 - 1)  # an Integer column on PostgreSQL (SQLite's is wider)
MAX_SIGNIFICANT_DIGITS = 30
MAX_EXPONENT = 30  # |adjusted exponent|: magnitudes from 1e-30 to just under 1e31
MAX_TEXT = 64
# ASCII digits only: str.isdigit() also accepts "²" and "¹⁵", which int() then refuses.
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,9})?", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d{1,18}", re.ASCII)


class NumberError(ValueError):
    """Not a number, or one outside what is accepted; the message is for a person."""


def bounded_decimal(text):
    """A Decimal of at most 30 significant digits and exponent within +-30, or NumberError."""
    text = str(text).strip()
    if len(text) > MAX_TEXT or not _DECIMAL.fullmatch(text):
        raise NumberError(f"{text[:20]!r} is not a number")
    number = Decimal(text)  # cheap: the coefficient and exponent are only stored
    if number and (abs(number.adjusted()) > MAX_EXPONENT
                   or len(number.normalize().as_tuple().digits) > MAX_SIGNIFICANT_DIGITS):
        raise NumberError(f"{text[:20]!r} is out of range: at most {MAX_SIGNIFICANT_DIGITS} "
                          "digits, between 1e-30 and 1e30")
    return number


def bounded_int(value, low, high):
    """An int from `low` to `high` (text of ASCII digits, or an int), or NumberError."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise NumberError(f"{str(value)[:20]!r} is not a whole number")
    if isinstance(value, str):
        text = value.strip()
        if not _INTEGER.fullmatch(text):
            raise NumberError(f"{text[:20]!r} is not a whole number")
        value = int(text)
    if not low <= value <= high:
        raise NumberError(f"{value} is not between {low} and {high}")
    return value


def clamp(value, low=INT32[0], high=INT32[1]):
    """`value` held inside a column's range: for counters that are only informative."""
    return max(low, min(high, value))
