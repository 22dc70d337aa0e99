"""The Sync page's endpoints: permission, CSRF, start/409, status JSON, history, cancel."""
from datetime import timedelta

from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import SyncRun, utcnow
from tests.support import csrf_token
from tests.webhooks.helpers import queued_jobs

JSON = {"Accept": "application/json"}


def start(client, kind="People", json=True):
    token = csrf_token(client, "/sync/")
    return client.post("/sync/runs", data={"kind": kind, "csrf_token": token},
                       headers=JSON if json else {})


def test_page_shows_connection_buttons_webhook_url_and_no_secrets(app, admin_client):
    app.config["PCO_SECRET"] = "canary-pco-secret-123"
    page = admin_client.get("/sync/").get_data(as_text=True)
    for text in ("Test Connection", "Sync People", "Sync Families", "Sync Groups", "Full Sync",
                 "Push People", "Push Families", "Push Group Memberships", "Full Push",
                 "http://localhost/api/pco-webhook", "Sync History", "sandbox"):
        assert text in page, text
    assert "canary-pco-secret-123" not in page
    assert "test-webhook-secret" not in page


def test_public_base_url_sets_the_webhook_url(app, admin_client):
    app.config["PUBLIC_BASE_URL"] = "https://church.example.org/"
    assert b"https://church.example.org/api/pco-webhook" in admin_client.get("/sync/").data


def test_start_enqueues_a_run_and_a_second_start_is_409(app, admin_client, admin):
    response = start(admin_client)
    assert response.status_code == 202
    run = db.session.get(SyncRun, response.get_json()["run"]["id"])
    assert (run.kind, run.status, run.triggered_by, run.user_id) == (
        "People", "RUNNING", admin.email, admin.id)
    assert run.job_id and queued_jobs(app) == 1
    again = start(admin_client, "Full Sync")
    assert again.status_code == 409
    assert "already running" in again.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(SyncRun)) == 1


def test_start_without_javascript_redirects_with_a_message(admin_client):
    response = start(admin_client, json=False)
    assert response.status_code == 302
    assert b"People started." in admin_client.get("/sync/").data


def test_unknown_kind_is_refused(admin_client):
    assert start(admin_client, "Everything").status_code == 400


def test_start_without_csrf_token_is_refused(admin_client):
    response = admin_client.post("/sync/runs", data={"kind": "People"}, headers=JSON)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SyncRun)) == 0


def test_status_json_shape(admin_client):
    idle = admin_client.get("/sync/status").get_json()
    assert idle["active"] is None and set(idle["webhooks"]) >= {"processed", "failed"}
    start(admin_client, "Full Sync")
    active = admin_client.get("/sync/status").get_json()["active"]
    assert set(active) >= {"id", "kind", "status", "started_at", "elapsed_seconds", "created",
                           "updated", "skipped", "failed", "step", "cancel_requested"}
    assert active["kind"] == "Full Sync" and active["status"] == "RUNNING"


def test_history_shows_the_20_newest_runs(admin_client):
    now = utcnow()
    for i in range(25):
        db.session.add(SyncRun(kind="People", status="COMPLETED", triggered_by="cli",
                               started_at=now - timedelta(minutes=100 - i),
                               finished_at=now - timedelta(minutes=99 - i), created_count=i))
    db.session.commit()
    html = admin_client.get("/sync/history").get_data(as_text=True)
    assert html.count("data-run-id=") == 20
    newest = db.session.scalars(select(SyncRun.id).order_by(SyncRun.started_at.desc())).first()
    assert html.index(f'data-run-id="{newest}"') < html.index("data-run-id=", html.index(
        f'data-run-id="{newest}"') + 1)
    assert db.session.scalar(select(func.count()).select_from(SyncRun)) == 25


def test_cancel_marks_the_running_run(admin_client):
    run_id = start(admin_client).get_json()["run"]["id"]
    token = csrf_token(admin_client, "/sync/")
    response = admin_client.post(f"/sync/runs/{run_id}/cancel", data={"csrf_token": token},
                                 headers=JSON)
    assert response.status_code == 200
    assert db.session.get(SyncRun, run_id).cancel_requested is True


def test_run_detail_page(admin_client):
    run = SyncRun(kind="People", status="FAILED", error="PCO said no <script>x</script>")
    db.session.add(run)
    db.session.commit()
    html = admin_client.get(f"/sync/runs/{run.id}").get_data(as_text=True)
    assert "FAILED" in html and "&lt;script&gt;" in html and "<script>x" not in html


def test_test_connection_reports_an_unreachable_pco(admin_client):
    token = csrf_token(admin_client, "/sync/")
    response = admin_client.post("/sync/test-connection", data={"csrf_token": token},
                                 headers=JSON)
    assert response.status_code == 502
    assert "Connection failed" in response.get_json()["message"]
