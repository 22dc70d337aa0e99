"""A custom field's data types and how PCO reads a datum's `value` for each of them.

Data type spellings: "checkboxes" and "select" are PCO's own (FieldOption: "an individual option
for a custom field of type "select" or "checkboxes""; the FieldDatum update note), "text" and
"select" are what twcrews' live integration tests create, "string" is the docs' example, "file"
is what client libraries test for; "date", "number", "boolean" and "header" (a section heading,
which holds no data) are PCO's UI types under their usual API names, not confirmed by a source.

Values are strings, as PCO stores them: a boolean is "true" or "false", a date is written in the
organization's date format (a real answer shows "10/31/2010"; PCO's import guide: MM/DD/YYYY).
The sandbox also takes ISO dates (2010-10-31) on write, and answers in the organization's form.
"""
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from .errors import Invalid

DATA_TYPES = ("string", "text", "date", "number", "boolean", "select", "checkboxes", "file",
              "header")
OPTION_TYPES = ("select", "checkboxes")
RESOURCE = "FieldDatum"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def slug_for(name):
    return re.sub(r"[^a-z0-9]+", "_", (name or "").lower()).strip("_")


def normalized(definition, value, date_format):
    """The datum's stored `value` for a write, or Invalid (PCO's 422)."""
    data_type = definition["data_type"]
    if data_type == "header":
        raise Invalid("is a heading and holds no value", parameter="field_definition",
                      resource=RESOURCE)
    if data_type == "file":
        # PCO takes a file field's value as an id from its upload service
        # (upload.planningcenteronline.com), which the sandbox does not have.
        raise Invalid("file fields take an upload from PCO's upload service",
                      parameter="value", resource=RESOURCE)
    if isinstance(value, bool):
        value = "true" if value else "false"
    if value is None or not str(value).strip():
        raise Invalid("can't be blank", parameter="value", resource=RESOURCE)
    text = str(value) if data_type in ("string", "text") else str(value).strip()
    reader = _READERS.get(data_type)
    return reader(text, date_format) if reader else text


def _boolean(text, date_format):
    if text.lower() not in ("true", "false"):
        raise Invalid("is invalid", parameter="value", resource=RESOURCE)
    return text.lower()


def _number(text, date_format):
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise Invalid("is not a number", parameter="value", resource=RESOURCE)
    return text


def _date(text, date_format):
    for pattern in ("%Y-%m-%d", date_format):
        if pattern == "%Y-%m-%d" and not ISO_DATE.match(text):
            continue
        try:
            return datetime.strptime(text, pattern).strftime(date_format)
        except ValueError:
            continue
    raise Invalid("is not a date", parameter="value", resource=RESOURCE)


_READERS = {"boolean": _boolean, "number": _number, "date": _date}
