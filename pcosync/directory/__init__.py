"""The local directory: people, families and groups that admins see, create and edit.

One blueprint; its views live in people_routes, contact_routes, family_routes and group_routes
(imported by routes.py, which is what the app registers).
"""
from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")
