"""Push Families against the sandbox: households, household memberships, family address."""
from pcosync.extensions import db
from pcosync.models import Family, FamilyMember, Person
from tests.factories import make_family, make_person
from tests.support import dump, fresh, issues, pco_person, reset_stats, run, stats

HOME = {"street_line_1": "9 Oak Ave", "street_line_2": None, "city": "Salem", "state": "OR",
        "zip": "97302", "location": "Home"}


def household(server, pco_id):
    return next(h for h in dump(server)["households"] if h["id"] == pco_id)


def test_new_family_becomes_a_household_with_members_primary_and_address(sandbox, recorder):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"])
    boaz = make_person("Boaz", "Push", addresses=[{"street_line_1": "2 Old Rd", "city": "Salem",
                                                   "zip": "97300"}])
    run("Push People")
    family = make_family("Push Household", [ruth, boaz], primary=boaz, address=HOME)
    reset_stats(sandbox)

    result = run("Push Families")

    assert (result.status, result.created_count, result.failed_count) == ("COMPLETED", 1, 0)
    family, boaz = fresh(Family, family.id), db.session.get(Person, boaz.id)
    held = household(sandbox, family.pco_household_id)
    assert held["name"] == "Push Household"
    assert held["primary_contact_id"] == boaz.pco_id
    assert sorted(m["person_id"] for m in held["members"]) == sorted([ruth.pco_id, boaz.pco_id])
    [posted] = recorder.matching("POST", "/households")
    assert set(posted[1]["data"]["relationships"]) == {"people", "primary_contact"}
    # The address went to the primary member's (only, so primary) PCO address; the local copy
    # follows, and both sides agree on the person's state.
    [address] = pco_person(sandbox, boaz.pco_id)["addresses"]
    assert {k: address[k] for k in HOME} == HOME
    assert {k: getattr(boaz.addresses[0], k) for k in HOME} == HOME
    assert all(member.from_pco for member in family.members)
    assert stats(sandbox)["by_route"] == {"POST /people/v2/households": 1,
                                          "PATCH /people/v2/addresses/<id>": 1}
    reset_stats(sandbox)
    again = run("Full Push")
    assert (again.created_count, again.updated_count) == (0, 0)
    assert stats(sandbox)["total"] == 0


def test_a_new_member_joins_through_a_household_membership(sandbox, recorder):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"])
    boaz = make_person("Boaz", "Push")
    run("Push People")
    family = make_family("Push Household", [ruth])
    run("Push Families")
    obed = make_person("Obed", "Push", child=True)
    run("Push People")
    family = fresh(Family, family.id)
    for person in (boaz, obed):
        family.members.append(FamilyMember(person=db.session.get(Person, person.id)))
    db.session.commit()
    reset_stats(sandbox)

    result = run("Push Families")

    assert (result.updated_count, result.created_count) == (1, 0)
    assert stats(sandbox)["by_route"] == {
        "GET /people/v2/households/<id>": 1,
        "POST /people/v2/households/<id>/household_memberships": 2}
    held = household(sandbox, family.pco_household_id)
    roles = {m["person_id"]: m["household_role"] for m in held["members"]}
    obed = db.session.get(Person, obed.id)
    assert len(roles) == 3 and roles[obed.pco_id] == "child_or_dependent"


def test_a_family_with_a_member_not_in_pco_is_skipped_with_an_issue(sandbox):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"])
    run("Push People")
    stranger = make_person("Orpah", "Push")
    family = make_family("Push Household", [ruth, stranger])
    households_before = dump(sandbox)["counts"]["households"]

    result = run("Push Families")

    assert (result.skipped_count, result.created_count) == (1, 0)
    [issue] = issues(result)
    assert issue.local_id == family.id and "push People first" in issue.reason
    assert "Orpah Push" in issue.reason
    assert fresh(Family, family.id).pco_household_id is None
    assert dump(sandbox)["counts"]["households"] == households_before
