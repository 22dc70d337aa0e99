"""PCO webhook subscriptions and their authenticity secrets, imported from PCO (Webhooks v2).

PCO gives every subscription (one per event name) its own secret: a church subscribed to 20
events would otherwise copy 20 secrets into PCO_WEBHOOK_SECRET. Secrets are stored to verify
deliveries and are never logged or shown.
"""
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from marshmallow import ValidationError
from sqlalchemy import func, select

from ...extensions import db
from ...models import WebhookSubscription, utcnow
from ...pco import schemas
from ...pco.webhook_api import WebhookSubscriptions
from .urls import is_own, normalized, own_urls

log = logging.getLogger("pcosync.webhooks")
FIELDS = ("name", "url", "active", "authenticity_secret")


@dataclass
class ImportResult:
    active: int
    inactive: int
    removed: int
    malformed: list  # reasons, without secrets
    skipped: list = field(default_factory=list)  # "event to host": another receiver's

    def summary(self):
        text = (f"Imported {self.active + self.inactive} webhook subscriptions from PCO "
                f"({self.active} active, {self.inactive} inactive); removed {self.removed} "
                "no longer in PCO.")
        if self.skipped:
            text += (f" Skipped {len(self.skipped)} that deliver to another address, not this "
                     "app (their secrets are not stored or trusted): "
                     + "; ".join(self.skipped[:10]) + ("; ..." if len(self.skipped) > 10 else ""))
        if self.malformed:
            text += f" {len(self.malformed)} could not be read: " + "; ".join(self.malformed)
        return text


class NoAddress(Exception):
    """PUBLIC_BASE_URL is unset: no subscription can be told to be this app's."""


def import_subscriptions(client, config):
    """Make the stored subscriptions PCO's list of those that deliver to this app. A
    subscription PCO lists but sent broken is left as stored, so one bad record never drops a
    working secret; one that delivers elsewhere is another receiver's and is never stored."""
    if not own_urls(config):
        raise NoAddress("PUBLIC_BASE_URL is not set, so no PCO subscription can be told to be "
                        "this app's and no secret was imported. Set it to this site's address "
                        "and import again.")
    loaded, listed, malformed, skipped = [], set(), [], []
    for resource in WebhookSubscriptions(client).list():
        listed.add(str(resource.get("id")) if isinstance(resource, dict) else None)
        try:
            data = schemas.load_webhook_subscription(resource)
        except ValidationError as err:
            malformed.append(str(err))
            continue
        if is_own(data["url"], config):
            loaded.append(data)
        else:
            skipped.append(f"{data['name']} to {urlsplit(data['url'] or '').hostname or '?'}")
    result = _store_imported(loaded, listed, malformed, skipped, config)
    log.info("webhook subscriptions imported active=%s inactive=%s removed=%s skipped=%s "
             "malformed=%s", result.active, result.inactive, result.removed, len(skipped),
             len(malformed))
    return result


def _store_imported(loaded, listed, malformed, skipped, config):
    held = {row.pco_id: row for row in db.session.scalars(select(WebhookSubscription))}
    for data in loaded:
        row = held.get(data["pco_id"]) or WebhookSubscription(pco_id=data["pco_id"])
        for name in FIELDS:
            setattr(row, name, data[name])
        row.imported_at = utcnow()
        db.session.add(row)
    kept = {data["pco_id"] for data in loaded}
    gone = [row for pco_id, row in held.items() if pco_id not in listed
            or (pco_id not in kept and not is_own(row.url, config))]
    for row in gone:
        db.session.delete(row)
    db.session.commit()
    active = sum(1 for data in loaded if data["active"])
    return ImportResult(active, len(loaded) - active, len(gone), malformed, skipped)


def trusted_secrets(config, now=None):
    """(secret, event name) of each active subscription that delivers to this app, and of a
    rotated-away secret until its rotation completes (deliveries PCO signed just before the
    rotation may still arrive). A secret signs only its own subscription's event. Rows stored
    before secrets had a scope are filtered here too, whatever their URL."""
    now = now or utcnow()
    query = select(WebhookSubscription.authenticity_secret, WebhookSubscription.name,
                   WebhookSubscription.url, WebhookSubscription.previous_secret,
                   WebhookSubscription.previous_secret_until).where(WebhookSubscription.active)
    own = own_urls(config)
    found = []
    for secret, event, url, previous, until in db.session.execute(query):
        if normalized(url) not in own:
            continue
        found.append((secret, event))
        if previous and until and until > now:
            found.append((previous, event))
    return found


def count_active():
    query = select(func.count()).select_from(WebhookSubscription).where(
        WebhookSubscription.active)
    return db.session.scalar(query)
