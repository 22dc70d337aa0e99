"""Deliveries applied from the record their payload carries, with the pull's merge rules and
stale check, without a request to PCO; PCO is read only when the payload lacks what the rules
need. The payloads are the sandbox's, in PCO's shape (tests/fixtures/pco_webhook_vector.json)."""
import json
import pathlib

import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Email, Family, GroupMembership, Person, ReviewItem
from pcosync.services.webhooks import payloads
from tests.support import run
from tests.webhooks.pco_events import apply_waiting, deliver, outcomes, payload, store, tick

VECTOR = json.loads((pathlib.Path(__file__).parents[1] / "fixtures" /
                     "pco_webhook_vector.json").read_text())


@pytest.fixture
def sandbox_settings():
    return {"people": 30}


@pytest.fixture
def pco(sandbox):
    run("People")
    return tick(sandbox)


def linked_with_email(sandbox):
    """(PCO person record, local person) of someone with an email."""
    for pco_id, record in sorted(store(sandbox).db.people.rows.items()):
        if store(sandbox).db.contacts_of("emails", pco_id):
            person = db.session.scalar(select(Person).where(Person.pco_id == str(pco_id)))
            return record, person
    raise AssertionError("no person with an email")


def test_person_updated_is_applied_from_its_payload_without_a_request(client, pco):
    record, person = linked_with_email(pco)
    changed = store(pco).update_person(record["id"], {"nickname": "Payload"})
    deliver(client, pco, "people", changed)

    assert apply_waiting(pco) == 0
    assert db.session.get(Person, person.id).nickname == "Payload"
    assert [status for _, status, _ in outcomes()] == ["processed"]


def test_a_payload_older_than_the_version_held_is_not_applied(client, pco):
    record, person = linked_with_email(pco)
    older = dict(store(pco).get_person(record["id"]))
    newer = store(pco).update_person(record["id"], {"last_name": "Newer"})
    deliver(client, pco, "people", newer)
    assert apply_waiting(pco) == 0
    deliver(client, pco, "people", dict(older, last_name="Older"))  # a late delivery

    assert apply_waiting(pco) == 0
    assert db.session.get(Person, person.id).last_name == "Newer"


def test_a_person_payload_keeps_the_contact_points_it_does_not_carry(client, pco):
    record, person = linked_with_email(pco)
    emails = sorted(e.address for e in person.emails)
    agreed = person.pco_synced_state["emails"]
    deliver(client, pco, "people", store(pco).update_person(record["id"], {"nickname": "Kept"}))

    assert apply_waiting(pco) == 0
    person = db.session.get(Person, person.id)
    assert sorted(e.address for e in person.emails) == emails
    assert person.pco_synced_state["emails"] == agreed  # still agreed with PCO: nothing to push


def test_a_contact_point_event_applies_that_one_contact_point(client, pco):
    record, person = linked_with_email(pco)
    email = store(pco).db.contacts_of("emails", record["id"])[0]
    changed = store(pco).update_contact("emails", email["id"], {"address": "new@example.org"})
    phones = sorted(p.number for p in person.phone_numbers)
    deliver(client, pco, "emails", changed)

    assert apply_waiting(pco) == 0
    person = db.session.get(Person, person.id)
    assert "new@example.org" in [e.address for e in person.emails]
    assert sorted(p.number for p in person.phone_numbers) == phones
    assert [row[1] for row in person.pco_synced_state["emails"]].count("new@example.org") == 1


def test_a_contact_point_pco_deleted_but_edited_here_goes_to_review(client, pco):
    record, person = linked_with_email(pco)
    email = store(pco).db.contacts_of("emails", record["id"])[0]
    local = db.session.scalar(select(Email).where(Email.pco_id == str(email["id"])))
    local.location = "Edited here"
    db.session.commit()
    store(pco).delete_contact("emails", email["id"])
    deliver(client, pco, "emails", email, action="destroyed")

    assert apply_waiting(pco) == 0
    assert db.session.scalar(select(Email).where(Email.pco_id == str(email["id"]))) is None
    assert db.session.scalar(select(ReviewItem).where(ReviewItem.summary.contains("deleted")))


def test_a_person_not_linked_here_is_read_once_for_all_their_deliveries(client, pco):
    new = store(pco).create_person({"first_name": "Nora", "last_name": "New"})
    deliver(client, pco, "people", new, action="created")
    email = store(pco).create_contact("emails", new["id"], {"address": "nora@example.org"})
    deliver(client, pco, "emails", email, action="created")
    for nickname in ("Nor", "Norrie"):
        deliver(client, pco, "people", store(pco).update_person(new["id"],
                                                                {"nickname": nickname}))

    assert apply_waiting(pco) == 1  # the matcher needs her emails: she is read, once
    nora = db.session.scalar(select(Person).where(Person.pco_id == str(new["id"])))
    assert nora.nickname == "Norrie" and [e.address for e in nora.emails] == ["nora@example.org"]
    assert [status for _, status, _ in outcomes()] == [
        "ignored", "processed", "ignored", "processed"]


def test_household_and_membership_payloads_are_applied_without_a_request(client, pco):
    run("Families")
    run("Groups")
    household_id = min(store(pco).db.households.rows)
    renamed = store(pco).update_household(household_id, {"name": "Payload Household"})
    group_id, joiner = not_a_member(store(pco).db)
    membership = store(pco).create_group_membership(group_id, joiner, {"role": "leader"})
    deliver(client, pco, "households", renamed)
    deliver(client, pco, "group_memberships", membership, action="created")

    assert apply_waiting(pco) == 0
    family = db.session.scalar(select(Family).where(Family.pco_household_id == str(household_id)))
    assert family.name == "Payload Household"
    joined = db.session.scalar(select(GroupMembership).where(
        GroupMembership.pco_membership_id == str(membership["id"])))
    assert joined.role == "leader" and joined.person.pco_id == str(joiner)


def not_a_member(pco_db):
    """(group id, person id) of a person who is not in that group."""
    for group_id in sorted(pco_db.groups.rows):
        members = {pco_db.group_memberships.rows[i]["person_id"]
                   for i in pco_db.group_members.ids(group_id)}
        outside = sorted(set(pco_db.people.rows) - members)
        if outside:
            return group_id, outside[0]
    raise AssertionError("everyone is in every group")


def test_the_sandbox_sends_pcos_shapes(pco):
    """What the handlers rely on, as PCO's captured deliveries have it (facts 3.1)."""
    record, _ = linked_with_email(pco)
    vector = json.loads(json.loads(VECTOR["body"])["data"][0]["attributes"]["payload"])
    _, person = payload(pco, "people", record)
    assert set(vector["data"]["attributes"]) <= set(person["data"]["attributes"])
    assert payloads.carries_person(person["data"]) and person["included"] == []
    address = store(pco).create_contact("addresses", record["id"], {
        "street_line_1": "1 Main St", "street_line_2": "Apt 2", "city": "Springfield"})
    _, created = payload(pco, "addresses", address, "created")
    assert created["data"]["attributes"]["street"] == "1 Main St\nApt 2"
    assert "street_line_1" not in created["data"]["attributes"]
    assert {"event_time", "idempotency_token", "parent"} <= set(created["meta"])
    _, destroyed = payload(pco, "addresses", address, "destroyed")
    assert set(destroyed) == {"data", "meta"} and set(destroyed["meta"]) == {"parent"}
    assert set(destroyed["data"]) == {"type", "id", "relationships", "links"}
