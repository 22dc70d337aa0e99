"""Checking credentials, throttling guessers, and making users."""
import hashlib
import logging
import secrets

import redis as redis_lib
from sqlalchemy import func, select

from ..extensions import db
from ..models import BUILTIN_ROLES, Permission, Role, User, utcnow
from ..models.users import PERMISSION_DESCRIPTIONS
from ..redis_connection import get_redis

log = logging.getLogger("pcosync.auth")

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60


class UserError(ValueError):
    """A user can't be made as asked; the message says why."""


def find_user(email):
    return db.session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email, password):
    """The active user with these credentials, or None."""
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _failure_key(email, remote_addr):
    digest = hashlib.sha256(f"{email.strip().lower()}|{remote_addr}".encode()).hexdigest()
    return f"pcosync:login-failures:{digest[:32]}"


def is_throttled(email, remote_addr):
    try:
        count = get_redis().get(_failure_key(email, remote_addr))
    except redis_lib.RedisError:
        return False  # a Redis outage must not lock every admin out
    return int(count or 0) >= MAX_FAILURES


def record_failure(email, remote_addr):
    log.warning("login failed remote_addr=%s", remote_addr)
    try:
        pipe = get_redis().pipeline()
        key = _failure_key(email, remote_addr)
        pipe.incr(key)
        pipe.expire(key, FAILURE_WINDOW_SECONDS)
        pipe.execute()
    except redis_lib.RedisError:
        log.warning("login throttle unavailable: Redis is down")


def clear_failures(email, remote_addr):
    try:
        get_redis().delete(_failure_key(email, remote_addr))
    except redis_lib.RedisError:
        pass


def ensure_builtin_roles():
    """Create the built-in roles and permissions that are missing; return roles by name."""
    permissions = {p.name: p for p in db.session.scalars(select(Permission))}
    for name, description in PERMISSION_DESCRIPTIONS.items():
        if name not in permissions:
            permissions[name] = Permission(name=name, description=description)
            db.session.add(permissions[name])
    roles = {r.name: r for r in db.session.scalars(select(Role))}
    for name, held in BUILTIN_ROLES.items():
        if name not in roles:
            roles[name] = Role(name=name, permissions=[permissions[p] for p in held])
            db.session.add(roles[name])
    db.session.flush()
    return roles


def create_user(email, password, role_name, name=None):
    email = email.strip()
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    if len(password) < 10:
        raise UserError("the password must be at least 10 characters")
    if find_user(email) is not None:
        raise UserError(f"a user with the email {email} already exists")
    roles = ensure_builtin_roles()
    if role_name not in roles:
        raise UserError(f"unknown role {role_name}; known: {', '.join(sorted(roles))}")
    user = User(email=email, name=name, roles=[roles[role_name]])
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


FIRST_ADMIN_EMAIL = "admin@example.org"


def ensure_first_admin():
    """On an empty user table, create a TECH_ADMIN; returns (email, password) or None."""
    ensure_builtin_roles()
    db.session.commit()
    if db.session.scalar(select(func.count()).select_from(User)):
        return None
    password = secrets.token_urlsafe(12)
    create_user(FIRST_ADMIN_EMAIL, password, "TECH_ADMIN", name="Admin")
    return FIRST_ADMIN_EMAIL, password
