"""`flask pco ...`: pulls, pushes and checks from the shell, cron or Heroku Scheduler."""
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from .extensions import db
from .models import RunKind, RunStatus, SyncRun

pco_cli = AppGroup("pco", help="Sync with Planning Center Online.")

PULL_KINDS = {"people": RunKind.PEOPLE, "families": RunKind.FAMILIES, "groups": RunKind.GROUPS,
              "all": RunKind.FULL_SYNC, "quick": RunKind.QUICK_SYNC}
CLI_FIRST_CHANGES = 5  # per kind of record (the run's page shows more)
PUSH_KINDS = {"people": RunKind.PUSH_PEOPLE, "families": RunKind.PUSH_FAMILIES,
              "memberships": RunKind.PUSH_MEMBERSHIPS, "all": RunKind.FULL_PUSH}


def run_kind(kind, enqueue, preview=False, confirm=False, command=""):
    """Start a run; in the foreground print its progress and exit non-zero unless COMPLETED.
    `preview`: write nothing, print what it would do; `confirm`: past the guard."""
    from .jobs import QueueUnavailable, start_run_in_worker
    from .services.runs.execute import execute_run
    from .services.runs.lifecycle import RunAlreadyActive, start_run

    options = {"triggered_by": "cli", "preview": preview, "confirmed": confirm}
    try:
        if enqueue:
            run = start_run_in_worker(kind, **options)
            click.echo(f"Queued run {run.id} ({kind}); the worker will run it.")
            return
        run = start_run(kind, **options)
    except (RunAlreadyActive, QueueUnavailable) as err:
        raise click.ClickException(str(err))
    click.echo(f"Run {run.id}: {kind}{' preview' if preview else ''} started.")
    status = execute_run(run.id)
    run = db.session.get(SyncRun, run.id)
    report(run)
    if run.report and run.preview:
        echo_preview(run.report)
    if run.needs_review:
        click.echo(f"  Its preview: `flask pco {command} --preview`; to run it anyway: "
                   f"`flask pco {command} --confirm`.")
    if status != RunStatus.COMPLETED:
        sys.exit(1)


def echo_preview(preview):
    """A preview's report: what it would change here, send to PCO, file; the guard's word."""
    click.echo("  Preview: nothing was written here and nothing was sent to PCO.")
    if preview.get("guard"):
        click.echo(f"  The real run would stop: {preview['guard']}")
    for line in preview_lines(preview):
        click.echo(line)


def preview_lines(preview):
    lines = []
    for kind, change in (preview.get("changes") or {}).items():
        counts = ", ".join(f"{change[action]} {action}" for action in
                           ("created", "updated", "archived", "deleted") if change[action])
        lines.append(f"  {kind}: {counts or 'no change'}")
        for entry in change["first"][:CLI_FIRST_CHANGES]:
            lines.append(f"    {entry['action']} {entry['label']}{_fields(entry)}")
    writes = preview.get("pco_writes")
    if writes is not None:
        by_kind = ", ".join(f"{n} {kind}" for kind, n in writes["by_kind"].items())
        lines.append(f"  Would send to PCO: {writes['total']} writes{': ' if by_kind else ''}"
                     f"{by_kind}")
        lines += [f"    {w['method']} {w['path']} {w['attributes'] or ''}".rstrip()
                  for w in writes["first"]]
    issues = preview.get("issues") or {}
    if issues.get("total"):
        lines.append(f"  Would file {issues['total']} issue(s), e.g. "
                     f"{issues['first'][0]['reason']}")
    return lines


def _fields(entry):
    """": first_name=Ann; city=Salem" for a new row, ": last_name: Lee -> Leigh" for a change."""
    if entry["action"] == "created":
        parts = [f"{name}={after}" for name, _, after in entry["fields"]]
    else:
        parts = [f"{name}: {_shown(before)} -> {_shown(after)}"
                 for name, before, after in entry["fields"]]
    return ": " + "; ".join(parts) if parts else ""


def _shown(value):
    return "(none)" if value is None or value == "" else value


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


def run_options(command):
    """--enqueue, --preview and --confirm, shared by pull and push."""
    options = (
        click.option("--enqueue", is_flag=True, help="Hand the run to the worker and return."),
        click.option("--preview", is_flag=True,
                     help="Write nothing here, send nothing to PCO: print what it would do."),
        click.option("--confirm", is_flag=True,
                     help="Run it even if the guard (SYNC_GUARD_PERCENT) would stop it."),
    )
    for option in reversed(options):
        command = option(command)
    return command


@pco_cli.command("pull")
@click.argument("what", type=click.Choice(sorted(PULL_KINDS)))
@run_options
def pull_command(what, enqueue, preview, confirm):
    """Pull people, families, groups, all three (Full Sync), or what changed since the last
    Quick Sync (quick) from PCO."""
    run_kind(PULL_KINDS[what], enqueue, preview, confirm, command=f"pull {what}")


