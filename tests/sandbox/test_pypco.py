"""The sandbox as PCO's own Python client sees it: pypco, unchanged, pointed at the sandbox
with `api_base`. A shape pypco relies on (links.next and meta for paging, relationships'
`data` to attach includes, Retry-After in whole seconds, JSON error bodies) is checked by code
nobody here wrote."""
import json

import pypco
import pytest
from pypco.exceptions import PCORequestException

from pco_sandbox.subscriptions import AVAILABLE_EVENTS
from tests import support

PEOPLE = "/people/v2/people"


@pytest.fixture
def pco_for(make_sandbox):
    """pco_for(**SANDBOX_settings): a sandbox of 45 people and a pypco client to it."""
    def connect(**settings):
        server = make_sandbox(45, 1, **settings)
        return pypco.PCO("sandbox", "sandbox", api_base=server.url, timeout=10), server
    return connect


@pytest.fixture
def pco(pco_for):
    return pco_for()[0]


def first_person(pco):
    return pco.get(PEOPLE, per_page=1)["data"][0]


def test_iterate_pages_through_every_person_with_their_emails(pco_for):
    pco, server = pco_for()
    records = list(pco.iterate(PEOPLE, per_page=10, include="emails"))
    people = support.dump(server)["people"]
    assert sorted(r["data"]["id"] for r in records) == sorted(p["id"] for p in people)
    for record in records:
        wanted = {e["id"] for e in record["data"]["relationships"]["emails"]["data"]}
        assert {e["id"] for e in record["included"] if e["type"] == "Email"} == wanted
        assert record["meta"]["parent"]["type"] == "Organization"
        assert "emails" in record["meta"]["can_include"]
    assert any(r["included"] for r in records)


def test_iterate_follows_the_offset_it_is_given(pco):
    everyone = [r["data"]["id"] for r in pco.iterate(PEOPLE, per_page=25)]
    assert [r["data"]["id"] for r in pco.iterate(PEOPLE, offset=40, per_page=25)] \
        == everyone[40:]


def test_a_next_link_is_fetched_as_given(pco):
    first = pco.get(PEOPLE, per_page=20, include="emails")
    second = pco.get(first["links"]["next"])
    assert second["meta"]["count"] == 20 and second["data"][0]["id"] not in {
        p["id"] for p in first["data"]}
    assert {i["type"] for i in second["included"]} == {"Email"}


def test_get_with_a_where_filter_and_includes(pco):
    name = first_person(pco)["attributes"]["first_name"]
    body = pco.get(PEOPLE, **{"where[first_name]": name, "include": "emails,phone_numbers"})
    assert body["data"] and {p["attributes"]["first_name"] for p in body["data"]} == {name}
    assert {i["type"] for i in body["included"]} <= {"Email", "PhoneNumber"}
    assert body["meta"]["total_count"] == len(body["data"])


def test_get_one_person_with_includes(pco):
    person = first_person(pco)
    body = pco.get(f"{PEOPLE}/{person['id']}", include="emails,addresses")
    assert body["data"]["id"] == person["id"]
    included = {(i["type"], i["id"]) for i in body["included"]}
    emails = body["data"]["relationships"]["emails"]["data"]
    assert {(e["type"], e["id"]) for e in emails} <= included


def test_an_email_is_added_changed_and_removed(pco):
    person = first_person(pco)
    emails = f"{PEOPLE}/{person['id']}/emails"
    created = pco.post(emails, pco.template("Email", {"address": "pypco@example.org",
                                                      "location": "Work", "primary": False}))
    email_id = created["data"]["id"]
    assert created["data"]["attributes"]["address"] == "pypco@example.org"
    changed = pco.patch(f"/people/v2/emails/{email_id}",
                        pco.template("Email", {"address": "pypco2@example.org"}))
    assert changed["data"]["attributes"]["address"] == "pypco2@example.org"
    assert email_id in {e["data"]["id"] for e in pco.iterate(emails)}
    assert pco.delete(f"/people/v2/emails/{email_id}").status_code == 204
    assert email_id not in {e["data"]["id"] for e in pco.iterate(emails)}


def test_a_person_is_created_and_updated(pco):
    created = pco.post(PEOPLE, pco.template("Person", {
        "first_name": "Pypco", "last_name": "Client", "gender": "Female",
        "birthdate": "1990-04-02"}))
    person_id = created["data"]["id"]
    assert created["data"]["attributes"]["name"] == "Pypco Client"
    pco.patch(f"{PEOPLE}/{person_id}", pco.template("Person", {"nickname": "Py"}))
    attributes = pco.get(f"{PEOPLE}/{person_id}")["data"]["attributes"]
    assert (attributes["nickname"], attributes["gender"]) == ("Py", "Female")


def error_of(call):
    with pytest.raises(PCORequestException) as raised:
        call()
    return raised.value.status_code, json.loads(raised.value.response_body)["errors"][0]


def test_an_unknown_person_is_a_404(pco):
    status, error = error_of(lambda: pco.get(f"{PEOPLE}/999999999"))
    assert status == 404 and error["status"] == "404" and error["title"] == "Not Found"


def test_an_invalid_write_is_a_422(pco):
    person = first_person(pco)
    status, error = error_of(lambda: pco.post(
        f"{PEOPLE}/{person['id']}/emails", pco.template("Email", {"location": "Home"})))
    assert (status, error["title"], error["detail"]) == (422, "Validation Error", "can't be blank")
    assert error["source"] == {"parameter": "address"}
    status, error = error_of(lambda: pco.patch(
        f"{PEOPLE}/{person['id']}", pco.template("Person", {"favorite_color": "teal"})))
    assert (status, error["title"]) == (422, "Forbidden Attribute")


def test_a_body_without_data_is_the_400_pypco_recorded_from_pco(pco):
    status, error = error_of(lambda: pco.post(PEOPLE, {}))
    with open(f"{support.ROOT}/tests/fixtures/pco-real-responses/"
              "error_400_post_people_without_data_key.json") as recorded:
        assert (status, error) == (400, json.load(recorded)["errors"][0])


def test_webhook_subscriptions_are_listed_and_created(pco):
    created = pco.post("/webhooks/v2/subscriptions", pco.template("Subscription", {
        "name": "people.v2.events.person.updated", "url": "https://example.org/hook",
        "active": True}))
    listed = list(pco.iterate("/webhooks/v2/subscriptions"))
    assert [s["data"]["id"] for s in listed] == [created["data"]["id"]]
    subscription = listed[0]["data"]
    assert subscription["type"] == "Subscription"
    assert subscription["attributes"]["name"] == "people.v2.events.person.updated"
    assert subscription["attributes"]["authenticity_secret"]


def test_available_events_page_like_any_list(pco):
    events = [e["data"] for e in pco.iterate("/webhooks/v2/available_events", per_page=10)]
    assert sorted(e["id"] for e in events) == sorted(AVAILABLE_EVENTS)
    updated = pco.get("/webhooks/v2/available_events",
                      **{"where[name]": "people.v2.events.person.updated"})["data"]
    assert [e["attributes"] for e in updated] == [{
        "action": "updated", "app": "people", "name": "people.v2.events.person.updated",
        "resource": "person", "version": "v2"}]
    assert pco.get(updated[0]["links"]["self"])["data"] == updated[0]


def test_pypco_waits_out_the_rate_limit(pco_for):
    pco, server = pco_for(SANDBOX_RATE_LIMIT=4, SANDBOX_RATE_PERIOD=1)
    records = list(pco.iterate(PEOPLE, per_page=5))
    assert len(records) == 45
    assert support.stats(server)["over_limit"] > 0
