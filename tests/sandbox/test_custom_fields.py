"""Custom fields in the sandbox, in PCO's shapes (People 2025-11-10: Tab, FieldDefinition,
FieldOption, FieldDatum): the endpoints, `include=field_data` on people, writes with PCO's
refusals (one datum per ticked option, no written files), webhooks, the admin "edit in PCO",
the mutator and the generator."""
import json
from collections import Counter

import pytest

from pco_sandbox.dump import dump
from pco_sandbox.generator import generate
from pco_sandbox.store import SandboxStore
from pco_sandbox.subscriptions import HAND_MADE_EVENTS
from pco_sandbox.webhooks import event_payload, sign
from tests.sandbox.test_webhooks import Receiver

PEOPLE = "/people/v2/people"
NOW = 1_780_000_000
# Attribute names from PCO's definitions (twcrews/planningcenter-api, People 2025-11-10).
TAB_KEYS = {"name", "sequence", "slug"}
DEFINITION_KEYS = {"config", "data_type", "deleted_at", "name", "sequence", "slug", "tab_id"}
OPTION_KEYS = {"sequence", "value"}
DATUM_KEYS = {"file", "file_content_type", "file_name", "file_size", "value"}
ONE_DATUM = "An existing field datum already exists for this record and field definition."


def definitions(api, **params):
    body = api.get("/people/v2/field_definitions", params={"per_page": 100, **params}).json()
    return {d["attributes"]["name"]: d for d in body["data"]}


def datum_body(value, definition_id=None, relationship=False):
    attributes = {"value": value}
    body = {"data": {"type": "FieldDatum", "attributes": attributes}}
    if relationship:
        body["data"]["relationships"] = {"field_definition": {"data": {
            "type": "FieldDefinition", "id": str(definition_id)}}}
    elif definition_id is not None:
        attributes["field_definition_id"] = definition_id
    return body


def first_person(api):
    return api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]


def test_tabs_definitions_and_options_have_pcos_shapes(shared_api):
    tabs = shared_api.get("/people/v2/tabs").json()
    assert [t["attributes"]["name"] for t in tabs["data"]] == ["Membership", "Serving"]
    assert all(set(t["attributes"]) == TAB_KEYS and t["type"] == "Tab" for t in tabs["data"])
    assert tabs["meta"]["can_filter"] == ["with_field_definitions"]
    listed = shared_api.get("/people/v2/field_definitions",
                            params={"include": "field_options,tab"}).json()
    first = listed["data"][0]
    assert set(first["attributes"]) == DEFINITION_KEYS and first["type"] == "FieldDefinition"
    assert isinstance(first["attributes"]["tab_id"], int)
    tab_ref = {"type": "Tab", "id": str(first["attributes"]["tab_id"])}
    assert first["relationships"]["tab"]["data"] == tab_ref
    assert {i["type"] for i in listed["included"]} == {"Tab", "FieldOption"}
    assert listed["meta"]["can_include"] == ["field_options", "tab"]
    assert {d["attributes"]["data_type"] for d in listed["data"]} == {
        "date", "boolean", "text", "header", "checkboxes", "select", "number", "file"}
    shirts = definitions(shared_api)["T-shirt size"]
    options = shared_api.get(f"/people/v2/field_definitions/{shirts['id']}/field_options").json()
    assert [o["attributes"]["value"] for o in options["data"]][:3] == ["S", "M", "L"]
    assert set(options["data"][0]["attributes"]) == OPTION_KEYS
    assert options["meta"]["parent"] == {"id": shirts["id"], "type": "FieldDefinition"}
    shown = shared_api.get(f"/people/v2/field_definitions/{shirts['id']}").json()["data"]
    assert shown["attributes"] == shirts["attributes"]
    serving = tabs["data"][1]["id"]
    under = shared_api.get(f"/people/v2/tabs/{serving}/field_definitions").json()["data"]
    assert len(under) == 5 and {d["attributes"]["tab_id"] for d in under} == {int(serving)}
    tab_options = shared_api.get(f"/people/v2/tabs/{serving}/field_options").json()["data"]
    assert len(tab_options) == 12


