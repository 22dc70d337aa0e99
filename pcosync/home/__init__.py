"""The landing page after login."""
from flask import Blueprint

bp = Blueprint("home", __name__)

from . import routes  # noqa: E402,F401  (the views attach themselves to bp)
