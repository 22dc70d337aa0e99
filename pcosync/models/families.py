"""Families (PCO Households) and their members."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import CreatedAtMixin, TimestampsMixin, UTCDateTime


class Family(TimestampsMixin, db.Model):
    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    primary_member_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"))
    pco_household_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    # PCO's household photo (pull only).
    pco_avatar_url: Mapped[Optional[str]] = mapped_column(String(500))
    pco_updated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    pco_synced_hash: Mapped[Optional[str]] = mapped_column(String(64))
    pco_synced_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    archived_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    primary_member: Mapped[Optional["Person"]] = relationship(  # noqa: F821
        foreign_keys=[primary_member_id])
    members: Mapped[list["FamilyMember"]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="FamilyMember.id")
    address: Mapped[Optional["Address"]] = relationship(  # noqa: F821
        back_populates="family", cascade="all, delete-orphan", uselist=False,
        foreign_keys="Address.family_id")

    def set_address(self, values):
        """Give the family a home address with these values; only changed columns are written,
        so an unchanged address is no write at all."""
        from .people import Address

        if self.address is None:
            self.address = Address(location="Home", is_primary=True)
        for name, value in values.items():
            if getattr(self.address, name) != value:
                setattr(self.address, name, value)

    def __repr__(self):
        return f"<Family {self.id} pco={self.pco_household_id}>"


class FamilyMember(CreatedAtMixin, db.Model):
    __tablename__ = "family_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # adult, child, other_adult, parent_guardian (PCO's household roles) or a local label.
    role: Mapped[str] = mapped_column(String(40), default="adult")
    # Set when the membership came from (or was pushed to) PCO: pull may remove it.
    from_pco: Mapped[bool] = mapped_column(default=False)

    family: Mapped["Family"] = relationship(back_populates="members")
    person: Mapped["Person"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("family_id", "person_id"),)