def test_deleted_definitions_only_when_asked(shared_api):
    live, every = definitions(shared_api), definitions(shared_api, filter="include_deleted")
    assert set(every) - set(live) == {"Previous church"}
    assert every["Previous church"]["attributes"]["deleted_at"].endswith("Z")
    membership = every["Previous church"]["attributes"]["tab_id"]
    under = f"/people/v2/tabs/{membership}/field_definitions"
    assert len(shared_api.get(under).json()["data"]) == 3
    assert len(shared_api.get(under, params={"filter": "with_deleted"}).json()["data"]) == 4
    by_tab = definitions(shared_api, **{"where[tab_id]": membership})
    assert set(by_tab) == {"Baptism date", "Membership class completed", "Membership notes"}


def test_people_include_their_field_data(shared_api):
    body = shared_api.get(PEOPLE, params={"per_page": 100, "include": "field_data"}).json()
    included = {i["id"]: i for i in body["included"] if i["type"] == "FieldDatum"}
    with_data = 0
    for person in body["data"]:
        refs = person["relationships"]["field_data"]
        assert refs["links"]["related"].endswith(f"/people/v2/people/{person['id']}/field_data")
        assert all(ref["type"] == "FieldDatum" and ref["id"] in included for ref in refs["data"])
        with_data += bool(refs["data"])
    assert 40 <= with_data <= 75
    datum = next(iter(included.values()))
    assert set(datum["attributes"]) == DATUM_KEYS
    assert set(datum["relationships"]) == {"field_definition", "customizable"}
    assert datum["relationships"]["customizable"]["data"]["type"] == "Person"
    assert datum["links"]["self"].endswith(f"/people/v2/field_data/{datum['id']}")
    files = [d for d in included.values() if d["attributes"]["file"]["url"]]
    assert files and all(d["attributes"]["file_name"].endswith(".pdf") and d["attributes"][
        "file_content_type"] == "application/pdf" and d["attributes"]["value"] is None
        for d in files)
    plain = shared_api.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    assert "field_data" not in plain["relationships"]


def test_a_datum_is_created_updated_and_deleted(api):
    person = first_person(api)
    notes = definitions(api)["Membership notes"]["id"]
    path = f"{PEOPLE}/{person['id']}/field_data"
    created = api.post(path, datum_body("Came at Easter", int(notes)))
    assert created.status_code == 201, created.text
    datum = created.json()["data"]
    assert datum["attributes"]["value"] == "Came at Easter"
    assert datum["relationships"]["field_definition"]["data"]["id"] == notes
    again = api.post(path, datum_body("Twice", notes, relationship=True))
    assert again.status_code == 422
    assert again.json()["errors"][0] == {
        "status": "422", "title": "Validation Error", "detail": ONE_DATUM,
        "source": {"parameter": "field_definition"},
        "meta": {"resource": "FieldDatum", "associated_resources": []}}
    moved = api.get(f"{PEOPLE}/{person['id']}").json()["data"]["attributes"]["updated_at"]
    assert moved > person["attributes"]["updated_at"]
    patched = api.patch(f"/people/v2/field_data/{datum['id']}", datum_body("Came at Christmas"))
    assert patched.json()["data"]["attributes"]["value"] == "Came at Christmas"
    nested = api.get(f"{path}/{datum['id']}").json()["data"]
    assert nested["attributes"]["value"] == "Came at Christmas"
    assert api.delete(f"{path}/{datum['id']}").status_code == 204
    assert api.get(f"/people/v2/field_data/{datum['id']}").status_code == 404


