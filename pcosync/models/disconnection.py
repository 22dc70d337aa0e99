"""The plain record of a disconnect from PCO: when, by whom, and what it did. Every record and
PCO id stays; reconnecting (setting credentials and running a sync) resumes from those ids."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class Disconnection(db.Model):
    __tablename__ = "disconnections"

    id: Mapped[int] = mapped_column(primary_key=True)
    disconnected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disconnected_by: Mapped[str] = mapped_column(String(200))
    subscriptions_deleted: Mapped[int] = mapped_column(default=0)
    schedules_turned_off: Mapped[int] = mapped_column(default=0)
    # What the independence report said was only in PCO when it was confirmed anyway.
    left_in_pco: Mapped[Optional[dict]] = mapped_column(JSON)
