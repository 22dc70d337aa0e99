"""Reads: PCO's list/single shapes, paging, include, filters, search, auth and 404s."""
import requests

PEOPLE = "/people/v2/people"


def all_pages(api, path, params):
    pages, url = [], path
    while url:
        body = api.get(url, params=params if url == path else None).json()
        pages.append(body)
        url = body["links"].get("next")
    return pages


def test_organization(shared_api):
    response = shared_api.get("/people/v2")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["type"] == "Organization"
    assert data["attributes"]["name"] == "Sandbox Community Church"
    assert data["attributes"]["time_zone"] == "America/New_York"


def test_list_defaults_and_meta(shared_api):
    response = shared_api.get(PEOPLE)
    assert response.headers["Content-Type"].startswith("application/vnd.api+json")
    body = response.json()
    assert set(body) == {"links", "data", "included", "meta"}
    assert len(body["data"]) == 25
    meta = body["meta"]
    assert meta["total_count"] == 160 and meta["count"] == 25
    assert meta["next"] == {"offset": 25}
    assert meta["parent"]["type"] == "Organization"
    assert "emails" in meta["can_include"]
    base = shared_api.server.url
    assert body["links"]["self"] == f"{base}/people/v2/people?offset=0&per_page=25"
    assert body["links"]["next"] == f"{base}/people/v2/people?offset=25&per_page=25"


def test_person_resource_shape(shared_api):
    person = shared_api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    assert person["type"] == "Person" and isinstance(person["id"], str)
    attributes = person["attributes"]
    for name in ("first_name", "last_name", "name", "birthdate", "child", "status",
                 "membership", "inactivated_at", "avatar", "created_at", "updated_at",
                 "remote_id", "gender", "middle_name", "nickname", "given_name"):
        assert name in attributes
    assert attributes["updated_at"].endswith("Z")
    # Only primary_campus is always there (a Campus ref, or null); the other choices only when
    # included.
    assert list(person["relationships"]) == ["primary_campus"]
    assert person["links"] == {"self": f"{shared_api.server.url}{PEOPLE}/{person['id']}"}


def test_paging_to_the_end(shared_api):
    pages = all_pages(shared_api, PEOPLE, {"per_page": 100, "include": "emails"})
    assert len(pages) == 2
    last = pages[-1]
    assert "next" not in last["links"] and "next" not in last["meta"]
    assert last["meta"]["prev"] == {"offset": 0}
    assert pages[0]["links"]["next"].endswith("?include=emails&offset=100&per_page=100")
    ids = [p["id"] for page in pages for p in page["data"]]
    assert len(ids) == len(set(ids)) == 160


def test_per_page_is_clamped(shared_api):
    body = shared_api.get(PEOPLE, params={"per_page": 500}).json()
    assert len(body["data"]) == 100 and "per_page=100" in body["links"]["self"]
    assert len(shared_api.get(PEOPLE, params={"per_page": 0}).json()["data"]) == 1


def test_include_resolution(shared_api):
    body = shared_api.get(PEOPLE, params={
        "per_page": 100, "include": "emails,phone_numbers,addresses,households"}).json()
    included = {(item["type"], item["id"]): item for item in body["included"]}
    assert len(included) == len(body["included"]), "included resources appear once each"
    seen_types = {key[0] for key in included}
    assert {"Email", "PhoneNumber", "Address", "Household"} <= seen_types
    for person in body["data"]:
        for name in ("emails", "phone_numbers", "addresses", "households"):
            relationship = person["relationships"][name]
            assert relationship["links"]["related"].endswith(f"/{person['id']}/{name}")
            for ref in relationship["data"]:
                assert set(ref) == {"type", "id"}
                assert (ref["type"], ref["id"]) in included
    email = next(item for item in body["included"] if item["type"] == "Email")
    assert set(email["attributes"]) >= {"address", "location", "primary", "blocked",
                                        "created_at", "updated_at"}
    assert email["relationships"]["person"]["data"]["type"] == "Person"
    assert email["links"]["self"].endswith(f"/people/v2/emails/{email['id']}")


