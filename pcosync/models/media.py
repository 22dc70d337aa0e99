"""Stored files: the bytes of people's and households' photos and of custom-field files, kept
through the storage interface (services/media/storage.py) so nothing is lost when PCO is gone.

A row knows its file by what identifies it, not by PCO's address alone (PCO's file addresses
may be signed and expire): a photo by its address without the query string, a custom-field
file by the datum id with its file name and size, a photo taken here by its hash.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .enums import MediaKind, MediaSource, check_in
from .types import TimestampsMixin, UTCDateTime


class StoredFile(TimestampsMixin, db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10), default=MediaSource.PCO)
    # What the file is known by (see the module's docstring); one current file per owner slot.
    identity: Mapped[str] = mapped_column(String(1200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    file_name: Mapped[Optional[str]] = mapped_column(String(255))
    person_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True)
    field_value_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("field_values.id", ondelete="SET NULL"), index=True)
    # A photo taken here: when it reached PCO (None: still to send).
    pushed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    person: Mapped[Optional["Person"]] = relationship()  # noqa: F821
    family: Mapped[Optional["Family"]] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint(check_in("kind", MediaKind), name="kind_known"),
        CheckConstraint(check_in("source", MediaSource), name="source_known"),
        Index("ix_stored_files_identity", "identity"),
    )

    @property
    def is_photo(self):
        return self.kind in (MediaKind.PERSON_PHOTO, MediaKind.FAMILY_PHOTO)

    def __repr__(self):
        return f"<StoredFile {self.id} {self.kind} {self.size} bytes>"


class MediaFailure(TimestampsMixin, db.Model):
    """A file PCO points at that could not be downloaded (gone, its host down): one row per
    owner slot, like StoredFile's. The Media step leaves it until `next_try_at`, a pause that
    doubles with each attempt, so one broken file does not start a Media run after every Quick
    Sync that touches its person. Gone once the file is stored; a new file in the slot (another
    identity) is tried at once."""
    __tablename__ = "media_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    identity: Mapped[str] = mapped_column(String(1200))
    # The owner as in StoredFile; a custom-field file's person too, to name them.
    person_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True)
    field_value_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("field_values.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[Optional[str]] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    # Said for a person (a host and a path, never a signed query).
    last_error: Mapped[str] = mapped_column(String(500))
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    person: Mapped[Optional["Person"]] = relationship()  # noqa: F821
    family: Mapped[Optional["Family"]] = relationship()  # noqa: F821

    __table_args__ = (CheckConstraint(check_in("kind", MediaKind), name="kind_known"),)

    def __repr__(self):
        return f"<MediaFailure {self.id} {self.kind} attempts={self.attempts}>"
