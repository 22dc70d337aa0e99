"""The webhook health panel: for every event the app handles, its subscription (active or not,
set up here or imported), the last delivery received here, and failures. No secret."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...extensions import db
from ...models import DeliveryStatus, WebhookDelivery, WebhookSubscription, utcnow
from .setup import handled_events
from .urls import normalized, own_urls


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
    delivers_to: str | None = None  # set when PCO delivers it to another address than this app

    @property
    def state(self):
        if not self.subscribed:
            return "missing"
        if self.delivers_to:
            return "elsewhere"
        return "active" if self.active else "inactive"


def health(config, now=None):
    """Each handled event's health; a subscription that delivers to another address than this
    app's (PUBLIC_BASE_URL moved, or another receiver's) is "elsewhere": its deliveries would be
    refused here, and PCO deactivates a subscription after days of refusals."""
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
    own = own_urls(config)
    return [_event_health(event, rows.get(event), last.get(event), failed.get(event, 0), now,
                          own) for event in handled_events()]


def _event_health(event, row, last_delivery_at, failures, now, own):
    rotating = bool(row and row.previous_secret and row.previous_secret_until
                    and row.previous_secret_until > now)
    return EventHealth(
        event=event, subscribed=row is not None, active=bool(row and row.active),
        managed=bool(row and row.managed), last_delivery_at=last_delivery_at,
        failures=failures, reactivated_at=row.reactivated_at if row else None,
        checked_at=row.checked_at if row else None, rotating=rotating,
        delivers_to=row.url if row and normalized(row.url) not in own else None)


def summary(events):
    """(active, needing attention) counts for the panel's heading."""
    active = sum(1 for item in events if item.state == "active")
    return active, len(events) - active