def test_shared_household_included_once(shared_api):
    body = shared_api.get(PEOPLE, params={"per_page": 3, "include": "households"}).json()
    # The first two people are spouses (a planted hard case) in one household.
    first, second = body["data"][:2]
    assert first["relationships"]["households"]["data"] == \
        second["relationships"]["households"]["data"]
    households = [item for item in body["included"] if item["type"] == "Household"]
    assert len({h["id"] for h in households}) == len(households)


def test_updated_at_filters_and_order(shared_api):
    everyone = all_pages(shared_api, PEOPLE, {"per_page": 100, "order": "updated_at"})
    stamps = [p["attributes"]["updated_at"] for page in everyone for p in page["data"]]
    assert stamps == sorted(stamps)
    middle = stamps[len(stamps) // 2]
    newer = all_pages(shared_api, PEOPLE, {"per_page": 100, "where[updated_at][gte]": middle})
    newer_stamps = [p["attributes"]["updated_at"] for page in newer for p in page["data"]]
    assert newer_stamps and all(stamp >= middle for stamp in newer_stamps)
    assert len(newer_stamps) == sum(1 for stamp in stamps if stamp >= middle)
    older = shared_api.get(PEOPLE, params={"per_page": 100, "where[updated_at][lt]": middle})
    assert older.json()["meta"]["total_count"] == sum(1 for s in stamps if s < middle)
    descending = shared_api.get(PEOPLE, params={"order": "-updated_at"}).json()["data"]
    assert descending[0]["attributes"]["updated_at"] == stamps[-1]


def test_filter_values_are_echoed_in_links(shared_api):
    body = shared_api.get(PEOPLE, params={"per_page": 5,
                                          "where[updated_at][gte]": "2000-01-01T00:00:00Z"})
    assert "where[updated_at][gte]=2000-01-01T00:00:00Z" in body.json()["links"]["next"]


def test_bad_filter_is_a_400(shared_api):
    assert shared_api.get(PEOPLE, params={"where[updated_at][gte]": "soon"}).status_code == 400
    assert shared_api.get(PEOPLE, params={"where[shoe_size]": "9"}).status_code == 400
    assert shared_api.get(PEOPLE, params={"order": "shoe_size"}).status_code == 400


def test_search_by_email_is_exact_and_case_insensitive(shared_api):
    body = shared_api.get(PEOPLE, params={
        "where[search_name_or_email]": "JohnsonFamily@Example.com"}).json()
    names = sorted(p["attributes"]["first_name"] for p in body["data"])
    assert names == ["Michael", "Sarah"]
    messy = shared_api.get(PEOPLE, params={
        "where[search_name_or_email]": "peter.parker@example.com"}).json()
    assert [p["attributes"]["name"] for p in messy["data"]] == ["Peter Parker"]
    partial = shared_api.get(PEOPLE, params={"where[search_name_or_email]": "family@example"})
    assert all("family" in p["attributes"]["name"].lower() for p in partial.json()["data"])


def test_search_by_name_and_equality(shared_api):
    body = shared_api.get(PEOPLE, params={"where[search_name_or_email]": "hernÁndez"}).json()
    assert {p["attributes"]["first_name"] for p in body["data"]} == {"José", "Zoë"}
    smiths = shared_api.get(PEOPLE, params={"where[first_name]": "john",
                                            "where[last_name]": "SMITH"}).json()
    assert smiths["meta"]["total_count"] >= 2
    assert "where[first_name]=john" in smiths["links"]["self"]


def test_single_person_with_include(shared_api):
    first = shared_api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    response = shared_api.get(f"{PEOPLE}/{first['id']}", params={"include": "emails"})
    body = response.json()
    assert body["data"]["id"] == first["id"]
    assert body["data"]["links"]["emails"].endswith(f"/{first['id']}/emails")
    refs = body["data"]["relationships"]["emails"]["data"]
    assert [item["id"] for item in body["included"]] == [ref["id"] for ref in refs]
    assert body["meta"]["parent"]["type"] == "Organization"


def test_children_lists_and_org_wide_lists(shared_api):
    first = shared_api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    emails = shared_api.get(f"{PEOPLE}/{first['id']}/emails").json()
    assert emails["meta"]["parent"] == {"id": first["id"], "type": "Person"}
    assert emails["data"][0]["attributes"]["address"] == "johnsonfamily@example.com"
    phones = shared_api.get("/people/v2/phone_numbers", params={"per_page": 2}).json()
    assert phones["data"][0]["attributes"]["e164"].startswith("+1")
    assert shared_api.get("/people/v2/addresses").json()["meta"]["total_count"] > 0


def test_households_and_groups_lists(shared_api):
    households = shared_api.get("/people/v2/households", params={"include": "people"}).json()
    household = households["data"][0]
    assert set(household["attributes"]) >= {"name", "member_count", "primary_contact_id",
                                            "primary_contact_name"}
    people_refs = household["relationships"]["people"]["data"]
    assert len(people_refs) == household["attributes"]["member_count"]
    assert household["relationships"]["primary_contact"]["data"]["id"] == \
        household["attributes"]["primary_contact_id"]
    groups = shared_api.get("/groups/v2/groups").json()
    assert groups["meta"]["total_count"] == 11, "the archived group is hidden by default"
    everything = shared_api.get("/groups/v2/groups", params={"where[archive_status]": "include"})
    assert everything.json()["meta"]["total_count"] == 12
    group = groups["data"][0]
    memberships = shared_api.get(f"/groups/v2/groups/{group['id']}/memberships",
                                 params={"include": "person", "per_page": 100}).json()
    assert memberships["meta"]["total_count"] == group["attributes"]["memberships_count"]
    assert {m["attributes"]["role"] for m in memberships["data"]} == {"leader", "member"}
    person = memberships["included"][0]
    assert person["type"] == "Person" and "email_addresses" in person["attributes"]
    same = shared_api.get(f"{PEOPLE}/{person['id']}")
    assert same.status_code == 200, "Groups person ids are People person ids"


def test_auth_is_required(shared_api):
    anonymous = requests.get(shared_api.server.url + PEOPLE, timeout=5)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["status"] == "401"
    wrong = requests.get(shared_api.server.url + PEOPLE, auth=("sandbox", "nope"), timeout=5)
    assert wrong.status_code == 401


def test_not_found_bodies(shared_api):
    expected = {"errors": [{"status": "404", "title": "Not Found",
                            "detail": "The resource you requested could not be found"}]}
    assert shared_api.get(f"{PEOPLE}/1").json() == expected
    assert shared_api.get("/bogus").status_code == 404
    assert shared_api.get("/bogus").json() == expected
    assert shared_api.session.put(shared_api.url(PEOPLE), timeout=5).status_code == 404


def test_addresses_cannot_be_filtered_by_updated_at(shared_api):
    # PCO documents ordering, not where[updated_at], for /people/v2/addresses (facts 2.2).
    refused = shared_api.get("/people/v2/addresses", params={
        "where[updated_at][gte]": "2020-01-01T00:00:00Z"})
    assert refused.status_code == 400
    ordered = shared_api.get("/people/v2/addresses", params={"order": "-updated_at"}).json()
    stamps = [a["attributes"]["updated_at"] for a in ordered["data"]]
    assert stamps == sorted(stamps, reverse=True)


def test_person_household_memberships(shared_api):
    first = shared_api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    body = shared_api.get(f"{PEOPLE}/{first['id']}/household_memberships",
                          params={"include": "household"}).json()
    membership = body["data"][0]
    assert membership["type"] == "HouseholdMembership"
    assert membership["attributes"]["person_name"] == first["attributes"]["name"]
    assert body["included"][0]["type"] == "Household"