def test_checkboxes_hold_one_datum_per_ticked_option(api):
    person = first_person(api)["id"]
    interests = definitions(api)["Serving interests"]["id"]
    path = f"{PEOPLE}/{person}/field_data"
    for datum in api.get(path).json()["data"]:
        api.delete(f"/people/v2/field_data/{datum['id']}")
    for value in ("Hospitality", "Choir"):  # "Choir" is no option yet: PCO creates it
        assert api.post(path, datum_body(value, interests, relationship=True)).status_code == 201
    held = api.get(path, params={"include": "field_option"}).json()
    assert sorted(d["attributes"]["value"] for d in held["data"]) == ["Choir", "Hospitality"]
    assert {i["attributes"]["value"] for i in held["included"]} == {"Choir", "Hospitality"}
    options = api.get(f"/people/v2/field_definitions/{interests}/field_options").json()["data"]
    assert options[-1]["attributes"] == {"sequence": 7, "value": "Choir"}
    assert api.post(path, datum_body("Choir", interests)).status_code == 422
    dumped = api.admin("GET", "/dump").json()
    mine = next(p for p in dumped["people"] if p["id"] == person)
    assert mine["custom_fields"][interests] == ["Choir", "Hospitality"]


@pytest.mark.parametrize("name, value, parameter", [
    ("Background check form", "form.pdf", "value"),
    ("Volunteer details", "anything", "field_definition"),
    ("T-shirt size", "Huge", "value"),
    ("Years serving", "many", "value"),
    ("Baptism date", "last spring", "value"),
    ("Membership class completed", "maybe", "value"),
])
def test_pco_refuses_values_its_fields_cannot_hold(shared_api, name, value, parameter):
    field = definitions(shared_api)[name]["id"]
    person = first_person(shared_api)["id"]
    refused = shared_api.post(f"{PEOPLE}/{person}/field_data", datum_body(value, field))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["source"] == {"parameter": parameter}


def test_other_refusals_and_accepted_forms(api):
    person = first_person(api)["id"]
    path = f"{PEOPLE}/{person}/field_data"
    unknown = api.post(path, datum_body("x", 999))
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["source"] == {"parameter": "field_definition"}
    assert api.post(path, datum_body("x")).status_code == 422  # no definition named
    assert api.post(path, {}).status_code == 400
    assert api.post(path, {"data": {"attributes": {"file": "x"}}}).json()["errors"][0][
        "detail"] == "file cannot be assigned"
    fields = definitions(api)
    for datum in api.get(path).json()["data"]:
        api.delete(f"/people/v2/field_data/{datum['id']}")
    baptism = api.post(path, datum_body("2011-04-24", fields["Baptism date"]["id"]))
    assert baptism.json()["data"]["attributes"]["value"] == "04/24/2011"  # the org's format
    yes = api.post(path, datum_body(True, fields["Membership class completed"]["id"]))
    assert yes.json()["data"]["attributes"]["value"] == "true"
    deleted = definitions(api, filter="include_deleted")["Previous church"]["id"]
    assert api.post(path, datum_body("Grace", deleted)).status_code == 422


def test_field_datum_webhooks_carry_pcos_payloads(api):
    store, events = api.server.store, []
    store.subscribe(events.append)
    person = first_person(api)["id"]
    notes = definitions(api)["Membership notes"]["id"]
    created = api.post(f"{PEOPLE}/{person}/field_data", datum_body("Hello", notes)).json()
    datum_id = created["data"]["id"]
    api.patch(f"/people/v2/field_data/{datum_id}", datum_body("Hello again"))
    api.patch(f"/people/v2/field_data/{datum_id}", datum_body("Hello again"))  # no change
    api.delete(f"/people/v2/field_data/{datum_id}")
    assert [e.name for e in events] == [f"people.v2.events.field_datum.{action}"
                                        for action in ("created", "updated", "destroyed")]
    ctx = api.server.runtime.context()
    alive = event_payload(events[1], ctx)
    assert alive["data"]["attributes"]["value"] == "Hello again" and alive["included"] == []
    assert {"event_time", "idempotency_token", "parent"} <= set(alive["meta"])
    gone = event_payload(events[2], ctx)
    assert set(gone["data"]) == {"type", "id", "relationships", "links"}  # as PCO sends
    owner = {"type": "Person", "id": person}
    assert gone["data"]["relationships"]["customizable"]["data"] == owner
    assert set(gone["meta"]) == {"parent"}


