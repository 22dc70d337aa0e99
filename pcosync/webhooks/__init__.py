"""POST /api/pco-webhook, the endpoint PCO delivers events to."""
from flask import Blueprint

bp = Blueprint("webhooks", __name__)

from . import routes  # noqa: E402,F401  (the views attach themselves to bp)
