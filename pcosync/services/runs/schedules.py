"""Schedules: what the admin set, when each is next due, and what a scheduled tick does.

The worker's RQ scheduler (`flask worker` runs it) enqueues each tick at its due time; the
tick schedules the next one and then starts its run here (jobs.py holds those RQ calls). A
tick that finds another run going, or that waited in the queue behind one past its due time,
is recorded as SKIPPED ("another run was going") and does not run late.
"""
import logging
import math
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import or_, select

from ...extensions import db
from ...models import RunStatus, SyncRun, SyncSchedule, utcnow
from ...models.numbers import NumberError, bounded_int
from . import kinds
from .execute import execute_run
from .lifecycle import RunAlreadyActive, recover_stale_runs, start_run

log = logging.getLogger("pcosync.runs")

QUICK_SYNC, FULL_SYNC, WEBHOOK_CHECK = "quick-sync", "full-sync", "webhook-check"
NAMES = (QUICK_SYNC, FULL_SYNC, WEBHOOK_CHECK)
SCHEDULED_BY = "schedule"  # the history's By column
SUGGESTED_QUICK_MINUTES = 15
MAX_QUICK_MINUTES = 24 * 60
WEBHOOK_CHECK_AT = time(5, 15)  # daily, church time: after a nightly Full Sync, before staff
TIME_OF_DAY = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)", re.ASCII)


class ScheduleError(ValueError):
    """A schedule or setting that cannot be used; the message says what to enter."""


@dataclass
class ScheduleView:
    quick_sync_minutes: int | None
    full_sync_at: str | None
    full_push_after: bool
    updated_by: str | None
    next_due: dict  # name -> aware datetime in the church's time zone, or None: off
    time_zone: str
    unscheduled: tuple = ()  # on, but RQ holds no tick for them (no worker has started yet)


def church_zone(config=None):
    name = (config or current_app.config).get("TIMEZONE") or "UTC"
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"TIMEZONE {str(name)[:60]!r} is not a time zone; use a name like "
                            "America/Chicago or Europe/London.") from None


def get_schedule():
    """The one schedule row; an unsaved one (everything off) until the admin saves."""
    return db.session.get(SyncSchedule, 1) or SyncSchedule(id=1, full_push_after=False)


def save_schedule(quick_sync_seconds, full_sync_at, full_push_after, by):
    row = db.session.get(SyncSchedule, 1) or SyncSchedule(id=1)
    row.quick_sync_seconds = quick_sync_seconds
    row.full_sync_at = full_sync_at
    row.full_push_after = bool(full_push_after and full_sync_at)
    row.updated_by = str(by)[:200]
    db.session.add(row)
    db.session.commit()
    log.info("schedule saved quick_sync_seconds=%s full_sync_at=%s full_push_after=%s by=%r",
             row.quick_sync_seconds, row.full_sync_at, row.full_push_after, by)
    return row


def parse_form(values):
    """(quick_sync_seconds, full_sync_at, full_push_after) from the page's form, or
    ScheduleError saying which field is wrong."""
    quick = _quick_sync_seconds(values) if values.get("quick_sync_enabled") else None
    full = _time_of_day(values) if values.get("full_sync_enabled") else None
    return quick, full, bool(values.get("full_push_after"))


def _quick_sync_seconds(values):
    minutes = str(values.get("quick_sync_minutes") or "").strip()
    if not minutes:
        raise ScheduleError("Quick Sync every: enter a number of minutes "
                            f"({SUGGESTED_QUICK_MINUTES} is a good start).")
    try:
        return bounded_int(minutes, 1, MAX_QUICK_MINUTES) * 60
    except NumberError:
        raise ScheduleError(f"Quick Sync every: a whole number of minutes from 1 to "
                            f"{MAX_QUICK_MINUTES}, not {minutes[:20]!r}.") from None


def _time_of_day(values):
    at = str(values.get("full_sync_at") or "").strip()
    match = TIME_OF_DAY.fullmatch(at)
    if not match:
        raise ScheduleError(f"Full Sync daily at: a time like 02:30, not {at[:20]!r}.")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


# -- when -------------------------------------------------------------------------------------

