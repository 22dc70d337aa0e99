"""Webhook secrets imported from PCO's subscriptions: stored, used to verify, never shown."""
import pytest
from sqlalchemy import func, select

from pco_sandbox.subscriptions import HAND_MADE_EVENTS
from pcosync.extensions import db
from pcosync.models import WebhookDelivery, WebhookSubscription
from pcosync.services.webhooks import subscriptions as webhook_subscriptions
from pcosync.services.connection import while_admin_waits
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run
from tests.support import (
    csrf_token, sandbox_admin, send_webhooks_to, wait_for_webhooks, work_burst,
)

SANDBOX_SECRET = "imported-subscription-secret"
EVENTS = len(HAND_MADE_EVENTS)  # what the sandbox subscribes when given a URL


def import_secrets():
    from flask import current_app
    return while_admin_waits(lambda client: webhook_subscriptions.import_subscriptions(
        client, current_app.config))


@pytest.fixture(autouse=True)
def public_address(app, live_app):
    """The app's address is where the sandbox's subscriptions deliver (send_webhooks_to)."""
    app.config["PUBLIC_BASE_URL"] = live_app.url


def stored():
    return db.session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)).all()


def test_import_stores_each_subscription_once_and_drops_those_pco_removed(
        app, sandbox, live_app):
    send_webhooks_to(sandbox, live_app, SANDBOX_SECRET)
    first = import_secrets()
    assert (first.active, first.inactive, first.removed) == (EVENTS, 0, 0)
    again = import_secrets()
    assert (again.active, again.removed) == (EVENTS, 0)
    rows = stored()
    assert len(rows) == EVENTS and len({row.pco_id for row in rows}) == EVENTS
    assert {row.authenticity_secret for row in rows} == {SANDBOX_SECRET}
    assert "people.v2.events.person.updated" in {row.name for row in rows}
    sandbox_admin(sandbox, "POST", "/config", {"webhook_url": None, "webhook_secret": None})
    assert import_secrets().removed == EVENTS and stored() == []


def test_deliveries_signed_with_an_imported_secret_are_accepted(app, sandbox, live_app):
    app.config["PCO_WEBHOOK_SECRET"] = ""  # only what PCO's subscriptions say
    execute_run(start_run("People").id)
    send_webhooks_to(sandbox, live_app, SANDBOX_SECRET)
    sandbox_admin(sandbox, "POST", "/mutate", {"count": 3, "seed": 5})
    refused = wait_for_webhooks(sandbox)["deliveries"]
    assert refused and {d["status"] for d in refused} == {503}  # no secret known yet

    import_secrets()
    sandbox_admin(sandbox, "POST", "/mutate", {"count": 3, "seed": 6})
    sent = wait_for_webhooks(sandbox)["deliveries"][len(refused):]
    assert sent and {d["status"] for d in sent if d["attempt"] == 1} == {200}
    work_burst(app)
    statuses = dict(db.session.execute(select(WebhookDelivery.status, func.count())
                                       .group_by(WebhookDelivery.status)).all())
    assert statuses.get("failed", 0) == 0 and statuses.get("received", 0) == 0
    assert sum(statuses.values()) > 0


def test_the_sync_page_imports_and_counts_secrets_without_showing_them(
        app, sandbox, live_app, admin_client):
    send_webhooks_to(sandbox, live_app, SANDBOX_SECRET)
    response = admin_client.post("/sync/webhook-secrets",
                                 data={"csrf_token": csrf_token(admin_client, "/sync/")},
                                 follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Imported {EVENTS} webhook subscriptions from PCO ({EVENTS} active" in page
    assert f"{EVENTS} imported from PCO subscriptions" in page
    assert SANDBOX_SECRET not in page


def test_the_cli_imports_and_prints_counts_only(app, sandbox, live_app):
    send_webhooks_to(sandbox, live_app, SANDBOX_SECRET)
    result = app.test_cli_runner().invoke(args=["pco", "webhooks", "import-secrets"])
    assert result.exit_code == 0, result.output
    assert f"Imported {EVENTS} webhook subscriptions" in result.output
    assert SANDBOX_SECRET not in result.output
    assert webhook_subscriptions.count_active() == EVENTS


def test_bad_credentials_say_what_to_fix(app, sandbox):
    app.config["PCO_SECRET"] = "wrong"
    result = app.test_cli_runner().invoke(args=["pco", "webhooks", "import-secrets"])
    assert result.exit_code != 0 and "PCO_SECRET" in result.output
    assert stored() == []
