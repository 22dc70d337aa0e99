"""The one place that builds a PCO client from the settings, with the shared rate budget."""
from flask import current_app

from ...pco.client import PCOClient
from ...pco.errors import PCOError
from ...extensions import get_redis, redis_is_up
from . import organization, token_user


def make_client(app=None, shared_budget=True, **options):
    """`shared_budget=False`: this process paces itself (only for a lone request)."""
    app = app or current_app._get_current_object()
    redis = get_redis(app) if shared_budget else None
    return PCOClient.from_config(app.config, redis=redis, **options)


def while_admin_waits(action, app=None):
    """`action(client)` for an admin waiting on the page: one retry and a short timeout, not a
    sync's patience. With Redis down the request paces itself rather than fail.
    Raises a typed PCOError whose message says what to fix."""
    app = app or current_app._get_current_object()
    client = make_client(app, shared_budget=redis_is_up(app), max_retries=1, timeout=10.0)
    try:
        return action(client)
    finally:
        client.close()


def test_connection(app=None):
    """The organization's name; the organization is recorded as the one webhook deliveries
    must come from (services/connection/organization.py)."""
    return check_connection(app)[0]


def check_connection(app=None):
    """(the organization's name, a sentence on what the token can see). Records both: the
    organization (organization.py) and the token's user (token_user.py)."""
    found, user = while_admin_waits(lambda client: (client.organization(),
                                                    token_user.ask(client)), app)
    organization.remember(found)
    if isinstance(user, PCOError):
        return found["name"], f"What the token can see could not be checked: {user}"
    token_user.remember(user)
    return found["name"], token_user.describe(user)
