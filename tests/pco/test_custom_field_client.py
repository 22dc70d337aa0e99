"""The client's custom-field calls and their schemas (requests-mock)."""
import json

import pytest
from marshmallow import ValidationError

from pcosync.pco.custom_field_schemas import (
    load_field_datum, load_field_definition, load_person_field_data,
)
from pcosync.pco.schemas import load_person
from tests.pco.helpers import BASE, ok, person

DEFINITIONS = f"{BASE}/people/v2/field_definitions"


def datum(datum_id, definition_id, value, **attributes):
    return {"type": "FieldDatum", "id": datum_id,
            "attributes": {"value": value, "file": {"url": None}, "file_name": None,
                           "file_size": None, "file_content_type": None, **attributes},
            "relationships": {"field_definition": {"data": {"type": "FieldDefinition",
                                                            "id": definition_id}},
                              "field_option": {"data": None},
                              "customizable": {"data": {"type": "Person", "id": "9"}}}}


def test_definitions_are_listed_deleted_too_with_their_options_in_one_request(client,
                                                                              requests_mock):
    requests_mock.get(DEFINITIONS, [ok({"data": [], "meta": {"total_count": 0}})])
    list(client.iter_field_definitions())
    query = requests_mock.last_request.qs
    assert query["filter"] == ["include_deleted"] and query["include"] == ["field_options"]


def test_a_datum_is_created_under_its_person_naming_its_definition(client, requests_mock):
    requests_mock.post(f"{BASE}/people/v2/people/9/field_data",
                       [ok({"data": datum("70", "5", "Blue")}, 201)])
    loaded = load_field_datum(client.create_field_datum("9", "5", "Blue"))
    body = json.loads(requests_mock.last_request.text)["data"]
    assert body["attributes"] == {"value": "Blue"}
    assert body["relationships"]["field_definition"]["data"] == {"type": "FieldDefinition",
                                                                 "id": "5"}
    assert (loaded["pco_id"], loaded["definition_pco_id"], loaded["value"]) == ("70", "5", "Blue")


def test_a_datum_is_updated_and_deleted_by_its_own_id(client, requests_mock):
    requests_mock.patch(f"{BASE}/people/v2/field_data/70", [ok({"data": datum("70", "5", "Red")})])
    requests_mock.delete(f"{BASE}/people/v2/field_data/70", status_code=204)
    client.update_field_datum("70", "Red")
    assert json.loads(requests_mock.request_history[0].text)["data"]["id"] == "70"
    client.delete_field_datum("70")
    assert requests_mock.last_request.method == "DELETE"


def test_a_person_carries_their_field_data_or_says_they_were_not_sent():
    resource = person(9)
    assert load_person(resource)["field_data_included"] is False
    resource["relationships"] = {"field_data": {"data": [datum("70", "5", "Blue")]}}
    loaded = load_person(resource)
    assert loaded["field_data_included"] is True
    assert [d["value"] for d in loaded["field_data"]] == ["Blue"]
    only_refs = {"field_data": {"data": [{"type": "FieldDatum", "id": "70"}]}}
    assert load_person_field_data(only_refs, "Person 9") == ([], False)


def test_a_file_datum_gives_its_name_and_web_address_and_a_broken_datum_is_refused():
    loaded = load_field_datum(datum("71", "6", None, file={"url": "https://f.example/a.pdf"},
                                    file_name="a.pdf"))
    assert (loaded["file_name"], loaded["file_url"]) == ("a.pdf", "https://f.example/a.pdf")
    broken = datum("72", "6", "x")
    del broken["relationships"]["field_definition"]
    with pytest.raises(ValidationError, match="no field definition"):
        load_field_datum(broken)


def test_a_definition_names_its_tab_and_type():
    loaded = load_field_definition({
        "type": "FieldDefinition", "id": "5",
        "attributes": {"name": "Shirt", "data_type": "select", "sequence": 2, "tab_id": 3,
                       "deleted_at": None, "slug": "shirt", "config": None}})
    assert loaded == {"pco_id": "5", "name": "Shirt", "data_type": "select", "sequence": 2,
                      "deleted_at": None, "tab_pco_id": "3"}
