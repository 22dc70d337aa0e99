"""The local directory: people, families and groups that admins see, create and edit."""
from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")

from . import (  # noqa: E402,F401  (the views attach themselves to bp)
    contact_routes, custom_field_routes, family_routes, group_routes, note_routes, people_routes,
)
