"""Schemas: real PCO bodies in, local dicts out; local dicts in, PCO attribute payloads out."""
import json
from datetime import date, datetime, timezone

import pytest
from marshmallow import ValidationError

from pcosync.pco import schemas
from pcosync.pco.contact_kinds import ADDRESSES, EMAILS, PHONE_NUMBERS
from pcosync.pco.errors import describe_error_body
from pcosync.pco.jsonapi import resolve_document
from tests.pco.helpers import real_body

UTC = timezone.utc


def resource(type_, id_, relationships=None, **attributes):
    item = {"type": type_, "id": id_, "attributes": attributes}
    if relationships is not None:
        item["relationships"] = relationships
    return item


def to_one(type_, id_):
    return {"data": {"type": type_, "id": id_}}


class TestRealBodies:
    def test_people_page_with_included_emails(self):
        people = resolve_document(real_body("people_list_page1_include_emails.json"))
        loaded = [schemas.load_person(item) for item in people]
        assert len(loaded) == 25
        first = loaded[0]
        assert first["pco_id"] == "72078195"
        assert (first["first_name"], first["last_name"]) == ("Ktjzqm", "Ohowzjfz")
        assert first["status"] == "active" and first["child"] is False
        assert first["pco_updated_at"] == datetime(2020, 1, 25, 16, 59, 5, tzinfo=UTC)
        assert first["emails"] == [{
            "pco_id": "42869692", "address": "ewednowf@mailinator.com", "location": "Home",
            "is_primary": True, "person_pco_id": "72078195",
            "pco_updated_at": datetime(2020, 1, 25, 16, 59, 5, tzinfo=UTC)}]
        # phone_numbers and addresses were not requested: local copies must not be dropped.
        assert first["phone_numbers"] == [] and first["contacts_included"] is False

    def test_single_person_with_emails_and_organization(self):
        person = resolve_document(real_body("people_get_person_include_emails_organization.json"))
        loaded = schemas.load_person(person)
        assert loaded["pco_id"] == "45029164" and loaded["birthdate"] is None
        assert loaded["emails"][0]["address"] == "paul.revere@mailinator.com"
        organization = person["relationships"]["organization"]["data"]
        assert schemas.load_organization(organization) == {"pco_id": "263468",
                                                           "name": "Pypco Dev"}

    def test_people_with_legacy_street_addresses(self):
        people = resolve_document(real_body("people_list_include_addresses_where_first_name.json"))
        addresses = [schemas.load_person(item)["addresses"] for item in people]
        assert [len(found) for found in addresses] == [2, 2]
        assert addresses[0][0] == {
            "pco_id": "55460368", "street_line_1": "123 Ride Way", "street_line_2": None,
            "city": "Boston", "state": "MA", "zip": "12345", "country_code": None,
            "location": "Home", "is_primary": True, "person_pco_id": "45029164",
            "pco_updated_at": datetime(2019, 12, 9, 17, 48, 20, tzinfo=UTC)}

    def test_webhook_envelope(self):
        delivery = schemas.load_event_delivery(
            real_body("webhook_eventdelivery_services_plan_created.json"))
        assert delivery["delivery_id"] == "87f49852-1a2a-45cb-b4d2-0fa30eda0823"
        assert delivery["event_name"] == "services.v2.events.plan.created"
        assert delivery["attempt"] == 1 and delivery["organization_id"] == "456240"
        assert delivery["payload"]["data"]["id"] == "69259663"
        assert delivery["payload"]["meta"]["event_time"] == "2023-11-23T13:34:09Z"

    @pytest.mark.parametrize("name,expected", [
        ("error_400_post_people_without_data_key.json",
         "Bad Request: The payload given does not contain a 'data' key."),
        ("error_404_not_found.json", "Not Found: The resource you requested could not be found"),
    ])
    def test_error_bodies(self, name, expected):
        assert describe_error_body(real_body(name)) == expected


