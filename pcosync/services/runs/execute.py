"""Run a SyncRun to its end: the single place that turns outcomes into statuses."""
import logging

from flask import current_app

from ...extensions import db
from ...models import RunStatus, SyncRun
from ...pco.errors import PCOError
from ..connection import make_client
from ..pull import PULLERS
from ..push import PUSHERS
from .lifecycle import STEPS, Heartbeat, Progress, RunCancelled, finish_run, start_step

log = logging.getLogger("pcosync.runs")


OPERATIONS = {**PULLERS, **PUSHERS}  # every run kind that is not a sequence of steps


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
    client = None
    with Heartbeat(app, [run.id]) as heartbeat:
        try:
            client = make_client(app)
            if run.kind in STEPS:
                _run_steps(run, client, heartbeat)
            else:
                OPERATIONS[run.kind](client, Progress(run))
            finish_run(run, RunStatus.COMPLETED)
        except RunCancelled:
            db.session.rollback()
            finish_run(run, RunStatus.CANCELLED,
                       "Cancelled by an admin; work up to that point is kept.")
        except StepFailed as err:
            finish_run(run, RunStatus.FAILED, str(err))
        except BaseException as err:
            db.session.rollback()
            log.exception("run failed run_id=%s", run.id)
            finish_run(run, RunStatus.FAILED, describe(err))
            if not isinstance(err, Exception):
                raise
        finally:
            if client is not None:
                client.close()
    return run.status


def _run_steps(parent, client, heartbeat):
    for kind in STEPS[parent.kind]:
        step = start_step(parent, kind)
        heartbeat.add(step.id)
        try:
            OPERATIONS[kind](client, Progress(step, parent=parent))
        except RunCancelled:
            db.session.rollback()
            finish_run(step, RunStatus.CANCELLED)
            raise
        except Exception as err:
            db.session.rollback()
            log.exception("step failed run_id=%s step=%r", parent.id, kind)
            finish_run(step, RunStatus.FAILED, describe(err))
            raise StepFailed(f"Step {kind} failed: {describe(err)}") from err
        except BaseException as err:
            # A shutdown (RQ's ShutDownImminentException is no Exception) used to end only the
            # parent run: its step stayed RUNNING under a FAILED run.
            db.session.rollback()
            finish_run(step, RunStatus.FAILED, describe(err))
            raise
        finish_run(step, RunStatus.COMPLETED)
