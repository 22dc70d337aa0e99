"""PCO webhook subscriptions and their authenticity secrets, imported from PCO (Webhooks v2).

PCO gives every subscription (one per event name) its own secret: a church subscribed to 20
events would otherwise copy 20 secrets into PCO_WEBHOOK_SECRET. Secrets are stored to verify
deliveries and are never logged or shown.
"""
import logging
from dataclasses import dataclass

from marshmallow import ValidationError
from sqlalchemy import func, select

from ...extensions import db
from ...models import WebhookSubscription, utcnow
from ...pco import schemas
from ...pco.webhook_api import WebhookSubscriptions

log = logging.getLogger("pcosync.webhooks")
FIELDS = ("name", "url", "active", "authenticity_secret")


@dataclass
class ImportResult:
    active: int
    inactive: int
    removed: int
    malformed: list  # reasons, without secrets

    def summary(self):
        text = (f"Imported {self.active + self.inactive} webhook subscriptions from PCO "
                f"({self.active} active, {self.inactive} inactive); removed {self.removed} "
                "no longer in PCO.")
        if self.malformed:
            text += f" {len(self.malformed)} could not be read: " + "; ".join(self.malformed)
        return text


def import_subscriptions(client):
    """Make the stored subscriptions PCO's list. A subscription PCO lists but sent broken is
    left as stored, so one bad record never drops a working secret."""
    loaded, listed, malformed = [], set(), []
    for resource in WebhookSubscriptions(client).list():
        listed.add(str(resource.get("id")) if isinstance(resource, dict) else None)
        try:
            loaded.append(schemas.load_webhook_subscription(resource))
        except ValidationError as err:
            malformed.append(str(err))
    held = {row.pco_id: row for row in db.session.scalars(select(WebhookSubscription))}
    for data in loaded:
        row = held.get(data["pco_id"]) or WebhookSubscription(pco_id=data["pco_id"])
        for name in FIELDS:
            setattr(row, name, data[name])
        row.imported_at = utcnow()
        db.session.add(row)
    gone = [row for pco_id, row in held.items() if pco_id not in listed]
    for row in gone:
        db.session.delete(row)
    db.session.commit()
    active = sum(1 for data in loaded if data["active"])
    result = ImportResult(active, len(loaded) - active, len(gone), malformed)
    log.info("webhook subscriptions imported active=%s inactive=%s removed=%s malformed=%s",
             result.active, result.inactive, result.removed, len(malformed))
    return result


def active_secrets(now=None):
    """The secrets of active subscriptions, and a rotated-away secret until its rotation
    completes (deliveries PCO signed just before the rotation may still arrive)."""
    now = now or utcnow()
    query = select(WebhookSubscription.authenticity_secret, WebhookSubscription.previous_secret,
                   WebhookSubscription.previous_secret_until).where(WebhookSubscription.active)
    found = []
    for secret, previous, until in db.session.execute(query):
        found.append(secret)
        if previous and until and until > now:
            found.append(previous)
    return found


def count_active():
    query = select(func.count()).select_from(WebhookSubscription).where(
        WebhookSubscription.active)
    return db.session.scalar(query)
