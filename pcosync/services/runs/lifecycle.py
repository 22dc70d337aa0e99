"""The SyncRun lifecycle: one run at a time, counters, heartbeat, cancel, stale recovery.

The SyncRun row is the truth the Sync page polls. "One at a time" is a partial unique index on
`active_slot`, so two processes racing to start cannot both win.
"""
import logging
import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...models import Outcome, RunStatus, SyncIssue, SyncRun, utcnow
from ..alerts import rules as alerts
from ..rules.review_items import file_item
from .guard import GuardTripped, processed
from .quiet_pages import CommitPacer, page_only_read, release

log = logging.getLogger("pcosync.runs")

HEARTBEAT_SECONDS = 10
STALE_AFTER = timedelta(seconds=90)  # the default of the SYNC_STALE_SECONDS setting


class RunAlreadyActive(Exception):
    def __init__(self, run):
        self.run = run
        super().__init__(f"A sync is already running ({run.kind}, started "
                         f"{run.started_at:%H:%M:%S} UTC). Wait for it or cancel it.")


class RunCancelled(Exception):
    """Raised at a checkpoint when an admin asked to cancel."""


def active_run():
    return db.session.scalar(select(SyncRun).where(SyncRun.active_slot == 1))


def start_run(kind, triggered_by="cli", user_id=None, preview=False, confirmed=False):
    """Create a RUNNING top-level run, or raise RunAlreadyActive. `preview`: it writes nothing
    (services/runs/preview.py); `confirmed`: an admin said "Run anyway" (guard.py)."""
    recover_stale_runs()
    run = SyncRun(kind=kind, status=RunStatus.RUNNING, triggered_by=triggered_by, user_id=user_id,
                  active_slot=1, heartbeat_at=utcnow(), preview=bool(preview),
                  guard_confirmed=bool(confirmed))
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        current = active_run()
        if current is None:  # it finished between our insert and this read
            return start_run(kind, triggered_by, user_id, preview, confirmed)
        raise RunAlreadyActive(current)
    log.info("run started run_id=%s kind=%r by=%r preview=%s confirmed=%s", run.id, kind,
             triggered_by, run.preview, run.guard_confirmed)
    return run


def session_of(run):
    """The session a run's row lives in. During a preview `db.session` is the throwaway one;
    the run rows stay in the app's own session, so their counters are really written."""
    return object_session(run) or db.session()


def start_step(parent, kind):
    session = session_of(parent)
    step = SyncRun(kind=kind, status=RunStatus.RUNNING, triggered_by=parent.triggered_by,
                   user_id=parent.user_id, parent_id=parent.id, heartbeat_at=utcnow(),
                   preview=parent.preview, guard_confirmed=parent.guard_confirmed)
    session.add(step)
    session.commit()
    return step


def finish_run(run, status, error=None, needs_review=False, report=None):
    run.status = status
    run.error = error[:4000] if error else None
    run.finished_at = utcnow()
    run.active_slot = None
    run.needs_review = bool(needs_review)
    if report is not None:
        run.report = report
    session_of(run).commit()
    log.info("run finished run_id=%s kind=%r status=%s created=%s updated=%s skipped=%s "
             "failed=%s seconds=%.1f", run.id, run.kind, status, run.created_count,
             run.updated_count, run.skipped_count, run.failed_count, run.duration_seconds)
    tell_alerts(alerts.run_finished, run)


def tell_alerts(check, *args):
    """Alerts (services/alerts) hear of every end; a failure to tell never fails the run."""
    try:
        check(*args)
    except Exception:
        db.session.rollback()
        log.exception("alert check failed check=%s", check.__name__)


def request_cancel(run_id):
    """Ask a running run to stop at its next checkpoint. Returns False if it is not running."""
    result = db.session.execute(
        update(SyncRun).where(SyncRun.id == run_id, SyncRun.status == RunStatus.RUNNING)
        .values(cancel_requested=True))
    db.session.commit()
    return result.rowcount == 1


def cancel_requested(run):
    return bool(session_of(run).scalar(
        select(SyncRun.cancel_requested).where(SyncRun.id.in_(_lineage(run)))
        .where(SyncRun.cancel_requested.is_(True)).limit(1)))


def _committed_and_cancelled(runs):
    """Commit the page with the rows of `runs` (a run, and its parent for a step); whether one
    was asked to stop. Each row's UPDATE reads the request back (models/sync.py), and the rows
    stay loaded across the commit, as they were written: the next page counts on them without
    reloading them (a round trip a page)."""
    db.session.flush()
    cancelled = any(run.cancel_requested for run in runs)
    written = [(run, {attr.key: getattr(run, attr.key)
                      for attr in inspect(run).mapper.column_attrs}) for run in runs]
    db.session.commit()
    for run, values in written:
        for key, value in values.items():
            set_committed_value(run, key, value)
    return cancelled


