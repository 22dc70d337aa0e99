"""Erasures: a person erased on request (services/privacy), recorded without personal data.

The row says when, by whom, and which PCO id: every path that could bring the person back (a
pull, a Quick Sync, a webhook, the matcher, the review queue, the duplicate finder) skips that
PCO id and says why. It holds no name, email or phone: the former local id and the PCO id are
the only references left.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class PersonErasure(db.Model):
    __tablename__ = "person_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The erased person's PCO id (null for a person PCO never held): never pulled again.
    pco_id: Mapped[Optional[str]] = mapped_column(String(40), index=True)
    # The local id they had (a number, not personal data): old links and logs can be explained.
    former_person_id: Mapped[int]
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_by: Mapped[str] = mapped_column(String(200))
    # What was asked of PCO and what it answered: "not asked", "deleted", "refused: ...".
    pco_outcome: Mapped[str] = mapped_column(Text, default="not asked")

    def __repr__(self):
        return f"<PersonErasure {self.id} pco={self.pco_id}>"
