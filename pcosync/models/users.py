"""Users, roles and permissions for the admin UI."""
import hashlib
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..passwords import hash_password, verify_password
from .types import CreatedAtMixin, UTCDateTime

PCO_MANAGE = "pco.manage"
PEOPLE_MANAGE = "people.manage"
# Sensitive fields (medical notes) and their history.
PEOPLE_SENSITIVE = "people.sensitive"
# Pastoral notes: held by no built-in role (running the sync needs no reading); granted on the
# roles screen or with `flask users grant`.
NOTES_VIEW = "notes.view"
NOTES_MANAGE = "notes.manage"
# Export everything held about one person, and erase them (services/privacy).
PEOPLE_PRIVACY = "people.privacy"
# Whoever holds one of these signs in with a second factor (auth/two_factor.py).
TWO_FACTOR_PERMISSIONS = (PCO_MANAGE, NOTES_VIEW, NOTES_MANAGE, PEOPLE_PRIVACY)
TECH_ADMIN = "TECH_ADMIN"
# What each built-in role holds. The initial migration seeds these; `flask users create`
# makes sure they exist too.
BUILTIN_ROLES = {TECH_ADMIN: (PCO_MANAGE, PEOPLE_MANAGE, PEOPLE_SENSITIVE, PEOPLE_PRIVACY),
                 "STAFF": (PEOPLE_MANAGE,), "VIEWER": ()}
PERMISSION_DESCRIPTIONS = {
    PCO_MANAGE: "Run PCO syncs and pushes, configure webhooks",
    PEOPLE_MANAGE: "View and edit people, families and groups",
    PEOPLE_SENSITIVE: "See sensitive fields (medical notes) and their history",
    NOTES_VIEW: "Read pastoral notes",
    NOTES_MANAGE: "Write, edit and delete pastoral notes, and set how note categories sync",
    PEOPLE_PRIVACY: "Export everything held about a person, and erase a person here and in PCO",
}
role_permissions = Table(
    "role_permissions", db.metadata,
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
    Column("permission_id", ForeignKey("permissions.id", ondelete="CASCADE"), primary_key=True),
)
user_roles = Table(
    "user_roles", db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


class Permission(db.Model):
    __tablename__ = "permissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[Optional[str]] = mapped_column(String(255))


class Role(db.Model):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    permissions: Mapped[list["Permission"]] = relationship(secondary=role_permissions)


class User(CreatedAtMixin, UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[Optional[str]] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # The TOTP secret (base32); confirmed once the user has entered a code it made.
    totp_secret: Mapped[Optional[str]] = mapped_column(String(64))
    two_factor_confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    roles: Mapped[list["Role"]] = relationship(secondary=user_roles, lazy="selectin")

    @property
    def is_active(self):
        return self.active

    @property
    def display_name(self):
        return self.name or self.email

    # The token of the session this object was loaded for (not a column): Flask-Login keeps
    # get_id() in the session and the remember-me cookie, so both name a UserSession row.
    session_token = None

    def get_id(self):
        if not self.session_token:
            raise RuntimeError("log in through auth.sessions.start, which makes a session row")
        return self.session_token

    def set_password(self, password):
        self.password_hash = hash_password(password)

    def check_password(self, password):
        """Whether it matches; a hash of older strength is replaced (the caller commits)."""
        matches, stale = verify_password(self.password_hash, password)
        if matches and stale:
            self.set_password(password)
        return matches

    def permission_names(self):
        return {perm.name for role in self.roles for perm in role.permissions}

    def can(self, permission):
        return permission in self.permission_names()

    @property
    def needs_two_factor(self):
        """Whether what this user holds calls for a second factor at sign-in."""
        return not self.permission_names().isdisjoint(TWO_FACTOR_PERMISSIONS)

    @property
    def has_two_factor(self):
        return self.totp_secret is not None and self.two_factor_confirmed_at is not None


def token_digest(token):
    """Sessions are stored by digest: a copy of the table does not hand out live sessions."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserSession(CreatedAtMixin, db.Model):
    """One login: ended by logout, by a password change (the others), or by expiry."""
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship(lazy="joined")


class RecoveryCode(CreatedAtMixin, db.Model):
    """A one-time code that stands in for the second factor; kept only as a password hash."""
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    def matches(self, code):
        return self.used_at is None and verify_password(self.code_hash, code)[0]

    @classmethod
    def made_from(cls, user_id, code):
        return cls(user_id=user_id, code_hash=hash_password(code))
