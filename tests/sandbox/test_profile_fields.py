"""The sandbox serves the whole person in PCO's shapes: the choice lists and campuses, a person's
choices as relationships (and included resources), the writes PCO accepts (and its refusals),
groups with type, location and tags (tag_ids only with `fields[Group]`), and generated data with
a church's gaps."""
from pco_sandbox.generator import generate
from pco_sandbox.webhooks import event_payload
from pco_sandbox.store import ChangeEvent

PEOPLE = "/people/v2/people"
CHOICE_INCLUDES = {"marital_status": "MaritalStatus", "inactive_reason": "InactiveReason",
                   "name_prefix": "NamePrefix", "name_suffix": "NameSuffix",
                   "school": "SchoolOption", "primary_campus": "Campus"}


def items(api, path):
    return {(i["attributes"].get("value") or i["attributes"].get("name")): i["id"]
            for i in api.get(path, params={"per_page": 100}).json()["data"]}


def patch(api, person_id, attributes=None, **relationships):
    body = {"data": {"type": "Person", "attributes": attributes or {}, "relationships": {
        name: {"data": None if value is None else {"type": CHOICE_INCLUDES[name], "id": value}}
        for name, value in relationships.items()}}}
    return api.patch(f"{PEOPLE}/{person_id}", body)


def person_id(api):
    return api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]["id"]


def test_the_lists_and_their_shapes(shared_api):
    for path, type_, first in (("marital_statuses", "MaritalStatus", "Single"),
                               ("inactive_reasons", "InactiveReason", "Moved away"),
                               ("name_prefixes", "NamePrefix", "Mr."),
                               ("name_suffixes", "NameSuffix", "Jr."),
                               ("school_options", "SchoolOption", "Lincoln Elementary")):
        body = shared_api.get(f"/people/v2/{path}").json()
        assert body["data"][0]["type"] == type_
        assert body["data"][0]["attributes"]["value"] == first
        assert body["meta"]["can_query_by"] == ["value", "id"]
    school = shared_api.get("/people/v2/school_options").json()["data"][0]["attributes"]
    assert set(school) == {"beginning_grade", "ending_grade", "school_types", "sequence", "value"}
    campus = shared_api.get("/people/v2/campuses").json()["data"][0]
    assert campus["type"] == "Campus" and campus["attributes"]["name"] == "Main Campus"
    assert {"city", "time_zone", "created_at", "updated_at"} <= set(campus["attributes"])
    one = shared_api.get(f"/people/v2/campuses/{campus['id']}").json()["data"]
    assert one["attributes"] == campus["attributes"]


def test_choices_are_relationships_with_included_resources(shared_api):
    include = ",".join(CHOICE_INCLUDES)
    body = shared_api.get(PEOPLE, params={"per_page": 100, "include": include}).json()
    included = {(i["type"], i["id"]) for i in body["included"]}
    named = 0
    for person in body["data"]:
        for name, type_ in CHOICE_INCLUDES.items():
            data = person["relationships"][name]["data"]
            assert data is None or (data["type"] == type_ and (type_, data["id"]) in included)
            named += data is not None
    assert named > 100
    plain = shared_api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    assert set(plain["relationships"]) == {"primary_campus"}


def test_a_person_takes_choices_by_id_the_way_pco_documents(api):
    pid = person_id(api)
    statuses, reasons = items(api, "/people/v2/marital_statuses"), \
        items(api, "/people/v2/inactive_reasons")
    response = patch(api, pid, {"marital_status_id": statuses["Widowed"], "status": "inactive"},
                     inactive_reason=reasons["Deceased"], school=None)
    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["status"] == "inactive" and attributes["inactivated_at"].endswith("Z")
    shown = api.get(f"{PEOPLE}/{pid}", params={"include": "marital_status,inactive_reason"})
    values = {i["type"]: i["attributes"]["value"] for i in shown.json()["included"]}
    assert values == {"MaritalStatus": "Widowed", "InactiveReason": "Deceased"}
    cleared = patch(api, pid, {"status": "active"}, inactive_reason=None).json()["data"]
    assert cleared["attributes"]["inactivated_at"] is None


