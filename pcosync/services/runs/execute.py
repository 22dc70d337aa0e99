"""Run a SyncRun to its end: the single place that turns outcomes into statuses."""
import gc
import logging
from contextlib import closing, contextmanager

from flask import current_app

from ...extensions import db
from ...models import ChangeSource, RunStatus, SyncRun
from ...pco.errors import PCOError
from ..connection import make_client
from ..history.context import paused, recording
from . import kinds
from .catch_up import catch_up_needed
from .guard import GuardTripped, guard_for
from ..alerts.rules import run_error
from .lifecycle import Heartbeat, Progress, RunCancelled, finish_run, start_step, tell_alerts
from .preview import PreviewRecorder, isolated
from .reads_ahead import ReadsAhead

log = logging.getLogger("pcosync.runs")


class StepFailed(Exception):
    pass


def describe(err):
    """What an admin reads on the Sync page: plain words, never a secret."""
    if isinstance(err, PCOError):
        return str(err)
    if type(err).__name__ == "ShutDownImminentException":
        return "The worker was shut down (a restart or deploy) during the run; run it again."
    return f"Unexpected error ({type(err).__name__}): {err}"


def execute_run(run_id):
    """Execute a RUNNING run (from the worker or the CLI). Returns its final status."""
    run = db.session.get(SyncRun, run_id)
    if run is None or run.status != RunStatus.RUNNING:
        log.warning("run not executed run_id=%s: it is not RUNNING", run_id)
        return run.status if run else None
    app = current_app._get_current_object()
    with Heartbeat(app, [run.id]) as heartbeat, frozen_heap():
        _execute(run, app, heartbeat)
    return run.status


@contextmanager
def frozen_heap():
    """What lived before the run (the app, its modules, the worker's session) is kept out of the
    cyclic collector's sight while the run goes: each full collection scanned it all again,
    about 130 ms a time, two of them a tenth of an unchanged pull of 10,000 people. It is
    unfrozen, and can be collected again, when the run ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _execute(run, app, heartbeat):
    client = recorder = None
    try:
        client = make_client(app, preview=run.preview)
        recorder = PreviewRecorder(client) if run.preview else None
        with isolated(recorder):
            _operate(run, client, heartbeat, recorder)
        finish_run(run, RunStatus.COMPLETED, report=_report(recorder))
    except RunCancelled:
        _stop(run, recorder, RunStatus.CANCELLED, "Cancelled by an admin; " + (
            "a preview writes nothing." if run.preview else "work up to that point is kept."))
    except GuardTripped as err:
        _stop(run, recorder, RunStatus.FAILED, str(err), needs_review=True)
    except StepFailed as err:
        _stop(run, recorder, RunStatus.FAILED, str(err))
        tell_alerts(run_error, err)
    except BaseException as err:
        db.session.rollback()  # first: a failed flush leaves the run's row unreadable
        log.exception("run failed run_id=%s", run.id)
        _stop(run, recorder, RunStatus.FAILED, describe(err))
        tell_alerts(run_error, err)
        if not isinstance(err, Exception):
            raise
    finally:
        if client is not None:
            client.close()


def _stop(run, recorder, status, error, needs_review=False):
    """End a run that did not complete: its unfinished page is dropped."""
    db.session.rollback()
    finish_run(run, status, error, needs_review=needs_review, report=_report(recorder))


def _report(recorder):
    return recorder.report() if recorder is not None else None


def _operate(run, client, heartbeat, recorder):
    kind = kinds.get(run.kind)
    if kind.steps:
        _run_steps(run, kind.steps, client, heartbeat, recorder)
    else:
        if catch_up_needed(kind):  # a step of its own, under this run
            _run_steps(run, (), client, heartbeat, recorder, catch_up=kind.catch_up)
        guard = guard_for(run, run.kind, current_app.config)
        with recorded(run, kind):
            kind.run(client, Progress(run, guard=guard, recorder=recorder))


def _run_steps(parent, steps, client, heartbeat, recorder, catch_up=None):
    """`catch_up`: a single catch-up step (kinds.Kind.catch_up) instead of `steps`. The next
    step's requests may be asked while a step writes (reads_ahead.py)."""
    planned = [(catch_up, True)] if catch_up else with_catch_ups(steps)
    with closing(ReadsAhead(client, steps)) as ahead:
        for kind, catching_up in planned:
            ahead.step_starts(kind)
            _run_step(parent, kind, client, heartbeat, recorder=recorder,
                      tally_parent=not catching_up,
                      wanted_later=() if catching_up else wanted_after(steps, kind),
                      when_read=ahead.when_read(kind, catching_up))


def _run_step(parent, kind, client, heartbeat, **progress_options):
    """One step of `parent`, its own history row (`progress_options`: the step's Progress's)."""
    step = start_step(parent, kind)
    heartbeat.add(step.id)
    guard = guard_for(parent, kind, current_app.config)
    try:
        with recorded(step, kinds.get(kind)):
            kinds.get(kind).run(client, Progress(step, parent=parent, guard=guard,
                                                 **progress_options))
    except RunCancelled:
        _end_step(step, RunStatus.CANCELLED)
        raise
    except GuardTripped as err:
        _end_step(step, RunStatus.FAILED, str(err), needs_review=True)
        raise GuardTripped(f"Step {kind}: {err}") from err
    except Exception as err:
        _end_step(step, RunStatus.FAILED, describe(err))
        log.exception("step failed run_id=%s step=%r", parent.id, kind)
        raise StepFailed(f"Step {kind} failed: {describe(err)}") from err
    except BaseException as err:
        # A shutdown (RQ's ShutDownImminentException is no Exception) must end the step
        # too, or it would stay RUNNING under a FAILED run.
        _end_step(step, RunStatus.FAILED, describe(err))
        raise
    finish_run(step, RunStatus.COMPLETED)


def wanted_after(steps, kind):
    """What the steps after `kind` read that it can keep for them (kinds.Kind.reads_kept)."""
    return {kept for later in steps[steps.index(kind) + 1:]
            for kept in kinds.get(later).reads_kept}


def with_catch_ups(steps):
    """(kind, is a catch-up) of the steps, each after the catch-up it needs now (looked at
    when its turn comes: the steps before it may have linked everyone)."""
    for value in steps:
        kind = kinds.get(value)
        if catch_up_needed(kind):
            yield kind.catch_up, True
        yield value, False


def recorded(run, kind):
    """The run's changes go into the history as its own (services/history); a preview's are
    thrown away with everything else it wrote, so they are not recorded at all."""
    if run.preview:
        return paused()
    source = (ChangeSource.PUSH if kind.pushes else
              ChangeSource.QUICK_SYNC if kind.value == kinds.QUICK_SYNC else ChangeSource.PULL)
    return recording(source, run_id=run.id, user_id=run.user_id)


def _end_step(step, status, error=None, needs_review=False):
    db.session.rollback()  # in a preview, the throwaway session's unfinished page
    finish_run(step, status, error, needs_review=needs_review)
