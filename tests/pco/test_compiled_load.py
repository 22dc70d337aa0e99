"""schema_base.CompiledLoad takes the values marshmallow would return unchanged at once and hands
everything else to marshmallow: its result, and its error, must be marshmallow's own."""
import pytest
from marshmallow import ValidationError

from pcosync.pco import schemas
from pcosync.pco.contact_kinds import ADDRESSES, EMAILS
from pcosync.pco.schema_base import _ENVELOPE, compiled

GOOD = {"first_name": "Zoë", "last_name": None, "child": True, "grade": 3,
        "birthdate": "1980-05-02", "updated_at": "2024-05-01T12:00:00Z", "status": "active",
        "unknown_attribute": {"kept": "out"}}
VALUES = [
    None, "", "x" * 120, "x" * 121, "Nul\x00", "Half\ud800", "\ufffd", 0, 1, 3.5, True, False,
    "true", "no", [], {}, "2024-05-01", "not a date", "2024-05-01T12:00:00+02:00",
]
FIELDS = ["first_name", "child", "grade", "birthdate", "updated_at", "avatar", "inactivated_at"]


def outcome(load, data):
    try:
        return "ok", load(data)
    except ValidationError as err:
        return "error", err.messages


@pytest.mark.parametrize("field", FIELDS)
def test_each_value_loads_as_marshmallow_loads_it(field):
    schema = schemas._PERSON
    for value in VALUES:
        data = {**GOOD, field: value}
        assert outcome(compiled(schema), data) == outcome(schema.load, data), (field, value)


def test_missing_and_required_fields_and_non_objects():
    email = EMAILS.attributes
    for data in ({}, {"address": None}, {"address": "a@x.org"}, [], "text", None):
        assert outcome(compiled(email), data) == outcome(email.load, data), data


def test_a_pre_load_hook_runs_as_marshmallow_runs_it():
    address = ADDRESSES.attributes
    for data in ({"street": "1 Main St\nFlat 2"}, {"street": None},
                 {"street_line_1": "1 Main St", "street": "ignored"}):
        assert outcome(compiled(address), data) == outcome(address.load, data), data


def test_the_envelope():
    for resource in ({"type": "Person", "id": "1"}, {"type": "Person", "id": 12},
                     {"type": "Person", "id": ""}, {"type": "Person", "id": "9" * 41},
                     {"type": "Person", "id": "1", "attributes": [1]}, {"id": "1"},
                     {"type": "Person", "id": "1", "attributes": {"a": 1},
                      "relationships": {"emails": {"data": []}}}):
        assert outcome(compiled(_ENVELOPE), resource) == outcome(_ENVELOPE.load, resource)


def test_an_envelopes_attributes_are_a_copy_as_marshmallow_makes_them():
    resource = {"type": "Person", "id": "1", "attributes": {"first_name": "Ruth"},
                "relationships": {"emails": {"data": []}}}
    loaded = compiled(_ENVELOPE)(resource)
    assert loaded == _ENVELOPE.load(resource)
    assert loaded["attributes"] is not resource["attributes"]
    assert loaded["relationships"] is not resource["relationships"]
