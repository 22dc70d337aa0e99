"""Undo: a pull run's changes come back here and, by the next push, in PCO; a field changed
again since is reported, not reverted; a push run's changes are PATCHed back in PCO; what a
run created is archived here, never deleted; the run page asks first and starts the push."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import ChangeSource, Person, SyncRun
from pcosync.services.history import revert
from pcosync.services.history.context import recording
from tests.factories import make_person
from tests.history.helpers import changes, finished_run
from tests.support import csrf_token, fresh, pco_person, run, work_burst
from tests.webhooks.pco_events import store, tick


@pytest.fixture
def sandbox_settings():
    return {"people": 8}


def first_pco_person(sandbox):
    """(sandbox record, local person) of the first person, both sides pulled."""
    record = sorted(store(sandbox).db.people.rows.values(), key=lambda r: r["id"])[0]
    person = db.session.scalar(select(Person).where(Person.pco_id == str(record["id"])))
    return record, person


def bad_edit_in_pco(sandbox):
    """A pull that takes a bad bulk edit from PCO: nicknames and a last name overwritten."""
    run("People")
    tick(sandbox)
    record, person = first_pco_person(sandbox)
    before = (person.nickname, person.last_name)
    store(sandbox).update_person(record["id"], {"nickname": "Oops", "last_name": "Wrong"})
    pull = run("People")
    assert (fresh(Person, person.id).nickname, pull.updated_count) == ("Oops", 1)
    return pull, person.id, before


def test_reverting_a_pull_restores_here_then_the_push_restores_pco(app, sandbox):
    pull, person_id, before = bad_edit_in_pco(sandbox)
    plan = revert.plan_run(pull.id)
    assert (len(plan.restores), plan.pco_writes, plan.push_kind) == (2, 1, "Push People")
    revert.apply(plan)
    person = fresh(Person, person_id)
    assert (person.nickname, person.last_name) == before
    undone = changes(person_id=person_id, source="revert")
    assert sorted(row.field for row in undone) == ["last_name", "nickname"]
    assert all(row.reverts_id is not None for row in undone)

    push = run("Push People", confirmed=True)
    assert push.status == "COMPLETED", push.error
    held = pco_person(sandbox, person.pco_id)
    assert (held["nickname"], held["last_name"]) == before


def test_a_field_changed_again_since_is_reported_and_kept(app, sandbox):
    pull, person_id, before = bad_edit_in_pco(sandbox)
    person = fresh(Person, person_id)
    person.nickname = "Fixed by hand"
    db.session.commit()
    plan = revert.plan_run(pull.id)
    assert [(r.last.field, now) for r, now in plan.conflicts] == [("nickname", "Fixed by hand")]
    revert.apply(plan)
    person = fresh(Person, person_id)
    assert (person.nickname, person.last_name) == ("Fixed by hand", before[1])


def test_a_change_is_reverted_once(app, sandbox):
    pull, _person_id, _before = bad_edit_in_pco(sandbox)
    revert.apply(revert.plan_run(pull.id))
    again = revert.plan_run(pull.id)
    assert (again.restores, again.conflicts) == ([], [])


def test_reverting_a_push_run_restores_pco(app, sandbox):
    run("People")
    _record, person = first_pco_person(sandbox)
    was = person.nickname
    person.nickname = "Pushed by mistake"
    db.session.commit()
    push = run("Push People")
    assert pco_person(sandbox, person.pco_id)["nickname"] == "Pushed by mistake"

    plan = revert.plan_run(push.id)
    assert (len(plan.restores), plan.pco_writes) == (1, 1)
    revert.apply(plan)
    assert fresh(Person, person.id).nickname == was
    assert run(plan.push_kind, confirmed=True).status == "COMPLETED"
    assert pco_person(sandbox, person.pco_id)["nickname"] == was


def test_what_a_run_created_is_archived_not_deleted(app, sandbox):
    pull = run("People")
    plan = revert.plan_run(pull.id)
    assert (len(plan.archives), plan.pco_writes) == (8, 0)
    revert.apply(plan)
    people = db.session.scalars(select(Person)).all()
    assert len(people) == 8 and all(p.archived_at is not None for p in people)


def test_a_removed_contact_point_is_made_again_without_its_pco_id(app):
    ann = make_person("Ann", "Lee", phones=["555-0100"])
    with recording(ChangeSource.PULL, run_id=finished_run("Push People").id):
        fresh(Person, ann.id).phone_numbers.clear()
        db.session.commit()
    removed = changes(person_id=ann.id, field="deleted")[0]
    revert.apply(revert.plan_run(removed.run_id))
    assert [p.number for p in fresh(Person, ann.id).phone_numbers] == ["555-0100"]


def test_the_run_page_asks_first_then_reverts_and_pushes(app, admin_client, sandbox):
    pull, person_id, before = bad_edit_in_pco(sandbox)
    page = admin_client.get(f"/sync/runs/{pull.id}").get_data(as_text=True)
    assert "Revert this run" in page and "Nickname" in page and "Oops" in page
    confirm = admin_client.get(f"/sync/runs/{pull.id}/revert").get_data(as_text=True)
    assert "2 fields on 1 record" in confirm and "1 PCO write will follow" in confirm
    response = admin_client.post(f"/sync/runs/{pull.id}/revert", data={
        "csrf_token": csrf_token(admin_client, f"/sync/runs/{pull.id}/revert")})
    assert response.status_code == 302
    assert fresh(Person, person_id).nickname == before[0]
    push = db.session.scalar(select(SyncRun).order_by(SyncRun.id.desc()).limit(1))
    assert (push.kind, push.guard_confirmed) == ("Push People", True)
    work_burst(app)
    pco_id = db.session.scalar(select(Person.pco_id).where(Person.id == person_id))
    assert pco_person(sandbox, pco_id)["nickname"] == before[0]


def edited_in_directory(person_id, **values):
    with recording(ChangeSource.DIRECTORY):
        person = fresh(Person, person_id)
        for name, value in values.items():
            setattr(person, name, value)
        db.session.commit()
    return changes(person_id=person_id)[-1]


def test_one_field_change_is_undone_from_the_history_after_a_confirmation(app, admin_client):
    ann = make_person("Ann", "Lee", nickname="Nell")
    change = edited_in_directory(ann.id, nickname="Nellie")
    stale = edited_in_directory(ann.id, middle_name="Jo")
    edited_in_directory(ann.id, middle_name="Joy")  # changed again since `stale`
    undo = f"/sync/changes/{change.id}/undo"
    assert undo in admin_client.get(f"/directory/people/{ann.id}").get_data(as_text=True)

    confirm = admin_client.get(undo).get_data(as_text=True)
    assert "back from Nellie to Nell" in confirm and "data-confirmation" in confirm
    response = admin_client.post(undo, data={"csrf_token": csrf_token(admin_client, undo)})

    assert response.status_code == 302 and fresh(Person, ann.id).nickname == "Nell"
    [undone] = changes(person_id=ann.id, source="revert")
    assert (undone.field, undone.after, undone.reverts_id) == ("nickname", "Nell", change.id)
    assert "already undone" in admin_client.get(undo).get_data(as_text=True)
    stale_undo = f"/sync/changes/{stale.id}/undo"
    refused = admin_client.get(stale_undo).get_data(as_text=True)
    assert "changed again since" in refused and "undo-form" not in refused
    admin_client.post(stale_undo, data={"csrf_token": csrf_token(admin_client, stale_undo)})
    assert fresh(Person, ann.id).middle_name == "Joy"
    assert admin_client.get("/sync/changes/999999/undo").status_code == 404
