"""Scenario 1, faulty PCO: Full Syncs against a sandbox that rate limits the way PCO does
(N requests per period, 429 with Retry-After), injects 429s, 5xx, answers slower than the
client's timeout and truncated JSON, while staff edit, create and delete people in PCO.

Used by tests/reliability/test_faulty_pco.py (150 people) and benchmarks/soak.py
(3,000 people).
"""
import random
import re
import threading

from pcosync.extensions import db
from pcosync.models import SyncRun
from pcosync.jobs import start_run_in_worker

from tests.support import dump, sandbox_admin, work_burst

from .helpers import NO_FAULTS, assert_invariants, seeded

# Per request: 10% a 429 with Retry-After, 5% a 5xx, 2% slower than the client waits,
# 2% a 200 whose JSON is cut in half.
FAULTS = {"rate_limit_rate": 0.10, "error_rate": 0.05, "slow_rate": 0.02, "slow_seconds": 1.5,
          "truncate_rate": 0.02, "fake_retry_after": 1}
CLIENT_TIMEOUT = 1.0  # PCO_TIMEOUT: below slow_seconds, so slow answers time out
# PCO's style (100 per 20 s), scaled down to be hit within the first second of each run
RATE_LIMIT, RATE_PERIOD = 20, 1
FAULTS_TEXT = "429 10%, 5xx 5%, slow 2%, truncated 2%, rate limit 20/1s, edits during run"
# A run that gave up says which request and that the retries ran out.
GAVE_UP = re.compile(r"after \d+ attempts")


def sandbox_settings(people, seed, retry_after=FAULTS["fake_retry_after"]):
    """`retry_after`: the seconds an injected 429 says to wait (PCO's whole second for the
    soak; the test's fraction waits less and proves the same)."""
    return {"SANDBOX_PEOPLE": people, "SANDBOX_SEED": seed, "SANDBOX_RATE_LIMIT": RATE_LIMIT,
            "SANDBOX_RATE_PERIOD": RATE_PERIOD,
            "SANDBOX_FAULTS": dict(FAULTS, seed=seed, fake_retry_after=retry_after)}


class Mutator:
    """Church staff editing PCO while the sync runs: a few edits every `interval` seconds."""

    def __init__(self, server, seed, per_call=3, interval=0.2):
        self.server, self.per_call, self.interval = server, per_call, interval
        self.rng = random.Random(seed)
        self.changes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="pco-staff", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)

    def _loop(self):
        while not self._stop.wait(self.interval):
            answer = sandbox_admin(self.server, "POST", "/mutate", {
                "count": self.per_call, "seed": self.rng.randrange(1 << 30)})
            self.changes += answer["count"]


def run_full_sync(app):
    """A Full Sync as the Sync page starts it: a queued job, run by the production worker."""
    run_id = start_run_in_worker("Full Sync", triggered_by="reliability").id
    work_burst(app)
    db.session.expire_all()
    return db.session.get(SyncRun, run_id)


def assert_completed_or_gave_up_clearly(run):
    """Under these faults a run may FAIL: one request can meet a fault on each of its six
    attempts (about 0.17**6 per request). That is the right outcome as long as it is explicit:
    the run ends FAILED (never stuck RUNNING), its error names the request and says that the
    retries ran out, and what it committed is correct, so that the next run converges (the
    caller checks that). A FAILED run for any other reason (a crash, bad data, a database
    error) is a bug, and so is a COMPLETED run that left data behind (the invariants)."""
    assert run.status in ("COMPLETED", "FAILED"), f"run {run.id} ended {run.status}"
    if run.status == "FAILED":
        assert GAVE_UP.search(run.error or ""), f"unclear failure: {run.error}"


def faulty_pco(app, server, seed, mutate=True):
    """Sync twice under faults while PCO changes, then again once PCO is quiet; the last run
    must converge. Returns the runs' outcomes and the sandbox's counters."""
    outcomes = []
    with seeded(seed):
        # The first import, then a re-sync of data we hold, both while staff edit PCO.
        with Mutator(server, seed) if mutate else _Nothing() as staff:
            outcomes.append(_checked(run_full_sync(app)))
            outcomes.append(_checked(run_full_sync(app)))
        outcomes.append(_checked(run_full_sync(app)))  # faults still on; PCO is quiet now
        if outcomes[-1][0] == "FAILED":  # then the next run, without faults, must converge
            sandbox_admin(server, "POST", "/config", {"faults": NO_FAULTS})
            outcomes.append(_checked(run_full_sync(app)))
            assert outcomes[-1][0] == "COMPLETED", outcomes[-1]
        stats = sandbox_admin(server, "GET", "/stats")
        assert stats["over_limit"] == 0, f"{stats['over_limit']} requests beyond the limit"
        assert stats["before_retry_after"] == 0, \
            f"{stats['before_retry_after']} requests before Retry-After ran out"
    assert_invariants(dump(server), seed)
    return {"runs": [status for status, _ in outcomes], "edits": getattr(staff, "changes", 0),
            "requests": stats["total"], "faults": stats["faults"],
            "errors": [error for _, error in outcomes if error]}


def _checked(run):
    assert_completed_or_gave_up_clearly(run)
    return run.status, run.error


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
