"""PCOClient: paging, include resolution, version headers, typed reads and writes."""
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from pcosync.pco import PCOAuthError, PCOBadResponse, PCOClient
from pcosync.pco.client import PERSON_INCLUDES
from pcosync.pco.transport import API_VERSIONS
from tests.pco.helpers import BASE, ok, person, real_body

PEOPLE = f"{BASE}/people/v2/people"


def query_of(request) -> dict:
    """The request's query as {name: value}, case preserved (requests-mock lowercases .qs)."""
    return {key: values[0] for key, values in parse_qs(urlsplit(request.url).query).items()}


def page(records, next_url=None, total=None, included=None):
    body = {"data": records, "links": {}, "meta": {}}
    if next_url:
        body["links"]["next"] = next_url
    if total is not None:
        body["meta"]["total_count"] = total
    if included is not None:
        body["included"] = included
    return body


class TestPaging:
    def test_follows_links_next_to_the_end(self, client, requests_mock):
        second = f"{PEOPLE}?include=emails&offset=100&per_page=100"
        third = f"{PEOPLE}?include=emails&offset=200&per_page=100"
        requests_mock.get(PEOPLE, [
            ok(page([person(i) for i in range(100)], second, total=205)),
            ok(page([person(i) for i in range(100, 200)], third, total=205)),
            ok(page([person(i) for i in range(200, 205)], None, total=205)),
        ])

        pages = list(client.iter_pages("/people/v2/people", include=("emails",)))

        assert [len(p.records) for p in pages] == [100, 100, 5]
        assert [p.offset for p in pages] == [0, 100, 200]
        assert {p.total_count for p in pages} == {205}
        history = requests_mock.request_history
        assert len(history) == 3
        assert query_of(history[0]) == {"per_page": "100", "include": "emails"}
        assert history[1].url == second and history[2].url == third

    def test_is_lazy_one_page_at_a_time(self, client, requests_mock):
        requests_mock.get(PEOPLE, [ok(page([person(1)], f"{PEOPLE}?offset=1")),
                                   ok(page([person(2)]))])
        pages = client.iter_pages("/people/v2/people")
        first = next(pages)
        assert first.records[0]["id"] == "1" and requests_mock.call_count == 1
        assert next(pages).records[0]["id"] == "2"

    def test_the_real_first_page_with_its_next_link(self, client, requests_mock):
        body = real_body("people_list_page1_include_emails.json")
        requests_mock.get(PEOPLE, [ok(body), ok(page([]))])
        pages = list(client.iter_pages("/people/v2/people", include=("emails",)))
        assert pages[0].total_count == 49 and len(pages[0].records) == 25
        assert unquote(requests_mock.request_history[1].url) == body["links"]["next"]
        email = pages[0].records[0]["relationships"]["emails"]["data"][0]
        assert email["type"] == "Email" and "@" in email["attributes"]["address"]

    def test_refuses_a_next_link_to_another_host(self, client, requests_mock):
        requests_mock.get(PEOPLE, **ok(page([person(1)], "https://evil.example/people/v2/people")))
        pages = client.iter_pages("/people/v2/people")
        next(pages)
        with pytest.raises(PCOBadResponse, match="outside the configured"):
            next(pages)

    def test_stops_when_next_points_back_at_the_same_page(self, client, requests_mock):
        url = f"{PEOPLE}?offset=0"
        requests_mock.get(PEOPLE, **ok(page([person(1)], url)))
        assert len(list(client.iter_pages(url))) == 1


class TestIncludeResolution:
    def test_refs_are_replaced_by_included_resources(self, client, requests_mock):
        record = person(7)
        record["relationships"] = {
            "emails": {"data": [{"type": "Email", "id": "1"}, {"type": "Email", "id": "2"}]},
            "primary_campus": {"data": None},
            "organization": {"data": {"type": "Organization", "id": "9"}},
        }
        included = [{"type": "Email", "id": "1", "attributes": {"address": "a@x.org"}},
                    {"type": "Organization", "id": "9", "attributes": {"name": "Org"}}]
        requests_mock.get(PEOPLE, **ok(page([record], included=included)))

        resolved = next(client.iter_pages("/people/v2/people")).records[0]

        emails = resolved["relationships"]["emails"]["data"]
        assert emails[0] == included[0]
        assert emails[1] == {"type": "Email", "id": "2"}  # not included: stays a ref
        assert resolved["relationships"]["organization"]["data"]["attributes"]["name"] == "Org"
        assert resolved["relationships"]["primary_campus"]["data"] is None
        assert record["relationships"]["emails"]["data"][0] == {"type": "Email", "id": "1"}

    def test_get_person_resolves_the_real_single_resource(self, client, requests_mock):
        body = real_body("people_get_person_include_emails_organization.json")
        requests_mock.get(f"{PEOPLE}/45029164", **ok(body))
        resource = client.get_person("45029164")
        assert query_of(requests_mock.last_request) == {"include": ",".join(PERSON_INCLUDES)}
        email = resource["relationships"]["emails"]["data"][0]
        assert email["attributes"]["address"] == "paul.revere@mailinator.com"


