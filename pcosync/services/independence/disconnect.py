"""Disconnect from PCO: count what exists only in PCO (the report), refuse while anything does
unless confirmed, delete this app's webhook subscriptions in PCO, turn off the schedules, and
leave a plain record of when and by whom. Every record here and every PCO id stays, so
reconnecting (credentials set again, a sync run) resumes from the stored ids."""
import logging

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Disconnection
from ..runs import schedules
from ..webhooks import setup as webhook_setup
from .report import build_report

log = logging.getLogger("pcosync.independence")

# What the confirmation lists, in order (the page and `flask pco disconnect`).
STEPS = (
    "Count what exists only in PCO (the independence report) and stop if anything does, "
    "unless you confirm leaving it there.",
    "Delete this app's webhook subscriptions in PCO, so PCO stops sending changes here.",
    "Turn off the schedules: Quick Sync, the nightly Full Sync and the Full Push after it.",
    "Keep every record here and every PCO id: nothing is deleted, archived or changed.",
    "Record when you disconnected and who did.",
)


class StillInPCO(Exception):
    """Data exists only in PCO and nobody confirmed leaving it there."""

    def __init__(self, left):
        self.left = left
        listed = "; ".join(f"{label}: {count}" for label, count in left.items())
        super().__init__(f"Some data exists only in PCO ({listed}). Bring it here first "
                         "(Bring It All Here), or confirm that you leave it in PCO.")


def disconnect(client, by, confirmed=False, report=None):
    """The Disconnection row; StillInPCO when data is only in PCO and `confirmed` is False."""
    report = report or build_report(client)
    left = report.left_in_pco
    if left and not confirmed:
        raise StillInPCO(left)
    deleted = webhook_setup.remove_own(client, current_app.config)
    turned_off = turn_off_schedules(by)
    row = Disconnection(disconnected_by=str(by)[:200], subscriptions_deleted=deleted,
                        schedules_turned_off=turned_off, left_in_pco=left or None)
    db.session.add(row)
    db.session.commit()
    log.info("disconnected from PCO by=%r subscriptions_deleted=%s schedules_turned_off=%s",
             by, deleted, turned_off)
    return row


def turn_off_schedules(by):
    """How many schedules were on."""
    current = schedules.get_schedule()
    on = sum((current.quick_sync_seconds is not None, current.full_sync_at is not None,
              bool(current.full_push_after)))
    schedules.save_schedule(None, None, False, by=f"disconnect by {by}")
    return on


def last_disconnection():
    return db.session.scalar(select(Disconnection).order_by(Disconnection.id.desc()).limit(1))
