"""Webhook subscriptions made and kept by the app, so that no admin creates 20 of them by hand in
PCO's UI and copies 20 secrets: "Set up webhooks" (and `flask pco webhooks setup`) gives every
event the app handles exactly one active subscription to this site's /api/pco-webhook, a daily
check switches back on what PCO deactivated (PCO does so after 5.4 days of failed deliveries
and only emails whoever created it), and "Rotate secrets" replaces every secret.

Subscriptions to other URLs are never touched. Secrets are stored, used to verify deliveries,
and never logged or shown.
"""
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from marshmallow import ValidationError
from sqlalchemy import select

from ... import config as settings
from ...extensions import db
from ...models import WebhookSubscription, utcnow
from ...pco import schemas
from ...pco.webhook_api import WebhookSubscriptions
from . import events
from .urls import ENDPOINT, normalized, own_urls

log = logging.getLogger("pcosync.webhooks")
# After a rotation the old secret still verifies this long: a delivery PCO signed just before
# may still be on its way, or be retried.
ROTATION_GRACE = timedelta(hours=1)


class SetupRefused(Exception):
    """Webhooks cannot be set up as things are; the message says what to change."""


def handled_events():
    return events.names()


def delivery_url(config):
    """This site's webhook URL, or SetupRefused: PCO delivers only to a public https address,
    so any other would make subscriptions that never deliver (the sandbox takes http)."""
    base = str(config.get("PUBLIC_BASE_URL") or "").strip()
    if not base:
        raise SetupRefused(
            "PUBLIC_BASE_URL is not set, so PCO would not know where to deliver webhooks. Set "
            "it to this site's public https address (e.g. https://sync.yourchurch.org) and "
            "restart; then press Set up webhooks again.")
    parts = urlsplit(base)
    allowed = ("https",) + (("http",) if settings.uses_sandbox(config) else ())
    if parts.scheme not in allowed or not parts.hostname:
        raise SetupRefused(
            f"PUBLIC_BASE_URL is {base[:100]!r}: PCO delivers webhooks only to a public https:// "
            "address. Set it to this site's https address and restart.")
    return base.rstrip("/") + ENDPOINT


def setup_blocker(config):
    """Why webhooks cannot be set up now, or None."""
    try:
        delivery_url(config)
    except SetupRefused as err:
        return str(err)
    return None


@dataclass
class SetupResult:
    url: str
    created: list = field(default_factory=list)
    reactivated: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    unchanged: int = 0
    malformed: list = field(default_factory=list)
    elsewhere: list = field(default_factory=list)  # other receivers': left alone, not trusted

    @property
    def changed(self):
        return bool(self.created or self.reactivated or self.removed)

    def summary(self):
        text = (f"Webhooks to {self.url}: {self.unchanged} already in place, "
                f"{len(self.created)} created, {len(self.reactivated)} re-activated, "
                f"{len(self.removed)} duplicates removed.")
        if self.reactivated:
            text += " Re-activated (PCO had switched them off): " + ", ".join(self.reactivated)
        if self.elsewhere:
            text += (f" Left alone {len(self.elsewhere)} that deliver to another address (their "
                     "secrets are not trusted here): " + ", ".join(sorted(set(self.elsewhere))))
        if self.malformed:
            text += f" {len(self.malformed)} subscriptions could not be read."
        return text


def set_up(client, config):
    """Make PCO's subscriptions to this URL exactly one active one per handled event."""
    return reconcile(client, config)


def is_set_up():
    return db.session.scalar(select(WebhookSubscription.id).where(WebhookSubscription.managed)
                             .limit(1)) is not None


def daily_check(client, config):
    """The scheduled check: only once webhooks were set up here (it never creates unasked)."""
    finish_rotations()
    if not is_set_up():
        return SetupResult(url="(webhooks not set up here)")
    return reconcile(client, config)


def reconcile(client, config):
    url = delivery_url(config)
    api = WebhookSubscriptions(client)
    listed, malformed = _load_all(api.list())
    mine, elsewhere = {}, []
    for data in listed:
        if _same_url(data["url"], url):
            mine.setdefault(data["name"], []).append(data)
        else:
            elsewhere.append(urlsplit(data["url"] or "").hostname or "an unreadable address")
    result = SetupResult(url=url, malformed=malformed, elsewhere=elsewhere)
    kept = [_reconcile_event(api, event, url, mine.get(event, []), result)
            for event in handled_events()]
    _store(kept, {d["pco_id"] for d in listed}, result, config)
    log.info("webhooks set up url=%s created=%s reactivated=%s removed=%s unchanged=%s",
             url, len(result.created), len(result.reactivated), len(result.removed),
             result.unchanged)
    return result


