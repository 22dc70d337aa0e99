"""The Sync page's preview and guard: the checkbox, the run page's report, Apply and Run anyway."""
import re

from pcosync.extensions import db
from pcosync.models import SyncRun
from pcosync.services.runs.lifecycle import start_run
from tests.factories import make_person
from tests.support import csrf_token, run
from tests.webhooks.helpers import queued_jobs

JSON = {"Accept": "application/json"}


def start(client, json=True, **form):
    token = csrf_token(client, "/sync/")
    return client.post("/sync/runs", data={"csrf_token": token, **form},
                       headers=JSON if json else {})


def test_the_sync_page_has_a_preview_checkbox_in_each_form(admin_client):
    html = admin_client.get("/sync/").get_data(as_text=True)
    assert html.count('name="preview" value="1"') == 2
    assert 'name="kind" value="Full Push"' in html


def test_a_preview_starts_as_a_preview_run(app, admin_client):
    response = start(admin_client, kind="Full Sync", preview="1")
    assert response.status_code == 202, response.get_json()
    data = response.get_json()
    assert data["run"]["preview"] is True and data["url"] == f"/sync/runs/{data['run']['id']}"
    assert db.session.get(SyncRun, data["run"]["id"]).preview is True
    assert queued_jobs(app) == 1


def test_without_javascript_a_preview_goes_to_its_page(admin_client):
    response = start(admin_client, json=False, kind="People", preview="1")
    assert response.status_code == 302 and re.search(r"/sync/runs/\d+$", response.location)


def test_run_anyway_starts_a_confirmed_run(admin_client):
    data = start(admin_client, kind="People", confirm="1").get_json()
    row = db.session.get(SyncRun, data["run"]["id"])
    assert (row.preview, row.guard_confirmed) == (False, True)


def test_a_preview_page_shows_the_changes_the_writes_and_apply(admin_client, sandbox):
    run("People")
    make_person("Ruth", "Preview", emails=["ruth.preview@example.org"])
    preview = run("Push People", preview=True)

    html = admin_client.get(f"/sync/runs/{preview.id}").get_data(as_text=True)

    assert "nothing was sent to PCO" in html
    assert "Writes it would send to PCO (2)" in html  # the person, then the email
    assert "Changes it would make here" in html and "<h3>People" in html
    writes = html[html.index('id="preview-writes"'):]
    assert "<h3>Ruth Preview</h3>" in writes  # grouped by whose they are
    assert "Add email: Email ruth.preview@example.org" in writes
    assert "<code>POST /people/v2/people</code></details>" in writes  # the request on demand
    assert "Person " not in html.replace("Person Preview", "")  # no "Person 12"
    apply = re.search(r'<form[^>]*id="apply-form".*?</form>', html, re.S).group(0)
    assert 'value="Push People"' in apply and ">Apply<" in apply and "confirm" not in apply


def test_a_stopped_run_links_its_preview_and_offers_run_anyway(admin_client):
    preview = SyncRun(kind="People", status="COMPLETED", preview=True,
                      report={"changes": {}, "guard": "People stopped before archiving"})
    stopped = SyncRun(kind="People", status="FAILED", needs_review=True,
                      error="People stopped before archiving anything: 140 linked ...")
    db.session.add_all([preview, stopped])
    db.session.commit()
    stopped.report = {"preview_run_id": preview.id}
    db.session.commit()

    html = admin_client.get(f"/sync/runs/{stopped.id}").get_data(as_text=True)

    assert "needs review" in html and "140 linked" in html
    assert f'href="/sync/runs/{preview.id}"' in html
    form = re.search(r'<form[^>]*id="apply-form".*?</form>', html, re.S).group(0)
    assert 'name="confirm" value="1"' in form and "Run anyway" in form
    html = admin_client.get(f"/sync/runs/{preview.id}").get_data(as_text=True)
    assert "The guard would stop the real run" in html and "Run anyway" in html


def test_a_running_run_has_no_apply_and_its_summary_is_polled(admin_client):
    row = start_run("Full Sync", preview=True)
    html = admin_client.get(f"/sync/runs/{row.id}").get_data(as_text=True)
    assert 'id="apply-form"' not in html and 'data-running="yes"' in html
    summary = admin_client.get(f"/sync/runs/{row.id}/summary").get_json()
    assert (summary["status"], summary["preview"]) == ("RUNNING", True)


def test_a_preview_that_changes_nothing_says_so_and_offers_no_apply(admin_client, sandbox):
    run("People")
    run("Push People")
    preview = run("Push People", preview=True)

    html = admin_client.get(f"/sync/runs/{preview.id}").get_data(as_text=True)

    assert "Nothing to change" in html
    assert 'id="apply-form"' not in html
