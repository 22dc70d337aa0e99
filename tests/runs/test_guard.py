"""The guard: a pull or push that would update or archive more than SYNC_GUARD_PERCENT of the
records stops for a human (FAILED, "needs review") before writing them; "Run anyway" (a run
with guard_confirmed) goes through; a preview shows what it would have done."""
import pytest
import requests
from sqlalchemy import func, select

from pcosync import create_app
from pcosync.config import ConfigError
from pcosync.extensions import db
from pcosync.jobs import start_run_in_worker
from pcosync.models import Person, SyncRun
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.guard import MIN_CHANGED, Guard
from pcosync.services.runs.lifecycle import start_run
from tests.support import dump, run, sandbox_admin, stats, work_burst


@pytest.fixture
def guarded(app):
    app.config["SYNC_GUARD_PERCENT"] = 25
    return app


def archived():
    return db.session.scalar(select(func.count()).select_from(Person)
                             .where(Person.archived_at.is_not(None)))


def confirmed(kind):
    run_id = start_run(kind, triggered_by="test", confirmed=True).id
    execute_run(run_id)
    db.session.expire_all()
    return db.session.get(SyncRun, run_id)


def patch_people(server, pco_ids, **attributes):
    """Change people in PCO through its API, as someone editing PCO would."""
    for pco_id in pco_ids:
        body = {"data": {"type": "Person", "id": pco_id, "attributes": attributes}}
        requests.patch(f"{server.url}/people/v2/people/{pco_id}", json=body,
                       auth=("sandbox", "sandbox"), timeout=10).raise_for_status()


def linked_ids(limit=None):
    query = select(Person.pco_id).where(Person.pco_id.is_not(None)).order_by(Person.id)
    return db.session.scalars(query.limit(limit)).all()


def test_an_emptied_pco_stops_the_pull_before_archiving_anyone_until_confirmed(guarded, sandbox):
    assert run("Full Sync").status == "COMPLETED"
    sandbox_admin(sandbox, "POST", "/reset", {"people": 10})

    stopped = run("Full Sync")

    assert (stopped.status, stopped.needs_review) == ("FAILED", True)
    people = stopped.steps[0]
    assert (people.kind, people.status, people.needs_review) == ("People", "FAILED", True)
    assert len(stopped.steps) == 1  # Families and Groups never started
    assert "Run anyway" in stopped.error and "SYNC_GUARD_PERCENT" in stopped.error
    assert archived() == 0
    gone = set(linked_ids()) - {person["id"] for person in dump(sandbox)["people"]}
    # Sync People alone: the regenerated sandbox gives old group membership ids to new
    # memberships, which PCO never does (Sync Groups would fail on them).
    anyway = confirmed("People")
    assert anyway.status == "COMPLETED", anyway.error
    assert len(gone) >= 140 and archived() == len(gone)


def test_the_worker_previews_the_run_the_guard_stopped(guarded, sandbox):
    run("People")
    sandbox_admin(sandbox, "POST", "/reset", {"people": 10})

    stopped_id = start_run_in_worker("People", triggered_by="test").id
    work_burst(guarded)  # the stopped run, then the preview it queued

    stopped = db.session.get(SyncRun, stopped_id)
    assert stopped.needs_review and archived() == 0
    preview = db.session.get(SyncRun, stopped.report["preview_run_id"])
    assert (preview.kind, preview.preview, preview.status) == ("People", True, "COMPLETED")
    assert preview.triggered_by == f"guard (run {stopped_id})"
    assert preview.report["guard"] and "stopped before archiving" in preview.report["guard"]
    assert preview.report["changes"]["Person"]["archived"] >= 140
    assert archived() == 0


def test_a_page_that_changes_too_many_records_is_not_written(guarded, sandbox):
    run("People")
    patch_people(sandbox, linked_ids(60), nickname="Bulk")

    stopped = run("People")

    assert (stopped.status, stopped.needs_review) == ("FAILED", True)
    assert "nothing from that page was written" in stopped.error
    assert stopped.updated_count == 0
    nicknamed = select(func.count()).select_from(Person).where(Person.nickname == "Bulk")
    assert db.session.scalar(nicknamed) == 0
    assert confirmed("People").status == "COMPLETED"
    assert db.session.scalar(nicknamed) == 60


def test_a_push_stops_after_the_batch_that_takes_it_over_the_share(guarded, sandbox):
    run("People")
    for person in db.session.scalars(select(Person).order_by(Person.id)):
        person.nickname = "Local"
    db.session.commit()
    before = stats(sandbox)["by_route"].get("PATCH /people/v2/people/<id>", 0)

    stopped = run("Push People")

    assert (stopped.status, stopped.needs_review) == ("FAILED", True)
    assert "sent nothing more to PCO" in stopped.error
    sent = stats(sandbox)["by_route"].get("PATCH /people/v2/people/<id>", 0) - before
    assert 0 < sent <= 100  # the first batch, not the 150


def test_a_small_church_is_never_stopped(guarded, make_sandbox):
    server = make_sandbox(people=MIN_CHANGED - 1, seed=3)
    run("People")
    patch_people(server, linked_ids(), nickname="Everyone")

    done = run("People")

    assert done.status == "COMPLETED" and done.updated_count == MIN_CHANGED - 1


def test_the_guard_is_off_at_100_percent(app, sandbox):
    assert app.config["SYNC_GUARD_PERCENT"] == 100  # the tests' setting
    run("People")
    patch_people(sandbox, linked_ids(60), nickname="Bulk")
    assert run("People").updated_count == 60


def test_a_quick_sync_is_never_guarded(guarded, sandbox):
    run("People")
    patch_people(sandbox, linked_ids(60), nickname="Bulk")
    quick = run("Quick Sync")
    assert (quick.status, quick.updated_count) == ("COMPLETED", 60)


def test_the_share_and_the_minimum():
    guard = Guard(25, "People")
    assert guard.verdict(25, 100) is None  # exactly the share: allowed
    assert "26 of the 100 records" in guard.verdict(26, 100)
    assert guard.verdict(MIN_CHANGED - 1, MIN_CHANGED - 1) is None
    message = guard.verdict(140, 150, archiving="140 linked Person records")
    assert message.startswith("People stopped before archiving anything: 140 linked Person")


@pytest.mark.parametrize("value", ["0", "abc", "101", "-5"])
def test_a_wrong_guard_setting_is_refused(value, tmp_path):
    with pytest.raises(ConfigError, match="SYNC_GUARD_PERCENT"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SYNC_GUARD_PERCENT": value,
                    "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
