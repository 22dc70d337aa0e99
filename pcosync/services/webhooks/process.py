"""Apply the recorded webhook deliveries in the worker, with the same matcher and merge rules
as a pull, a batch at a time.

A batch takes the waiting deliveries (oldest first; people's before the rest), groups them by
record and coalesces each group (batch.py), applies a chunk of records in one transaction and
settles every delivery in the same commit as what it changed: a crash loses nothing (the
chunk's deliveries simply wait again) and nothing is applied twice; a delivery that fails is
done again alone and fails alone. Each delivery ends processed, ignored (not synced, or
coalesced into another) or failed (with the error; `flask pco webhooks retry` sends it again).
A delivery whose payload is not enough (handlers/) is read from PCO after the commit, then
applied alone.
"""
import logging
import time
from collections import Counter

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from ...extensions import db
from ...models import ChangeSource, DeliveryStatus, SyncIssue, utcnow
from ...pco.errors import PCOError
from ..connection import make_client
from ..history.context import recording
from ..rules.erasures import ErasedSkip
from ..rules.review_items import file_item
from ..runs.lifecycle import stale_after
from . import deliveries, events
from .batch import coalesce, group_by_record
from .handlers.common import Ignored, forget_people
from .handlers.prefetch import prefetch_chunk
from .reads import ReadFirst
from .uniform_updates import uniform_updates

log = logging.getLogger("pcosync.webhooks")
RACE_RETRIES = 3
SCAN_LIMIT = 5000  # waiting deliveries looked at per transaction (coalesced together)
CHUNK_GROUPS = 500  # records per transaction...
CHUNK_SECONDS = 0.2  # ...or this long: on SQLite the batch is the one writer meanwhile;
# on PostgreSQL it only locks the rows it changed, and each chunk costs a few statements more.
CHUNK_SECONDS_POSTGRESQL = 1.0
PREFETCH_GROUPS = 250  # records whose rows are loaded together (before they are applied);
# on PostgreSQL the whole chunk at once: a load is a dozen round trips, and the flush it starts
# splits the chunk's writes in two, while its longer chunk has the time to apply them all.
SYNC_WAIT_SECONDS = 1
WAIT = "wait for the sync run"
JOB_SECONDS = 240  # then the job ends and another continues (RQ's timeout is 5 minutes)
PROCESSED, IGNORED, FAILED = (DeliveryStatus.PROCESSED, DeliveryStatus.IGNORED,
                              DeliveryStatus.FAILED)


def ended(note):
    """(status, note): a handler's Ignored note ends the delivery ignored (outside the sync
    scope, ...), and so does one about an erased person (ErasedSkip, whose body is not kept);
    any other processed."""
    return (IGNORED if isinstance(note, (Ignored, ErasedSkip)) else PROCESSED), note


class DeliveryLog:
    """The `issue` / `count` interface the pull helpers expect, for one delivery.
    `defer_reads`: a handler needing PCO raises reads.ReadFirst instead of reading."""

    def __init__(self, row_id, defer_reads=False):
        self.row_id, self.defer_reads = row_id, defer_reads
        self.outcomes = []

    def issue(self, record_type, reason, pco_id=None, local_id=None, failed=False):
        db.session.add(SyncIssue(delivery_id=self.row_id, record_type=record_type,
                                 pco_id=pco_id, local_id=local_id, reason=reason[:2000]))

    def count(self, outcome, n=1):
        self.outcomes.append(outcome)

    def review(self, kind, summary, key, **refs):
        file_item(kind, summary, key, **refs)


class LazyClient:
    """The PCO client, made on first use: most batches read nothing from PCO."""

    def __init__(self):
        self._client = None

    def __getattr__(self, name):
        if self._client is None:
            # A read that keeps failing fails its delivery (`flask pco webhooks retry`): no
            # long waits inside a batch.
            self._client = make_client(max_retries=2)
        return getattr(self._client, name)

    def close(self):
        if self._client is not None:
            self._client.close()


def process_waiting(seconds=JOB_SECONDS):
    """Apply waiting deliveries for up to `seconds`; True when some are still waiting."""
    batch = Batch()
    try:
        return batch.run(time.monotonic() + seconds)
    finally:
        batch.close()


def process_delivery(row_id):
    """Apply one delivery alone (if it still waits); returns its status."""
    batch = Batch(only={row_id})
    try:
        batch.run(time.monotonic() + JOB_SECONDS)
    finally:
        batch.close()
    return db.session.scalar(select(deliveries.TABLE.c.status).where(
        deliveries.TABLE.c.id == row_id))


def chunk_seconds():
    if db.engine.dialect.name == "postgresql":
        return max(CHUNK_SECONDS, CHUNK_SECONDS_POSTGRESQL)
    return CHUNK_SECONDS


