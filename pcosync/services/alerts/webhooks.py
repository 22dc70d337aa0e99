"""Webhooks look broken: a Quick Sync found people changed in PCO that no webhook delivery
brought, while subscriptions to person events exist.

Silence alone is normal (a quiet church changes nothing for days), so the rule needs evidence:
people the Quick Sync found different from what is held here. With webhooks flowing, a change
is applied by its delivery first and the Quick Sync finds nothing to change; a payload that
lacks some fields (choice lists) leaves the rest to the Quick Sync, but its delivery was still
received, so that person does not count. People PCO changed within WEBHOOK_GRACE_SECONDS do
not count either: their delivery may be on its way.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import (Person, RunStatus, SyncRun, WebhookDelivery, WebhookSubscription,
                       utcnow)
from ..runs import kinds
from ..pull.quick import CHANGED_PEOPLE
from ..webhooks import events, payloads
from ..webhooks.batch import read_row
from ..webhooks.handlers.common import related_pco_id
from .notify import open_problems, raise_alert, resolve_alert

PROBLEM = "webhooks-broken"
PERSON_EVENTS = f"{events.PEOPLE_EVENTS}.person."
PEOPLE_EVENTS = f"{events.PEOPLE_EVENTS}."
LOOKBACK = timedelta(days=1)  # deliveries searched when there is no earlier Quick Sync


def quick_sync_finished(run):
    """Judge a completed Quick Sync (called by rules.run_finished)."""
    changed = set((run.report or {}).get(CHANGED_PEOPLE) or ())
    if not changed or not person_subscriptions_active():
        return
    since = window_start(run)
    missed = changed - delivered_people(since) - recently_changed(changed)
    if missed:
        raise_alert(PROBLEM, f"Webhooks look broken. A Quick Sync found {len(missed)} people "
                    "changed in PCO that no webhook delivery brought, although webhook "
                    "subscriptions exist. Changes now arrive only with each Quick Sync. Check "
                    "the webhook health panel on the Sync page.", "/sync/#webhook-title")
    elif PROBLEM in open_problems() and delivered_people(open_problems()[PROBLEM].opened_at):
        resolve_alert(PROBLEM, "Webhook deliveries are arriving again: a Quick Sync found no "
                      "change they had not brought.")


def person_subscriptions_active():
    return db.session.scalar(select(WebhookSubscription.id).where(
        WebhookSubscription.active.is_(True),
        WebhookSubscription.name.startswith(PERSON_EVENTS)).limit(1)) is not None


def window_start(run):
    """Deliveries since the previous completed Quick Sync started could have brought them."""
    previous = db.session.scalar(
        select(SyncRun.started_at).where(SyncRun.kind == kinds.QUICK_SYNC,
                                         SyncRun.status == RunStatus.COMPLETED,
                                         SyncRun.id < run.id, SyncRun.parent_id.is_(None))
        .order_by(SyncRun.id.desc()).limit(1))
    return previous or run.started_at - LOOKBACK


def delivered_people(since):
    """PCO ids of the people the deliveries received since `since` were about."""
    rows = db.session.execute(select(WebhookDelivery.body).where(
        WebhookDelivery.received_at >= since,
        WebhookDelivery.event_name.startswith(PEOPLE_EVENTS)))
    return {pco_id for (body,) in rows if (pco_id := person_of(body))}


def person_of(body):
    """The person a recorded delivery is about (a person's id, or a contact point's person)."""
    payload = read_row(None, None, "", body).payload
    if payload is None:
        return None
    data = payloads.data_of(payload)
    key = payloads.record_key(payload)
    if key and key[0] == "Person":
        return key[1]
    return related_pco_id(data, "person")


def recently_changed(pco_ids):
    grace = timedelta(seconds=current_app.config.get("WEBHOOK_GRACE_SECONDS", 600))
    if not grace:
        return set()
    return set(db.session.scalars(select(Person.pco_id).where(
        Person.pco_id.in_(list(pco_ids)), Person.pco_updated_at > utcnow() - grace)))
