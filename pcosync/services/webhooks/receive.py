"""Receiving PCO webhooks: verify the signature, record the delivery once, hand it to the worker.

Rule when the queue is down: the delivery is recorded (durably, in the database) and answered
200; a sweep enqueues every recorded-but-unqueued delivery as soon as Redis is back (on the next
delivery, when a worker starts, or `flask pco webhooks sweep`). PCO therefore never retries a
delivery we hold, and nothing is lost.
"""
import hashlib
import hmac
import json
import logging
from datetime import timedelta

import redis as redis_lib
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ... import config as settings
from ... import jobs
from ...extensions import db
from ...models import WebhookDelivery, utcnow
from ...pco.webhook_schemas import load_event_delivery
from ...queues import WEBHOOK_JOB_TIMEOUT, enqueue, get_queue, webhook_retry
from .subscriptions import active_secrets

log = logging.getLogger("pcosync.webhooks")

MAX_BODY_BYTES = 1024 * 1024
SWEEP_BATCH = 500
PENDING_JOB_STATES = ("queued", "started", "scheduled", "deferred")


class BadDelivery(ValueError):
    """Verified, but not a PCO EventDelivery envelope; the message is the plain reason."""


def verify(body, signature, config):
    """True or False; None when no secret is configured at all, neither in PCO_WEBHOOK_SECRET
    nor imported from PCO's subscriptions. The settings are tried first: they cost no query."""
    configured = settings.webhook_secrets(config)
    if configured and signature_matches(body, signature, configured):
        return True
    imported = active_secrets()
    if not configured and not imported:
        return None
    return signature_matches(body, signature, imported)


def signature_matches(body, signature, secrets):
    """PCO signs the raw body: hex HMAC-SHA256 with the subscription's secret."""
    if not signature:
        return False
    given = signature.strip().lower().encode()
    found = False
    for secret in secrets:  # every secret is tried, so timing does not tell which matched
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
        found = hmac.compare_digest(expected, given) or found
    return found


def parse_delivery(body):
    try:
        envelope = json.loads(body)
    except (UnicodeDecodeError, ValueError) as err:
        raise BadDelivery(f"body is not JSON ({err.__class__.__name__})") from err
    try:
        return load_event_delivery(envelope)
    except ValidationError as err:
        raise BadDelivery(f"not a PCO EventDelivery: {err.messages}") from err


def record(body):
    """Store the delivery; returns its row id, or None for a delivery id seen before. The
    unique constraint decides, atomically, even between processes."""
    delivery = parse_delivery(body)
    row = WebhookDelivery(delivery_id=str(delivery["delivery_id"])[:80],
                          event_name=str(delivery["event_name"])[:120],
                          attempt=delivery["attempt"] or 1, body=body.decode("utf-8"))
    db.session.add(row)
    try:
        db.session.flush()
        row_id = row.id  # read before the commit expires it: no reload query
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        log.info("webhook duplicate delivery_id=%s attempt=%s", row.delivery_id, row.attempt)
        return None
    return row_id


def job_id_for(row_id):
    """One job id per delivery: the sweep can tell whether a delivery is already queued."""
    return f"webhook-{row_id}"


def hand_to_worker(row_id):
    """Enqueue processing; False (and the row stays for the sweep) when Redis is down. The hot
    path writes nothing more to the database: one commit per delivery."""
    global _queue_was_down
    try:
        enqueue(jobs.process_webhook, row_id, job_timeout=WEBHOOK_JOB_TIMEOUT,
                job_id=job_id_for(row_id), retry=webhook_retry())
    except redis_lib.RedisError:
        log.warning("webhook queue unavailable row=%s: kept for the sweep", row_id)
        _queue_was_down = True
        return False
    if _queue_was_down:  # Redis is back: queue what this process recorded meanwhile
        _queue_was_down = False
        sweep()
    return True


_queue_was_down = False


def sweep(limit=SWEEP_BATCH, min_age=timedelta(0)):
    """Enqueue recorded deliveries that are in no queue (recorded while Redis was down, or
    lost from Redis). Run when a worker starts, when Redis comes back, and by the CLI."""
    queue = get_queue()
    rows = db.session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status == "received",
                                         WebhookDelivery.received_at <= utcnow() - min_age)
        .order_by(WebhookDelivery.id).limit(limit)).all()
    queued = 0
    for row_id in rows:
        job = queue.fetch_job(job_id_for(row_id))
        if job is not None and job.get_status(refresh=False) in PENDING_JOB_STATES:
            continue
        if not hand_to_worker(row_id):
            break
        queued += 1
    if queued:
        log.info("webhook sweep queued=%s", queued)
    return queued


def retry_failed():
    """Put failed deliveries back in the queue (`flask pco webhooks retry`)."""
    rows = db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.status == "failed")).all()
    for row in rows:
        row.status, row.error = "received", None
    db.session.commit()
    return sum(1 for row in rows if hand_to_worker(row.id))
