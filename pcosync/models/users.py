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
TECH_ADMIN = "TECH_ADMIN"
# What each built-in role holds. The initial migration seeds these; `flask users create`
# makes sure they exist too.
BUILTIN_ROLES = {TECH_ADMIN: (PCO_MANAGE, PEOPLE_MANAGE, PEOPLE_SENSITIVE),
                 "STAFF": (PEOPLE_MANAGE,), "VIEWER": ()}
PERMISSION_DESCRIPTIONS = {
    PCO_MANAGE: "Run PCO syncs and pushes, configure webhooks",
    PEOPLE_MANAGE: "View and edit people, families and groups",
    PEOPLE_SENSITIVE: "See sensitive fields (medical notes) and their history",
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
