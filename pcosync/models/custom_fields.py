"""Custom fields: the platform's own person fields beyond the standard profile, grouped in tabs.

They mirror PCO's tabs, field definitions, options and field data (with their PCO ids) but are
the platform's own: a definition without a PCO id is a local field, and a definition PCO deleted
stays here (marked deleted) with its values. A value is text, as PCO stores it; a checkboxes
field holds one row per ticked option, every other field at most one row per person.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from .enums import FieldSync, FieldType, check_in
from .numbers import bounded_decimal
from .types import CreatedAtMixin, TimestampsMixin, UTCDateTime

# A type PCO adds later is kept as it comes and shown read only (see FieldType).
TEXT_TYPES = (FieldType.STRING, FieldType.TEXT)
CHOICE_TYPES = (FieldType.SELECT, FieldType.CHECKBOXES)
HEADING_TYPES = (FieldType.HEADER, FieldType.HEADING)
READ_ONLY_TYPES = (FieldType.FILE,) + HEADING_TYPES
EDITABLE_TYPES = TEXT_TYPES + CHOICE_TYPES + (FieldType.DATE, FieldType.NUMBER, FieldType.BOOLEAN)
FIELD_VALUE_LENGTH = 10_000
BOOLEAN_TRUE = ("true", "1", "yes", "on")


class FieldTab(CreatedAtMixin, db.Model):
    __tablename__ = "field_tabs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sequence: Mapped[Optional[int]] = mapped_column()
    pco_tab_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)

    definitions: Mapped[list["FieldDefinition"]] = relationship(
        back_populates="tab", order_by="FieldDefinition.sequence")

    def __repr__(self):
        return f"<FieldTab {self.id} {self.name!r} pco={self.pco_tab_id}>"


class FieldDefinition(CreatedAtMixin, db.Model):
    __tablename__ = "field_definitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    tab_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("field_tabs.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    data_type: Mapped[str] = mapped_column(String(20))
    sequence: Mapped[Optional[int]] = mapped_column()
    pco_field_definition_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    deleted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    sync: Mapped[str] = mapped_column(String(10), default=FieldSync.PULL,
                                      server_default=FieldSync.PULL.value)

    tab: Mapped[Optional[FieldTab]] = relationship(back_populates="definitions")
    options: Mapped[list["FieldOption"]] = relationship(
        back_populates="definition", cascade="all, delete-orphan",
        order_by="(FieldOption.sequence, FieldOption.id)")

    __table_args__ = (
        CheckConstraint(check_in("sync", FieldSync), name="sync_known"),
    )

    @property
    def is_read_only(self):
        """Files (an upload PCO keeps), headings and types unknown here are never written."""
        return self.data_type not in EDITABLE_TYPES

    @property
    def is_heading(self):
        return self.data_type in HEADING_TYPES

    @property
    def is_multiple(self):
        return self.data_type == FieldType.CHECKBOXES

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    def clean(self, value):
        """The value as stored (text, as PCO stores it), or ValueError with a reason a person
        can read; None or "" means no value."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        cleaner = _CLEANERS.get(self.data_type)
        text = cleaner(text) if cleaner else text
        if self.data_type in CHOICE_TYPES and text not in {o.value for o in self.options}:
            raise ValueError(f"{text!r} is not one of the options of {self.name}")
        if len(text) > FIELD_VALUE_LENGTH:
            raise ValueError(f"{self.name} holds at most {FIELD_VALUE_LENGTH} characters")
        return text

    def __repr__(self):
        return f"<FieldDefinition {self.id} {self.name!r} {self.data_type} " \
               f"pco={self.pco_field_definition_id}>"


def _clean_date(text):
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _clean_number(text):
    number = bounded_decimal(text)  # bounded first: int() of 1e1000000 takes half a minute
    return format(number.normalize(), "f") if number != number.to_integral() else str(int(number))


def _clean_boolean(text):
    return "true" if text.lower() in BOOLEAN_TRUE else "false"


_CLEANERS = {FieldType.DATE: _clean_date, FieldType.NUMBER: _clean_number,
             FieldType.BOOLEAN: _clean_boolean}


class FieldOption(db.Model):
    __tablename__ = "field_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(
        ForeignKey("field_definitions.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(String(255))
    sequence: Mapped[Optional[int]] = mapped_column()
    pco_field_option_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)

    definition: Mapped[FieldDefinition] = relationship(back_populates="options")

    def __repr__(self):
        return f"<FieldOption {self.id} {self.value!r} pco={self.pco_field_option_id}>"


class FieldValue(TimestampsMixin, db.Model):
    """One person's value of one field (one row per ticked option for checkboxes). A file
    field's row holds PCO's file name and address; its `value` is the file name too."""

    __tablename__ = "field_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    definition_id: Mapped[int] = mapped_column(
        ForeignKey("field_definitions.id", ondelete="CASCADE"), index=True)
    value: Mapped[Optional[str]] = mapped_column(Text)
    file_name: Mapped[Optional[str]] = mapped_column(String(255))
    file_url: Mapped[Optional[str]] = mapped_column(String(1000))
    # PCO's size of the file in bytes: with the datum id and file name, what identifies it.
    file_size: Mapped[Optional[int]] = mapped_column(BigInteger)
    pco_field_datum_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)

    definition: Mapped[FieldDefinition] = relationship()
    person: Mapped["Person"] = relationship(back_populates="field_values")  # noqa: F821

    __table_args__ = (
        Index("ix_field_values_person_definition", "person_id", "definition_id"),
    )

    @validates("file_url")
    def _web_address_only(self, key, value):
        """Only a web address becomes a link (a javascript: URL must never)."""
        if value and not value.lower().startswith(("http://", "https://")):
            return None
        return value

    def __repr__(self):
        return f"<FieldValue {self.id} person={self.person_id} def={self.definition_id} " \
               f"{self.value!r}>"
