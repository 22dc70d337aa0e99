"""`flask worker`: the RQ worker inside the app context."""
import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst):
    """Run the RQ worker (HerokuWorker) inside the app context."""
    from ..services.runs.lifecycle import recover_stale_runs
    from ..jobs import ensure_alert_check, ensure_schedules, sweep_deliveries
    from ..jobs.worker import run_worker

    recover_stale_runs()  # runs whose worker died while this one was down
    sweep_deliveries()  # deliveries recorded while the queue was down
    ensure_schedules()  # the stored schedules, even if Redis lost their scheduled ticks
    ensure_alert_check()  # the periodic check behind alerts (jobs/alerts.py)
    run_worker(current_app._get_current_object(), burst=burst)
