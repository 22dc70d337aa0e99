"""The webhook health panel: for every event the app handles, its subscription (active or not,
set up here or imported), the last delivery received here, and failures. No secret."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...extensions import db
from ...models import DeliveryStatus, WebhookDelivery, WebhookSubscription, utcnow
from .setup import handled_events


@dataclass
class EventHealth:
    event: str
    subscribed: bool
    active: bool
    managed: bool
    last_delivery_at: datetime | None
    failures: int
    reactivated_at: datetime | None
    checked_at: datetime | None
    rotating: bool  # an old secret still verifies

    @property
    def state(self):
        if not self.subscribed:
            return "missing"
        return "active" if self.active else "inactive"


def health(now=None):
    now = now or utcnow()
    rows = {}
    # Managed rows last, so they win over an imported subscription to the same event.
    for row in db.session.scalars(select(WebhookSubscription)
                                  .order_by(WebhookSubscription.managed, WebhookSubscription.id)):
        rows[row.name] = row
    last = dict(db.session.execute(select(WebhookDelivery.event_name,
                                          func.max(WebhookDelivery.received_at))
                                   .group_by(WebhookDelivery.event_name)).all())
    failed = dict(db.session.execute(select(WebhookDelivery.event_name, func.count())
                                     .where(WebhookDelivery.status == DeliveryStatus.FAILED)
                                     .group_by(WebhookDelivery.event_name)).all())
    return [_event_health(event, rows.get(event), last.get(event), failed.get(event, 0), now)
            for event in handled_events()]


def _event_health(event, row, last_delivery_at, failures, now):
    rotating = bool(row and row.previous_secret and row.previous_secret_until
                    and row.previous_secret_until > now)
    return EventHealth(
        event=event, subscribed=row is not None, active=bool(row and row.active),
        managed=bool(row and row.managed), last_delivery_at=last_delivery_at,
        failures=failures, reactivated_at=row.reactivated_at if row else None,
        checked_at=row.checked_at if row else None, rotating=rotating)


def summary(events):
    """(active, needing attention) counts for the panel's heading."""
    active = sum(1 for item in events if item.state == "active")
    return active, len(events) - active
