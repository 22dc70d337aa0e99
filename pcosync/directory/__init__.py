"""The local directory: people, families and groups that admins see, create and edit."""
from flask import Blueprint, g
from flask_login import current_user

from ..models import ChangeSource
from ..services.history import context as history

bp = Blueprint("directory", __name__, url_prefix="/directory")


@bp.before_request
def record_edits_as_the_directory():
    """What a request here changes is in the history as this user's directory edit."""
    user_id = current_user.id if current_user.is_authenticated else None
    g.history_token = history.enter(ChangeSource.DIRECTORY, user_id=user_id)


@bp.teardown_request
def stop_recording(_error=None):
    token = g.pop("history_token", None)
    if token is not None:
        history.leave(token)


from . import (  # noqa: E402,F401  (the views attach themselves to bp)
    contact_routes, custom_field_routes, family_routes, group_routes, media_routes, note_routes,
    people_routes, privacy_routes,
)
