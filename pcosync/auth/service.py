"""Checking credentials, changing passwords, and making users."""
import logging
import secrets

from sqlalchemy import func, select

from ..extensions import db
from ..models import BUILTIN_ROLES, Permission, Role, User, utcnow
from ..models.users import PERMISSION_DESCRIPTIONS
from ..passwords import spend_a_check
from . import session as sessions

log = logging.getLogger("pcosync.auth")
MIN_PASSWORD_LENGTH = 10


class UserError(ValueError):
    """A user can't be made as asked; the message says why."""


class WrongPassword(UserError):
    """The current password given to change it is wrong: a guess, counted like a login's."""


def find_user(email):
    return db.session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email, password):
    """The active user with these credentials, or None. Exactly one password check whether
    or not the email has an account, so the time taken does not tell which emails do."""
    user = find_user(email)
    if user is None:
        spend_a_check(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()  # with the hash upgraded to today's strength, if it was older
    return user


def check_new_password(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")


def change_password(user, current, new):
    """The user's own change: the current password first; their other sessions end."""
    if not user.check_password(current):
        raise WrongPassword("the current password is wrong")
    check_new_password(new)
    user.set_password(new)
    sessions.end_other_sessions(user)
    db.session.commit()
    log.info("password changed user_id=%s; other sessions ended", user.id)


def set_password(email, password):
    """An operator's reset (the CLI): every session of the user ends."""
    user = find_user(email)
    if user is None:
        raise UserError(f"no user with the email {email}")
    check_new_password(password)
    user.set_password(password)
    sessions.end_all_sessions(user)
    db.session.commit()
    return user


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
    check_new_password(password)
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
