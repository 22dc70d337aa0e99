"""A PCO person's version (pco/versions.py): the same for the same resource, new for any change
load_person would read, and none for a resource it cannot vouch for."""
import pytest

from pcosync.pco import schemas
from pcosync.pco.profile_schemas import CHOICE_LISTS
from pcosync.pco.versions import person_version


def related(type_, id_, relationships=None, **attributes):
    item = {"type": type_, "id": id_, "attributes": attributes}
    if relationships is not None:
        item["relationships"] = relationships
    return item


def person():
    """A person resolved as the pull reads them: every relationship it reads, included."""
    relationships = {
        "emails": {"data": [related("Email", "11", address="a@example.org", location="Home",
                                    primary=True)]},
        "phone_numbers": {"data": [related("PhoneNumber", "12", number="555-0100",
                                           location="Mobile", primary=True)]},
        "addresses": {"data": []},
        "field_data": {"data": [related(
            "FieldDatum", "13", {"field_definition": {"data": {"type": "FieldDefinition",
                                                               "id": "21"}}},
            value="Choir", file={"url": None}, file_name=None, file_size=None,
            file_content_type=None)]},
        "households": {"data": [{"type": "Household", "id": "31"}]},
    }
    for choice in CHOICE_LISTS:
        relationships[choice.relationship] = {"data": None}
    relationships["marital_status"] = {"data": related("MaritalStatus", "41", value="Single")}
    return {"type": "Person", "id": "1", "links": {"self": "https://example.org/1"},
            "attributes": {"first_name": "Ann", "last_name": "Lee",
                           "updated_at": "2026-01-01T00:00:00Z"},
            "relationships": relationships}


def edited(change):
    resource = person()
    change(resource)
    return resource


def test_the_same_resource_has_the_same_version_and_loads_with_it():
    assert person_version(person()) == person_version(person()) is not None
    assert schemas.load_person(person())["pco_version"] == person_version(person())


CHANGES = {
    "a name": lambda r: r["attributes"].update(first_name="Anna"),
    "an email's address": lambda r: r["relationships"]["emails"]["data"][0]["attributes"]
    .update(address="b@example.org"),
    "a phone removed": lambda r: r["relationships"]["phone_numbers"].update(data=[]),
    "a custom field's value": lambda r: r["relationships"]["field_data"]["data"][0]
    ["attributes"].update(value="Band"),
    "a datum's field": lambda r: r["relationships"]["field_data"]["data"][0]["relationships"]
    ["field_definition"]["data"].update(id="22"),
    "a choice": lambda r: r["relationships"]["marital_status"].update(
        data=related("MaritalStatus", "42", value="Married")),
    "a choice's value": lambda r: r["relationships"]["marital_status"]["data"]["attributes"]
    .update(value="Single (never married)"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_anything_load_person_reads_makes_a_new_version(change):
    assert person_version(edited(change)) != person_version(person())


def test_what_load_person_does_not_read_leaves_the_version():
    """Households (read with the people only by a Full Sync) and links."""
    def elsewhere(resource):
        resource["relationships"]["households"]["data"] = []
        resource["links"]["self"] = "https://example.org/elsewhere"
    assert person_version(edited(elsewhere)) == person_version(person())


UNVOUCHED = {
    "no field data": lambda r: r["relationships"].pop("field_data"),
    "emails not included": lambda r: r["relationships"]["emails"].update(
        data=[{"type": "Email", "id": "11"}]),
    "a choice not said": lambda r: r["relationships"].pop("school"),
    "a choice without its value": lambda r: r["relationships"]["marital_status"].update(
        data={"type": "MaritalStatus", "id": "41"}),
    "a choice with an empty value": lambda r: r["relationships"]["marital_status"]["data"]
    ["attributes"].update(value=None),
    "no relationships": lambda r: r.pop("relationships"),
    "an integer past 64 bits": lambda r: r["attributes"].update(child=2**70),
}


@pytest.mark.parametrize("change", UNVOUCHED.values(), ids=UNVOUCHED.keys())
def test_a_resource_it_cannot_vouch_for_has_no_version(change):
    assert person_version(edited(change)) is None


@pytest.mark.parametrize("resource", [None, "Person", [], {"id": "1"}])
def test_not_a_resource_has_no_version(resource):
    assert person_version(resource) is None