class TestContacts:
    def test_new_address_shape(self):
        address = ADDRESSES.load(resource(
            "Address", "1", {"person": to_one("Person", "9")}, street_line_1="1 Main St",
            street_line_2="Apt 2", city="Springfield", state="IL", zip="62701",
            country_code="US", country_name="United States", location="Home", primary=False))
        assert address["street_line_1"] == "1 Main St" and address["street_line_2"] == "Apt 2"
        assert address["country_code"] == "US" and address["person_pco_id"] == "9"
        assert "country_name" not in address

    def test_multi_line_legacy_street(self):
        address = ADDRESSES.load(resource("Address", "1", street="1 Main St\nApt 2"))
        assert (address["street_line_1"], address["street_line_2"]) == ("1 Main St", "Apt 2")
        assert "person_pco_id" not in address

    def test_phone_number(self):
        phone = PHONE_NUMBERS.load(resource(
            "PhoneNumber", "5", number="555-0100", location="Mobile", primary=True,
            e164="+15550100", updated_at="2024-05-01T10:00:00-05:00"))
        assert phone == {"pco_id": "5", "number": "555-0100", "location": "Mobile",
                         "is_primary": True,
                         "pco_updated_at": datetime(2024, 5, 1, 15, 0, tzinfo=UTC)}

    def test_contacts_included_only_when_all_three_are_complete(self):
        relationships = {
            "emails": {"data": [resource("Email", "1", address="a@x.org")]},
            "phone_numbers": {"data": []},
            "addresses": {"data": [resource("Address", "2", street_line_1="1 Main")]},
        }
        person = resource("Person", "9", relationships, first_name="Ann", status="inactive")
        loaded = schemas.load_person(person)
        assert loaded["contacts_included"] is True and loaded["status"] == "inactive"
        assert loaded["addresses"][0]["person_pco_id"] == "9"
        relationships["emails"]["data"].append({"type": "Email", "id": "3"})  # not included
        assert schemas.load_person(person)["contacts_included"] is False


class TestHouseholdsAndGroups:
    def test_household_with_resolved_people_and_refs(self):
        household = resource("Household", "4", {
            "people": {"data": [resource("Person", "1", first_name="Ann"),
                                {"type": "Person", "id": "2"}]},
            "primary_contact": to_one("Person", "1"),
        }, name="Lee Household", member_count=2, primary_contact_id="7")
        assert schemas.load_household(household) == {
            "pco_household_id": "4", "name": "Lee Household", "primary_contact_pco_id": "1",
            "member_pco_ids": ["1", "2"], "avatar": None, "pco_updated_at": None}

    def test_household_primary_contact_from_the_attribute(self):
        loaded = schemas.load_household(resource("Household", "4", name="X",
                                                 primary_contact_id=7))
        assert loaded["primary_contact_pco_id"] == "7" and loaded["member_pco_ids"] == []

    def test_household_membership(self):
        membership = resource("HouseholdMembership", "8", {
            "person": to_one("Person", "1"), "household": to_one("Household", "4")},
            household_role="parent_guardian", pending=False, person_name="Ann Lee")
        assert schemas.load_household_membership(membership) == {
            "pco_id": "8", "person_pco_id": "1", "household_pco_id": "4",
            "household_role": "parent_guardian", "pending": False}

    def test_group_prefers_plain_text_description(self):
        group = resource("Group", "12", name="Youth", description="<p>Hi</p>",
                         description_as_plain_text="Hi", archived_at="2024-01-01T00:00:00Z")
        loaded = schemas.load_group(group)
        assert loaded["description"] == "Hi" and loaded["pco_group_id"] == "12"
        assert loaded["archived_at"] == datetime(2024, 1, 1, tzinfo=UTC)
        assert schemas.load_group(resource("Group", "1", description="<p>x</p>"))[
            "description"] == "<p>x</p>"

    def test_group_membership(self):
        membership = resource("Membership", "5", {
            "person": {"data": resource("Person", "1", first_name="Ann")},
            "group": to_one("Group", "12")}, role="Leader", joined_at="2024-03-01T12:00:00Z")
        assert schemas.load_group_membership(membership) == {
            "pco_membership_id": "5", "group_pco_id": "12", "person_pco_id": "1",
            "role": "leader", "joined_at": datetime(2024, 3, 1, 12, tzinfo=UTC)}

    def test_group_membership_group_from_the_caller(self):
        membership = resource("Membership", "5", {"person": to_one("Person", "1")},
                              role="member", joined_at=None)
        loaded = schemas.load_group_membership(membership, group_pco_id=12)
        assert loaded["group_pco_id"] == "12" and loaded["joined_at"] is None

    @pytest.mark.parametrize("relationships,attributes,reason", [
        ({"group": to_one("Group", "1")}, {"role": "member"}, "no person"),
        ({"person": to_one("Person", "1")}, {"role": "member"}, "no group"),
        ({"person": to_one("Person", "1"), "group": to_one("Group", "1")}, {"role": "boss"},
         "unknown role"),
    ])
    def test_group_membership_refusals(self, relationships, attributes, reason):
        with pytest.raises(ValidationError, match=f"Membership 5: .*{reason}"):
            schemas.load_group_membership(resource("Membership", "5", relationships,
                                                   **attributes))


