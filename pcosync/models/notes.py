"""Pastoral notes: PCO's note categories and a person's notes in them, with their PCO ids.

Notes are pastoral data: only a user holding `notes.view` reads them (users.NOTES_VIEW), and
their text never goes to logs, previews or alerts (`PRIVATE_FIELDS`). Each category has the
admin's sync setting, as a custom field has: both ways, pull only (the default) or off.

A note deleted here in a both-ways category keeps its row, stamped `deleted_at`, until the push
has deleted it in PCO too; every reader leaves such rows out.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from .enums import FieldSync, check_in
from .types import CreatedAtMixin, TimestampsMixin, UTCDateTime

NOTE_LENGTH = 20_000


class NoteCategory(CreatedAtMixin, db.Model):
    __tablename__ = "note_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    pco_note_category_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    sync: Mapped[str] = mapped_column(String(10), default=FieldSync.PULL,
                                      server_default=FieldSync.PULL.value)

    __table_args__ = (
        CheckConstraint(check_in("sync", FieldSync), name="sync_known"),
    )

    @property
    def pushes(self):
        return self.sync == FieldSync.BOTH and self.pco_note_category_id is not None

    def __repr__(self):
        return f"<NoteCategory {self.id} pco={self.pco_note_category_id} {self.sync}>"


class Note(TimestampsMixin, db.Model):
    """One note on a person. `pco_synced_hash`: the note as last agreed with PCO (a push sends
    a note whose hash differs; a pull skips a note PCO has not changed)."""
    __tablename__ = "notes"
    PRIVATE_FIELDS = frozenset({"text"})  # never shown by a preview, a log or an alert

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("note_categories.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    display_date: Mapped[datetime] = mapped_column(UTCDateTime)
    author_name: Mapped[Optional[str]] = mapped_column(String(200))
    pco_note_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    pco_updated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    pco_synced_hash: Mapped[Optional[str]] = mapped_column(String(64))
    deleted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    category: Mapped[NoteCategory] = relationship(lazy="joined")
    person: Mapped["Person"] = relationship()  # noqa: F821

    @validates("display_date")
    def _to_the_second(self, key, value):
        """PCO keeps dates to the second: a finer one would never agree with PCO's."""
        return value.replace(microsecond=0) if value is not None else value

    def __repr__(self):  # never the text
        return f"<Note {self.id} person={self.person_id} pco={self.pco_note_id}>"
