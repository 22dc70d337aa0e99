"""Granting and revoking permissions.

A role's permissions are set on the roles screen. A permission granted to one user (`flask
users grant`) goes into that user's own role, "user:<email>", made on first need, so that who
holds what stays one question: the roles a user has.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import Permission, Role, User
from ...models.users import PERMISSION_DESCRIPTIONS

PERSONAL_PREFIX = "user:"


class GrantError(Exception):
    pass


def permission_named(name):
    permission = db.session.scalar(select(Permission).where(Permission.name == name))
    if permission is None:
        if name not in PERMISSION_DESCRIPTIONS:
            raise GrantError(f"no permission named {name!r} (known: "
                             f"{', '.join(sorted(PERMISSION_DESCRIPTIONS))})")
        permission = Permission(name=name, description=PERMISSION_DESCRIPTIONS[name])
        db.session.add(permission)
    return permission


def user_named(email):
    user = db.session.scalar(select(User).where(User.email == email.strip()))
    if user is None:
        raise GrantError(f"no user with the email {email}")
    return user


def grant(email, permission_name):
    user, permission = user_named(email), permission_named(permission_name)
    role = _personal_role(user)
    if permission not in role.permissions:
        role.permissions.append(permission)
    db.session.commit()
    return user


def revoke(email, permission_name):
    """Takes the permission from the user's own role; returns the other roles that still give
    it (the roles screen takes it from those)."""
    user, permission = user_named(email), permission_named(permission_name)
    role = _personal_role(user)
    if permission in role.permissions:
        role.permissions.remove(permission)
    db.session.commit()
    return [r.name for r in user.roles if permission in r.permissions]


def _personal_role(user):
    name = f"{PERSONAL_PREFIX}{user.email}"[:80]
    role = db.session.scalar(select(Role).where(Role.name == name))
    if role is None:
        role = Role(name=name)
        db.session.add(role)
    if role not in user.roles:
        user.roles.append(role)
    return role


def roles_overview():
    """[(role, set of permission names)] and every permission, for the roles screen."""
    roles = db.session.scalars(select(Role).order_by(Role.name)).all()
    permissions = db.session.scalars(select(Permission).order_by(Permission.name)).all()
    return [(role, {p.name for p in role.permissions}) for role in roles], permissions


def set_role_permission(role_id, permission_name, held):
    role = db.session.get(Role, role_id)
    if role is None:
        raise GrantError("no such role")
    permission = permission_named(permission_name)
    if held and permission not in role.permissions:
        role.permissions.append(permission)
    elif not held and permission in role.permissions:
        role.permissions.remove(permission)
    db.session.commit()
    return role
