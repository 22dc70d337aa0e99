"""People and their contact points: the platform's own directory."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from .enums import PersonStatus, check_in
from .keys import email_key, name_key, phone_digits
from .types import TimestampsMixin, UTCDateTime

# Fields that a PCO pull owns; everything else on Person is local (docs/design.md §4). The
# choice fields hold a value of PCO's list (see models/profile.py), `campus_id` a Campus row.
SYNCED_PERSON_FIELDS = (
    "first_name", "middle_name", "last_name", "nickname", "gender",
    "birthdate", "status", "membership", "child",
    "given_name", "name_prefix", "name_suffix", "anniversary", "marital_status", "grade",
    "graduation_year", "school", "medical_notes", "inactive_reason", "campus_id",
    "inactivated_at", "pco_avatar_url",
)
# Synced, but only from PCO to here: PCO sets them (inactivated_at follows the status).
PULL_ONLY_PERSON_FIELDS = ("inactivated_at", "pco_avatar_url")


class Person(TimestampsMixin, db.Model):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[Optional[str]] = mapped_column(String(120))
    middle_name: Mapped[Optional[str]] = mapped_column(String(120))
    last_name: Mapped[Optional[str]] = mapped_column(String(120))
    nickname: Mapped[Optional[str]] = mapped_column(String(120))
    gender: Mapped[Optional[str]] = mapped_column(String(40))
    birthdate: Mapped[Optional[date]]
    status: Mapped[str] = mapped_column(String(20), default=PersonStatus.ACTIVE)
    membership: Mapped[Optional[str]] = mapped_column(String(120))
    child: Mapped[bool] = mapped_column(default=False)
    given_name: Mapped[Optional[str]] = mapped_column(String(120))
    name_prefix: Mapped[Optional[str]] = mapped_column(String(200))
    name_suffix: Mapped[Optional[str]] = mapped_column(String(200))
    anniversary: Mapped[Optional[date]]
    marital_status: Mapped[Optional[str]] = mapped_column(String(200))
    # PCO's scale: -1 pre-K, 0 kindergarten, 1-12 the school grades (see directory's names).
    grade: Mapped[Optional[int]]
    graduation_year: Mapped[Optional[int]]
    school: Mapped[Optional[str]] = mapped_column(String(200))
    # PCO's medical notes: its own column; the local `allergies` is never written by a sync.
    medical_notes: Mapped[Optional[str]] = mapped_column(Text)
    inactive_reason: Mapped[Optional[str]] = mapped_column(String(200))
    inactivated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    campus_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("campuses.id", ondelete="SET NULL"), index=True)
    # PCO's photo (pull only); the local `photo_url` is never written by a sync.
    pco_avatar_url: Mapped[Optional[str]] = mapped_column(String(500))
    # Search key: lower-cased, accent-free "first last", kept in step by the model itself.
    search_name: Mapped[str] = mapped_column(String(255), default="", index=True)

    # Local operational data: never written by a sync.
    allergies: Mapped[Optional[str]] = mapped_column(Text)
    photo_url: Mapped[Optional[str]] = mapped_column(String(500))
    verification_status: Mapped[Optional[str]] = mapped_column(String(40))

    pco_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    pco_updated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    pco_synced_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Hash of the synced fields as last agreed with PCO: pull skips, push detects local edits.
    pco_synced_hash: Mapped[Optional[str]] = mapped_column(String(64))
    # The synced fields as last agreed with PCO, so a push can PATCH only what changed.
    pco_synced_state: Mapped[Optional[dict]] = mapped_column(JSON)
    # Which version of PCO's record that agreement was taken from (pco/versions.py, with the
    # recipe of services/rules/versions.py): a pull skips the person unloaded while PCO sends
    # the same. Valid only beside the hash it came with: any other write of the hash clears it.
    pco_version_stamp: Mapped[Optional[str]] = mapped_column(String(32))
    archived_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Set when an admin merged this person into another one (the review queue): a pointer to
    # the person who holds everything now.
    merged_into_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"))
    # Never written to PCO by any path while set (services/rules/scope.py): who set it, when.
    do_not_send_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    do_not_send_by: Mapped[Optional[str]] = mapped_column(String(200))
    # Outside the pull scope since then: kept, linked and untouched on both sides meanwhile.
    out_of_scope_since: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    campus: Mapped[Optional["Campus"]] = relationship()  # noqa: F821
    merged_into: Mapped[Optional["Person"]] = relationship(remote_side=[id], viewonly=True)
    emails: Mapped[list["Email"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Email.id")
    phone_numbers: Mapped[list["PhoneNumber"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PhoneNumber.id")
    addresses: Mapped[list["Address"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Address.id",
        foreign_keys="Address.person_id")
    field_values: Mapped[list["FieldValue"]] = relationship(  # noqa: F821
        back_populates="person", cascade="all, delete-orphan", order_by="FieldValue.id")

    __table_args__ = (
        CheckConstraint(check_in("status", PersonStatus), name="status_known"),
        Index("ix_people_last_first", "last_name", "first_name"),
    )

    @validates("pco_synced_hash")
    def _forget_version(self, _key, value):
        """A state agreed otherwise than from a version of PCO's record (a push, a webhook's
        partial record, a merge) is not that version's: the next pull loads and compares."""
        self.pco_version_stamp = None
        return value

    @validates("first_name", "last_name")
    def _keep_search_name(self, key, value):
        """Whoever writes a name (a pull, the directory, another module, a script) leaves a
        person the name + birthdate match and the search can find."""
        first, last = (value, self.last_name) if key == "first_name" else (self.first_name, value)
        self.search_name = name_key(first, last)
        return value

    @property
    def full_name(self):
        parts = [self.nickname or self.first_name, self.last_name]
        return " ".join(p for p in parts if p) or "(no name)"

    @property
    def do_not_send(self):
        return self.do_not_send_at is not None

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def shown_photo(self):
        """The photo to show: the local one, else PCO's; only a web address (a javascript:
        or data: URL written elsewhere must not become an image or a link)."""
        for url in (self.photo_url, self.pco_avatar_url):
            if url and url.lower().startswith(("http://", "https://")):
                return url
        return None

    def __repr__(self):
        return f"<Person {self.id} pco={self.pco_id}>"


