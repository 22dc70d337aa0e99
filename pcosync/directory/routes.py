"""The directory blueprint with all its views attached."""
from . import bp
from . import contact_routes, family_routes, group_routes, people_routes  # noqa: F401

__all__ = ["bp"]
