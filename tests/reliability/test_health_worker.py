"""/healthz and /healthz/sync with a real `flask worker` (the production command): both 200 while
it runs; once it stops, /healthz stays 200 (a load balancer keeps the web process) and
/healthz/sync answers 503, and the worker's alert is raised once and resolved once."""
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Alert

from .helpers import start_worker, wait_until


def statuses(client):
    return client.get("/healthz").status_code, client.get("/healthz/sync").status_code


def test_health_follows_the_worker(app, client):
    assert statuses(client) == (200, 503)  # no worker yet: an alert is opened (log only)
    worker = start_worker(app, WORKER_HEARTBEAT_MAX_AGE=60)
    try:
        assert wait_until(lambda: statuses(client) == (200, 200), 30, 0.5), worker.output()[-2000:]
        body = client.get("/healthz/sync").json
        assert body["checks"]["worker"]["ok"] and body["checks"]["worker"][
            "heartbeat_age_seconds"] < 60
    finally:
        worker.close()
    assert statuses(client) == (200, 503)
    db.session.expire_all()
    alerts = db.session.scalars(select(Alert).order_by(Alert.id)).all()
    assert [(a.problem, a.resolved_at is not None) for a in alerts] == [
        ("worker", True), ("worker", False)]