class TestMalformed:
    @pytest.mark.parametrize("item,expected", [
        ({"type": "Person", "attributes": {}}, "Malformed Person (no id): id:"),
        ({"type": "Email", "id": "3", "attributes": {}}, "Malformed Email 3: expected type Person"),
        ({"type": "Person", "id": "3", "attributes": "x"}, "Malformed Person 3: attributes:"),
        ({"type": "Person", "id": "3", "attributes": None}, "Malformed Person 3: attributes:"),
        ({"type": "Person", "id": "3", "attributes": {"birthdate": "31/12/1990"}},
         "Malformed Person 3: attributes.birthdate: Not a valid date."),
        ({"type": "Person", "id": "3", "attributes": {"updated_at": "yesterday"}},
         "Malformed Person 3: attributes.updated_at:"),
        (["not", "a", "resource"], "Malformed Person (not an object)"),
    ])
    def test_messages_name_type_and_id(self, item, expected):
        with pytest.raises(ValidationError) as caught:
            schemas.load_person(item)
        assert str(caught.value).startswith(expected)

    def test_a_bad_child_names_the_person_and_the_child(self):
        person = resource("Person", "9", {"emails": {"data": [
            resource("Email", "3", address="a@example.org", primary="maybe")]}})
        with pytest.raises(ValidationError) as caught:
            schemas.load_person(person)
        assert str(caught.value) == ("Malformed Person 9, Email 3: "
                                     "attributes.primary: Not a valid boolean.")
        assert caught.value.kwargs["label"] == "Person 9, Email 3"

    def test_unknown_attributes_are_ignored_and_birthdate_parsed(self):
        loaded = schemas.load_person(resource("Person", 3, birthdate="1990-12-31",
                                              shiny_new_attribute=1, child=True))
        assert loaded["pco_id"] == "3" and loaded["birthdate"] == date(1990, 12, 31)
        assert loaded["child"] is True and "shiny_new_attribute" not in loaded


class TestEventDelivery:
    @staticmethod
    def envelope(**attributes):
        base = {"name": "people.v2.events.person.updated", "attempt": 2,
                "payload": json.dumps({"data": {"type": "Person", "id": "1"}})}
        return {"id": "d-1", "type": "EventDelivery", "attributes": {**base, **attributes}}

    def test_data_as_a_single_object(self):
        delivery = schemas.load_event_delivery({"data": self.envelope()})
        assert delivery["attempt"] == 2 and delivery["organization_id"] is None
        assert delivery["payload"] == {"data": {"type": "Person", "id": "1"}}

    def test_several_deliveries(self):
        body = {"data": [self.envelope(), {**self.envelope(), "id": "d-2"}]}
        assert [d["delivery_id"] for d in schemas.load_event_deliveries(body)] == ["d-1", "d-2"]
        with pytest.raises(ValidationError, match="expected one delivery, got 2"):
            schemas.load_event_delivery(body)

    @pytest.mark.parametrize("body,reason", [
        ("not a dict", "not a JSON object"),
        ({}, "`data` is missing or empty"),
        ({"data": []}, "`data` is missing or empty"),
        ({"data": ["x"]}, "not a JSON object"),
        ({"data": {"id": "1", "type": "Person", "attributes": {}}}, "expected 'EventDelivery'"),
        ({"data": {"type": "EventDelivery", "attributes": {}}}, "id"),
    ])
    def test_not_an_envelope(self, body, reason):
        with pytest.raises(ValidationError, match="Not a PCO webhook delivery") as caught:
            schemas.load_event_delivery(body)
        assert reason in str(caught.value)

    @pytest.mark.parametrize("attributes,reason", [
        ({"payload": {"data": {}}}, "attributes.payload"),
        ({"payload": "{not json"}, "payload is not valid JSON"),
        ({"payload": "[1, 2]"}, "payload is not a JSON object"),
        ({"attempt": "many"}, "attributes.attempt"),
        ({"name": ""}, "attributes.name"),
    ])
    def test_bad_attributes(self, attributes, reason):
        with pytest.raises(ValidationError) as caught:
            schemas.load_event_delivery({"data": [self.envelope(**attributes)]})
        assert reason in str(caught.value)