def prefetch_groups():
    if db.engine.dialect.name == "postgresql":
        return max(PREFETCH_GROUPS, CHUNK_GROUPS)
    return PREFETCH_GROUPS


def sync_running(heartbeat):
    """Whether a sync run is going on another worker (`heartbeat`: the active run's, read with
    the batch's lock; it is fresh). Its pull reads PCO's records anyway, and a batch applied
    meanwhile would race it for the same new rows (the unique constraints would fail its page),
    so the batch waits for it to end. With one worker, as deployed, a batch never meets a run:
    the worker does one job at a time."""
    return heartbeat is not None and heartbeat >= utcnow() - stale_after()


class DeliveryFailed(Exception):
    def __init__(self, waiting, error):
        super().__init__(str(error))
        self.waiting, self.error = waiting, error


class Batch:
    """One job's pass over the waiting deliveries; each body is parsed once per job.

    A chunk of records is applied in one transaction without savepoints (a savepoint per
    delivery cost more than the delivery: a flush, and every per-transaction cache dropped).
    When a delivery fails, or the commit does, the chunk is rolled back and done again a record
    per transaction; a record that fails alone ends failed (after two more tries for a race
    with a concurrent pull)."""

    def __init__(self, only=None):
        self.only = only
        self.client = LazyClient()
        self.parsed = {}  # row id -> batch.Waiting, of the deliveries taken not yet settled
        self.counts = Counter()

    def close(self):
        self.client.close()
        if sum(self.counts.values()):
            log.info("webhook batch %s", dict(self.counts))

    def run(self, deadline):
        with recording(ChangeSource.WEBHOOK), uniform_updates():
            return self._run(deadline)

    def _run(self, deadline):
        while time.monotonic() < deadline:
            taken = self.step(self.only)
            if taken is WAIT:
                self.counts["seconds waiting for a sync run"] += SYNC_WAIT_SECONDS
                time.sleep(SYNC_WAIT_SECONDS)
            elif not taken:
                return False
        return True

    def step(self, only, tries=1):
        """One transaction: take, apply, settle; then what needs PCO first. False: none waits;
        WAIT: a sync run is going on (the whole batch, not `only` deliveries, waits for it)."""
        if sync_running(deliveries.lock(watch_runs=only is None)):
            db.session.rollback()  # no snapshot kept while waiting
            return WAIT
        groups, unsynced = self.take(only)
        if not groups and not unsynced:
            db.session.rollback()
            return False
        try:
            results, reads = self.apply(groups)
            results.update({w.row_id: (IGNORED, f"event {w.event_name} is not synced")
                            for w in unsynced})
            deliveries.settle(results)
            db.session.commit()
        except (DeliveryFailed, SQLAlchemyError) as failure:
            db.session.rollback()
            self.recover(groups, failure, tries)
            return True
        finally:
            forget_people()
        self.report(results)
        found = {}  # key -> what was read, for the deliveries sharing a read
        for waiting, read in reads:
            self.read_then_apply(waiting, read, found)
        return True

    def take(self, only):
        # Their bodies with them when none is parsed yet (a job's first take, or every
        # delivery taken before is settled): one round trip instead of two.
        rows = deliveries.waiting_rows(SCAN_LIMIT, only, with_bodies=not self.parsed)
        self.parsed = {row.id: self.parsed[row.id] for row in rows if row.id in self.parsed}
        self.parsed.update(deliveries.read_bodies([r for r in rows if r.id not in self.parsed]))
        waiting = [self.parsed[row.id] for row in rows]
        synced = [w for w in waiting if events.find(w.event_name) is not None]
        unsynced = [w for w in waiting if events.find(w.event_name) is None]
        return group_by_record(synced)[:CHUNK_GROUPS], unsynced

    def apply(self, groups):
        """({row id: (status, note)}, [(delivery, reads.ReadFirst)]) of the groups applied
        before the chunk's time ran out (the others wait for the next chunk)."""
        results, reads = {}, []
        until, loaded = time.monotonic() + chunk_seconds(), prefetch_groups()
        for index, group in enumerate(groups):
            if time.monotonic() > until and (results or reads):
                break
            if index % loaded == 0:
                prefetch_chunk([w.payload for g in groups[index:index + loaded]
                                for w in g.deliveries if w.payload])
            plan = coalesce(group, events.rereadable)
            for waiting in plan.apply:
                event = events.find(waiting.event_name)
                outcome = self.attempt(waiting, event.reread if plan.reread else event.handler,
                                       event.batch_safe)
                if isinstance(outcome, ReadFirst):
                    reads.append((waiting, outcome))
                else:
                    results[waiting.row_id] = outcome
            results.update({row_id: (IGNORED, note) for row_id, note in plan.coalesced.items()})
        return results, reads

    def attempt(self, waiting, handler, batch_safe):
        """(status, note), or the ReadFirst the handler raised; DeliveryFailed if it failed.
        A batch-safe handler runs without autoflush (events.py)."""
        if waiting.problem:
            return FAILED, waiting.problem
        with recording(ChangeSource.WEBHOOK, delivery_id=waiting.delivery_id,
                       session=db.session):
            return self._attempt(waiting, handler, batch_safe)

    def _attempt(self, waiting, handler, batch_safe):
        try:
            if batch_safe:
                with db.session.no_autoflush:
                    return ended(handler(self.client, waiting.payload,
                                         DeliveryLog(waiting.row_id, defer_reads=True)))
            db.session.flush()
            return ended(handler(self.client, waiting.payload,
                                 DeliveryLog(waiting.row_id, defer_reads=True)))
        except ReadFirst as read:
            return read
        except Exception as err:
            raise DeliveryFailed(waiting, err) from err

    def recover(self, groups, failure, tries):
        """The chunk again, a record per transaction. A record alone: a pull may have written
        it at the same moment (the unique constraints refused one side): it tries again and
        then sees the other's row; any other failure is final."""
        if len(groups) > 1:
            for group in groups:
                self.step({w.row_id for w in group.deliveries})
            return
        row_ids = {w.row_id for w in groups[0].deliveries}
        error = getattr(failure, "error", failure)
        if isinstance(error, (IntegrityError, OperationalError)) and tries < RACE_RETRIES:
            self.step(row_ids, tries + 1)
            return
        self.fail(groups[0], failure)

    def fail(self, group, failure):
        """Every delivery of the record ends failed (`flask pco webhooks retry` sends them
        again, coalesced again): the one that failed with its error, the others naming it."""
        failed = getattr(failure, "waiting", None)
        reason = self.reason(failure.error if failed else failure, failed)
        deliveries.lock()
        left = deliveries.still_waiting({w.row_id for w in group.deliveries})
        results = {w.row_id: (FAILED, reason if failed in (None, w) else
                              f"not applied: delivery {failed.delivery_id} of the same record "
                              f"failed: {reason}")
                   for w in group.deliveries if w.row_id in left}
        deliveries.settle(results)
        db.session.commit()
        self.report(results)

    def reason(self, error, waiting=None):
        if isinstance(error, PCOError):
            return str(error)
        log.error("webhook processing failed delivery_id=%s", waiting and waiting.delivery_id,
                  exc_info=error)
        return f"{type(error).__name__}: {error}"

    def read_then_apply(self, waiting, read, shared):
        """Read PCO (no lock held; once per `read.key` in `shared`), then apply under the lock
        if the delivery still waits."""
        try:
            found = self.read(read, shared)
        except Exception as err:  # PCO unavailable, or a malformed answer
            db.session.rollback()
            return self.settle_alone(waiting, (FAILED, self.reason(err, waiting)))
        for attempt in range(1, RACE_RETRIES + 1):
            deliveries.lock()
            if not deliveries.still_waiting([waiting.row_id]):
                db.session.rollback()  # applied meanwhile by another batch
                return None
            try:
                with recording(ChangeSource.WEBHOOK, delivery_id=waiting.delivery_id):
                    result = ended(read.apply(found, self.client,
                                              DeliveryLog(waiting.row_id)))
                return self.settle_alone(waiting, result, locked=True)
            except (IntegrityError, OperationalError) as err:  # a race: try again (see recover)
                db.session.rollback()
                if attempt == RACE_RETRIES:
                    return self.settle_alone(waiting, (FAILED, self.reason(err, waiting)))
            except Exception as err:  # the delivery fails alone, with the reason
                db.session.rollback()
                return self.settle_alone(waiting, (FAILED, self.reason(err, waiting)))
        return None

    def read(self, read, shared):
        if read.key is not None and read.key in shared:
            return shared[read.key]
        self.counts["read from PCO"] += 1
        found = read.read(self.client)
        if read.key is not None:
            shared[read.key] = found
        return found

    def settle_alone(self, waiting, result, locked=False):
        if not locked:
            deliveries.lock()
            if not deliveries.still_waiting([waiting.row_id]):
                db.session.rollback()
                return None
        deliveries.settle({waiting.row_id: result})
        db.session.commit()
        self.report({waiting.row_id: result})
        return result

    def report(self, results):
        for row_id, (status, note) in results.items():
            waiting = self.parsed.pop(row_id, None)  # settled: never taken again
            self.counts[str(status)] += 1
            log.info("webhook %s delivery_id=%s event=%s note=%r", status,
                     waiting.delivery_id if waiting else row_id,
                     waiting.event_name if waiting else None, note)
