"""Login and logout."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

# The views attach themselves to bp.
from . import role_routes, routes, two_factor_routes  # noqa: E402,F401
