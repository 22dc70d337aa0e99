"""`permission_required`: anonymous users go to login, users without the permission get 403."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def permission_required(permission):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorator
