"""`flask pco schedule ...`: Quick Sync and the nightly Full Sync, run by the worker."""
import click
from flask.cli import AppGroup

from .group import pco_cli

schedule_cli = AppGroup("schedule", help="Quick Sync and the nightly Full Sync, run by the worker.")
pco_cli.add_command(schedule_cli)


@schedule_cli.command("show")
def show_schedule_command():
    """The schedules and when each runs next."""
    from ..jobs import scheduled_ticks
    from ..services.runs import schedules

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
    from ..jobs import apply_schedules, scheduled_ticks
    from ..services.runs import schedules

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