def _load_all(resources):
    loaded, malformed = [], []
    for resource in resources:
        try:
            loaded.append(schemas.load_webhook_subscription(resource))
        except ValidationError as err:
            malformed.append(str(err))
    return loaded, malformed


def _same_url(left, right):
    return normalized(left) == normalized(right)


def _reconcile_event(api, event, url, mine, result):
    """The one subscription kept for `event` (created, re-activated or as it was)."""
    if not mine:
        result.created.append(event)
        return schemas.load_webhook_subscription(api.create(event, url))
    keep, *duplicates = sorted(mine, key=lambda d: (not d["active"], _id_order(d["pco_id"])))
    for duplicate in duplicates:  # two subscriptions: every change would arrive twice
        api.delete(duplicate["pco_id"])
        result.removed.append(duplicate["pco_id"])
    if keep["active"]:
        result.unchanged += 1
        return keep
    result.reactivated.append(event)
    return schemas.load_webhook_subscription(api.activate(keep["pco_id"]))


def _id_order(pco_id):
    return (0, int(pco_id)) if str(pco_id).isdigit() else (1, str(pco_id))


def _store(kept, listed_ids, result, config):
    now = utcnow()
    held = {row.pco_id: row for row in db.session.scalars(select(WebhookSubscription))}
    reactivated = set(result.reactivated)
    for data in kept:
        row = held.get(data["pco_id"]) or WebhookSubscription(pco_id=data["pco_id"])
        for name in ("name", "url", "active", "authenticity_secret"):
            setattr(row, name, data[name])
        row.managed, row.checked_at = True, now
        if data["name"] in reactivated:
            row.reactivated_at = now
        db.session.add(row)
    # Rows PCO no longer lists, the duplicates just deleted there, and another receiver's
    # (imported before secrets had a scope) are forgotten here.
    own = own_urls(config)
    foreign = {pco_id for pco_id, row in held.items() if normalized(row.url) not in own}
    gone = (set(held) - listed_ids) | (set(held) & set(result.removed)) | foreign
    for pco_id in gone - {data["pco_id"] for data in kept}:
        db.session.delete(held[pco_id])
    db.session.commit()


def rotate_secrets(client, now=None):
    """PCO's rotate_secret on every subscription set up here; each new secret is stored the
    moment PCO answers, and the old one keeps verifying for ROTATION_GRACE. Returns a count."""
    rows = db.session.scalars(select(WebhookSubscription).where(
        WebhookSubscription.managed, WebhookSubscription.active)
        .order_by(WebhookSubscription.id)).all()
    if not rows:
        raise SetupRefused("No webhook subscription was set up here yet: press Set up webhooks "
                           "first.")
    api = WebhookSubscriptions(client)
    for row in rows:
        data = schemas.load_webhook_subscription(api.rotate_secret(row.pco_id))
        row.previous_secret = row.authenticity_secret
        row.previous_secret_until = (now or utcnow()) + ROTATION_GRACE
        row.authenticity_secret = data["authenticity_secret"]
        db.session.commit()
    log.info("webhook secrets rotated count=%s", len(rows))
    return len(rows)


def finish_rotations(now=None):
    """Forget the old secrets whose grace has passed (verification already ignores them)."""
    now = now or utcnow()
    rows = db.session.scalars(select(WebhookSubscription).where(
        WebhookSubscription.previous_secret.is_not(None),
        WebhookSubscription.previous_secret_until <= now)).all()
    for row in rows:
        row.previous_secret = row.previous_secret_until = None
    db.session.commit()
    return len(rows)


def remove_own(client, config):
    """Delete this app's subscriptions in PCO (to its own URLs, or set up here) and forget them
    here; others' are never touched. Returns how many PCO deleted."""
    api = WebhookSubscriptions(client)
    listed, _ = _load_all(api.list())
    held = {row.pco_id: row for row in db.session.scalars(select(WebhookSubscription))}
    own = own_urls(config) | {normalized(row.url) for row in held.values() if row.managed}
    deleted = 0
    for data in listed:
        if normalized(data["url"]) in own or data["pco_id"] in held:
            api.delete(data["pco_id"])
            deleted += 1
    for row in held.values():
        db.session.delete(row)
    db.session.commit()
    log.info("webhook subscriptions removed in PCO count=%s", deleted)
    return deleted
