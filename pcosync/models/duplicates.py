"""What the church says about names, and the likely duplicates the finder found."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .enums import DuplicateStatus, NameKind, check_in
from .types import UTCDateTime, utcnow


class NameEquivalence(db.Model):
    """Two names the church accepts as one person's (José/Pepe, a compound surname and its
    short form): the name rule treats them as the same name. Stored in normal form."""
    __tablename__ = "name_equivalences"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    other_name: Mapped[str] = mapped_column(String(120))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(check_in("kind", NameKind), name="kind_known"),
        CheckConstraint("name < other_name", name="ordered"),  # one row per pair
        UniqueConstraint("kind", "name", "other_name"),
    )


class DuplicatePair(db.Model):
    """Two local people the finder thinks may be one, with why; kept until a human decides."""
    __tablename__ = "duplicate_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    other_person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(index=True)
    reasons: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=DuplicateStatus.OPEN, index=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_by: Mapped[Optional[str]] = mapped_column(String(200))
    resolved_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    person: Mapped["Person"] = relationship(foreign_keys=[person_id])  # noqa: F821
    other_person: Mapped["Person"] = relationship(foreign_keys=[other_person_id])  # noqa: F821

    __table_args__ = (
        CheckConstraint(check_in("status", DuplicateStatus), name="status_known"),
        CheckConstraint("person_id < other_person_id", name="ordered"),
        UniqueConstraint("person_id", "other_person_id"),
    )

    @property
    def both_in_pco(self):
        """Only PCO can merge two people it holds: shown as duplicates in PCO too."""
        return bool(self.person.pco_id and self.other_person.pco_id)
