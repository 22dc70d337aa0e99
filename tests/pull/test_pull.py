"""Pull from the sandbox over HTTP, through the real worker, on both databases."""
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person, SyncIssue, SyncRun
from pcosync.jobs import start_run_in_worker
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run
from tests.convergence import assert_converged
from tests.support import sandbox_admin, work_burst

AUTH = ("sandbox", "sandbox")


def full_sync_in_worker(app):
    run_id = start_run_in_worker("Full Sync", triggered_by="test").id
    work_burst(app)
    return db.session.get(SyncRun, run_id)


def test_full_sync_converges_then_everything_is_skipped(app, sandbox):
    run = full_sync_in_worker(app)
    assert run.status == "COMPLETED", run.error
    assert [s.kind for s in run.steps] == ["People", "Groups", "Families", "Notes", "Media"]
    assert all(s.status == "COMPLETED" for s in run.steps)
    people = run.steps[0]
    assert people.created_count == 150 and people.failed_count == 0
    assert_converged(sandbox_admin(sandbox, "GET", "/dump"))
    first_total = run.created_count

    sandbox_admin(sandbox, "POST", "/stats/reset")
    again = full_sync_in_worker(app)
    assert again.status == "COMPLETED"
    assert (again.created_count, again.updated_count, again.failed_count) == (0, 0, 0)
    assert again.skipped_count == first_total
    writes = {k: v for k, v in sandbox_admin(sandbox, "GET", "/stats")["by_route"].items()
              if not k.startswith("GET")}
    assert writes == {}


def test_one_change_in_pco_is_exactly_one_update(app, sandbox):
    execute_run(start_run("People").id)
    pco_id = db.session.scalar(select(Person.pco_id).order_by(Person.id).limit(1))
    response = requests.patch(f"{sandbox.url}/people/v2/people/{pco_id}", auth=AUTH, json={
        "data": {"type": "Person", "attributes": {"first_name": "Renamed"}}}, timeout=10)
    assert response.status_code == 200
    run_id = start_run("People").id
    execute_run(run_id)
    run = db.session.get(SyncRun, run_id)
    assert (run.created_count, run.updated_count, run.skipped_count) == (0, 1, 149)
    assert db.session.scalar(select(Person.first_name).where(Person.pco_id == pco_id)) == "Renamed"


def test_families_before_people_report_missing_members(app, sandbox):
    run = start_run("Families")
    assert execute_run(run.id) == "COMPLETED"
    issues = db.session.scalars(select(SyncIssue).where(SyncIssue.run_id == run.id)).all()
    assert issues and all("Sync People first" in i.reason for i in issues)


def test_edits_creates_and_deletes_in_pco_converge(app, sandbox):
    assert full_sync_in_worker(app).status == "COMPLETED"
    sandbox_admin(sandbox, "POST", "/mutate", {"count": 40, "seed": 3})
    assert full_sync_in_worker(app).status == "COMPLETED"
    assert_converged(sandbox_admin(sandbox, "GET", "/dump"))
    assert full_sync_in_worker(app).updated_count == 0
