"""The PCO Sync page (Configuration -> PCO Sync)."""
from flask import Blueprint

bp = Blueprint("sync", __name__, url_prefix="/sync")

from . import routes  # noqa: E402,F401  (the views attach themselves to bp)
from . import automation_routes, custom_field_routes, review_routes  # noqa: E402,F401
from . import duplicate_routes  # noqa: E402,F401
from . import history_routes, independence_routes  # noqa: E402,F401