def test_refusals(api):
    pid = person_id(api)
    unknown = patch(api, pid, inactive_reason="999999")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["source"] == {"parameter": "inactive_reason"}
    forbidden = api.patch(f"{PEOPLE}/{pid}", {"data": {"type": "Person", "attributes": {
        "name_prefix_id": "1"}}})
    assert forbidden.status_code == 422
    assert forbidden.json()["errors"][0]["detail"] == "name_prefix_id cannot be assigned"
    blank = api.post("/people/v2/marital_statuses",
                     {"data": {"type": "MaritalStatus", "attributes": {"value": " "}}})
    assert blank.status_code == 422
    assert api.post("/groups/v2/group_types", {"data": {"type": "GroupType", "attributes": {
        "name": "New"}}}).status_code == 404  # read only in PCO's Groups API


def test_lists_are_written_and_a_deleted_option_leaves_its_people(api):
    created = api.post("/people/v2/name_suffixes",
                       {"data": {"type": "NameSuffix", "attributes": {"value": "IV"}}})
    assert created.status_code == 201
    suffix = created.json()["data"]["id"]
    renamed = api.patch(f"/people/v2/name_suffixes/{suffix}",
                        {"data": {"type": "NameSuffix", "attributes": {"value": "IV."}}})
    assert renamed.json()["data"]["attributes"]["value"] == "IV."
    pid = person_id(api)
    assert patch(api, pid, name_suffix=suffix).status_code == 200
    assert api.delete(f"/people/v2/name_suffixes/{suffix}").status_code == 204
    shown = api.get(f"{PEOPLE}/{pid}", params={"include": "name_suffix"}).json()
    assert shown["data"]["relationships"]["name_suffix"]["data"] is None


def test_groups_have_type_location_and_tags_only_when_asked_for(shared_api):
    plain = shared_api.get("/groups/v2/groups", params={"per_page": 1}).json()["data"][0]
    assert "tag_ids" not in plain["attributes"] and "schedule" in plain["attributes"]
    assert plain["relationships"]["group_type"]["data"]["type"] == "GroupType"
    body = shared_api.get("/groups/v2/groups", params={
        "per_page": 100, "include": "group_type,location",
        "fields[Group]": "name,tag_ids"}).json()
    assert all(set(g["attributes"]) == {"name", "tag_ids"} for g in body["data"])
    assert {i["type"] for i in body["included"]} == {"GroupType", "Location"}
    tag_groups = shared_api.get("/groups/v2/tag_groups").json()["data"]
    tags = {t["id"] for group in tag_groups for t in shared_api.get(
        f"/groups/v2/tag_groups/{group['id']}/tags").json()["data"]}
    tagged = next(g for g in body["data"] if g["attributes"]["tag_ids"])
    own = shared_api.get(f"/groups/v2/groups/{tagged['id']}/tags").json()["data"]
    assert {t["id"] for t in own} == {str(i) for i in tagged["attributes"]["tag_ids"]} <= tags


def test_person_events_carry_the_attributes_and_primary_campus_only(make_api):
    api = make_api()
    store = api.server.runtime.store
    person = next(iter(store.db.people.values()))
    ctx = api.server.runtime.context()
    payload = event_payload(ChangeEvent("people.v2.events.person.updated", "people", person,
                                        False, 0), ctx)
    assert set(payload["data"]["relationships"]) == {"primary_campus"}
    assert "medical_notes" in payload["data"]["attributes"]


def test_generated_profiles_have_a_churchs_gaps():
    db = generate(people=600, seed=3, now=1_790_000_000)
    people = list(db.people.values())
    adults = [p for p in people if not p["child"]]
    children = [p for p in people if p["child"]]
    assert sum(1 for p in people if p.get("anniversary")) < len(people) / 4
    assert not any(p.get("grade") is not None for p in adults)
    assert sum(1 for p in children if p.get("grade") is not None) > len(children) / 2
    assert not any(p.get("marital_status_id") for p in children)
    assert 0 < sum(1 for p in people if p.get("primary_campus_id")) < len(people)
    inactive = [p for p in people if p["status"] == "inactive"]
    assert any(p.get("inactive_reason_id") for p in inactive)
    assert not any(p.get("inactive_reason_id") for p in people if p["status"] == "active")
    again = generate(people=600, seed=3, now=1_790_000_000)
    assert [dict(p) for p in again.people.values()] == [dict(p) for p in people]