def _reloaded_and_cancelled(session, lineage):
    """Reload the run rows the commit expired (the next page reads them anyway) in one
    SELECT, and tell whether one of them was asked to stop: a round trip fewer per page than
    a refresh and a query of its own."""
    query = select(SyncRun).where(SyncRun.id.in_(lineage)).execution_options(
        populate_existing=True)
    return any(run.cancel_requested for run in session.scalars(query))


def _lineage(run):
    return [run.id] + ([run.parent_id] if run.parent_id else [])


def stale_after(app=None):
    """How long a run may go without a heartbeat before it counts as dead (SYNC_STALE_SECONDS;
    tests that kill workers shorten it, so they need not wait the production 90 s)."""
    config = (app or current_app).config
    return timedelta(seconds=float(config.get("SYNC_STALE_SECONDS") or
                                   STALE_AFTER.total_seconds()))


def heartbeat_seconds(app=None):
    """Beat a few times per stale period, so a live run never looks dead."""
    return min(HEARTBEAT_SECONDS, stale_after(app).total_seconds() / 3)


def recover_stale_runs(now=None):
    """A run whose worker died stops heart-beating: mark it FAILED and free the slot."""
    now, limit = now or utcnow(), stale_after()
    stale = db.session.scalars(select(SyncRun).where(
        SyncRun.status == RunStatus.RUNNING, SyncRun.heartbeat_at < now - limit)).all()
    # A step dies with its run's worker even if its last beat came a moment later.
    stale += [step for run in list(stale) for step in run.steps
              if step.status == RunStatus.RUNNING and step not in stale]
    for run in stale:
        run.status, run.finished_at, run.active_slot = RunStatus.FAILED, now, None
        run.error = ("The worker stopped responding (no heartbeat for "
                     f"{int(limit.total_seconds())} s): it was stopped or crashed, or "
                     "no worker is running. Committed pages are kept; run it again.")
        log.warning("run recovered as FAILED run_id=%s kind=%r", run.id, run.kind)
    if stale:
        db.session.commit()
    for run in stale:
        tell_alerts(alerts.run_finished, run)
    return stale


