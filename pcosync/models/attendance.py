"""Group attendance pulled from PCO (read only there): a group's events (meetings) and who
attended each, and the passes that read them.

PCO's attendances carry no timestamps and events can be filtered only by their start and end
times, so attendance is read in passes over a window of start times; a pass is read group by
group (its chunks), each chunk committed when done, so a pass stopped halfway resumes with the
groups it has not read and never reads a finished chunk again.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import CreatedAtMixin, TimestampsMixin, UTCDateTime, utcnow


class GroupEvent(TimestampsMixin, db.Model):
    __tablename__ = "group_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[Optional[str]] = mapped_column(String(255))
    starts_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    canceled: Mapped[bool] = mapped_column(default=False)
    pco_event_id: Mapped[str] = mapped_column(String(40), unique=True)

    group: Mapped["Group"] = relationship()  # noqa: F821
    attendances: Mapped[list["Attendance"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Attendance.id")


class Attendance(CreatedAtMixin, db.Model):
    """One person's line on one event: attended or not, in a role (member, leader, visitor,
    applicant)."""
    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("group_events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    attended: Mapped[bool] = mapped_column(default=False)
    role: Mapped[Optional[str]] = mapped_column(String(20))
    pco_attendance_id: Mapped[str] = mapped_column(String(40), unique=True)

    event: Mapped[GroupEvent] = relationship(back_populates="attendances")
    person: Mapped["Person"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("event_id", "person_id"),)


class AttendancePass(db.Model):
    """One reading of every group's events that start in [reads_from, reads_until)."""
    __tablename__ = "attendance_passes"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reads_from: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # None: all history
    reads_until: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    chunks: Mapped[list["AttendanceChunk"]] = relationship(
        back_populates="attendance_pass", cascade="all, delete-orphan")


class AttendanceChunk(db.Model):
    """One group of a pass, read to its end: never read again in that pass."""
    __tablename__ = "attendance_chunks"

    id: Mapped[int] = mapped_column(primary_key=True)
    pass_id: Mapped[int] = mapped_column(
        ForeignKey("attendance_passes.id", ondelete="CASCADE"))
    group_pco_id: Mapped[str] = mapped_column(String(40))
    requests: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attendance_pass: Mapped[AttendancePass] = relationship(back_populates="chunks")

    __table_args__ = (UniqueConstraint("pass_id", "group_pco_id"),)
