"""Process one recorded webhook delivery in the worker, with the same matcher and merge rules
as a pull. Each delivery ends processed, ignored or failed (with the error)."""
import logging

from sqlalchemy.exc import IntegrityError, OperationalError

from ...extensions import db
from ...models import DeliveryStatus, SyncIssue, WebhookDelivery, utcnow
from ...pco.errors import PCOError
from ...pco.webhook_schemas import load_event_delivery
from ..rules.review_items import file_item
from . import handlers
from ..connection import make_client

log = logging.getLogger("pcosync.webhooks")
RACE_RETRIES = 3

HANDLERS = {
    "people.v2.events.person.created": handlers.person_changed,
    "people.v2.events.person.updated": handlers.person_changed,
    "people.v2.events.person.destroyed": handlers.person_destroyed,
    "people.v2.events.person_merger.created": handlers.person_merged,
    "groups.v2.events.group.created": handlers.group_changed,
    "groups.v2.events.group.updated": handlers.group_changed,
    "groups.v2.events.group.destroyed": handlers.group_destroyed,
    "groups.v2.events.membership.created": handlers.membership_changed,
    "groups.v2.events.membership.updated": handlers.membership_changed,
    "groups.v2.events.membership.destroyed": handlers.membership_destroyed,
    "people.v2.events.household.created": handlers.household_changed,
    "people.v2.events.household.updated": handlers.household_changed,
    "people.v2.events.household.destroyed": handlers.household_destroyed,
}
for _kind in ("email", "phone_number", "address"):
    for _action in ("created", "updated"):
        HANDLERS[f"people.v2.events.{_kind}.{_action}"] = handlers.contact_changed
    HANDLERS[f"people.v2.events.{_kind}.destroyed"] = handlers.contact_destroyed


class DeliveryLog:
    """The `issue` / `count` interface the pull helpers expect, for one delivery."""

    def __init__(self, row):
        self.row = row
        self.outcomes = []

    def issue(self, record_type, reason, pco_id=None, local_id=None, failed=False):
        db.session.add(SyncIssue(delivery_id=self.row.id, record_type=record_type,
                                 pco_id=pco_id, local_id=local_id, reason=reason[:2000]))

    def count(self, outcome, n=1):
        self.outcomes.append(outcome)

    def review(self, kind, summary, key, **refs):
        file_item(kind, summary, key, **refs)


def process_delivery(row_id):
    row = db.session.get(WebhookDelivery, row_id)
    if row is None or row.status != DeliveryStatus.RECEIVED:
        return row.status if row else None  # already handled: never applied twice
    delivery = load_event_delivery_from(row)
    handler = HANDLERS.get(delivery["event_name"])
    if handler is None:
        return finish(row, DeliveryStatus.IGNORED, f"event {delivery['event_name']} is not synced")
    # RQ retries the job later (10 s, 1 min, 5 min): no long waits inside one attempt.
    client = make_client(max_retries=2)
    try:
        outcome = run_with_race_retry(handler, client, delivery, row)
    except PCOError as err:
        db.session.rollback()
        finish(row, DeliveryStatus.FAILED, str(err))
        raise  # RQ retries transient PCO errors; the row says what happened meanwhile
    except Exception as err:
        db.session.rollback()
        log.exception("webhook processing failed delivery_id=%s", row.delivery_id)
        return finish(row, DeliveryStatus.FAILED, f"{type(err).__name__}: {err}")
    finally:
        client.close()
    return finish(row, DeliveryStatus.PROCESSED, outcome)


def load_event_delivery_from(row):
    import json

    return load_event_delivery(json.loads(row.body))


def run_with_race_retry(handler, client, delivery, row):
    """A pull may write the same record at the same moment: the unique constraints refuse
    one side, which simply tries again and then sees the other's row."""
    for attempt in range(1, RACE_RETRIES + 1):
        try:
            outcome = handler(client, delivery["payload"], DeliveryLog(row))
            db.session.commit()
            return outcome
        except (IntegrityError, OperationalError):
            db.session.rollback()
            if attempt == RACE_RETRIES:
                raise
    return None


def finish(row, status, note=None):
    if status == DeliveryStatus.FAILED:
        row = db.session.get(WebhookDelivery, row.id)
    row.status = status
    row.error = note if status in (DeliveryStatus.FAILED, DeliveryStatus.IGNORED) else None
    row.processed_at = utcnow()
    db.session.commit()
    log.info("webhook %s delivery_id=%s event=%s note=%r", status, row.delivery_id,
             row.event_name, note)
    return status
