"""Resolving a JSON:API document: included resources in place of their refs, PCO's links
dropped (nothing follows them, and a page of people waiting to be written held them all)."""
from pcosync.pco.jsonapi import resolve_document
from pcosync.pco.versions import person_version
from tests.pco.helpers import real_body


def test_a_real_page_resolves_without_links_and_keeps_its_data():
    body = real_body("people_list_page1_include_emails.json")
    people = resolve_document(body)

    first = people[0]
    assert "links" not in first
    emails = first["relationships"]["emails"]
    assert emails == {"data": [{
        "type": "Email", "id": "42869692", "attributes": {
            "address": "ewednowf@mailinator.com", "created_at": "2020-01-25T16:59:05Z",
            "location": "Home", "primary": True, "updated_at": "2020-01-25T16:59:05Z"},
        "relationships": {"person": {"data": {"type": "Person", "id": "72078195"}}}}]}
    assert first["relationships"]["primary_campus"] == {"data": None}
    assert first["attributes"] is body["data"][0]["attributes"]  # shared, not copied
    for person in people:
        assert "links" not in person
        for relationship in person["relationships"].values():
            assert "links" not in relationship
            for related in relationship["data"] or ():
                assert "links" not in related


def test_the_document_keeps_its_refs_and_resolves_the_same_again():
    body = real_body("people_get_person_include_emails_organization.json")
    first = resolve_document(body)
    assert body["data"]["relationships"]["emails"]["data"][0].keys() == {"type", "id"}
    assert resolve_document(body) == first


def test_a_relationship_without_data_and_a_resource_without_relationships():
    body = {"data": [{"type": "Campus", "id": "1", "attributes": {"name": "North"},
                      "links": {"self": "https://api.planningcenteronline.com/c/1"}},
                     {"type": "Person", "id": "2", "attributes": {}, "relationships": {
                         "households": {"links": {"related": "https://example.org/h"}},
                         "school": "not a relationship"}}]}
    campus, person = resolve_document(body)
    assert campus == {"type": "Campus", "id": "1", "attributes": {"name": "North"}}
    assert person["relationships"] == {"households": {}, "school": "not a relationship"}


def test_the_version_does_not_depend_on_links():
    body = real_body("people_list_page1_include_emails.json")
    without = resolve_document(body)[0]
    again = resolve_document(real_body("people_list_page1_include_emails.json"))[0]
    again["relationships"]["emails"]["links"] = {"related": "https://elsewhere.example.org"}
    again["links"] = {"self": "https://elsewhere.example.org"}
    assert person_version(without) == person_version(again)
