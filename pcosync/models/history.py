"""The change history: one row per changed field of a synced record, whoever wrote it
(services/history/capture.py records them), kept HISTORY_DAYS days.

A row names its record (type and id) and the people, family or group whose pages show it: a
person's email belongs to the person's page, a family member's role to both the person's and
the family's. Values are text: a string as it is, a date as ISO text, anything else as JSON.
A record's first appearance is one row (`field` = CREATED), not one per field; a row removed
is one row (`field` = DELETED) whose `before` holds its values. Deleting a person, family or
group purges its history with it (the foreign keys cascade), sensitive fields included.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .enums import ChangeSource, check_in
from .types import UTCDateTime, utcnow

CREATED, DELETED = "created", "deleted"
# Recorded like any other field, shown only to holders of PEOPLE_SENSITIVE.
SENSITIVE_FIELDS = frozenset({"medical_notes"})


def _partial(name, *columns, where):
    condition = text(where)
    return Index(name, *columns, sqlite_where=condition, postgresql_where=condition)


class FieldChange(db.Model):
    __tablename__ = "field_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    family_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"))
    group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(80))
    before: Mapped[Optional[str]] = mapped_column(Text)
    after: Mapped[Optional[str]] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default=ChangeSource.OTHER)
    run_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sync_runs.id", ondelete="SET NULL"))
    # PCO's delivery id of the webhook that brought the change.
    delivery_id: Mapped[Optional[str]] = mapped_column(String(80))
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The change this one undid (a revert's row): a change is reverted once.
    reverts_id: Mapped[Optional[int]]
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(check_in("source", ChangeSource), name="source_known"),
        # Each page reads its newest rows from one of these (id DESC is a backward scan).
        _partial("ix_field_changes_person", "person_id", "id", where="person_id IS NOT NULL"),
        _partial("ix_field_changes_family", "family_id", "id", where="family_id IS NOT NULL"),
        _partial("ix_field_changes_group", "group_id", "id", where="group_id IS NOT NULL"),
        _partial("ix_field_changes_run", "run_id", "id", where="run_id IS NOT NULL"),
        _partial("ix_field_changes_reverts", "reverts_id", where="reverts_id IS NOT NULL"),
        Index("ix_field_changes_record", "record_type", "record_id", "id"),
        Index("ix_field_changes_changed_at", "changed_at"),
    )

    @property
    def is_sensitive(self):
        return self.field in SENSITIVE_FIELDS

    def __repr__(self):
        return f"<FieldChange {self.id} {self.record_type} {self.record_id} {self.field}>"
