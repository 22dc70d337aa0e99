"""Deliveries exactly as the sandbox (PCO's test double) sends them, made from its store without
its dispatcher, and the worker's batch run in this process."""
import itertools
import time

from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import WebhookDelivery
from pco_sandbox.store import EVENT_PREFIXES, ChangeEvent
from pco_sandbox.webhooks import event_payload
from pcosync.services.webhooks.process import process_waiting
from tests.support import reset_stats, stats
from tests.webhooks.helpers import envelope, post


def tick(sandbox):
    """A second between two writes in PCO, as between an admin's edits (PCO stamps
    `updated_at` to the second)."""
    ticks = itertools.count(int(time.time()))
    sandbox.runtime.store.now = lambda: next(ticks)
    return sandbox


def payload(sandbox, kind, record, action="updated"):
    """The inner payload PCO sends for `record` (a row of the sandbox's store)."""
    name = f"{EVENT_PREFIXES[kind]}.{action}"
    event = ChangeEvent(name, kind, dict(record), action == "destroyed",
                        sandbox.runtime.store.now())
    return name, event_payload(event, sandbox.runtime.context())


def deliver(client, sandbox, kind, record, action="updated", **changes):
    """Post PCO's delivery for `record`; `changes` overlay the payload's attributes."""
    name, body = payload(sandbox, kind, record, action)
    if changes:
        body["data"]["attributes"].update(changes)
    response = post(client, envelope(name, body))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def store(sandbox):
    return sandbox.runtime.store


def apply_waiting(sandbox):
    """Run the worker's batch; returns the requests it made to PCO."""
    db.session.commit()
    reset_stats(sandbox)
    process_waiting()
    db.session.expire_all()
    return stats(sandbox)["total"]


def outcomes():
    """[(event name, status, note)] of every delivery, oldest first."""
    rows = db.session.execute(select(WebhookDelivery.event_name, WebhookDelivery.status,
                                     WebhookDelivery.error).order_by(WebhookDelivery.id))
    return [tuple(row) for row in rows]
