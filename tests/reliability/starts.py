"""Scenario 4, concurrent starts: several Sync page users, each with a session of their own,
press Full Sync within 100 ms of each other against the app served over HTTP."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from rq import Queue
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import SyncRun
from pcosync.extensions import get_redis
from tests.support import dump, make_user, work_burst

from .helpers import assert_invariants, latest_run, logged_in_session, seeded


def start_together(base_url, sessions):
    """Each session posts the start form the moment all of them are ready."""
    barrier = threading.Barrier(len(sessions))

    def start(session):
        barrier.wait()
        sent = time.perf_counter()
        response = session.post(base_url + "/sync/runs", timeout=30, headers={
            "Accept": "application/json"}, data={"kind": "Full Sync", "csrf_token": session.csrf})
        return sent, response.status_code, response.json()

    with ThreadPoolExecutor(len(sessions)) as pool:
        return list(pool.map(start, sessions))


def concurrent_starts(app, server, base_url, seed, clients=10):
    """Exactly one run starts, the others get 409 naming it, and that run converges. The
    barrier sends the starts together; their spread is reported (spread_ms), not asserted:
    a timing assertion would fail on a busy machine without anything being wrong."""
    users = [make_user(f"admin{i}@example.org", "TECH_ADMIN") for i in range(clients // 2)]
    sessions = [logged_in_session(base_url, users[i % len(users)].email)
                for i in range(clients)]
    results = start_together(base_url, sessions)
    sent = [r[0] for r in results]
    statuses = sorted(r[1] for r in results)
    with seeded(seed):
        assert statuses == [202] + [409] * (clients - 1), statuses
        winner = next(body for _, status, body in results if status == 202)["run"]["id"]
        refused = [body for _, status, body in results if status == 409]
        assert all("already running" in body["message"] and body["run_id"] == winner
                   for body in refused), refused
        assert db.session.scalar(select(func.count()).select_from(SyncRun)) == 1
        assert Queue(app.config["RQ_QUEUE"], connection=get_redis(app)).count == 1
        work_burst(app)
        run = latest_run()
        assert (run.id, run.status) == (winner, "COMPLETED"), run.error
    assert_invariants(dump(server), seed)
    return {"202": statuses.count(202), "409": statuses.count(409),
            "spread_ms": round((max(sent) - min(sent)) * 1000)}
