"""Writes: people, contact points, households, group memberships, and PCO's refusals."""
import threading

PEOPLE = "/people/v2/people"


def person_body(**attributes):
    return {"data": {"type": "Person", "attributes": attributes}}


def first_person(api):
    return api.get(PEOPLE, params={"per_page": 1, "order": "updated_at"}).json()["data"][0]


def test_create_person(api):
    response = api.post(PEOPLE, person_body(first_name="Ada", last_name="Lovelace",
                                            birthdate="1815-12-10"))
    assert response.status_code == 201
    person = response.json()["data"]
    assert person["attributes"]["name"] == "Ada Lovelace"
    assert person["attributes"]["status"] == "active"
    assert api.get(f"{PEOPLE}/{person['id']}").json()["data"]["attributes"]["birthdate"] == \
        "1815-12-10"
    total = api.get(PEOPLE).json()["meta"]["total_count"]
    assert total == 121


def test_write_without_data_key_is_pcos_400(api):
    response = api.post(PEOPLE, {})
    assert response.status_code == 400
    assert response.json() == {"errors": [{
        "status": "400", "title": "Bad Request", "code": "invalid_resource_payload",
        "detail": "The payload given does not contain a 'data' key."}]}


def test_forbidden_and_blank_attributes(api):
    response = api.post(PEOPLE, person_body(first_name="A", relationships={}, name="X"))
    assert response.status_code == 422
    details = [error["detail"] for error in response.json()["errors"]]
    assert details == ["relationships cannot be assigned", "name cannot be assigned"]
    assert response.json()["errors"][0]["title"] == "Forbidden Attribute"
    blank = api.post(PEOPLE, person_body(middle_name="Only"))
    assert blank.status_code == 422
    error = blank.json()["errors"][0]
    assert error["title"] == "Validation Error" and error["detail"] == "can't be blank"
    assert api.post(PEOPLE, person_body(first_name="A", birthdate="12/10/1815")).status_code \
        == 422


def test_patch_bumps_updated_at_and_unchanged_patch_does_not(api):
    person = first_person(api)
    before = person["attributes"]["updated_at"]
    response = api.patch(f"{PEOPLE}/{person['id']}", person_body(nickname="Sunny"))
    assert response.status_code == 200
    after = response.json()["data"]["attributes"]
    assert after["nickname"] == "Sunny" and after["updated_at"] > before
    again = api.patch(f"{PEOPLE}/{person['id']}", person_body(nickname="Sunny"))
    assert again.json()["data"]["attributes"]["updated_at"] == after["updated_at"]
    newest = api.get(PEOPLE, params={"order": "-updated_at", "per_page": 1}).json()["data"]
    assert newest[0]["id"] == person["id"]


def test_status_inactive_stamps_inactivated_at(api):
    person = first_person(api)
    attributes = api.patch(f"{PEOPLE}/{person['id']}", person_body(status="inactive")).json()
    assert attributes["data"]["attributes"]["inactivated_at"] is not None
    back = api.patch(f"{PEOPLE}/{person['id']}", person_body(inactivated_at=None)).json()
    assert back["data"]["attributes"]["status"] == "active"


def test_delete_person(api):
    person = first_person(api)
    response = api.delete(f"{PEOPLE}/{person['id']}")
    assert response.status_code == 204 and response.content == b""
    assert api.get(f"{PEOPLE}/{person['id']}").status_code == 404
    assert api.delete(f"{PEOPLE}/{person['id']}").status_code == 404


def test_contact_points_lifecycle(api):
    person = first_person(api)
    path = f"{PEOPLE}/{person['id']}"
    created = api.post(f"{path}/emails", {"data": {"type": "Email", "attributes": {
        "address": "new@example.com", "location": "Work", "primary": True}}})
    assert created.status_code == 201
    email = created.json()["data"]
    assert email["relationships"]["person"]["data"] == {"type": "Person", "id": person["id"]}
    primaries = [e for e in api.get(f"{path}/emails").json()["data"]
                 if e["attributes"]["primary"]]
    assert [e["id"] for e in primaries] == [email["id"]], "a new primary demotes the old"
    patched = api.patch(f"/people/v2/emails/{email['id']}", {"data": {"type": "Email",
                        "attributes": {"address": "newer@example.com"}}})
    assert patched.json()["data"]["attributes"]["updated_at"] >= \
        email["attributes"]["updated_at"]
    assert api.get(f"{path}").json()["data"]["attributes"]["updated_at"] == \
        person["attributes"]["updated_at"], "a child write bumps only the child"
    assert api.delete(f"/people/v2/emails/{email['id']}").status_code == 204
    assert api.get(f"/people/v2/emails/{email['id']}").status_code == 404


def test_phone_and_address_creation(api):
    person = first_person(api)
    phone = api.post(f"{PEOPLE}/{person['id']}/phone_numbers", {"data": {
        "type": "PhoneNumber", "attributes": {"number": "614-555-0142", "location": "Mobile"}}})
    assert phone.status_code == 201
    attributes = phone.json()["data"]["attributes"]
    assert attributes["e164"] == "+16145550142" and attributes["national"] == "(614) 555-0142"
    refused = api.post(f"{PEOPLE}/{person['id']}/phone_numbers", {"data": {
        "type": "PhoneNumber", "attributes": {"number": "1", "e164": "+1"}}})
    assert refused.json()["errors"][0]["detail"] == "e164 cannot be assigned"
    address = api.post(f"{PEOPLE}/{person['id']}/addresses", {"data": {
        "type": "Address", "attributes": {"street_line_1": "1 Main St", "city": "Dayton",
                                          "state": "OH", "zip": "45402", "location": "Home"}}})
    assert address.status_code == 201
    assert address.json()["data"]["attributes"]["street_line_2"] is None
    assert api.post(f"{PEOPLE}/1/emails", {"data": {"attributes": {}}}).status_code == 404


