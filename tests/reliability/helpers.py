"""What every reliability scenario shares: seeds, the invariants, real processes, HTTP sessions.

Scenarios end with `assert_invariants(dump, seed)`: nothing lost, no duplicates, convergence
with the sandbox, and every webhook delivery applied once. Failures name the seed; rerun one
with `RELIABILITY_SEED=<seed> pytest tests/reliability -k <name>`.
"""
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

import requests
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import (Address, Email, Family, FamilyMember, Group, GroupMembership,
                            Person, PhoneNumber, SyncRun, WebhookDelivery)
from tests.convergence import assert_converged
from tests.support import PASSWORD, ROOT, csrf_from

SEED_ENV = "RELIABILITY_SEED"
AUTH = ("sandbox", "sandbox")
NO_FAULTS = {"error_rate": 0.0, "rate_limit_rate": 0.0, "latency": 0.0, "slow_rate": 0.0,
             "truncate_rate": 0.0}


def new_seed():
    return int(os.environ.get(SEED_ENV) or random.SystemRandom().randrange(1, 1_000_000))


@contextlib.contextmanager
def seeded(seed):
    """Every assertion failure inside names the seed that reproduces it."""
    try:
        yield
    except AssertionError as err:
        raise AssertionError(f"[{SEED_ENV}={seed}] {err}") from None


# -- invariants -----------------------------------------------------------------------------

PCO_ID_COLUMNS = (
    (Person, Person.pco_id), (Email, Email.pco_id), (PhoneNumber, PhoneNumber.pco_id),
    (Address, Address.pco_id), (Family, Family.pco_household_id), (Group, Group.pco_group_id),
    (GroupMembership, GroupMembership.pco_membership_id),
)
PAIR_COLUMNS = ((FamilyMember.family_id, FamilyMember.person_id),
                (GroupMembership.group_id, GroupMembership.person_id))


def count(query):
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def assert_no_duplicates():
    """Unique rules hold: one row per PCO id, one membership per (family|group, person)."""
    for model, column in PCO_ID_COLUMNS:
        rows = count(select(column).where(column.is_not(None)))
        distinct = count(select(column).where(column.is_not(None)).distinct())
        assert rows == distinct, f"{model.__tablename__}: {rows} rows for {distinct} PCO ids"
    for left, right in PAIR_COLUMNS:
        twice = count(select(left, right).group_by(left, right).having(func.count() > 1))
        assert twice == 0, f"{left.table.name}: {twice} pairs held twice"
    unlinked = count(select(Person.id).where(Person.pco_id.is_(None)))
    assert unlinked == 0, f"{unlinked} people without a PCO id: a PCO person was copied twice"


def assert_nothing_lost(dump):
    """Every PCO person is local (and live); every local one PCO no longer has is a tombstone."""
    in_pco = {p["id"] for p in dump["people"]}
    rows = db.session.execute(select(Person.pco_id, Person.archived_at)
                              .where(Person.pco_id.is_not(None))).all()
    local = {pco_id for pco_id, _ in rows}
    live = {pco_id for pco_id, archived in rows if archived is None}
    assert not in_pco - local, f"PCO people never copied: {sorted(in_pco - local)[:5]}"
    assert not in_pco - live, f"PCO people wrongly archived: {sorted(in_pco - live)[:5]}"
    assert not live - in_pco, f"people gone from PCO still live: {sorted(live - in_pco)[:5]}"


def assert_deliveries_settled():
    """No delivery waits or failed; each was applied by exactly one job (see the storm test)."""
    stuck = dict(db.session.execute(
        select(WebhookDelivery.status, func.count()).where(
            WebhookDelivery.status.in_(("received", "failed"))).group_by(WebhookDelivery.status)
    ).all())
    errors = db.session.scalars(select(WebhookDelivery.error).where(
        WebhookDelivery.status == "failed").limit(3)).all()
    assert not stuck, f"deliveries not settled: {stuck}, e.g. {errors}"


