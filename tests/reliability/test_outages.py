"""Scenario 5: Redis down (the app stays up, says so, and loses no webhook delivery) and a busy
database (concurrent webhook processing and a pull never tell anyone "database is locked")."""
import pytest

from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run

from . import outages, storm


@pytest.fixture
def bundled(app):
    """The bundled redis-server (not the machine's), which the test may stop and start."""
    redis = outages.BundledRedis().start()
    original = app.config["REDIS_URL"]
    outages.use_redis(app, redis.url)
    yield redis
    outages.use_redis(app, original)
    redis.close()


@pytest.mark.slow
def test_redis_down_the_app_stays_up_and_no_delivery_is_lost(
        app, make_sandbox, bundled, admin_client, seed):
    server = make_sandbox(150, seed)
    assert execute_run(start_run("Full Sync").id) == "COMPLETED"
    deliveries = storm.harvest(server, 50, seed)
    app.config["PCO_WEBHOOK_SECRET"] = storm.SECRET
    result = outages.redis_down(app, server, bundled, admin_client, deliveries, seed)
    print(f"seed={seed} {result}")


@pytest.mark.slow
def test_webhooks_and_a_pull_together_never_report_database_locked(
        app, make_sandbox, admin_client, seed):
    server = make_sandbox(300, seed)
    assert execute_run(start_run("People").id) == "COMPLETED"
    deliveries = storm.harvest(server, 180, seed)
    app.config["PCO_WEBHOOK_SECRET"] = storm.SECRET
    result = outages.busy_database(app, server, admin_client, deliveries, seed)
    print(f"seed={seed} {result}")
