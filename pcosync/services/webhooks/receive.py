"""Receiving PCO webhooks: verify the signature and record the delivery once. The blueprint
then hands it to the worker (jobs.queue_delivery); a delivery recorded while the queue was down
waits here until the sweep queues it, so PCO never retries a delivery we hold.
"""
import hashlib
import hmac
import json
import logging
from datetime import timedelta

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ... import config as settings
from ...extensions import db
from ...models import DeliveryStatus, WebhookDelivery, utcnow
from ...pco.webhook_schemas import load_event_delivery
from .. import organization
from .subscriptions import active_secrets

log = logging.getLogger("pcosync.webhooks")

MAX_BODY_BYTES = 1024 * 1024
SWEEP_BATCH = 500


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
    """Strictly UTF-8 (json.loads would also guess UTF-16 or 32) and no deeper than Python's
    recursion limit: either is a refusal (400), not a 500 that PCO would retry for days."""
    try:
        envelope = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise BadDelivery(f"body is not UTF-8 JSON ({err.__class__.__name__})") from None
    try:
        delivery = load_event_delivery(envelope)
    except ValidationError as err:
        raise BadDelivery(f"not a PCO EventDelivery: {err.messages}") from err
    refusal = organization.delivery_refusal(delivery["organization_id"], current_app.config)
    if refusal:
        raise BadDelivery(refusal)
    return delivery


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


def waiting_delivery_ids(limit=SWEEP_BATCH, min_age=timedelta(0)):
    """Ids of recorded deliveries not yet processed, oldest first: what the sweep queues."""
    return db.session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status == DeliveryStatus.RECEIVED,
                                         WebhookDelivery.received_at <= utcnow() - min_age)
        .order_by(WebhookDelivery.id).limit(limit)).all()


def reset_failed():
    """Mark failed deliveries as received again; returns their ids, for the queue."""
    rows = db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.status == DeliveryStatus.FAILED)).all()
    for row in rows:
        row.status, row.error = DeliveryStatus.RECEIVED, None
    db.session.commit()
    return [row.id for row in rows]