class TestVersionHeader:
    @pytest.mark.parametrize("path,product", [
        ("/people/v2/people", "people"),
        ("/groups/v2/groups", "groups"),
        ("/webhooks/v2/webhook_subscriptions", "webhooks"),
    ])
    def test_pinned_per_product(self, client, requests_mock, path, product):
        requests_mock.get(f"{BASE}{path}", **ok({"data": []}))
        client.get(path)
        assert requests_mock.last_request.headers["X-PCO-API-Version"] == API_VERSIONS[product]

    def test_versions_are_the_documented_ones(self):
        assert API_VERSIONS == {"people": "2025-11-10", "groups": "2023-07-10",
                                "webhooks": "2022-10-20"}

    def test_absolute_next_links_get_the_header_too(self, client, requests_mock):
        groups = f"{BASE}/groups/v2/groups"
        requests_mock.get(groups, [ok(page([], f"{groups}?offset=100")), ok(page([]))])
        list(client.iter_groups())
        assert requests_mock.request_history[1].headers["X-PCO-API-Version"] == "2023-07-10"

    def test_other_products_get_no_version(self, client, requests_mock):
        requests_mock.get(f"{BASE}/services/v2/songs", **ok({"data": []}))
        client.get("/services/v2/songs")
        assert "X-PCO-API-Version" not in requests_mock.last_request.headers

    def test_basic_auth_and_timeout_on_every_request(self, make_client, requests_mock):
        client = make_client(timeout=12.5)
        requests_mock.get(PEOPLE, **ok({"data": []}))
        client.get("/people/v2/people")
        assert requests_mock.last_request.headers["Authorization"].startswith("Basic ")
        assert requests_mock.last_request.timeout == 12.5


class TestTypedReads:
    def test_iter_people_incremental_query(self, client, requests_mock):
        requests_mock.get(PEOPLE, **ok(page([person(1)])))
        since = datetime(2024, 1, 2, 5, 4, 5, 123, tzinfo=timezone(timedelta(hours=2)))
        pages = list(client.iter_people(updated_since=since))
        assert pages[0].records[0]["id"] == "1"
        assert query_of(requests_mock.last_request) == {
            "per_page": "100", "include": ",".join(PERSON_INCLUDES),
            "where[updated_at][gte]": "2024-01-02T03:04:05Z", "order": "updated_at"}

    def test_iter_people_full(self, client, requests_mock):
        requests_mock.get(PEOPLE, **ok(page([])))
        list(client.iter_people())
        # By created_at, not by offset (pco/stamp_paging.py); the first page from the start.
        query = query_of(requests_mock.last_request)
        assert query["order"] == "created_at" and "offset" not in query

    def test_households_groups_memberships(self, client, requests_mock):
        requests_mock.get(f"{BASE}/people/v2/households", **ok(page([])))
        requests_mock.get(f"{BASE}/groups/v2/groups/12/memberships", **ok(page([])))
        list(client.iter_households())
        assert query_of(requests_mock.last_request)["include"] == "people"
        list(client.iter_group_memberships(12))
        assert query_of(requests_mock.last_request)["include"] == "person"

    def test_single_resources(self, client, requests_mock):
        requests_mock.get(f"{BASE}/people/v2/households/5",
                          **ok({"data": {"type": "Household", "id": "5", "attributes": {}}}))
        requests_mock.get(f"{BASE}/groups/v2/groups/6",
                          **ok({"data": {"type": "Group", "id": "6", "attributes": {}}}))
        assert client.get_household(5)["id"] == "5"
        assert client.get_group("6")["id"] == "6"

    def test_find_people_by_email(self, client, requests_mock):
        requests_mock.get(PEOPLE, **ok(page([person(1), person(2)])))
        found = client.find_people_by_email("Ann+x@Example.org")
        assert [p["id"] for p in found] == ["1", "2"]
        query = query_of(requests_mock.last_request)
        assert query["where[search_name_or_email]"] == "Ann+x@Example.org"
        assert query["include"] == "emails"

    def test_test_connection_returns_the_organization_name(self, client, requests_mock):
        organization = {"type": "Organization", "id": "1", "attributes": {"name": "Grace"}}
        requests_mock.get(f"{BASE}/people/v2", **ok({"data": organization}))
        assert client.test_connection() == "Grace"

    def test_test_connection_with_an_unexpected_body(self, client, requests_mock):
        requests_mock.get(f"{BASE}/people/v2", **ok({"data": []}))
        with pytest.raises(PCOBadResponse):
            client.test_connection()

    def test_ids_are_escaped_in_paths(self, client, requests_mock):
        requests_mock.get(f"{PEOPLE}/1%2F..%2Fx", **ok({"data": person(1)}))
        assert client.get_person("1/../x")["id"] == "1"