class Progress:
    """Counters for one run, written to the row at every checkpoint (at least once a page).
    `guard`: a guard.Guard, or None; `recorder`: a preview.PreviewRecorder in a preview.
    `tally_parent`: a step's outcomes count in its parent's too (not a catch-up's: a push's
    "created" are people created in PCO, not those a Quick Sync before it brought here).
    `wanted_later`: what the later steps of its run read that this one can keep for them as
    it goes (kinds.Kind.reads_kept: Sync People keeps the households for Sync Families).
    `when_read`: what a step calls once it has read its listing to the end (reads_ahead.py)."""

    def __init__(self, run, parent=None, guard=None, recorder=None, tally_parent=True,
                 wanted_later=(), when_read=None):
        self.run = run
        self.parent = parent
        self.wanted_later, self.when_read = frozenset(wanted_later), when_read
        self.tallied = (run, parent) if tally_parent else (run,)
        self.guard = guard
        self.recorder = recorder
        self.pacer = CommitPacer()

    @property
    def bulk_writes(self):
        """Whether a page's new rows may be inserted in bulk (services/rules/bulk_create): not
        in a preview, whose report is read from the ORM's flushes (runs/changes.py)."""
        return self.recorder is None

    def wrote_nothing(self):
        """Whether the run's transaction has written nothing yet but its counters (what
        pull/page_writer.py may take a page's new people from)."""
        return page_only_read(db.session(), [run for run in (self.run, self.parent) if run])

    def expect(self, total):
        if total is not None and not self.run.total_expected:
            self.run.total_expected = total

    def count(self, outcome, n=1):
        for run in filter(None, self.tallied):
            name = f"{outcome}_count"
            setattr(run, name, (getattr(run, name) or 0) + n)

    def issue(self, record_type, reason, pco_id=None, local_id=None, failed=False):
        if self.recorder is not None:  # a preview files nothing: its report lists them
            self.recorder.issue(record_type, reason, pco_id=pco_id, local_id=local_id)
        else:
            db.session.add(SyncIssue(run_id=self.run.id, record_type=record_type,
                                     pco_id=pco_id, local_id=local_id, reason=reason[:2000]))
        if failed:
            self.count(Outcome.FAILED)

    def review(self, kind, summary, key, **refs):
        """File an item in the review queue for a human (or see the open one again). In a
        preview it goes to the throwaway session (later records see it, as in a real run),
        unlinked from the run, whose row is not in the preview's copy of the database."""
        run_id = None if self.recorder is not None else self.run.id
        file_item(kind, summary, key, run_id=run_id, **refs)

    def allow_archive(self, record_type, missing, seen):
        """Before archiving `missing` linked records that are not among the `seen` PCO listed:
        GuardTripped when they are too large a share."""
        self._guard(missing, seen + missing, f"{missing} linked {record_type} records")

    def allow_creates(self, record_type, count):
        """Before a push creates `count` records in PCO: GuardTripped when they are more than
        PUSH_CREATE_CONFIRM and nobody confirmed (a preview only notes it)."""
        limit = int(current_app.config.get("PUSH_CREATE_CONFIRM") or 100)
        if count <= limit or self.run.guard_confirmed:
            return
        message = (f"{self.run.kind} stopped before sending anything: it would add {count} "
                   f"{record_type} records to PCO, more than the {limit} that "
                   "PUSH_CREATE_CONFIRM allows without a confirmation. If they all belong in "
                   "PCO, press “Run anyway”; otherwise narrow the push scope or mark people "
                   "“do not send to PCO” first.")
        if self.recorder is not None:
            self.recorder.guard_would_stop(message)
            return
        db.session.rollback()
        raise GuardTripped(message)

    def tell_preview(self, name, describe):
        """In a preview, its report holds `name`: describe() (a real run never computes it)."""
        if self.recorder is not None:
            self.recorder.notes[name] = describe()

    def checkpoint(self, quiet=False):
        """Commit the page's work with the counters, then honour a cancel request. The guard
        looks first: a page that takes the run over its share is rolled back instead.
        `quiet`: the page may have only read (a listing's page where nothing changed); if so,
        and the last commit is recent, its counters wait for the next (quiet_pages.py)."""
        runs = [run for run in (self.run, self.parent) if run is not None]
        if quiet and self.recorder is None and self.pacer.skipped(db.session(), runs):
            return
        release(db.session())  # before the guard reads them and the flush writes them
        self._guard()
        now = utcnow()
        for run in runs:
            run.heartbeat_at = now
        if session_of(self.run) is db.session():
            cancelled = _committed_and_cancelled(runs)
        else:  # a preview: the run rows are in the app's own session
            lineage = _lineage(self.run)  # read before the commit expires it
            db.session.commit()
            session_of(self.run).commit()
            cancelled = _reloaded_and_cancelled(session_of(self.run), lineage)
        self.pacer.committed()
        if cancelled:
            raise RunCancelled()

    def _guard(self, changed=None, total=None, archiving=None):
        """Stop (roll back, GuardTripped) when the share is exceeded; a preview only notes it.
        By default: the records updated of those processed so far."""
        if self.guard is None:
            return
        if changed is None:
            changed, total = self.run.updated_count or 0, processed(self.run)
        message = self.guard.verdict(changed, total, archiving)
        if message is None:
            return
        if self.recorder is not None:
            self.recorder.guard_would_stop(message)
            return
        log.warning("guard tripped run_id=%s kind=%r: %s", self.run.id, self.run.kind, message)
        db.session.rollback()
        raise GuardTripped(message)


class Heartbeat:
    """Beats from a thread while a job works, so a long wait on PCO's rate limit never looks like
    a dead worker; a killed worker stops beating and its run is recovered as FAILED."""

    def __init__(self, app, run_ids):
        self.app, self.run_ids = app, list(run_ids)
        self.interval = heartbeat_seconds(app)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="heartbeat")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)

    def add(self, run_id):
        self.run_ids.append(run_id)

    def _loop(self):
        while not self._stop.wait(self.interval):
            try:
                with self.app.app_context():
                    self._beat()
            except Exception:  # a missed beat is harmless; the next one tries again
                log.exception("heartbeat failed")

    def _beat(self):
        """One row per transaction: a beat never holds one run's row lock while it waits for
        another's. Updating the parent and its step together deadlocked on PostgreSQL with the
        page checkpoint, which locks the same two rows in its own order."""
        for run_id in list(self.run_ids):
            with db.engine.begin() as conn:
                conn.execute(update(SyncRun).where(SyncRun.id == run_id,
                                                   SyncRun.status == RunStatus.RUNNING)
                             .values(heartbeat_at=utcnow()))
