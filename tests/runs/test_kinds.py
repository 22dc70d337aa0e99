"""The run-kind registry: a kind declared at run time is offered by the CLI and the Sync page,
guarded as declared, run (alone or as a step) by the lifecycle and started by a review retry;
it is gone again once unregistered."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import ReviewItem, ReviewKind, RunStatus, SyncIssue, SyncRun
from pcosync.services.review import actions
from pcosync.services.runs import kinds
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.guard import guard_for
from tests.support import csrf_from, csrf_token, run, work_burst

JSON = {"Accept": "application/json"}


def probe(client, progress):
    """Leaves a trace a forked worker's horse can report too: an issue on its run."""
    progress.issue("Probe", f"probed; guarded={progress.guard is not None}")
    progress.checkpoint()


PROBE = kinds.Kind("Probe", kinds.PULL, "probe", "Sync Probes", run=probe, guarded=False,
                   help="Probes, for the registry's own test.")
PUSH_PROBES = kinds.Kind("Push Probes", kinds.PUSH, "probes", "Push Probes", run=probe,
                         retries=("Probe",), help="Probes sent back, for the test.")
PROBE_ALL = kinds.Kind("Probe Everything", kinds.PULL, "probe-all", "Probe Everything",
                       steps=("Probe", "Push Probes"), help="Both probes, in order.")


@pytest.fixture
def probes(app):
    app.config["SYNC_GUARD_PERCENT"] = 25
    with kinds.registered(PROBE, PUSH_PROBES, PROBE_ALL):
        yield
    assert kinds.find("Probe") is None and kinds.find("Probe Everything") is None


def traces(run_row):
    return db.session.scalars(select(SyncIssue.reason).where(SyncIssue.run_id == run_row.id)
                              .order_by(SyncIssue.id)).all()


def test_the_cli_offers_and_runs_a_registered_kind(app, probes):
    runner = app.test_cli_runner()
    assert "|probe|" in runner.invoke(args=["pco", "pull", "--help"]).output
    result = runner.invoke(args=["pco", "pull", "probe"])
    assert result.exit_code == 0, result.output
    assert "Probe: COMPLETED" in result.output
    probe_run = db.session.scalar(select(SyncRun).where(SyncRun.kind == "Probe"))
    assert traces(probe_run) == ["probed; guarded=False"]


def test_the_sync_page_shows_its_button_and_starts_it(app, admin_client, probes):
    page = admin_client.get("/sync/").get_data(as_text=True)
    assert 'value="Probe"' in page and "Sync Probes" in page
    buttons = page[page.index('class="run-buttons"'):]  # the page's sentences name kinds too
    assert buttons.index("Full Sync") < buttons.index("Sync Probes") < buttons.index("Push People")
    assert buttons.index("Full Push") < buttons.index("Push Probes")
    response = admin_client.post("/sync/runs", headers=JSON, data={
        "kind": "Push Probes", "csrf_token": csrf_from(page)})
    assert response.status_code == 202, response.get_json()
    work_burst(app)
    pushed = db.session.scalar(select(SyncRun).where(SyncRun.kind == "Push Probes"))
    assert pushed.status == RunStatus.COMPLETED
    assert traces(pushed) == ["probed; guarded=True"]


def test_the_guard_and_the_steps_follow_the_declaration(app, probes):
    parent = run("Probe Everything")
    assert parent.status == RunStatus.COMPLETED, parent.error
    assert [(step.kind, step.status) for step in parent.steps] == [
        ("Probe", RunStatus.COMPLETED), ("Push Probes", RunStatus.COMPLETED)]
    assert [traces(step) for step in parent.steps] == [["probed; guarded=False"],
                                                       ["probed; guarded=True"]]
    assert guard_for(parent, "Probe", app.config) is None
    assert "sent nothing more to PCO" in guard_for(parent, "Push Probes", app.config).verdict(
        50, 60)


def test_a_retry_of_a_rejected_record_starts_the_kind_declared_for_its_type(
        app, admin_client, probes):
    item = ReviewItem(kind=ReviewKind.REJECTED, summary="PCO refused a probe",
                      dedupe_key="probe", details={"record_type": "Probe"})
    db.session.add(item)
    db.session.commit()
    assert actions.retry_run(item) == "Push Probes"
    admin_client.post(f"/sync/review/{item.id}/retry",
                      data={"csrf_token": csrf_token(admin_client, "/sync/review")})
    retried = db.session.scalar(select(SyncRun).where(SyncRun.kind == "Push Probes"))
    assert retried is not None and db.session.get(ReviewItem, item.id).status != "open"
    assert execute_run(retried.id) == RunStatus.COMPLETED
    assert traces(retried) == ["probed; guarded=True"]


def test_an_unregistered_kind_is_offered_nowhere(app, admin_client):
    with kinds.registered(PROBE):
        assert kinds.by_cli_name(kinds.PULL, "probe") is PROBE
    result = app.test_cli_runner().invoke(args=["pco", "pull", "probe"])
    assert result.exit_code == 2 and "'probe' is not one of" in result.output
    page = admin_client.get("/sync/").get_data(as_text=True)
    assert "Sync Probes" not in page
    response = admin_client.post("/sync/runs", headers=JSON, data={
        "kind": "Probe", "csrf_token": csrf_from(page)})
    assert response.status_code == 400 and "Unknown sync type" in response.get_json()["message"]


@pytest.mark.parametrize("kind", [
    kinds.Kind("People", kinds.PULL, "probe", "Twice", run=probe, help=""),
    kinds.Kind("Probe", kinds.PULL, "people", "Same CLI name", run=probe, help=""),
    kinds.Kind("Probe", kinds.PULL, "probe", "Steps undeclared", steps=("Nothing",), help=""),
    kinds.Kind("Probe", kinds.PULL, "probe", "Nothing to run", help=""),
])
def test_a_kind_that_would_clash_or_run_nothing_is_refused(kind):
    with pytest.raises(ValueError):
        with kinds.registered(kind):
            pass
    assert kinds.get("People").label == "Sync People" and kinds.find("Probe") is None