class TestWrites:
    def test_create_person(self, client, requests_mock):
        requests_mock.post(PEOPLE, **ok({"data": person(9)}, 201))
        created = client.create_person({"first_name": "Ann"})
        assert created["id"] == "9"
        assert requests_mock.last_request.json() == {
            "data": {"type": "Person", "attributes": {"first_name": "Ann"}}}

    def test_update_person_is_a_patch_with_type_and_id(self, client, requests_mock):
        requests_mock.patch(f"{PEOPLE}/9", **ok({"data": person(9)}))
        client.update_person(9, {"last_name": "Lee"})
        assert requests_mock.last_request.json() == {
            "data": {"type": "Person", "id": "9", "attributes": {"last_name": "Lee"}}}

    @pytest.mark.parametrize("collection,type_", [
        ("emails", "Email"), ("phone_numbers", "PhoneNumber"), ("addresses", "Address"),
    ])
    def test_contact_points(self, client, requests_mock, collection, type_):
        created = {"data": {"type": type_, "id": "3", "attributes": {}}}
        requests_mock.post(f"{PEOPLE}/9/{collection}", **ok(created, 201))
        requests_mock.patch(f"{BASE}/people/v2/{collection}/3", **ok(created))
        requests_mock.delete(f"{BASE}/people/v2/{collection}/3", status_code=204)
        assert client.create_contact(9, collection, type_, {"location": "Home"})["id"] == "3"
        assert requests_mock.last_request.json()["data"]["type"] == type_
        client.update_contact(collection, type_, 3, {"location": "Work"})
        assert requests_mock.last_request.json()["data"] == {
            "type": type_, "id": "3", "attributes": {"location": "Work"}}
        client.delete_contact(collection, 3)
        assert requests_mock.last_request.method == "DELETE"

    def test_create_household_uses_relationships(self, client, requests_mock):
        requests_mock.post(f"{BASE}/people/v2/households",
                           **ok({"data": {"type": "Household", "id": "4", "attributes": {}}}, 201))
        client.create_household("Lee", ["1", 2], "1")
        data = requests_mock.last_request.json()["data"]
        assert data["attributes"] == {"name": "Lee"}
        assert data["relationships"] == {
            "people": {"data": [{"type": "Person", "id": "1"}, {"type": "Person", "id": "2"}]},
            "primary_contact": {"data": {"type": "Person", "id": "1"}}}

    def test_add_household_member(self, client, requests_mock):
        url = f"{BASE}/people/v2/households/4/household_memberships"
        created = {"data": {"type": "HouseholdMembership", "id": "8", "attributes": {}}}
        requests_mock.post(url, **ok(created, 201))
        client.add_household_member(4, 2)
        assert requests_mock.last_request.json() == {"data": {
            "type": "HouseholdMembership", "attributes": {},
            "relationships": {"person": {"data": {"type": "Person", "id": "2"}}}}}

    def test_create_group_membership(self, client, requests_mock):
        url = f"{BASE}/groups/v2/groups/12/memberships"
        created = {"data": {"type": "Membership", "id": "5", "attributes": {}}}
        requests_mock.post(url, **ok(created, 201))
        client.create_group_membership(12, 2, "leader", date(2024, 3, 1))
        assert requests_mock.last_request.json()["data"]["attributes"] == {
            "person_id": "2", "role": "leader", "joined_at": "2024-03-01"}
        assert requests_mock.last_request.headers["X-PCO-API-Version"] == "2023-07-10"

    def test_delete_with_empty_204(self, client, requests_mock):
        requests_mock.delete(f"{BASE}/people/v2/emails/3", status_code=204)
        assert client.delete("/people/v2/emails/3") is None


class TestConstruction:
    def test_from_config(self, requests_mock):
        client = PCOClient.from_config({"PCO_APP_ID": "a", "PCO_SECRET": "b",
                                        "PCO_API_URL": "http://sandbox.test/", "PCO_TIMEOUT": "7"})
        requests_mock.get("http://sandbox.test/people/v2/people", **ok({"data": []}))
        client.get("/people/v2/people")
        assert requests_mock.last_request.timeout == 7.0
        client.close()

    def test_missing_credentials_are_refused_loudly(self):
        with pytest.raises(PCOAuthError, match="PCO_APP_ID"):
            PCOClient.from_config({"PCO_APP_ID": "a", "PCO_SECRET": ""})

    def test_base_url_with_a_path_prefix(self, requests_mock):
        client = PCOClient("a", "b", "http://sandbox.test/pco")
        nxt = "http://sandbox.test/pco/people/v2/people?offset=1"
        requests_mock.get("http://sandbox.test/pco/people/v2/people",
                          [ok(page([person(1)], nxt)), ok(page([]))])
        assert len(list(client.iter_pages("/people/v2/people"))) == 2
        assert requests_mock.last_request.headers["X-PCO-API-Version"] == "2025-11-10"
        client.close()
