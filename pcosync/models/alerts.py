"""Alerts: the problems someone was told about, so each is told once until it is resolved."""
from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class Alert(db.Model):
    """One episode of a problem ("run:Full Sync", "worker", ...). `open_key` holds the problem
    while it is open and is cleared when it is resolved: its unique constraint lets only one
    process open a problem, so several web processes that notice it at once send one message."""
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem: Mapped[str] = mapped_column(String(80), index=True)
    open_key: Mapped[Optional[str]] = mapped_column(String(80), unique=True)
    message: Mapped[str] = mapped_column(Text)  # the last message sent (or logged) about it
    path: Mapped[str] = mapped_column(String(200))  # the page that explains it
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    @property
    def headline(self):
        return headline(self.message)


def headline(message):
    """A message's first sentence: the subject line of its email, the Sync page's summary."""
    return message.split(". ")[0].rstrip(".")[:150]
