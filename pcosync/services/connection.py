"""The one place that builds a PCO client from the settings, with the shared rate budget."""
from flask import current_app

from ..pco.client import PCOClient
from ..queues import get_redis


def make_client(app=None, **options):
    app = app or current_app._get_current_object()
    return PCOClient.from_config(app.config, redis=get_redis(app), **options)


def test_connection(app=None):
    """The organization's name, or a typed PCOError whose message says what to fix. An admin
    is waiting for the answer: one retry and a short timeout, not a sync's patience."""
    client = make_client(app, max_retries=1, timeout=10.0)
    try:
        return client.test_connection()
    finally:
        client.close()
