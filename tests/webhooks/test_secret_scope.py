"""A secret imported from PCO signs only its own subscription's event, and only when that
subscription delivers to this app: another receiver of the church's webhooks (a second system
subscribed to the same organization) must not be able to write into this app."""
import pytest
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import WebhookDelivery, WebhookSubscription
from pcosync.services.webhooks import health
from pcosync.services.webhooks.urls import normalized, own_urls

from .helpers import envelope, post

HERE = "https://church.example.org"
CREATED, UPDATED = "people.v2.events.person.created", "people.v2.events.person.updated"


@pytest.fixture
def scoped(app):
    app.config.update(PCO_WEBHOOK_SECRET="", PUBLIC_BASE_URL=HERE)


def subscribe(event, secret, url=HERE + "/api/pco-webhook"):
    pco_id = str(1 + db.session.scalar(select(func.count()).select_from(WebhookSubscription)))
    db.session.add(WebhookSubscription(pco_id=pco_id, name=event,
                                       url=url, active=True, authenticity_secret=secret))
    db.session.commit()


def stored_deliveries():
    return db.session.scalar(select(func.count()).select_from(WebhookDelivery))


def test_a_secret_signs_only_its_own_event(app, client, scoped):
    subscribe(CREATED, "created-secret")
    subscribe(UPDATED, "updated-secret")
    wrong = post(client, envelope(UPDATED), secret="created-secret")
    assert wrong.status_code == 401 and stored_deliveries() == 0
    right = post(client, envelope(UPDATED), secret="updated-secret")
    assert right.status_code == 200 and stored_deliveries() == 1


def test_a_subscription_to_another_address_is_never_trusted(app, client, scoped):
    subscribe(UPDATED, "their-secret", url="https://other-system.example.com/hooks/pco")
    subscribe(CREATED, "mine")
    response = post(client, envelope(UPDATED), secret="their-secret")
    assert response.status_code == 401 and stored_deliveries() == 0


def test_without_public_base_url_no_imported_secret_is_trusted(app, client, scoped):
    app.config["PUBLIC_BASE_URL"] = None
    subscribe(UPDATED, "updated-secret")
    response = post(client, envelope(UPDATED), secret="updated-secret")
    assert response.status_code == 503 and stored_deliveries() == 0


def test_an_alias_is_this_app_too(app, client, scoped):
    app.config["WEBHOOK_URL_ALIASES"] = "https://Sync.Church.ORG:443/ , https://x.example/a"
    subscribe(UPDATED, "alias-secret", url="https://sync.church.org/api/pco-webhook/")
    assert post(client, envelope(UPDATED), secret="alias-secret").status_code == 200


def test_the_setting_secret_is_trusted_for_every_event(app, client, scoped):
    app.config["PCO_WEBHOOK_SECRET"] = "operator-secret"
    response = post(client, envelope("groups.v2.events.group.updated"), secret="operator-secret")
    assert response.status_code == 200


def test_urls_are_compared_as_pco_delivers():
    assert normalized("HTTPS://Church.Example.org:443/api/pco-webhook/") == \
        "https://church.example.org/api/pco-webhook"
    assert normalized("http://h:8080/x?y=1") == "http://h:8080/x"
    assert normalized("javascript:alert(1)") is None and normalized("https://h:99999") is None
    assert own_urls({"PUBLIC_BASE_URL": "https://c.org/sync/"}) == {
        "https://c.org/sync/api/pco-webhook"}


def test_the_health_panel_shows_a_subscription_that_delivers_elsewhere(app, scoped):
    subscribe(UPDATED, "s", url="https://old-host.example.org/api/pco-webhook")
    states = {item.event: item for item in health.health(app.config)}
    assert states[UPDATED].state == "elsewhere"
    assert states[UPDATED].delivers_to.startswith("https://old-host")
    assert health.summary(list(states.values()))[0] == 0


def test_an_attempt_beyond_the_column_is_stored_clamped(app, client):
    response = post(client, envelope(attempt=2**64))
    assert response.status_code == 200
    assert db.session.scalar(select(WebhookDelivery.attempt)) == 2**31 - 1