@pco_cli.command("push")
@click.argument("what", type=click.Choice(sorted(PUSH_KINDS)))
@run_options
def push_command(what, enqueue, preview, confirm):
    """Push people, families, group memberships, or all three (Full Push) to PCO."""
    run_kind(PUSH_KINDS[what], enqueue, preview, confirm, command=f"push {what}")


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
    from .services.webhooks.subscriptions import NoAddress, import_subscriptions

    try:
        result = while_admin_waits(lambda client: import_subscriptions(client,
                                                                       current_app.config))
    except (PCOError, NoAddress) as err:
        raise click.ClickException(str(err))
    click.echo(result.summary())


@webhooks_cli.command("setup")
def setup_webhooks_command():
    """Give every event the app handles one active subscription to PUBLIC_BASE_URL."""
    from .services.webhooks.setup import set_up

    click.echo(_with_pco(lambda client: set_up(client, current_app.config)).summary())


@webhooks_cli.command("rotate-secrets")
def rotate_secrets_command():
    """Rotate the secret of every subscription set up here (the old one verifies for an hour)."""
    from .services.webhooks.setup import rotate_secrets

    click.echo(f"Rotated {_with_pco(rotate_secrets)} webhook secrets; the new ones are stored.")


@webhooks_cli.command("check")
def check_webhooks_command():
    """What the daily check does: re-activate subscriptions PCO deactivated."""
    from .services.webhooks.setup import daily_check

    click.echo(_with_pco(lambda client: daily_check(client, current_app.config)).summary())


@webhooks_cli.command("health")
def webhook_health_command():
    """Each handled event's subscription: active or not, last delivery here, failures."""
    from .services.webhooks.health import health

    for item in health(current_app.config):
        last = f"{item.last_delivery_at:%Y-%m-%d %H:%M} UTC" if item.last_delivery_at else "never"
        click.echo(f"{item.event:<45} {item.state:<9} last delivery {last:<21} "
                   f"failures {item.failures}")


def _with_pco(action):
    """`action(client)` with the admin's patience; PCO's and setup's refusals become a clear
    error and a non-zero exit."""
    from .pco.errors import PCOError
    from .services.connection import while_admin_waits
    from .services.webhooks.setup import SetupRefused

    try:
        return while_admin_waits(action)
    except (PCOError, SetupRefused) as err:
        raise click.ClickException(str(err))


schedule_cli = AppGroup("schedule", help="Quick Sync and the nightly Full Sync, run by the worker.")
pco_cli.add_command(schedule_cli)


@schedule_cli.command("show")
def show_schedule_command():
    """The schedules and when each runs next."""
    from .jobs import scheduled_ticks
    from .services.runs import schedules

    try:
        view = schedules.view(_ticks_or_none(scheduled_ticks))
    except schedules.ScheduleError as err:
        raise click.ClickException(str(err))
    click.echo(describe_schedule(view))


@schedule_cli.command("set")
@click.option("--quick-sync-minutes", default=None,
              help="Quick Sync every N minutes; 'off' to stop.")
@click.option("--full-sync-at", default=None, help="Full Sync daily at HH:MM (TIMEZONE); 'off'.")
@click.option("--full-push/--no-full-push", default=None, help="A Full Push after the Full Sync.")
def set_schedule_command(quick_sync_minutes, full_sync_at, full_push):
    """Change the schedules (unnamed options keep their value); the worker runs them."""
    from .jobs import apply_schedules, scheduled_ticks
    from .services.runs import schedules

    try:
        values = _schedule_values(schedules, quick_sync_minutes, full_sync_at, full_push)
        schedules.save_schedule(*schedules.parse_form(values), by="cli")
        _ticks_or_none(apply_schedules)
        click.echo(describe_schedule(schedules.view(_ticks_or_none(scheduled_ticks))))
    except schedules.ScheduleError as err:
        raise click.ClickException(str(err))


def _schedule_values(schedules, quick, at, push):
    current = schedules.view()
    quick = str(current.quick_sync_minutes or "") if quick is None else quick
    at = (current.full_sync_at or "") if at is None else at
    return {"quick_sync_enabled": quick not in ("", "off"), "quick_sync_minutes": quick,
            "full_sync_enabled": at not in ("", "off"), "full_sync_at": at,
            "full_push_after": current.full_push_after if push is None else push}


def _ticks_or_none(call):
    import redis as redis_lib

    try:
        return call()
    except redis_lib.RedisError:
        click.echo("The job queue (Redis) is unavailable: the worker schedules the runs when it "
                   "starts.")
        return None


def describe_schedule(view):
    def when(name):
        moment = view.next_due.get(name)
        return f"next {moment:%Y-%m-%d %H:%M %Z}" if moment else "off"
    quick = f"every {view.quick_sync_minutes} min" if view.quick_sync_minutes else "off"
    full = f"daily at {view.full_sync_at}" if view.full_sync_at else "off"
    push = ", then a Full Push" if view.full_push_after else ""
    return (f"Quick Sync: {quick} ({when('quick-sync')})\n"
            f"Full Sync: {full}{push} ({when('full-sync')}), time zone {view.time_zone}\n"
            f"Webhook check: daily ({when('webhook-check')})")
