"""Households and group memberships follow the people of a list scope on the pull side: a
household or group none of whose people is inside the scope is not created (one held already
is left as it is), and a membership of a person outside the scope, or not here, is neither
created nor removed."""
import pytest
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Family, Group, GroupMembership, Person, ReviewItem
from tests.scope.test_pull_scope import make_list, scope_to
from tests.support import dump, issues, run, sandbox_admin

AUTH = ("sandbox", "sandbox")


@pytest.fixture
def sandbox_settings():
    return {"people": 20, "seed": 11}


def pco(sandbox, method, path, body=None):
    response = requests.request(method, sandbox.url + path, json=body, auth=AUTH, timeout=10)
    response.raise_for_status()
    return response.json() if response.content else None


def pull_all():
    for kind in ("People", "Families", "Groups"):
        result = run(kind)
        assert result.status == "COMPLETED", result.error
    return result


def families():
    return {family.pco_household_id: family for family in db.session.scalars(select(Family))}


def memberships_of(pco_group_id):
    return set(db.session.scalars(
        select(Person.pco_id).join(GroupMembership).join(Group)
        .where(Group.pco_group_id == pco_group_id)))


def test_households_and_groups_follow_the_people_inside_a_list_scope(sandbox):
    church = dump(sandbox)
    households = {h["id"]: [m["person_id"] for m in h["members"]] for h in church["households"]}
    groups = {g["id"]: {m["person_id"]: m["id"] for m in g["memberships"]}
              for g in church["groups"]}
    first, second = list(households)[:2]
    leaving = households[second][0]  # the one member of the second household in the list
    made = make_list(sandbox, "Members", households[first] + [leaving])
    inside = set(households[first]) | {leaving}
    scope_to([made])

    pull_all()

    assert set(families()) == {h for h, people in households.items() if inside & set(people)}
    assert {g.pco_group_id for g in db.session.scalars(select(Group))} == {
        g for g, people in groups.items() if inside & set(people)}
    shared = next(g for g, people in groups.items()
                  if leaving in people and (inside - {leaving}) & set(people))
    assert memberships_of(shared) == inside & set(groups[shared])
    # Members outside the scope are not reported as "not pulled yet".
    assert db.session.scalar(select(ReviewItem).limit(1)) is None

    # The second household's member leaves the list; then PCO renames their household, makes
    # a household of people outside the scope, drops the leaving person from a group and adds
    # someone outside the scope to it.
    sandbox_admin(sandbox, "PATCH", f"/lists/{made['id']}", {"person_ids": households[first]})
    name = families()[second].name
    made_household, other = change_outside_the_scope(
        sandbox, church, groups, inside, leaving, shared, second)

    last = pull_all()

    db.session.expire_all()
    held = families()
    assert made_household["id"] not in held
    assert (held[second].name, held[second].archived_at) == (name, None)
    assert {m.person.pco_id for m in held[second].members} == {leaving}
    assert memberships_of(shared) == inside & set(groups[shared])  # not removed
    assert memberships_of(other) == inside & set(groups[other])  # nobody added
    assert issues(last) == []


def change_outside_the_scope(sandbox, church, groups, inside, leaving, shared, second):
    """In PCO: the second household renamed, a household of people outside the scope made,
    the leaving person dropped from a shared group, and two people outside the scope (one
    of them not here) added to another group. Returns the new household and that group."""
    pco(sandbox, "PATCH", f"/people/v2/households/{second}",
        {"data": {"type": "Household", "id": second, "attributes": {"name": "Renamed"}}})
    outsiders = [p["id"] for p in church["people"] if p["id"] not in inside][:2]
    made_household = pco(sandbox, "POST", "/people/v2/households", {"data": {
        "type": "Household", "attributes": {"name": "Outside Household"}, "relationships": {
            "people": {"data": [{"type": "Person", "id": i} for i in outsiders]},
            "primary_contact": {"data": {"type": "Person", "id": outsiders[0]}}}}})["data"]
    pco(sandbox, "DELETE", f"/groups/v2/groups/{shared}/memberships/{groups[shared][leaving]}")
    other = next(g for g, people in groups.items()
                 if leaving not in people and inside & set(people))
    newcomer = next(p["id"] for p in church["people"]
                    if p["id"] not in groups[other] and p["id"] not in inside)
    for person_id in (leaving, newcomer):  # outside the scope, and not here
        pco(sandbox, "POST", f"/groups/v2/groups/{other}/memberships", {"data": {
            "type": "Membership", "attributes": {"person_id": person_id, "role": "member"}}})
    return made_household, other