# How lists sort people by name: a missing name part as "" (NULLs sort first on SQLite and last
# on PostgreSQL, and compare as unknown), with the index that answers it on both databases
# (the literal '' rather than a bound parameter, so the query's expression is the index's).
PERSON_SORT_NAME = (func.coalesce(Person.last_name, literal_column("''")),
                    func.coalesce(Person.first_name, literal_column("''")))
Index("ix_people_sort_name", *PERSON_SORT_NAME, Person.id)


class ContactPoint(TimestampsMixin):
    """Columns every contact point shares. `pco_id` is null for a local-only one."""

    location: Mapped[Optional[str]] = mapped_column(String(40))
    is_primary: Mapped[bool] = mapped_column(default=False)
    pco_id: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    pco_updated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class Email(ContactPoint, db.Model):
    __tablename__ = "emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(320))
    # Trimmed, lower-cased copy for matching and search.
    normalized: Mapped[str] = mapped_column(String(320), index=True)

    person: Mapped["Person"] = relationship(back_populates="emails")

    @validates("address")
    def _keep_normalized(self, key, value):
        self.normalized = email_key(value)
        return value


class PhoneNumber(ContactPoint, db.Model):
    __tablename__ = "phone_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    # Digits only, for search.
    digits: Mapped[str] = mapped_column(String(60), default="", index=True)

    person: Mapped["Person"] = relationship(back_populates="phone_numbers")

    @validates("number")
    def _keep_digits(self, key, value):
        self.digits = phone_digits(value)
        return value


class Address(ContactPoint, db.Model):
    """A postal address of a person or, for a family's home, of a family."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True)
    street_line_1: Mapped[Optional[str]] = mapped_column(String(255))
    street_line_2: Mapped[Optional[str]] = mapped_column(String(255))
    city: Mapped[Optional[str]] = mapped_column(String(120))
    state: Mapped[Optional[str]] = mapped_column(String(120))
    zip: Mapped[Optional[str]] = mapped_column(String(40))
    country_code: Mapped[Optional[str]] = mapped_column(String(8))

    person: Mapped[Optional["Person"]] = relationship(
        back_populates="addresses", foreign_keys=[person_id])
    family: Mapped[Optional["Family"]] = relationship(  # noqa: F821
        back_populates="address", foreign_keys=[family_id])

    __table_args__ = (
        CheckConstraint(
            "(person_id IS NULL) != (family_id IS NULL)", name="one_owner"),
    )

    def one_line(self):
        parts = [self.street_line_1, self.street_line_2, self.city, self.state, self.zip]
        return ", ".join(p for p in parts if p)
