import hashlib
import hmac
import json
import pathlib
import uuid

from rq import Queue

VECTOR = json.loads((pathlib.Path(__file__).parents[1] / "fixtures" /
                     "pco_webhook_vector.json").read_text())
SECRET = "test-webhook-secret"


def sign(body, secret=SECRET):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def envelope(event="people.v2.events.person.updated", payload=None, delivery_id=None,
             attempt=1):
    payload = payload or {"data": {"type": "Person", "id": "1", "attributes": {}}}
    return json.dumps({"data": [{
        "id": delivery_id or str(uuid.uuid4()), "type": "EventDelivery",
        "attributes": {"name": event, "attempt": attempt, "payload": json.dumps(payload)},
        "relationships": {"organization": {"data": {"type": "Organization", "id": "1"}}},
    }]}).encode()


def post(client, body, signature="sign", secret=SECRET):
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        signature = sign(body, secret)
    if signature is not None:
        headers["X-PCO-Webhooks-Authenticity"] = signature
    return client.post("/api/pco-webhook", data=body, headers=headers)


def queued_jobs(app):
    from pcosync.extensions import get_redis

    return Queue(app.config["RQ_QUEUE"], connection=get_redis(app)).count