def test_deliveries_reach_the_hand_made_subscriptions(make_api):
    assert {f"people.v2.events.field_{kind}.{action}" for kind in ("datum", "definition")
            for action in ("created", "updated", "destroyed")} <= set(HAND_MADE_EVENTS)
    receiver = Receiver()
    try:
        api = make_api(SANDBOX_WEBHOOK_URL=receiver.url, SANDBOX_WEBHOOK_SECRET="s3cret")
        person = first_person(api)["id"]
        api.admin("POST", "/field_data", {"person_id": person, "field": "Years serving",
                                          "value": "4"})
        api.admin("POST", "/field_definitions", {"tab": "Care", "name": "Allergies",
                                                 "data_type": "text"})
        assert api.server.runtime.webhooks.wait_idle(5)
        names = {}
        for headers, body, envelope in receiver.deliveries():
            assert headers["X-Pco-Webhooks-Authenticity"] == sign("s3cret", body)
            names[envelope["attributes"]["name"]] = envelope["payload"]
    finally:
        receiver.stop()
    datum = names["people.v2.events.field_datum.created"]["data"]
    assert datum["type"] == "FieldDatum" and datum["attributes"]["value"] == "4"
    definition = names["people.v2.events.field_definition.created"]["data"]
    assert definition["attributes"]["name"] == "Allergies"


def test_admin_sets_values_by_field_name_like_an_edit_in_pco(api):
    person = first_person(api)["id"]

    def set_value(field, value):
        answer = api.admin("POST", "/field_data", {"person_id": person, "field": field,
                                                   "value": value})
        assert answer.status_code == 200, answer.text
        mine = next(p for p in api.admin("GET", "/dump").json()["people"] if p["id"] == person)
        return answer.json(), mine["custom_fields"]

    fields = {d["name"]: d["id"] for d in api.admin("GET", "/dump").json()["field_definitions"]}
    _, values = set_value("serving interests", ["Prayer team", "Hospitality"])
    assert values[fields["Serving interests"]] == ["Hospitality", "Prayer team"]
    answer, values = set_value("Serving interests", ["Outreach"])
    assert values[fields["Serving interests"]] == ["Outreach"] and len(answer["data"]) == 1
    _, values = set_value("T-shirt size", "XL")
    assert values[fields["T-shirt size"]] == "XL"
    _, values = set_value("Background check form", "Signed_form.pdf")
    assert values[fields["Background check form"]] == "Signed_form.pdf"
    _, values = set_value("T-shirt size", None)
    assert fields["T-shirt size"] not in values
    assert api.admin("POST", "/field_data", {"person_id": person, "field": "Nope",
                                             "value": "x"}).status_code == 404
    assert api.admin("POST", "/field_data", {"person_id": person, "field": "T-shirt size",
                                             "value": "Huge"}).status_code == 422


def test_definitions_change_in_pco_and_through_the_api(api):
    events = []
    api.server.store.subscribe(events.append)
    made = api.admin("POST", "/field_definitions", {
        "tab": "Care", "name": "Diet", "data_type": "select", "options": ["Vegan", "None"]})
    assert made.status_code == 201 and [o["value"] for o in made.json()["options"]] == [
        "Vegan", "None"]
    diet = made.json()["id"]
    assert api.admin("PATCH", f"/field_definitions/{diet}", {"name": "Diets"}).status_code == 200
    assert api.admin("DELETE", f"/field_definitions/{diet}").json()["deleted_at"].endswith("Z")
    assert "Diets" not in definitions(api)
    assert definitions(api, filter="include_deleted")["Diets"]["attributes"]["deleted_at"]
    tab = api.get("/people/v2/tabs").json()["data"][0]["id"]
    posted = api.post(f"/people/v2/tabs/{tab}/field_definitions", {"data": {
        "type": "FieldDefinition", "attributes": {"name": "Spiritual gifts",
                                                  "data_type": "checkboxes"}}})
    assert posted.status_code == 201
    gifts = posted.json()["data"]
    assert gifts["attributes"]["slug"] == "spiritual_gifts"
    assert api.delete(f"/people/v2/field_definitions/{gifts['id']}").status_code == 204
    assert [e.name.rsplit(".", 2)[-2:] for e in events] == [
        ["field_definition", "created"], ["field_definition", "updated"],
        ["field_definition", "destroyed"], ["field_definition", "created"],
        ["field_definition", "destroyed"]]
    bad = api.post(f"/people/v2/tabs/{tab}/field_definitions", {"data": {
        "attributes": {"name": "X", "data_type": "rainbow"}}})
    assert bad.status_code == 422


