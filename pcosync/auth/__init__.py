"""Login and logout."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import role_routes, routes  # noqa: E402,F401  (the views attach themselves to bp)
