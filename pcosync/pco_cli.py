"""`flask pco ...`: pulls, pushes and checks from the shell, cron or Heroku Scheduler."""
import sys

import click
from flask.cli import AppGroup

from .extensions import db
from .models import RunKind, RunStatus, SyncRun

pco_cli = AppGroup("pco", help="Sync with Planning Center Online.")

PULL_KINDS = {"people": RunKind.PEOPLE, "families": RunKind.FAMILIES, "groups": RunKind.GROUPS,
              "all": RunKind.FULL_SYNC}
PUSH_KINDS = {"people": RunKind.PUSH_PEOPLE, "families": RunKind.PUSH_FAMILIES,
              "memberships": RunKind.PUSH_MEMBERSHIPS, "all": RunKind.FULL_PUSH}


def run_kind(kind, enqueue):
    """Start a run; in the foreground print its progress and exit non-zero unless COMPLETED."""
    from .jobs import QueueUnavailable, start_run_in_worker
    from .services.runs.execute import execute_run
    from .services.runs.lifecycle import RunAlreadyActive, start_run

    try:
        if enqueue:
            run = start_run_in_worker(kind, triggered_by="cli")
            click.echo(f"Queued run {run.id} ({kind}); the worker will run it.")
            return
        run = start_run(kind, triggered_by="cli")
    except (RunAlreadyActive, QueueUnavailable) as err:
        raise click.ClickException(str(err))
    click.echo(f"Run {run.id}: {kind} started.")
    status = execute_run(run.id)
    report(db.session.get(SyncRun, run.id))
    if status != RunStatus.COMPLETED:
        sys.exit(1)


def report(run):
    click.echo(f"Run {run.id} {run.kind}: {run.status} in {run.duration_seconds:.1f} s; "
               f"created {run.created_count}, updated {run.updated_count}, "
               f"skipped {run.skipped_count}, failed {run.failed_count}.")
    for step in run.steps:
        click.echo(f"  step {step.kind}: {step.status}; created {step.created_count}, "
                   f"updated {step.updated_count}, skipped {step.skipped_count}, "
                   f"failed {step.failed_count}.")
    if run.error:
        click.echo(f"  error: {run.error}")
    if run.issues:
        click.echo(f"  {len(run.issues)} record(s) need attention (see the Sync page).")


@pco_cli.command("pull")
@click.argument("what", type=click.Choice(sorted(PULL_KINDS)))
@click.option("--enqueue", is_flag=True, help="Hand the run to the worker and return.")
def pull_command(what, enqueue):
    """Pull people, families, groups, or all three (Full Sync) from PCO."""
    run_kind(PULL_KINDS[what], enqueue)


@pco_cli.command("push")
@click.argument("what", type=click.Choice(sorted(PUSH_KINDS)))
@click.option("--enqueue", is_flag=True, help="Hand the run to the worker and return.")
def push_command(what, enqueue):
    """Push people, families, group memberships, or all three (Full Push) to PCO."""
    run_kind(PUSH_KINDS[what], enqueue)


@pco_cli.command("test-connection")
def test_connection_command():
    """Print the PCO organization's name, or what is wrong."""
    from .pco.errors import PCOError
    from .services.connection import test_connection

    try:
        click.echo(f"Connected to {test_connection()}.")
    except PCOError as err:
        raise click.ClickException(str(err))


@pco_cli.command("cancel")
def cancel_command():
    """Ask the running sync to stop at its next page."""
    from .services.runs.lifecycle import active_run, request_cancel

    run = active_run()
    if run is None or not request_cancel(run.id):
        raise click.ClickException("No sync is running.")
    click.echo(f"Cancel requested for run {run.id} ({run.kind}).")


webhooks_cli = AppGroup("webhooks", help="Webhook subscriptions and deliveries from PCO.")
pco_cli.add_command(webhooks_cli)


@webhooks_cli.command("retry")
def retry_webhooks_command():
    """Queue every failed delivery again."""
    from .jobs import retry_failed_deliveries

    click.echo(f"Queued {retry_failed_deliveries()} failed deliveries again.")


@webhooks_cli.command("sweep")
def sweep_webhooks_command():
    """Queue deliveries that were recorded while the queue was down."""
    from .jobs import sweep_deliveries

    click.echo(f"Queued {sweep_deliveries()} waiting deliveries.")


@webhooks_cli.command("import-secrets")
def import_secrets_command():
    """Store the authenticity secret of every PCO webhook subscription of this app."""
    from .pco.errors import PCOError
    from .services.connection import while_admin_waits
    from .services.webhooks.subscriptions import import_subscriptions

    try:
        click.echo(while_admin_waits(import_subscriptions).summary())
    except PCOError as err:
        raise click.ClickException(str(err))
