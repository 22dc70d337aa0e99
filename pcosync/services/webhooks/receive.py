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
from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ... import config as settings
from ...extensions import db
from ...models import DeliveryStatus, WebhookDelivery, utcnow
from ...models.numbers import clamp
from ...pco.webhook_schemas import load_event_delivery
from ..connection import organization
from ..connection.short_cache import cached
from .subscriptions import trusted_secrets

log = logging.getLogger("pcosync.webhooks")

MAX_BODY_BYTES = 1024 * 1024
DIALECT_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_INSERTS = {}
SWEEP_BATCH = 500


class BadDelivery(ValueError):
    """Verified, but not a PCO EventDelivery envelope; the message is the plain reason."""


ANY_EVENT = "*"


class WrongSecret(ValueError):
    """Signed with the secret of a subscription to another event: not trusted for this one."""


def verify(body, signature, config):
    """The event names the signature is trusted for (ANY_EVENT for a secret given in
    PCO_WEBHOOK_SECRET, the operator's explicit choice), empty when it matches no secret; None
    when no secret is configured at all. The settings are tried first: they cost no query."""
    configured = settings.webhook_secrets(config)
    if configured and signature_matches(body, signature, configured):
        return {ANY_EVENT}
    imported = cached("webhook secrets", lambda: trusted_secrets(config))
    if not configured and not imported:
        return None
    return {event for secret, event in imported
            if signature_matches(body, signature, [secret])}


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


def parse_delivery(text):
    """`text`: the body decoded as UTF-8 (strictly: json.loads would also guess UTF-16 or 32).
    No deeper than Python's recursion limit: a refusal (400), not a 500 PCO would retry."""
    try:
        envelope = json.loads(text)
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


def record(body, trusted_for):
    """Store the delivery; returns its row id, or None for a delivery id seen before. The
    unique constraint decides, atomically, even between processes. One INSERT on a connection
    of its own: no ORM object, no session (the hot path of a burst). `trusted_for`: what
    verify() answered; a delivery of another event raises WrongSecret."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadDelivery(f"body is not UTF-8 JSON ({err.__class__.__name__})") from None
    delivery = parse_delivery(text)
    if ANY_EVENT not in trusted_for and delivery["event_name"] not in trusted_for:
        raise WrongSecret("signed with the secret of another event's subscription")
    values = {"delivery_id": str(delivery["delivery_id"])[:80],
              "event_name": str(delivery["event_name"])[:120],
              "attempt": clamp(delivery["attempt"] or 1, 1), "body": text}
    engine = db.engine
    try:
        with engine.begin() as connection:
            result = connection.execute(insert_delivery(engine.dialect), values)
            row_id = result.scalar() if result.returns_rows else result.inserted_primary_key[0]
    except IntegrityError:  # a database without ON CONFLICT: the constraint said it
        row_id = None
    if row_id is None:
        log.info("webhook duplicate delivery_id=%s attempt=%s", values["delivery_id"],
                 values["attempt"])
    return row_id


def insert_delivery(dialect):
    """The INSERT returning the new row's id, compiled once per database (values are
    parameters). A delivery id seen before inserts nothing and returns no id (ON CONFLICT DO
    NOTHING): a redelivery costs no exception."""
    if dialect.name not in _INSERTS:
        table = WebhookDelivery.__table__
        insert_for = DIALECT_INSERTS.get(dialect.name) if dialect.insert_returning else None
        statement = insert_for(table).on_conflict_do_nothing(
            index_elements=[table.c.delivery_id]) if insert_for else insert(table)
        # An SQLite older than 3.35 has no RETURNING: then the constraint refuses, as above.
        _INSERTS[dialect.name] = (statement.returning(table.c.id) if dialect.insert_returning
                                  else statement)
    return _INSERTS[dialect.name]


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
