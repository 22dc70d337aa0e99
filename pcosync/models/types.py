"""Column types shared by the models."""
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python on every database (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow():
    return datetime.now(timezone.utc)


class CreatedAtMixin:
    """When the row was written here (not PCO's created_at: that is not kept)."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UpdatedAtMixin:
    """When the row last changed here; a write that changes nothing leaves it (a Skipped record
    keeps its updated_at)."""

    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TimestampsMixin(CreatedAtMixin, UpdatedAtMixin):
    """created_at and updated_at."""
