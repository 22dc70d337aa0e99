"""A pull within the church's scope: a list scope reads only the list's people; leaving the
list (next sync) marks the person out of scope and changes nothing else on either side."""
import requests
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import FamilyMember, GroupMembership, Person, SyncScope, utcnow
from pcosync.services.pull import scope
from pcosync.services.rules.scope import SCOPE_ROW_ID
from tests.support import dump, reset_stats, run, sandbox_admin, stats


def make_list(sandbox, name, person_ids):
    return sandbox_admin(sandbox, "POST", "/lists", {"name": name, "person_ids": person_ids})


def scope_to(lists):
    db.session.add(SyncScope(id=SCOPE_ROW_ID, pull_lists=[
        {"pco_id": made["id"], "name": made["name"]} for made in lists]))
    db.session.commit()


def pco_people(sandbox, count):
    return [p["id"] for p in dump(sandbox)["people"] if not p["child"]][:count]


def local_pco_ids():
    return set(db.session.scalars(select(Person.pco_id).where(Person.pco_id.is_not(None))))


def test_a_list_scoped_sync_reads_only_the_lists_people(sandbox):
    members = pco_people(sandbox, 8)
    scope_to([make_list(sandbox, "Members", members)])
    reset_stats(sandbox)

    result = run("People")

    assert result.status == "COMPLETED", result.error
    assert local_pco_ids() == set(members)
    routes = stats(sandbox)["by_route"]
    assert routes["GET /people/v2/lists/<id>/people"] == 1  # one page
    assert "GET /people/v2/people" not in routes  # not all of PCO
    assert "GET /people/v2/people/<id>" not in routes  # nobody checked one by one


def test_leaving_the_list_marks_out_of_scope_and_changes_nothing(sandbox, recorder):
    members = pco_people(sandbox, 8)
    made = make_list(sandbox, "Members", members)
    run("Full Sync")  # all of PCO first: families and groups as PCO has them
    scope_to([made])
    leaving = db.session.scalar(select(Person).where(Person.pco_id == members[0]))
    held = {model: db.session.scalar(select(func.count()).select_from(model).where(
        model.person_id == leaving.id)) for model in (FamilyMember, GroupMembership)}
    sandbox_admin(sandbox, "PATCH", f"/lists/{made['id']}", {"person_ids": members[1:]})
    recorder.writes.clear()

    result = run("Full Sync")

    assert result.status == "COMPLETED", result.error
    db.session.expire_all()
    leaving = db.session.get(Person, leaving.id)
    assert leaving.out_of_scope_since is not None
    assert (leaving.pco_id, leaving.archived_at) == (members[0], None)
    # Nobody outside the list is archived either, and PCO is not written at all.
    assert db.session.scalar(select(func.count()).select_from(Person)
                             .where(Person.archived_at.is_not(None))) == 0
    assert recorder.writes == []
    assert {model: db.session.scalar(select(func.count()).select_from(model).where(
        model.person_id == leaving.id)) for model in (FamilyMember, GroupMembership)} == held
    # Edited here while outside the scope: no push writes them (nor their memberships).
    leaving.nickname = "Edited here"
    db.session.commit()
    assert run("Full Push").status == "COMPLETED"
    assert recorder.writes == []
    # Back in the list: back in scope, by the same PCO id.
    sandbox_admin(sandbox, "PATCH", f"/lists/{made['id']}", {"person_ids": members})
    run("People")
    db.session.expire_all()
    assert db.session.get(Person, leaving.id).out_of_scope_since is None


def test_an_inactivation_inside_a_list_scope_arrives(sandbox):
    members = pco_people(sandbox, 5)
    scope_to([make_list(sandbox, "Members", members)])
    run("People")
    requests.patch(f"{sandbox.url}/people/v2/people/{members[1]}", auth=("sandbox", "sandbox"),
                   json={"data": {"type": "Person", "id": members[1],
                                  "attributes": {"status": "inactive"}}}, timeout=10)

    run("People")

    person = db.session.scalar(select(Person).where(Person.pco_id == members[1]))
    assert person.status == "inactive" and person.out_of_scope_since is None


def test_a_whole_listing_brings_back_exactly_those_marked_out(app):
    """More people than one statement looks up (scope.CHUNK): those marked out are read
    first; those listed come back, the others stay out."""
    marked = utcnow()
    db.session.add_all(Person(first_name="P", last_name=str(n), pco_id=str(n),
                              out_of_scope_since=marked if n % 100 == 0 else None)
                       for n in range(1, scope.CHUNK * 2 + 1))
    db.session.commit()
    listed = [str(n) for n in range(1, scope.CHUNK + 150)]

    scope.bring_back(listed)
    db.session.commit()

    still_out = db.session.scalars(select(Person.pco_id).where(
        Person.out_of_scope_since.is_not(None))).all()
    assert sorted(still_out, key=int) == [str(n) for n in range(700, scope.CHUNK * 2 + 1, 100)]
