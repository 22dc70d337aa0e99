"""POST /api/pco-webhook: authenticity, size, envelope, idempotency, queue outages."""
import json

import pytest
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import WebhookDelivery
from pcosync.services.webhooks.receive import signature_matches

from .helpers import SECRET, VECTOR, envelope, post, queued_jobs, sign


def deliveries():
    return db.session.scalar(select(func.count()).select_from(WebhookDelivery))


def test_pco_seed_vector_verifies():
    body = VECTOR["body"].encode()
    assert signature_matches(body, VECTOR["digest"], [VECTOR["secret"]])
    assert signature_matches(body, VECTOR["digest"].upper(), ["other", VECTOR["secret"]])


def test_seed_delivery_accepted_with_the_second_of_several_secrets(app, client):
    app.config["PCO_WEBHOOK_SECRET"] = f"first-secret, {VECTOR['secret']}"
    response = post(client, VECTOR["body"].encode(), VECTOR["digest"])
    assert response.status_code == 200
    row = db.session.scalar(select(WebhookDelivery))
    assert row.delivery_id == "cac783dc-75e7-4c5b-88e8-502d9d8682ae"
    assert row.event_name == "people.v2.events.person.updated"
    assert row.status == "received"
    assert queued_jobs(app) == 1


def tamper(body):
    flipped = bytearray(body)
    flipped[40] ^= 0x01
    return bytes(flipped)


@pytest.mark.parametrize("case", ["flipped byte", "wrong secret", "re-serialised",
                                  "missing header", "truncated digest", "empty header"])
def test_bad_signatures_are_refused_and_change_nothing(app, client, case, caplog):
    body = envelope()
    good = sign(body)
    sent, signature = {
        "flipped byte": (tamper(body), good),
        "wrong secret": (body, sign(body, "not-the-secret")),
        "re-serialised": (json.dumps(json.loads(body), indent=2).encode(), good),
        "missing header": (body, None),
        "truncated digest": (body, good[:32]),
        "empty header": (body, ""),
    }[case]
    response = post(client, sent, signature)
    assert response.status_code == 401
    assert deliveries() == 0 and queued_jobs(app) == 0
    assert SECRET not in caplog.text and "EventDelivery" not in caplog.text


def test_no_secret_configured_answers_503_never_accepts_unsigned(app, client, caplog):
    app.config["PCO_WEBHOOK_SECRET"] = " , "
    response = post(client, envelope(), None)
    assert response.status_code == 503
    assert deliveries() == 0
    assert "no webhook secret is configured" in caplog.text


def test_oversized_body_is_413_before_hashing(app, client):
    body = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    response = post(client, body)
    assert response.status_code == 413 and deliveries() == 0


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"data": []}',
                                  b'{"data": [{"id": "1", "type": "Person", "attributes": {}}]}',
                                  b'{"data": [{"id": "1", "type": "EventDelivery", "attributes":'
                                  b' {"name": "x", "attempt": 1, "payload": "{oops"}}]}'])
def test_verified_but_malformed_envelope_is_400(app, client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert deliveries() == 0 and queued_jobs(app) == 0


def test_duplicate_delivery_is_acknowledged_and_recorded_once(app, client):
    first = post(client, envelope(delivery_id="d-1", attempt=1))
    second = post(client, envelope(delivery_id="d-1", attempt=2))
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.get_json()["status"] == "duplicate"
    assert deliveries() == 1 and queued_jobs(app) == 1


def test_queue_down_keeps_the_delivery_and_the_sweep_queues_it(app, client):
    from pcosync.extensions import get_redis
    from pcosync.jobs import sweep_deliveries

    working = get_redis(app)
    app.extensions.pop("pcosync_redis")
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = post(client, envelope(delivery_id="while-down"))
    assert response.status_code == 200 and response.get_json()["queued"] is False
    assert db.session.scalar(select(WebhookDelivery)).status == "received"
    app.extensions["pcosync_redis"] = working
    assert sweep_deliveries() == 1
    assert queued_jobs(app) == 1
    assert sweep_deliveries() == 0  # already queued: not queued twice


def test_webhook_needs_no_csrf_token_but_other_posts_do(app, client):
    assert post(client, envelope()).status_code == 200
    assert client.post("/sync/runs", data={"kind": "People"}).status_code == 400