def test_household_create_with_relationships(api):
    people = api.get(PEOPLE, params={"per_page": 3, "offset": 50}).json()["data"]
    ids = [p["id"] for p in people]
    response = api.post("/people/v2/households", {"data": {
        "type": "Household", "attributes": {"name": "Test Household"},
        "relationships": {
            "people": {"data": [{"type": "Person", "id": pid} for pid in ids]},
            "primary_contact": {"data": {"type": "Person", "id": ids[0]}}}}})
    assert response.status_code == 201
    household = response.json()["data"]
    assert household["attributes"]["member_count"] == 3
    assert household["attributes"]["primary_contact_id"] == ids[0]
    assert [ref["id"] for ref in household["relationships"]["people"]["data"]] == ids
    memberships = api.get(f"/people/v2/households/{household['id']}/household_memberships",
                          params={"include": "person"}).json()
    assert {m["relationships"]["person"]["data"]["id"] for m in memberships["data"]} == set(ids)
    assert memberships["data"][0]["attributes"]["household_role"] in ("adult",
                                                                      "child_or_dependent")


def test_household_refusals(api):
    person_id = first_person(api)["id"]
    inside = api.post("/people/v2/households", {"data": {"attributes": {
        "name": "X", "relationships": {"people": {"data": []}}}}})
    assert inside.json()["errors"][0]["detail"] == "relationships cannot be assigned"
    people_attr = api.post("/people/v2/households", {"data": {"attributes": {"people": []}}})
    assert people_attr.json()["errors"][0]["detail"] == "people cannot be assigned"
    no_people = api.post("/people/v2/households", {"data": {"attributes": {"name": "X"}}})
    assert no_people.status_code == 422
    assert no_people.json()["errors"][0]["source"] == {"parameter": "people"}
    no_primary = api.post("/people/v2/households", {"data": {"attributes": {}, "relationships": {
        "people": {"data": [{"type": "Person", "id": person_id}]}}}})
    assert no_primary.json()["errors"][0]["source"] == {"parameter": "primary_contact"}


def test_household_membership_post(api):
    household = api.get("/people/v2/households").json()["data"][0]
    loner = api.post(PEOPLE, person_body(first_name="New", last_name="Member")).json()["data"]
    path = f"/people/v2/households/{household['id']}/household_memberships"
    wrong = api.post(path, {"data": {"attributes": {}, "relationships": {
        "people": {"data": [{"type": "Person", "id": loner["id"]}]}}}})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["detail"] == "people_ids cannot be assigned"
    right = api.post(path, {"data": {"attributes": {}, "relationships": {
        "person": {"data": {"type": "Person", "id": loner["id"]}}}}})
    assert right.status_code == 201
    assert right.json()["data"]["attributes"]["person_name"] == "New Member"
    again = api.post(path, {"data": {"attributes": {}, "relationships": {
        "person": {"data": {"type": "Person", "id": loner["id"]}}}}})
    assert again.status_code == 422
    count = api.get(f"/people/v2/households/{household['id']}").json()["data"]["attributes"]
    assert count["member_count"] == household["attributes"]["member_count"] + 1


def test_group_memberships(api):
    group = api.get("/groups/v2/groups").json()["data"][0]
    path = f"/groups/v2/groups/{group['id']}/memberships"
    person = api.post(PEOPLE, person_body(first_name="Joiner")).json()["data"]
    body = {"data": {"type": "Membership", "attributes": {
        "person_id": person["id"], "role": "member", "joined_at": "2024-01-05T00:00:00Z"}}}
    created = api.post(path, body)
    assert created.status_code == 201
    membership = created.json()["data"]
    assert membership["attributes"] == {"joined_at": "2024-01-05T00:00:00Z", "role": "member"}
    assert membership["relationships"]["person"]["data"]["id"] == person["id"]
    duplicate = api.post(path, body)
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["detail"] == \
        "A Person can only have one active Membership to a Group at a time"
    no_person = api.post(path, {"data": {"attributes": {"role": "member"}}})
    assert no_person.json()["errors"][0]["detail"] == "can't be blank"
    assert api.delete(f"{path}/{membership['id']}").status_code == 204


def test_groups_cannot_be_created(api):
    response = api.post("/groups/v2/groups", {"data": {"attributes": {"name": "New"}}})
    assert response.status_code == 403
    assert "cannot create a Group" in response.json()["errors"][0]["meta"]["description"]


def test_body_is_read_whatever_the_content_type(api):
    raw = '{"data":{"attributes":{"first_name":"Raw"}}}'
    response = api.session.post(api.url(PEOPLE), data=raw, timeout=5)
    assert response.status_code == 201


def test_concurrent_writes_and_reads_are_safe(api):
    errors = []

    def worker(number):
        try:
            for step in range(15):
                created = api.post(PEOPLE, person_body(first_name=f"T{number}-{step}"))
                assert created.status_code == 201
                person_id = created.json()["data"]["id"]
                assert api.post(f"{PEOPLE}/{person_id}/emails", {"data": {"attributes": {
                    "address": f"t{number}.{step}@example.com"}}}).status_code == 201
                assert api.get(PEOPLE, params={"per_page": 100, "include": "emails"}).ok
                if step % 3 == 0:
                    assert api.delete(f"{PEOPLE}/{person_id}").status_code == 204
        except AssertionError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert api.get(PEOPLE).json()["meta"]["total_count"] == 120 + 6 * 10
