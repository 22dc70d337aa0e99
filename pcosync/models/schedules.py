"""What keeps the sync going without an admin: the schedules they set, and Quick Sync's cursors."""
from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, UpdatedAtMixin, utcnow


class SyncSchedule(UpdatedAtMixin, db.Model):
    """The admin's schedules (one row): Quick Sync every so often, a nightly Full Sync at a
    time of day in the church's time zone (the TIMEZONE setting), optionally a Full Push after
    it. The worker's RQ scheduler runs them; this row is what survives every restart."""
    __tablename__ = "sync_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Seconds between Quick Syncs (the page sets whole minutes); NULL: off.
    quick_sync_seconds: Mapped[Optional[int]]
    # "HH:MM" in the church's time zone; NULL: off.
    full_sync_at: Mapped[Optional[str]] = mapped_column(String(5))
    full_push_after: Mapped[bool] = mapped_column(default=False)
    updated_by: Mapped[Optional[str]] = mapped_column(String(200))

    __table_args__ = (
        CheckConstraint("quick_sync_seconds IS NULL OR quick_sync_seconds > 0",
                        name="quick_sync_positive"),
    )


class SyncCursor(db.Model):
    """How far Quick Sync has read one PCO listing (people, emails, ...): PCO's own timestamp of
    the newest record applied. It only moves in the commit of the page that reached it, so a
    crash or a cancel re-reads and never skips."""
    __tablename__ = "sync_cursors"

    resource: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[datetime] = mapped_column(UTCDateTime)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
