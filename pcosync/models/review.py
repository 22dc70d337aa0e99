"""The review queue: what a sync could not decide alone, for a human to act on. Every
resolution is recorded with who and when; resolved items stay, under a filter."""
from datetime import datetime
from typing import Optional

from sqlalchemy import (JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint,
                        select, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .enums import ReviewKind, ReviewStatus, check_in
from .types import CreatedAtMixin, UTCDateTime, utcnow


class ReviewItem(CreatedAtMixin, db.Model):
    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.OPEN, index=True)
    summary: Mapped[str] = mapped_column(Text)
    # What an open item is about, so the same question is asked once (see the index below).
    dedupe_key: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    other_person_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True)
    pco_id: Mapped[Optional[str]] = mapped_column(String(40))
    # Kind-specific facts: candidate PCO ids, a conflict's field and both values.
    details: Mapped[Optional[dict]] = mapped_column(JSON)
    run_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sync_runs.id", ondelete="SET NULL"))
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    resolved_by: Mapped[Optional[str]] = mapped_column(String(200))
    resolution: Mapped[Optional[str]] = mapped_column(Text)

    person: Mapped[Optional["Person"]] = relationship(  # noqa: F821
        foreign_keys=[person_id])
    other_person: Mapped[Optional["Person"]] = relationship(  # noqa: F821
        foreign_keys=[other_person_id])
    family: Mapped[Optional["Family"]] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint(check_in("kind", ReviewKind), name="kind_known"),
        CheckConstraint(check_in("status", ReviewStatus), name="status_known"),
        # One open item per question, atomically, even when a pull and a webhook file it at once.
        Index("uq_review_items_open_key", "dedupe_key", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    @property
    def is_open(self):
        return self.status == ReviewStatus.OPEN


class DistinctPeople(db.Model):
    """An admin said these are different people: a local person and another local person, or
    a local person and a PCO person. Never asked again for that pair, and recorded once: a local
    pair is stored smaller id first, so each shape has a unique constraint that holds (the
    column the other shape leaves NULL keeps the two constraints apart)."""
    __tablename__ = "distinct_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    other_person_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"))
    other_pco_id: Mapped[Optional[str]] = mapped_column(String(40))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("person_id", "other_person_id"),
        UniqueConstraint("person_id", "other_pco_id"),
        CheckConstraint("(other_person_id IS NULL) != (other_pco_id IS NULL)",
                        name="one_other"),
        CheckConstraint("other_person_id IS NULL OR person_id < other_person_id",
                        name="pair_ordered"),
    )

    @classmethod
    def local_pair(cls, person_id, other_person_id, decided_by):
        low, high = sorted((person_id, other_person_id))
        return cls(person_id=low, other_person_id=high, decided_by=decided_by)

    @classmethod
    def pco_pair(cls, person_id, other_pco_id, decided_by):
        return cls(person_id=person_id, other_pco_id=other_pco_id, decided_by=decided_by)

    def existing(self):
        """A query for the id of the row that already records this pair, if any."""
        cls = type(self)
        other = (cls.other_person_id == self.other_person_id if self.other_pco_id is None
                 else cls.other_pco_id == self.other_pco_id)
        return select(cls.id).where(cls.person_id == self.person_id, other)
