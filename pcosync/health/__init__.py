"""GET /healthz and /healthz/sync: JSON for load balancers and uptime monitors, no login."""
from flask import Blueprint

bp = Blueprint("health", __name__, url_prefix="/healthz")

from . import routes  # noqa: E402,F401  (the views attach themselves to bp)
