"""A small JSON:API base for the marshmallow schemas (marshmallow-jsonapi does not run on 4).

A resource is loaded in two steps: the envelope (id, type, attributes,
relationships) and then its attributes with a per-type schema whose
`data_key`s map PCO names to local names. Every failure is re-raised as one
ValidationError whose message names the resource type and id, so the caller
can file it as a sync issue as is.
"""
import re
from datetime import date, datetime, timezone

from marshmallow import EXCLUDE, Schema, ValidationError, fields, missing, validate

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


def text_field(max_length=None, required=False):
    """Text that fits its column (`max_length`, the column's size) and that a database can
    store: a huge string, a NUL or broken UTF-8 from PCO refuses the one record (filed as a
    SyncIssue), not the commit of its whole page."""
    checks = [plain_text] + ([validate.Length(max=max_length)] if max_length else [])
    if required:
        return fields.String(required=True, validate=checks)
    return fields.String(load_default=None, allow_none=True, validate=checks)


def flag_field(data_key=None):
    return fields.Boolean(load_default=False, allow_none=True, data_key=data_key)


def updated_at_field():
    return UTCDateTime(data_key="updated_at", load_default=None, allow_none=True)


def raw_field():
    """A write's attribute, dumped as given."""
    return fields.Raw(allow_none=True)


class _Refused(Exception):
    """The fast path met a value only marshmallow itself may judge."""


class CompiledLoad:
    """`schema.load(data)` for one object, with marshmallow's per-field machinery (a closure, an
    error store and a validator loop per field) paid only where a value needs it. A sync loads
    tens of fields per person, and that machinery cost more than the rest of a pull together.

    The schema stays the one definition of what is valid. Values whose result marshmallow
    would give unchanged are taken at once: a missing key (its `load_default`), None where
    allowed, a str for a String (checked by the field's own validators), True or False for a
    Boolean, a dict for a Dict of anything (copied, as marshmallow copies it); any other value
    goes through the field's own `deserialize`. Anything refused, and any schema this does not
    cover (hooks other than a simple pre_load, unknown fields kept), goes to `schema.load`, so
    errors are marshmallow's own, word for word."""

    def __init__(self, schema: Schema):
        self.schema = schema
        hooks = {tag: items for tag, items in schema._hooks.items() if items}
        pre_load = hooks.pop("pre_load", [])
        self.pre_load = [getattr(schema, name) for name, _many, _kwargs in pre_load]
        self.covered = (not hooks and schema.unknown == EXCLUDE and not schema.partial
                        and not any(many or kwargs.get("pass_original")
                                    for _name, many, kwargs in pre_load))
        self.plan = [_field_plan(name, field) for name, field in schema.load_fields.items()]

    def __call__(self, data):
        if not self.covered or type(data) is not dict:
            return self.schema.load(data)
        try:
            processed = data
            for hook in self.pre_load:
                processed = hook(processed, many=False, partial=None, unknown=EXCLUDE)
            return _load_fields(self.plan, processed)
        except (_Refused, ValidationError):
            return self.schema.load(data)  # raises marshmallow's own error


def _field_plan(name, field):
    """(data key, attribute, field, shortcut type, max length, plain text, other validators)."""
    shortcut = None
    if not field.pre_load and not field.post_load:
        shortcut = {fields.String: str, fields.Boolean: bool}.get(type(field))
        if (type(field) is fields.Dict and field.key_field is None
                and field.value_field is None and not field.validators):
            shortcut = dict  # what Dict() makes of a dict: a copy (an envelope's attributes)
    max_length, plain, others = None, False, []
    for validator in field.validators:
        if validator is plain_text:
            plain = True
        elif (type(validator) is validate.Length and validator.min is None
              and validator.equal is None and max_length is None):
            max_length = validator.max
        else:
            others.append(validator)
    key = field.data_key if field.data_key is not None else name
    return key, field.attribute or name, field, shortcut, max_length, plain, tuple(others)


def _load_fields(plan, data):
    loaded = {}
    for key, attribute, field, shortcut, max_length, plain, others in plan:
        value = data.get(key, missing)
        if value is missing:
            value = _default(field)
            if value is missing:
                continue
        elif value is None and field.allow_none:
            pass
        elif shortcut is str and type(value) is str:
            if ((max_length is not None and len(value) > max_length)
                    or (plain and NOT_TEXT.search(value))
                    or any(validator(value) is False for validator in others)):
                raise _Refused()
        elif value is None:
            value = field.deserialize(value, key, data)  # marshmallow's "may not be null"
        elif type(value) is shortcut:  # True or False for a Boolean, a dict for a Dict
            value = shortcut(value)  # the same bool; a copy of the dict
        else:  # what deserialize does for a value that is neither missing nor None
            value = field._deserialize(value, key, data)
            if field.validators:
                field._validate(value)
        loaded[attribute] = value
    return loaded


def _default(field):
    if field.required:
        raise _Refused()
    default = field.load_default
    return default() if callable(default) else default


_COMPILED = {}


def compiled(schema: Schema) -> CompiledLoad:
    """The schema's CompiledLoad (made once per schema instance)."""
    found = _COMPILED.get(id(schema))
    if found is None or found.schema is not schema:
        found = _COMPILED[id(schema)] = CompiledLoad(schema)
    return found


class ResourceSchema(Schema):
    """The JSON:API resource envelope."""

    class Meta:
        unknown = EXCLUDE

    id = ResourceId(required=True)
    type = fields.String(required=True)
    attributes = fields.Dict(load_default=dict)
    relationships = fields.Dict(load_default=dict)


_ENVELOPE = ResourceSchema()
_LOAD_ENVELOPE = compiled(_ENVELOPE)


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
    if not isinstance(resource, dict):
        raise malformed(describe(resource, expected_type),
                        f"expected a JSON object, got {type(resource).__name__}")
    try:
        envelope = _LOAD_ENVELOPE(resource)
    except ValidationError as err:
        raise malformed(describe(resource, expected_type),
                        flatten_messages(err.messages)) from None
    if envelope["type"] != expected_type:
        raise malformed(describe(resource, expected_type),
                        f"expected type {expected_type}, got {envelope['type']}")
    try:
        attributes = compiled(attributes_schema)(envelope["attributes"])
    except ValidationError as err:
        raise malformed(describe(resource, expected_type),
                        flatten_messages(err.messages, "attributes.")) from None
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