def next_due(name, schedule, now, zone):
    """The next due time of schedule `name` strictly after `now` (aware UTC), or None: off."""
    if name == QUICK_SYNC:
        seconds = schedule.quick_sync_seconds
        if not seconds:
            return None
        slot = math.floor(now.timestamp() / seconds) + 1  # on the clock: :00, :15, :30 ...
        return datetime.fromtimestamp(slot * seconds, tz=timezone.utc)
    if name == FULL_SYNC:
        return schedule.full_sync_at and next_time_of_day(schedule.full_sync_at, now, zone)
    if name == WEBHOOK_CHECK:
        return next_time_of_day(WEBHOOK_CHECK_AT.strftime("%H:%M"), now, zone)
    raise ScheduleError(f"no schedule named {name!r}")


def next_time_of_day(hh_mm, now, zone):
    """The next moment after `now` that the church's clocks show `hh_mm` (DST-aware; a time
    a DST change skips runs at the first valid minute after it)."""
    hour, minute = (int(part) for part in hh_mm.split(":"))
    local = now.astimezone(zone)
    for days in range(0, 3):
        day = (local + timedelta(days=days)).date()
        candidate = datetime.combine(day, time(hour, minute), tzinfo=zone)
        moment = candidate.astimezone(timezone.utc)
        if moment > now:
            return moment
    raise ScheduleError(f"no next {hh_mm} found")  # unreachable: a day always has one


def due_times(schedule=None, now=None, zone=None):
    schedule, now, zone = schedule or get_schedule(), now or utcnow(), zone or church_zone()
    return {name: next_due(name, schedule, now, zone) for name in NAMES}


def view(ticks=None):
    """What the Sync page shows: the settings and when each runs next; `ticks` ({name: due}
    of the ticks RQ holds, None when Redis could not be asked) names the ones not scheduled."""
    schedule, zone = get_schedule(), church_zone()
    due = due_times(schedule, zone=zone)
    if ticks:
        due.update({name: ticks[name] for name in due if due[name] and name in ticks})
    seconds = schedule.quick_sync_seconds
    return ScheduleView(
        quick_sync_minutes=max(1, seconds // 60) if seconds else None,
        full_sync_at=schedule.full_sync_at, full_push_after=bool(schedule.full_push_after),
        updated_by=schedule.updated_by, time_zone=zone.key,
        next_due={name: moment.astimezone(zone) if moment else None
                  for name, moment in due.items()},
        unscheduled=tuple(name for name in NAMES
                          if due[name] and ticks is not None and name not in ticks))


# -- what a tick does ---------------------------------------------------------------------------

def run_going_at(due):
    """A top-level run that was going at `due`, or is going now."""
    return db.session.scalar(
        select(SyncRun).where(SyncRun.parent_id.is_(None), SyncRun.status != RunStatus.SKIPPED,
                              or_(SyncRun.active_slot == 1,
                                  (SyncRun.started_at <= due)
                                  & or_(SyncRun.finished_at.is_(None),
                                        SyncRun.finished_at > due)))
        .order_by(SyncRun.id.desc()).limit(1))


def record_skipped(kind, due, other):
    run = SyncRun(kind=kind, status=RunStatus.SKIPPED, triggered_by=SCHEDULED_BY,
                  started_at=min(due, utcnow()), finished_at=utcnow(), heartbeat_at=None,
                  error=f"Skipped: another run was going ({other.kind}, run {other.id}).")
    db.session.add(run)
    db.session.commit()
    log.info("scheduled run skipped kind=%r due=%s other_run=%s", kind, due, other.id)
    return run


def start_scheduled(kind, due, job_id=None):
    """A RUNNING run of `kind` started by the schedule, or None (recorded as SKIPPED)."""
    recover_stale_runs()  # a run whose worker died is no reason to skip
    other = run_going_at(due)
    if other is not None:
        record_skipped(kind, due, other)
        return None
    try:
        run = start_run(kind, triggered_by=SCHEDULED_BY)
    except RunAlreadyActive as err:
        record_skipped(kind, due, err.run)
        return None
    run.job_id = job_id
    db.session.commit()
    return run


def run_scheduled(name, due, job_id=None):
    """The tick of a sync schedule: its run, executed here (the tick is the run's job); the
    nightly Full Sync is followed by a Full Push when the admin asked for one."""
    kind = kinds.QUICK_SYNC if name == QUICK_SYNC else kinds.FULL_SYNC
    run = start_scheduled(kind, due, job_id)
    if run is None or execute_run(run.id) != RunStatus.COMPLETED:
        return run.status if run else RunStatus.SKIPPED
    if kind == kinds.FULL_SYNC and get_schedule().full_push_after:
        push = start_scheduled(kinds.FULL_PUSH, utcnow(), job_id)
        return execute_run(push.id) if push else RunStatus.SKIPPED
    return RunStatus.COMPLETED
