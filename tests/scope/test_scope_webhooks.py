"""Webhooks and Quick Sync honour the scope: a delivery about a person outside it is ignored
with the reason and no request; list_result.created brings a person in, list_result.destroyed
marks them out (nothing else changes); Quick Sync skips people outside the scope."""
import pytest
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Family, GroupMembership, Person, SyncRun
from pco_sandbox.people_lists import tables
from tests.scope.test_pull_scope import make_list, pco_people, scope_to
from tests.support import run, sandbox_admin
from tests.webhooks.pco_events import apply_waiting, deliver, outcomes, store, tick


@pytest.fixture
def sandbox_settings():
    return {"people": 12, "seed": 11}


def local(pco_id):
    return db.session.scalar(select(Person).where(Person.pco_id == str(pco_id)))


def result_of(sandbox, list_id, pco_id):
    return next(dict(r) for r in tables(store(sandbox).db)[1].values()
                if str(r["list_id"]) == list_id and str(r["person_id"]) == pco_id)


def test_webhooks_and_quick_sync_keep_to_the_scope(client, sandbox):
    members = pco_people(sandbox, 5)
    made = make_list(sandbox, "Members", members[:4])
    scope_to([made])
    assert run("People").status == "COMPLETED"
    tick(sandbox)
    outsider = store(sandbox).db.people.rows[int(members[4])]

    deliver(client, sandbox, "people", outsider)
    assert apply_waiting(sandbox) == 0  # no request
    assert local(members[4]) is None
    assert outcomes()[-1][1:] == ("ignored", f"outside the sync scope: PCO person {members[4]} "
                                             "is in none of the chosen PCO lists")

    sandbox_admin(sandbox, "PATCH", f"/lists/{made['id']}", {"person_ids": members})
    deliver(client, sandbox, "list_results", result_of(sandbox, made["id"], members[4]),
            action="created")
    assert apply_waiting(sandbox) == 1  # the person, read once
    assert local(members[4]).out_of_scope_since is None

    leaving = result_of(sandbox, made["id"], members[0])
    sandbox_admin(sandbox, "PATCH", f"/lists/{made['id']}", {"person_ids": members[1:]})
    deliver(client, sandbox, "list_results", leaving, action="destroyed")
    assert apply_waiting(sandbox) == 0
    person = local(members[0])
    assert person.out_of_scope_since is not None and person.archived_at is None
    name = person.first_name

    deliver(client, sandbox, "people", store(sandbox).db.people.rows[int(members[0])],
            first_name="Renamed")
    assert apply_waiting(sandbox) == 0 and outcomes()[-1][1] == "ignored"
    assert "outside the sync scope since" in outcomes()[-1][2]
    requests.patch(f"{sandbox.url}/people/v2/people/{members[0]}", auth=("sandbox", "sandbox"),
                   json={"data": {"type": "Person", "id": members[0],
                                  "attributes": {"first_name": "Renamed"}}}, timeout=10)
    quick = run("Quick Sync")
    assert quick.status == "COMPLETED", quick.error
    db.session.expire_all()
    assert local(members[0]).first_name == name
    assert members[0] in db.session.get(SyncRun, quick.id).report["outside_scope"]


def test_contact_point_and_membership_deliveries_keep_to_the_scope(client, sandbox):
    members = pco_people(sandbox, 5)
    made = make_list(sandbox, "Members", members[:4])
    scope_to([made])
    assert run("People").status == "COMPLETED"
    sandbox_admin(sandbox, "PATCH", f"/lists/{made['id']}", {"person_ids": members[1:4]})
    assert run("People").status == "COMPLETED"  # members[0] is now outside the scope
    tick(sandbox)
    pco = store(sandbox)
    email = pco.create_contact("emails", int(members[4]), {"address": "outside@example.org"})
    membership_id = min(pco.db.person_groups.ids(int(members[0])))
    group_id = pco.db.group_memberships.rows[membership_id]["group_id"]
    led = pco.update_group_membership(group_id, membership_id, {"role": "leader"})

    household = next(h for h in pco.db.households.rows.values() if not {
        str(m["person_id"]) for m in pco.db.members_of_household(h["id"])} & set(members[1:4]))

    deliver(client, sandbox, "emails", email, action="created")  # a person not here
    deliver(client, sandbox, "group_memberships", led)
    deliver(client, sandbox, "households", household)
    assert apply_waiting(sandbox) == 0  # no request
    assert local(members[4]) is None
    assert db.session.scalar(select(GroupMembership).limit(1)) is None
    assert db.session.scalar(select(Family).limit(1)) is None
    assert outcomes()[-1] == (
        "people.v2.events.household.updated", "ignored",
        f"outside the sync scope: none of household {household['id']}'s people is inside it")
    assert outcomes()[-3:-1] == [
        ("people.v2.events.email.created", "ignored",
         f"outside the sync scope: PCO person {members[4]} is not here: outside the sync "
         "scope, or not pulled yet"),
        ("groups.v2.events.membership.updated", "ignored",
         f"outside the sync scope: PCO person {members[0]} is outside the sync scope since "
         f"{local(members[0]).out_of_scope_since:%Y-%m-%d}")]
