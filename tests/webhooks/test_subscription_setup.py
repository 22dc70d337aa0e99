"""Webhook subscriptions set up by the app against the sandbox, under both of PCO's names: one
active subscription per handled event to this app's URL, a second run changes nothing, the daily
check re-activates what PCO deactivated, each delivery verifies with its own subscription's
secret, and a rotated secret takes over without a delivery refused."""
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from pcosync import jobs
from pcosync.extensions import db
from pcosync.models import WebhookDelivery, WebhookSubscription, utcnow
from pcosync.services.connection import while_admin_waits
from pcosync.services.webhooks import setup
from pcosync.services.webhooks.events import EVENTS
from tests import support
from tests.webhooks.helpers import envelope, post

AUTH = ("sandbox", "sandbox")
OTHER_URL = "https://another-app.example.org/hooks"


@pytest.fixture
def hooked(app, make_sandbox, live_app):
    """A sandbox, and the app over HTTP with PUBLIC_BASE_URL its address and no secret in the
    settings: only what "Set up webhooks" stores verifies a delivery."""
    sandbox = make_sandbox(people=40, seed=3, SANDBOX_WEBHOOK_RETRY_DELAYS=(0.2, 0.5))
    app.config.update(PUBLIC_BASE_URL=live_app.url, PCO_WEBHOOK_SECRET="")
    return sandbox


def our_url(app):
    return app.config["PUBLIC_BASE_URL"] + "/api/pco-webhook"


def in_pco(sandbox):
    return sandbox.runtime.subscriptions.listed()


def set_up(app):
    return while_admin_waits(lambda client: setup.set_up(client, app.config))


def pco_write(sandbox, method, path, body=None):
    response = requests.request(method, sandbox.url + path, json=body, auth=AUTH, timeout=10)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


@pytest.mark.parametrize("collection", ["webhook_subscriptions", "subscriptions"])
def test_every_handled_event_gets_exactly_one_active_subscription(app, hooked, collection):
    support.sandbox_admin(hooked, "POST", "/config", {"webhook_paths": [collection]})
    table = hooked.runtime.subscriptions
    foreign = table.create("people.v2.events.person.updated", OTHER_URL)
    table.create("people.v2.events.email.created", our_url(app))
    twice = table.create("people.v2.events.email.created", our_url(app), active=False)
    result = set_up(app)
    ours = [row for row in in_pco(hooked) if row["url"] == our_url(app)]
    assert sorted(row["name"] for row in ours) == sorted(EVENTS)
    assert all(row["active"] for row in ours)
    assert table.get(foreign["id"]) == foreign  # another app's subscription is left alone
    assert table.get(twice["id"]) is None and result.removed == [str(twice["id"])]
    assert len(result.created) == len(EVENTS) - 1 and result.unchanged == 1
    stored = db.session.scalars(select(WebhookSubscription)).all()
    assert {(row.pco_id, row.authenticity_secret) for row in stored} == {
        (str(row["id"]), row["authenticity_secret"]) for row in ours}
    assert len({row.authenticity_secret for row in stored}) == len(EVENTS)
    support.reset_stats(hooked)
    again = set_up(app)
    assert not again.changed and again.unchanged == len(EVENTS)
    assert support.stats(hooked)["total"] == 1  # one read, no write


def test_the_daily_check_reactivates_what_pco_deactivated_and_the_page_says_so(
        app, hooked, admin_client):
    set_up(app)
    victim = next(r for r in in_pco(hooked) if r["name"] == "people.v2.events.person.updated")
    hooked.runtime.subscriptions.set_active(victim["id"], False)  # PCO gave up on it
    assert "Re-activated" not in admin_client.get("/sync/").get_data(as_text=True)
    summary = jobs.check_webhooks()
    assert "1 re-activated" in summary and "people.v2.events.person.updated" in summary
    assert hooked.runtime.subscriptions.get(victim["id"])["active"] is True
    db.session.expire_all()
    row = db.session.scalar(select(WebhookSubscription).where(
        WebhookSubscription.pco_id == str(victim["id"])))
    assert row.active and row.reactivated_at is not None
    page = admin_client.get("/sync/").get_data(as_text=True)
    assert "Re-activated" in page and f"{len(EVENTS)} of {len(EVENTS)}" in page


