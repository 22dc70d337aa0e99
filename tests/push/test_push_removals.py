"""Removals and role changes made here reach PCO with the next push, and no pull or webhook
brings the removed membership back in the meantime."""
import pytest
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Family, Group, GroupMembership, PendingRemoval
from pcosync.services.directory import families as directory_families
from pcosync.services.directory import groups as directory_groups
from pcosync.services.directory.common import set_role
from tests.support import (
    dump, reset_stats, run, send_webhooks_to, stats, wait_for_webhooks, work_burst,
)
from tests.webhooks.helpers import SECRET


@pytest.fixture
def sandbox_settings():
    """Forty people: a page of them proves what 150 would (the hard cases are in the first
    pages), at a fraction of the sync work."""
    return {"people": 40}


def pco_group(server, pco_id):
    return next(g for g in dump(server)["groups"] if g["id"] == pco_id)


def pco_household(server, pco_id):
    return next(h for h in dump(server)["households"] if h["id"] == pco_id)


def linked_group_with_two_members():
    for group in db.session.scalars(select(Group).where(Group.pco_group_id.is_not(None))):
        linked = [m for m in group.memberships if m.pco_membership_id]
        if len(linked) >= 2:
            return group, linked[0], linked[1]
    raise AssertionError("the sandbox has no group with two members")


def test_a_role_change_and_a_removal_reach_pco_and_survive_a_pull_before(sandbox):
    assert run("Full Sync").status == "COMPLETED"
    group, changed, removed = linked_group_with_two_members()
    new_role = "leader" if changed.role == "member" else "member"
    set_role(changed, new_role)
    gone_person, changed_id = removed.person.pco_id, changed.id
    assert directory_groups.remove_membership(group, removed)

    pulled = run("Groups")  # before the push: PCO still holds both as they were

    assert pulled.status == "COMPLETED"
    group = db.session.get(Group, group.id)
    assert gone_person not in {m.person.pco_id for m in group.memberships}
    assert db.session.get(GroupMembership, changed_id).role == new_role
    reset_stats(sandbox)

    pushed = run("Push Group Memberships")

    assert (pushed.status, pushed.updated_count, pushed.failed_count) == ("COMPLETED", 2, 0)
    assert stats(sandbox)["by_route"] == {
        "DELETE /groups/v2/groups/<id>/memberships/<id>": 1,
        "PATCH /groups/v2/groups/<id>/memberships/<id>": 1}
    held = {m["person_id"]: m for m in pco_group(sandbox, group.pco_group_id)["memberships"]}
    assert gone_person not in held
    assert held[db.session.get(GroupMembership, changed_id).person.pco_id]["role"] == new_role
    assert db.session.scalars(select(PendingRemoval)).all() == []
    reset_stats(sandbox)
    assert run("Push Group Memberships").updated_count == 0 and stats(sandbox)["total"] == 0
    again = run("Groups")
    assert (again.created_count, again.updated_count) == (0, 0)


def test_a_member_removed_here_leaves_the_pco_household_with_the_next_push(sandbox):
    assert run("Full Sync").status == "COMPLETED"
    family = next(f for f in db.session.scalars(select(Family)) if len(f.members) >= 2)
    leaving = next(m for m in family.members if m.person_id != family.primary_member_id)
    gone_person = leaving.person.pco_id
    assert directory_families.remove_member(family, leaving)

    assert run("Families").status == "COMPLETED"  # PCO still lists them: not brought back
    family = db.session.get(Family, family.id)
    assert gone_person not in {m.person.pco_id for m in family.members}
    pushed = run("Push Families")

    assert (pushed.status, pushed.updated_count, pushed.failed_count) == ("COMPLETED", 1, 0)
    members = pco_household(sandbox, family.pco_household_id)["members"]
    assert gone_person not in {m["person_id"] for m in members} and members
    assert db.session.scalars(select(PendingRemoval)).all() == []
    again = run("Families")
    assert (again.created_count, again.updated_count) == (0, 0)


def test_adding_the_person_back_before_the_push_keeps_pco_as_it_is(sandbox):
    assert run("Full Sync").status == "COMPLETED"
    group, _, removed = linked_group_with_two_members()
    person_id = removed.person_id
    directory_groups.remove_membership(group, removed)
    directory_groups.add_membership(group, person_id, "member")
    reset_stats(sandbox)

    pushed = run("Push Group Memberships")

    assert pushed.failed_count == 0
    assert "DELETE /groups/v2/groups/<id>/memberships/<id>" not in stats(sandbox)["by_route"]
    held = {m["person_id"] for m in pco_group(sandbox, group.pco_group_id)["memberships"]}
    assert db.session.get(GroupMembership, db.session.scalar(
        select(GroupMembership.id).where(GroupMembership.person_id == person_id,
                                         GroupMembership.group_id == group.id))
    ).person.pco_id in held


def test_a_webhook_for_a_membership_pending_removal_does_not_bring_it_back(
        app, sandbox, live_app):
    assert run("Full Sync").status == "COMPLETED"
    group, _, removed = linked_group_with_two_members()
    person_pco_id, membership_pco_id = removed.person.pco_id, removed.pco_membership_id
    group_id, group_pco_id = group.id, group.pco_group_id
    other_role = "leader" if removed.role == "member" else "member"
    directory_groups.remove_membership(group, removed)
    send_webhooks_to(sandbox, live_app, SECRET)
    response = requests.patch(
        f"{sandbox.url}/groups/v2/groups/{group_pco_id}/memberships/{membership_pco_id}",
        json={"data": {"type": "Membership", "attributes": {"role": other_role}}},
        auth=("sandbox", "sandbox"), timeout=10)
    assert response.status_code == 200, response.text

    deliveries = wait_for_webhooks(sandbox)["deliveries"]
    work_burst(app)

    assert [d["status"] for d in deliveries] == [200]  # PCO told us, and we took it
    group = db.session.get(Group, group_id)
    assert person_pco_id not in {m.person.pco_id for m in group.memberships}
    assert len(db.session.scalars(select(PendingRemoval)).all()) == 1  # still to push
