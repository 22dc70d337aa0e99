"""Departments, groups and group memberships."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .enums import GroupRole, check_in
from .types import CreatedAtMixin, TimestampsMixin, UTCDateTime

PCO_GROUPS_DEPARTMENT = "PCO Groups"


class Department(CreatedAtMixin, db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    groups: Mapped[list["Group"]] = relationship(back_populates="department")


class Group(TimestampsMixin, db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[Optional[str]] = mapped_column(Text)
    # What PCO says about its groups (pull only: PCO's API does not let other apps change them).
    group_type: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    schedule: Mapped[Optional[str]] = mapped_column(String(500))
    location_name: Mapped[Optional[str]] = mapped_column(String(255))
    contact_email: Mapped[Optional[str]] = mapped_column(String(320))
    tags: Mapped[Optional[list]] = mapped_column(JSON)  # tag names
    pco_group_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    pco_updated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    archived_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    department: Mapped["Department"] = relationship(back_populates="groups")
    memberships: Mapped[list["GroupMembership"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMembership.id")


class GroupMembership(CreatedAtMixin, db.Model):
    __tablename__ = "group_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=GroupRole.MEMBER)
    joined_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    pco_membership_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    # The role PCO holds as far as we know: a local role that differs is the next push's PATCH.
    pco_synced_role: Mapped[Optional[str]] = mapped_column(String(20))

    group: Mapped["Group"] = relationship(back_populates="memberships")
    person: Mapped["Person"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("group_id", "person_id"),
        CheckConstraint(check_in("role", GroupRole), name="role_known"),
    )