def deliveries_after(sandbox, count):
    sent = support.wait_for_webhooks(sandbox)["deliveries"]
    return sent[count:]


def test_deliveries_signed_with_each_subscriptions_own_secret_verify(app, hooked):
    set_up(app)
    person = pco_write(hooked, "GET", "/people/v2/people?per_page=1&include=emails")["data"][0]
    email = person["relationships"]["emails"]["data"][0]["id"]
    pco_write(hooked, "PATCH", f"/people/v2/people/{person['id']}",
              {"data": {"type": "Person", "attributes": {"nickname": "Hooked"}}})
    pco_write(hooked, "PATCH", f"/people/v2/emails/{email}",
              {"data": {"type": "Email", "attributes": {"address": "hooked@example.org"}}})
    sent = deliveries_after(hooked, 0)
    assert {d["name"] for d in sent} == {"people.v2.events.person.updated",
                                         "people.v2.events.email.updated"}
    assert {d["status"] for d in sent} == {200}
    secrets = {r["id"]: r["authenticity_secret"] for r in in_pco(hooked)}
    used = {secrets[d["subscription_id"]] for d in sent}
    assert len(used) == 2  # two subscriptions, two secrets, both accepted
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 2


def test_a_rotated_secret_verifies_the_next_delivery_and_the_old_one_ends(app, hooked, client):
    set_up(app)
    before = {r["id"]: r["authenticity_secret"] for r in in_pco(hooked)}
    rotated = while_admin_waits(setup.rotate_secrets)
    assert rotated == len(EVENTS)
    after = {r["id"]: r["authenticity_secret"] for r in in_pco(hooked)}
    assert all(after[i] != before[i] for i in before)
    person = pco_write(hooked, "GET", "/people/v2/people?per_page=1")["data"][0]
    pco_write(hooked, "PATCH", f"/people/v2/people/{person['id']}",
              {"data": {"type": "Person", "attributes": {"nickname": "Rotated"}}})
    [delivery] = deliveries_after(hooked, 0)
    assert delivery["status"] == 200  # signed with the new secret, which was stored at once
    old = before[delivery["subscription_id"]]
    assert post(client, envelope(), secret=old).status_code == 200  # still on its way
    setup.finish_rotations(utcnow() + setup.ROTATION_GRACE + timedelta(seconds=1))
    assert post(client, envelope(), secret=old).status_code == 401
    new = after[delivery["subscription_id"]]
    assert post(client, envelope(), secret=new).status_code == 200


def test_without_a_public_https_address_it_explains_instead_of_subscribing(
        app, make_sandbox, admin_client):
    sandbox = make_sandbox(people=10)
    app.config["PUBLIC_BASE_URL"] = None
    csrf = support.csrf_token(admin_client, "/sync/")
    answer = admin_client.post("/sync/webhooks/setup", data={"csrf_token": csrf},
                               headers={"Accept": "application/json"})
    assert answer.status_code == 400
    assert "PUBLIC_BASE_URL is not set" in answer.get_json()["message"]
    app.config.update(PUBLIC_BASE_URL="http://sync.church.example",
                      PCO_API_URL="https://api.planningcenteronline.com")
    result = app.test_cli_runner().invoke(args=["pco", "webhooks", "setup"])
    assert result.exit_code != 0 and "https://" in result.output
    assert in_pco(sandbox) == []
    assert "Cannot set up webhooks" in admin_client.get("/sync/").get_data(as_text=True)


def test_no_secret_is_shown_on_the_page_or_by_the_cli(app, hooked, admin_client):
    set_up(app)
    runner = app.test_cli_runner()
    output = (runner.invoke(args=["pco", "webhooks", "setup"]).output
              + runner.invoke(args=["pco", "webhooks", "health"]).output
              + runner.invoke(args=["pco", "webhooks", "rotate-secrets"]).output)
    page = admin_client.get("/sync/").get_data(as_text=True)
    assert "people.v2.events.person.updated" in output and "active" in output
    secrets = [r["authenticity_secret"] for r in in_pco(hooked)]
    secrets += [row.previous_secret for row in db.session.scalars(select(WebhookSubscription))]
    assert not [s for s in secrets if s and (s in page or s in output)]
