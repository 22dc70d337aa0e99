"""Scenario 7, secrets: with SECRET_KEY, PCO_SECRET, PCO_WEBHOOK_SECRET and a PCO subscription's
secret set to recognisable canaries, a day's work (login, every page, Test Connection right and
wrong, importing the subscriptions' secrets, webhooks good and forged, a Full Sync in a real
worker, a failing one) never shows them in a log or a page."""
import logging

import pytest
from sqlalchemy import select

from pcosync import register_logging
from pcosync.extensions import db
from pcosync.models import SyncRun
from pcosync.jobs import start_run_in_worker
from tests.support import csrf_token, login, make_user
from tests.webhooks.helpers import envelope, post

from .helpers import start_worker, wait_until

CANARIES = {"SECRET_KEY": "canary-secret-key-7f3a9c", "PCO_SECRET": "canary-pco-secret-41d8e2",
            "PCO_WEBHOOK_SECRET": "canary-webhook-secret-b6c0d5"}
SUBSCRIPTION_SECRET = "canary-subscription-secret-93e1aa"  # imported from PCO, not a setting
JSON = {"Accept": "application/json"}


@pytest.fixture
def canary_app(app, make_sandbox, seed):
    """The app (and its log masking) configured with the canaries; the sandbox takes the
    canary PCO secret as its password."""
    make_sandbox(120, seed, SANDBOX_SECRET=CANARIES["PCO_SECRET"],
                 SANDBOX_WEBHOOK_URL="http://127.0.0.1:9/api/pco-webhook",
                 SANDBOX_WEBHOOK_SECRET=SUBSCRIPTION_SECRET)
    app.config.update(CANARIES, PCO_SECRET=CANARIES["PCO_SECRET"],
                      PUBLIC_BASE_URL="http://127.0.0.1:9")  # where the subscriptions deliver
    register_logging(app)
    return app


def pages_of(client, run_ids):
    paths = ["/", "/sync/", "/sync/status", "/sync/history", "/directory/people/",
             "/directory/families/", "/directory/groups/", "/login"]
    return [client.get(path).get_data(as_text=True)
            for path in paths + [f"/sync/runs/{i}" for i in run_ids]]


def run_in_worker(app):
    run_id = start_run_in_worker("Full Sync", triggered_by="canary").id
    worker = start_worker(app, "--burst", LOG_LEVEL="DEBUG")
    try:
        worker.wait(60)
        return run_id, worker.output()
    finally:
        worker.close()


def test_canary_secrets_never_reach_a_log_or_a_page(canary_app, client, caplog):
    app = canary_app
    caplog.set_level(logging.DEBUG)
    login(client, make_user("admin@example.org", "TECH_ADMIN").email)
    answers = [client.post("/sync/test-connection", headers=JSON,
                           data={"csrf_token": csrf_token(client, "/sync/")}),
               client.post("/sync/webhook-secrets", headers=JSON,
                           data={"csrf_token": csrf_token(client, "/sync/")})]
    assert answers[1].get_json()["active"] > 0  # the canary secret is now stored
    good_run, worker_log = run_in_worker(app)
    body = envelope()
    answers += [post(client, body, secret=CANARIES["PCO_WEBHOOK_SECRET"]),
                post(client, body, secret="a forged one")]
    app.config["PCO_APP_ID"] = "wrong-app-id"  # PCO now refuses us: errors are shown
    answers.append(client.post("/sync/test-connection", headers=JSON,
                               data={"csrf_token": csrf_token(client, "/sync/")}))
    bad_run, bad_log = run_in_worker(app)
    wait_until(lambda: db.session.get(SyncRun, bad_run).status != "RUNNING", 10)
    statuses = db.session.scalars(select(SyncRun.status).where(
        SyncRun.id.in_((good_run, bad_run)))).all()
    assert sorted(statuses) == ["COMPLETED", "FAILED"]
    seen = {"log": caplog.text, "worker log": worker_log + bad_log,
            "answers": " ".join(a.get_data(as_text=True) for a in answers),
            "pages": " ".join(pages_of(client, (good_run, bad_run)))}
    assert "PCO_APP_ID" in seen["answers"]  # the failure was explained...
    for name, value in {**CANARIES, "subscription secret": SUBSCRIPTION_SECRET}.items():
        leaked = [where for where, text in seen.items() if value in text]  # never a secret
        assert not leaked, f"{name} appears in {leaked}"