def test_mutator_edits_field_data(api):
    before = api.admin("GET", "/dump").json()
    plain = api.admin("POST", "/mutate", {"count": 40, "seed": 4}).json()["changes"]
    assert all(c["type"] != "FieldDatum" for c in plain)  # seeded edits stay as they were
    changes = api.admin("POST", "/mutate", {"count": 60, "seed": 4,
                                            "custom_fields": True}).json()["changes"]
    field_changes = [c for c in changes if c["type"] == "FieldDatum"]
    assert {c["action"] for c in field_changes} == {"set_field", "clear_field"}
    after = {p["id"]: p for p in api.admin("GET", "/dump").json()["people"]}
    changed = [c for c in field_changes if c["person_id"] in after]
    assert changed and any(
        after[c["person_id"]]["custom_fields"] != next(
            p for p in before["people"] if p["id"] == c["person_id"])["custom_fields"]
        for c in changed)


def test_generator_is_deterministic_and_realistic():
    first = dump(SandboxStore(generate(400, seed=5, now=NOW)))
    assert first == dump(SandboxStore(generate(400, seed=5, now=NOW)))
    other = dump(SandboxStore(generate(400, seed=6, now=NOW)))
    assert [p["custom_fields"] for p in first["people"]] != [
        p["custom_fields"] for p in other["people"]]
    share = sum(1 for p in first["people"] if p["custom_fields"]) / len(first["people"])
    assert 0.4 <= share <= 0.7
    kinds = {d["id"]: d["data_type"] for d in first["field_definitions"]}
    held = Counter(kinds[key] for p in first["people"] for key in p["custom_fields"])
    assert set(held) == {"date", "boolean", "text", "checkboxes", "select", "number", "file"}
    ticks = [len(v) for p in first["people"] for k, v in p["custom_fields"].items()
             if kinds[k] == "checkboxes"]
    assert max(ticks) >= 2
    dates = [v for p in first["people"] for k, v in p["custom_fields"].items()
             if kinds[k] == "date"]
    assert all(len(v) == 10 and v[2] == v[5] == "/" for v in dates)
    assert json.dumps(first)  # plain JSON


def test_merges_and_deletes_carry_field_data():
    store = SandboxStore(generate(80, seed=3, now=NOW))
    fields = {d["name"]: d["id"] for d in store.db.field_definitions.values()}
    keep, remove, gone = list(store.db.people.rows)[:3]
    for person in (keep, remove):
        store.set_person_field(person, fields["T-shirt size"], None)
        store.set_person_field(person, fields["Serving interests"], None)
    store.set_person_field(keep, fields["T-shirt size"], "M")
    store.set_person_field(remove, fields["T-shirt size"], "L")
    store.set_person_field(keep, fields["Serving interests"], ["Outreach"])
    store.set_person_field(remove, fields["Serving interests"], ["Outreach", "Prayer team"])
    store.merge_people(keep, remove)
    values = dump(store)["people"]
    kept = next(p for p in values if p["id"] == str(keep))["custom_fields"]
    assert kept[str(fields["T-shirt size"])] == "M"
    assert kept[str(fields["Serving interests"])] == ["Outreach", "Prayer team"]
    store.set_person_field(gone, fields["Years serving"], "3")
    store.delete_person(gone)
    assert all(d["person_id"] != gone for d in store.db.field_data.values())
