"""Campuses and the choice lists PCO keeps as resources with ids (marital statuses, inactive
reasons, name prefixes and suffixes, school options; Groups' tags), mirrored here with their
PCO ids so a form can offer them and a push can name them by id.

A person holds a choice's value (`Person.marital_status == "Married"`) and a campus by its row
(`Person.campus_id`); a row without a PCO id is one PCO does not have yet (the next push
creates it there).
"""
from typing import Optional

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import CreatedAtMixin, TimestampsMixin

# The person's field (and the kind of choice it holds), then Groups' tags.
PERSON_CHOICE_KINDS = ("marital_status", "inactive_reason", "name_prefix", "name_suffix",
                       "school")
GROUP_TAG = "group_tag"
CHOICE_KINDS = PERSON_CHOICE_KINDS + (GROUP_TAG,)
CHOICE_VALUE_LENGTH = 200


def _kinds_check():
    values = ", ".join(f"'{kind}'" for kind in CHOICE_KINDS)
    return f"kind in ({values})"


class Campus(TimestampsMixin, db.Model):
    __tablename__ = "campuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    pco_campus_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)

    def __repr__(self):
        return f"<Campus {self.id} {self.name!r} pco={self.pco_campus_id}>"


class ProfileChoice(CreatedAtMixin, db.Model):
    """One option of one list: `kind` says which (marital_status, ..., group_tag)."""

    __tablename__ = "profile_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(CHOICE_VALUE_LENGTH))
    pco_id: Mapped[Optional[str]] = mapped_column(String(40))

    __table_args__ = (
        CheckConstraint(_kinds_check(), name="kind_known"),
        UniqueConstraint("kind", "pco_id"),
        Index("ix_profile_choices_kind_value", "kind", "value"),
    )

    def __repr__(self):
        return f"<ProfileChoice {self.kind} {self.value!r} pco={self.pco_id}>"