class TestDumps:
    def test_person_emits_only_given_keys(self):
        assert schemas.dump_person({"last_name": "Lee"}) == {"last_name": "Lee"}
        assert schemas.dump_person({}) == {}
        dumped = schemas.dump_person({"first_name": "Ann", "birthdate": date(1990, 1, 2),
                                      "child": False, "status": "inactive", "pco_id": "9",
                                      "gender": None})
        assert dumped == {"first_name": "Ann", "birthdate": "1990-01-02", "child": False,
                          "status": "inactive", "gender": None}

    def test_birthdate_formats(self):
        assert schemas.dump_person({"birthdate": "1990-01-02"}) == {"birthdate": "1990-01-02"}
        assert schemas.dump_person({"birthdate": datetime(1990, 1, 2, 5)}) == {
            "birthdate": "1990-01-02"}
        assert schemas.dump_person({"birthdate": None}) == {"birthdate": None}
        with pytest.raises(ValidationError):
            schemas.dump_person({"birthdate": "02/01/1990"})

    def test_contacts_use_pco_names(self):
        assert EMAILS.dump({"address": "a@x.org", "is_primary": True}) == {
            "address": "a@x.org", "primary": True}
        assert EMAILS.dump({"primary": False}) == {"primary": False}
        assert PHONE_NUMBERS.dump({"number": "555", "location": "Mobile"}) == {
            "number": "555", "location": "Mobile"}
        assert ADDRESSES.dump({"street_line_1": "1 Main", "zip": "62701",
                               "country_code": "US", "pco_id": "1"}) == {
            "street_line_1": "1 Main", "zip": "62701", "country_code": "US"}
        assert schemas.dump_household({"name": "Lee", "member_pco_ids": ["1"]}) == {"name": "Lee"}

    def test_document(self):
        assert schemas.document("Email", {"address": "a@x.org"}) == {
            "data": {"type": "Email", "attributes": {"address": "a@x.org"}}}
        with_rel = schemas.document("Household", {"name": "Lee"},
                                    {"primary_contact": to_one("Person", "1")})
        assert with_rel["data"]["relationships"]["primary_contact"]["data"]["id"] == "1"
        assert "relationships" not in with_rel["data"]["attributes"]


def test_an_address_whose_legacy_street_is_not_text_is_refused_alone():
    with pytest.raises(ValidationError, match="street"):
        ADDRESSES.load({"type": "Address", "id": "5", "attributes": {"street": ["1 Main St"]}})


@pytest.mark.parametrize("sent,loaded", [("M", "Male"), ("F", "Female"), ("Male", "Male"),
                                         ("Female", "Female"), ("Nonbinary", "Nonbinary"),
                                         (None, None)])
def test_a_gender_pco_holds_as_a_letter_is_read_as_its_name(sent, loaded):
    """A person pushed when this app sent M/F may hold the letter in PCO: read as the name the
    migrated state holds, so the next pull sees no change. Anything else is kept as it comes."""
    person = schemas.load_person(resource("Person", "1", first_name="Ann", gender=sent))
    assert person["gender"] == loaded
