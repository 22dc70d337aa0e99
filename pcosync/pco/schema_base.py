"""A small JSON:API base for the marshmallow schemas (marshmallow-jsonapi does not run on 4).

A resource is loaded in two steps: the envelope (id, type, attributes,
relationships) and then its attributes with a per-type schema whose
`data_key`s map PCO names to local names. Every failure is re-raised as one
ValidationError whose message names the resource type and id, so the caller
can file it as a sync issue as is.
"""
import re
from datetime import date, datetime, timezone

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from .jsonapi import resource_key


MAX_ID_LENGTH = 40  # the size of every PCO id column
# NUL, halves of a surrogate pair, and U+FFFD (what bytes that were not UTF-8 became when the
# answer was decoded): no database column should hold them, and PostgreSQL refuses the first.
NOT_TEXT = re.compile("[\x00\ud800-\udfff\ufffd]")


def plain_text(value):
    if NOT_TEXT.search(value):
        raise ValidationError("Not plain text (a NUL, a broken character, or bytes that were "
                              "not UTF-8).")


class ResourceId(fields.Field):
    """A JSON:API id: a non-empty string (an integer is accepted and turned into one) that fits
    the id columns."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
            raise ValidationError("Not a valid resource id.")
        value = str(value)
        if len(value) > MAX_ID_LENGTH or NOT_TEXT.search(value):
            raise ValidationError("Not a valid resource id.")
        return value


class UTCDateTime(fields.AwareDateTime):
    """An ISO 8601 date-time normalised to an aware UTC datetime."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=timezone.utc, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(timezone.utc)


class IsoDate(fields.Field):
    """Dumps a date (or datetime, or an already formatted string) as YYYY-MM-DD."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValidationError(f"Not a valid date: {value!r}.") from None


class AttributesSchema(Schema):
    """Base for attribute schemas: PCO adds attributes over time, so unknown ones are ignored."""

    class Meta:
        unknown = EXCLUDE


class ResourceSchema(Schema):
    """The JSON:API resource envelope."""

    class Meta:
        unknown = EXCLUDE

    id = ResourceId(required=True)
    type = fields.String(required=True)
    attributes = fields.Dict(load_default=dict)
    relationships = fields.Dict(load_default=dict)


_ENVELOPE = ResourceSchema()


def describe(resource, expected_type: str) -> str:
    """`Person 123`, or `Person (no id)`, for error messages."""
    if not isinstance(resource, dict):
        return f"{expected_type} (not an object)"
    type_ = resource.get("type") if isinstance(resource.get("type"), str) else expected_type
    id_ = resource.get("id")
    return f"{type_} {id_}" if isinstance(id_, (str, int)) and id_ != "" else f"{type_} (no id)"


def malformed(label: str, reason: str) -> ValidationError:
    return ValidationError(f"Malformed {label}: {reason}", label=label, reason=reason)


def flatten_messages(messages, prefix: str = "") -> str:
    """{"attributes": {"birthdate": ["Not a valid date."]}} -> 'attributes.birthdate: ...'."""
    if isinstance(messages, dict):
        parts = [flatten_messages(value, f"{prefix}{key}.") for key, value in messages.items()]
        return "; ".join(parts)
    if isinstance(messages, list):
        text = " ".join(str(item) for item in messages)
    else:
        text = str(messages)
    return f"{prefix.rstrip('.')}: {text}" if prefix else text


def load_resource(resource, expected_type: str, attributes_schema: Schema) -> tuple[dict, dict]:
    """(envelope, loaded attributes) of a resource of `expected_type`, or a ValidationError."""
    label = describe(resource, expected_type)
    if not isinstance(resource, dict):
        raise malformed(label, f"expected a JSON object, got {type(resource).__name__}")
    try:
        envelope = _ENVELOPE.load(resource)
    except ValidationError as err:
        raise malformed(label, flatten_messages(err.messages)) from None
    if envelope["type"] != expected_type:
        raise malformed(label, f"expected type {expected_type}, got {envelope['type']}")
    try:
        attributes = attributes_schema.load(envelope["attributes"])
    except ValidationError as err:
        raise malformed(label, flatten_messages(err.messages, "attributes.")) from None
    return envelope, attributes


def related_id(relationships: dict, name: str) -> str | None:
    """The id a to-one relationship points at (resolved or not), or None."""
    relationship = relationships.get(name)
    data = relationship.get("data") if isinstance(relationship, dict) else None
    key = resource_key(data)
    return key[1] if key else None


def related_ids(relationships: dict, name: str) -> list[str]:
    """The ids a to-many relationship points at (resolved or not)."""
    relationship = relationships.get(name)
    data = relationship.get("data") if isinstance(relationship, dict) else None
    if not isinstance(data, list):
        return []
    keys = (resource_key(item) for item in data)
    return [key[1] for key in keys if key]


def related_list(relationships: dict, name: str) -> list | None:
    """The data list of a to-many relationship, or None when it was not sent."""
    relationship = relationships.get(name)
    data = relationship.get("data") if isinstance(relationship, dict) else None
    return data if isinstance(data, list) else None


def is_resolved(item) -> bool:
    """True for a full included resource, False for a bare {type, id} ref."""
    return isinstance(item, dict) and "attributes" in item
