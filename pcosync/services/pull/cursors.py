"""Quick Sync's cursors: per PCO listing, PCO's stamp of the newest record applied.

A cursor moves in the same commit as the page that reached it (the caller's checkpoint), and
only forward. Reading starts a few minutes before it: PCO's clock, records stamped in the same
second, and a transaction committing late in PCO could otherwise slip behind a cursor.
"""
from datetime import timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import RunStatus, SyncCursor, SyncRun
from ..rules.contact_kinds import CONTACT_KINDS

OVERLAP = timedelta(minutes=5)
RESOURCES = ("person_mergers", "people", *(kind.name for kind in CONTACT_KINDS), "notes")


def position(resource):
    row = db.session.get(SyncCursor, resource)
    return row.position if row else None


def start(resource, since=None):
    """Where to read from: the cursor minus the overlap; without a cursor, the start of the
    last completed run of `since`, the kind that reads every person (everything older came
    with it); None: read everything."""
    moment = position(resource) or (since and last_completed_start(since))
    return moment - OVERLAP if moment else None


def last_completed_start(kind):
    return db.session.scalar(
        select(SyncRun.started_at).where(SyncRun.kind == kind,
                                         SyncRun.status == RunStatus.COMPLETED,
                                         SyncRun.preview.is_(False))  # a preview pulled nothing
        .order_by(SyncRun.started_at.desc()).limit(1))


def advance(resource, moment):
    """Move the cursor to `moment` if that is forward; written with the caller's next commit.
    Nothing is written when it would not move (an unchanged Quick Sync writes nothing)."""
    if moment is None:
        return False
    row = db.session.get(SyncCursor, resource)
    if row is None:
        db.session.add(SyncCursor(resource=resource, position=moment))
        return True
    if moment <= row.position:
        return False
    row.position = moment
    return True


def all_positions():
    """{resource: position} for the Sync page."""
    return {row.resource: row.position for row in db.session.scalars(select(SyncCursor))}