def assert_no_active_run():
    running = db.session.scalars(select(SyncRun).where(SyncRun.status == "RUNNING")).all()
    assert not running, f"runs still RUNNING: {[(r.id, r.kind) for r in running]}"


def assert_invariants(dump, seed):
    db.session.expire_all()
    with seeded(seed):
        assert_no_active_run()
        assert_no_duplicates()
        assert_nothing_lost(dump)
        assert_converged(dump)
        assert_deliveries_settled()


# -- runs -----------------------------------------------------------------------------------

def latest_run(kind=None):
    db.session.expire_all()
    query = select(SyncRun).where(SyncRun.parent_id.is_(None)).order_by(SyncRun.id.desc())
    if kind:
        query = query.where(SyncRun.kind == kind)
    return db.session.scalars(query.limit(1)).first()


def wait_until(predicate, timeout, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


# -- real processes -------------------------------------------------------------------------

def app_environment(app, **extra):
    """The environment of a `flask` subprocess sharing this app's database, Redis and queue."""
    config = app.config
    env = dict(os.environ, FLASK_APP="wsgi", SECRET_KEY=config["SECRET_KEY"],
               DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=config["REDIS_URL"],
               RQ_QUEUE=config["RQ_QUEUE"], PCO_API_URL=config["PCO_API_URL"],
               PCO_APP_ID=config["PCO_APP_ID"] or "", PCO_SECRET=config["PCO_SECRET"] or "",
               PCO_WEBHOOK_SECRET=config.get("PCO_WEBHOOK_SECRET") or "",
               PCO_TIMEOUT=str(config["PCO_TIMEOUT"]),
               SYNC_STALE_SECONDS=str(config.get("SYNC_STALE_SECONDS") or 90),
               MEDIA_URL=config["MEDIA_URL"], MEDIA_DOWNLOAD_INTERVAL="0", LOG_LEVEL="INFO")
    env.update({key: str(value) for key, value in extra.items()})
    return env


def children_of(pid):
    """Direct children of a process, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry))
    return found


def descendants_of(pid):
    found, todo = [], [pid]
    while todo:
        children = children_of(todo.pop())
        found.extend(children)
        todo.extend(children)
    return found


class Process:
    """A subprocess in a process group of its own, its output kept in a file for log checks.
    `signal_group` reaches every process it started too: RQ's work horse makes a process group
    of its own (os.setpgrp), so a signal to the worker's group alone would miss it."""

    def __init__(self, args, env):
        self.log = tempfile.NamedTemporaryFile(prefix="pcosync-proc-", suffix=".log",
                                               delete=False)
        self.popen = subprocess.Popen(args, env=env, cwd=ROOT, stdout=self.log,
                                      stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self):
        return self.popen.pid

    def signal_group(self, sig):
        family = descendants_of(self.popen.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        for pid in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        return family

    def wait(self, timeout):
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, grace=10):
        if self.popen.poll() is None:
            family = self.signal_group(signal.SIGTERM)
            if self.wait(grace) is None:
                family += self.signal_group(signal.SIGKILL)
                self.popen.wait()
            for pid in family:  # a work horse left behind
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def output(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def close(self):
        self.stop()
        self.log.close()
        os.unlink(self.log.name)


def start_worker(app, *args, **env):
    """A real `flask worker` (the production command and worker class)."""
    return Process([sys.executable, "-m", "flask", "worker", *args], app_environment(app, **env))


# -- HTTP clients of a live server ----------------------------------------------------------


def logged_in_session(base_url, email, password=PASSWORD):
    """A requests.Session holding its own login, as one browser would."""
    session = requests.Session()
    token = csrf_from(session.get(base_url + "/login", timeout=10).text)
    response = session.post(base_url + "/login", timeout=10, allow_redirects=False, data={
        "email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.text[:300]
    session.csrf = csrf_from(session.get(base_url + "/", timeout=10).text)
    return session
