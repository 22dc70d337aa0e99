"""PCO's custom fields <-> plain dicts: tabs, field definitions, field options and field data
(a person's values, one datum per ticked option for a checkboxes field)."""
from datetime import date, datetime
from functools import lru_cache

from marshmallow import ValidationError, fields, validate

from .jsonapi import document, ref
from .schema_base import (
    AttributesSchema, UTCDateTime, describe, is_resolved, load_resource, malformed, plain_text,
    related_id, related_list,
)

MAX_VALUE = 10_000


def _text(max_length, **kwargs):
    return fields.String(load_default=None, allow_none=True,
                         validate=[plain_text, validate.Length(max=max_length)], **kwargs)


class TabAttributes(AttributesSchema):
    name = _text(200)
    sequence = fields.Integer(load_default=None, allow_none=True)


class FieldDefinitionAttributes(AttributesSchema):
    name = _text(200)
    data_type = _text(20)
    sequence = fields.Integer(load_default=None, allow_none=True)
    deleted_at = UTCDateTime(load_default=None, allow_none=True)
    tab_id = fields.Raw(load_default=None, allow_none=True)


class FieldOptionAttributes(AttributesSchema):
    value = _text(255)
    sequence = fields.Integer(load_default=None, allow_none=True)


class FieldDatumAttributes(AttributesSchema):
    value = _text(MAX_VALUE)
    file = fields.Raw(load_default=None, allow_none=True)
    file_name = _text(255)
    file_size = fields.Integer(load_default=None, allow_none=True)


_TAB, _DEFINITION = TabAttributes(), FieldDefinitionAttributes()
_OPTION, _DATUM = FieldOptionAttributes(), FieldDatumAttributes()


def load_tab(resource) -> dict:
    envelope, tab = load_resource(resource, "Tab", _TAB)
    return {"pco_id": envelope["id"], "name": tab["name"] or "(no name)",
            "sequence": tab["sequence"]}


def load_field_definition(resource) -> dict:
    envelope, definition = load_resource(resource, "FieldDefinition", _DEFINITION)
    tab_id = related_id(envelope["relationships"], "tab") or definition["tab_id"]
    return {"pco_id": envelope["id"], "name": definition["name"] or "(no name)",
            "data_type": (definition["data_type"] or "string").lower(),
            "sequence": definition["sequence"], "deleted_at": definition["deleted_at"],
            "tab_pco_id": str(tab_id) if tab_id not in (None, "") else None}


def load_field_option(resource) -> dict:
    envelope, option = load_resource(resource, "FieldOption", _OPTION)
    return {"pco_id": envelope["id"], "value": (option["value"] or "").strip(),
            "sequence": option["sequence"],
            "definition_pco_id": related_id(envelope["relationships"], "field_definition")}


def load_field_datum(resource) -> dict:
    """{pco_id, definition_pco_id, option_pco_id, person_pco_id, value, file_name, file_url}."""
    envelope, datum = load_resource(resource, "FieldDatum", _DATUM)
    relationships = envelope["relationships"]
    definition_id = related_id(relationships, "field_definition")
    if definition_id is None:
        raise malformed(describe(resource, "FieldDatum"), "no field definition")
    file = datum["file"] if isinstance(datum["file"], dict) else {}
    url = file.get("url")
    return {"pco_id": envelope["id"], "definition_pco_id": definition_id,
            "option_pco_id": related_id(relationships, "field_option"),
            "person_pco_id": related_id(relationships, "customizable"),
            "value": datum["value"], "file_name": datum["file_name"],
            "file_size": datum["file_size"],
            "file_url": url if isinstance(url, str) and len(url) <= 1000 else None}


def load_person_field_data(relationships: dict, person_label: str) -> tuple[list, bool]:
    """(a person's field data, whether the relationship was sent and fully resolved): a person
    without `field_data` (a webhook, a request without the include) keeps the values held."""
    items = related_list(relationships, "field_data")
    if items is None:
        return [], False
    loaded = []
    for item in items:
        if not is_resolved(item):
            continue
        try:
            loaded.append(load_field_datum(item))
        except ValidationError as err:
            reason = err.kwargs.get("reason", str(err))
            raise malformed(f"{person_label}, {err.kwargs.get('label', 'field datum')}",
                            reason) from None
    return loaded, len(loaded) == len(items)


def field_datum_document(value: str, definition_pco_id=None, datum_id=None) -> dict:
    """A FieldDatum write: a create names its definition (PCO accepts the relationship)."""
    relationships = None
    if definition_pco_id is not None:
        relationships = {"field_definition": {"data": ref("FieldDefinition",
                                                          definition_pco_id)}}
    return document("FieldDatum", {"value": value}, relationships, resource_id=datum_id)


# strptime costs 15 us a value, and a church's date fields hold the same dates again and again
@lru_cache(maxsize=4096)
def field_date(text: str | None, date_format: str) -> str | None:
    """A date field's value as PCO serves it (the organization's format, e.g. 10/31/2010, or
    ISO) as an ISO date; a value that is neither is kept as it came (shown, never lost)."""
    if not text:
        return text
    try:
        return date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        pass
    try:
        return datetime.strptime(text.strip(), date_format).date().isoformat()
    except ValueError:
        return text
