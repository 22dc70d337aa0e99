"""Schedules: when each is due (on the clock, in the church's time zone), a scheduled run that
finds another going is recorded as skipped, RQ holds exactly one tick per schedule, and a real
`flask worker` fires them on time and keeps them across a restart."""
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from pcosync import jobs
from pcosync.extensions import db
from pcosync.models import RunKind, RunStatus, SyncRun, SyncSchedule
from pcosync.services.runs import schedules
from pcosync.services.runs.lifecycle import start_run
from tests import support

UTC = timezone.utc


def at(*parts):
    return datetime(*parts, tzinfo=UTC)


def schedule(**values):
    return SyncSchedule(id=1, **{"quick_sync_seconds": None, "full_sync_at": None,
                                 "full_push_after": False, **values})


def test_quick_sync_falls_on_the_clock():
    every_15 = schedule(quick_sync_seconds=900)
    assert schedules.next_due("quick-sync", every_15, at(2026, 5, 4, 12, 7, 30), UTC) == \
        at(2026, 5, 4, 12, 15)
    assert schedules.next_due("quick-sync", every_15, at(2026, 5, 4, 12, 15), UTC) == \
        at(2026, 5, 4, 12, 30)
    assert schedules.next_due("quick-sync", schedule(), at(2026, 5, 4), UTC) is None


def test_the_nightly_full_sync_keeps_the_church_time_across_daylight_saving():
    chicago, nightly = ZoneInfo("America/Chicago"), schedule(full_sync_at="02:30")
    winter = schedules.next_due("full-sync", nightly, at(2026, 1, 10, 12), chicago)
    summer = schedules.next_due("full-sync", nightly, at(2026, 7, 10, 12), chicago)
    assert winter == at(2026, 1, 11, 8, 30) and summer == at(2026, 7, 11, 7, 30)
    # 02:30 does not exist on the night clocks spring forward: it runs as the clocks say 03:30.
    spring = schedules.next_due("full-sync", nightly, at(2026, 3, 8, 6), chicago)
    assert spring == at(2026, 3, 8, 8, 30)


@pytest.mark.parametrize("values,message", [
    ({"quick_sync_enabled": "1", "quick_sync_minutes": "ten"}, "whole number of minutes"),
    ({"quick_sync_enabled": "1", "quick_sync_minutes": "0"}, "whole number of minutes"),
    ({"quick_sync_enabled": "1"}, "enter a number of minutes"),
    ({"full_sync_enabled": "1", "full_sync_at": "25:00"}, "a time like 02:30"),
])
def test_bad_schedule_input_gets_a_clear_error(values, message):
    with pytest.raises(schedules.ScheduleError, match=message):
        schedules.parse_form(values)


def test_a_good_form_is_read_and_push_needs_a_full_sync():
    values = {"quick_sync_enabled": "1", "quick_sync_minutes": "15", "full_sync_enabled": "1",
              "full_sync_at": "2:05", "full_push_after": "1"}
    assert schedules.parse_form(values) == (900, "02:05", True)
    assert schedules.parse_form({"full_push_after": "1"}) == (None, None, True)


def test_an_unknown_time_zone_is_refused_by_name(app, admin_client):
    app.config["TIMEZONE"] = "Mars/Olympus_Mons"
    with pytest.raises(schedules.ScheduleError, match="Mars/Olympus_Mons"):
        schedules.church_zone()
    page = admin_client.get("/sync/").get_data(as_text=True)
    assert "is not a time zone" in page


def test_a_tick_that_finds_a_run_going_is_skipped_not_queued(app, admin_client):
    going = start_run(RunKind.FULL_SYNC, triggered_by="admin@example.org")
    status = schedules.run_scheduled(schedules.QUICK_SYNC, datetime.now(UTC))
    assert status == RunStatus.SKIPPED
    skipped = db.session.scalar(select(SyncRun).where(SyncRun.status == RunStatus.SKIPPED))
    assert skipped.kind == RunKind.QUICK_SYNC and skipped.triggered_by == "schedule"
    assert "another run was going" in skipped.error and f"run {going.id}" in skipped.error
    assert db.session.scalar(select(SyncRun).where(SyncRun.status == RunStatus.RUNNING)) == going
    history = admin_client.get("/sync/history").get_data(as_text=True)
    assert "SKIPPED" in history and "another run was going" in history


def test_a_tick_held_up_past_its_time_by_a_run_is_skipped(app):
    due = datetime.now(UTC) - timedelta(seconds=30)
    earlier = SyncRun(kind=RunKind.PEOPLE, status=RunStatus.COMPLETED, triggered_by="cli",
                      started_at=due - timedelta(seconds=10),
                      finished_at=due + timedelta(seconds=5))
    db.session.add(earlier)
    db.session.commit()
    assert schedules.run_scheduled(schedules.QUICK_SYNC, due) == RunStatus.SKIPPED


def test_a_tick_of_a_schedule_turned_off_meanwhile_runs_nothing(app):
    schedules.save_schedule(None, None, False, by="test")
    assert "turned off" in jobs.scheduled_tick("quick-sync", datetime.now(UTC).isoformat())
    assert db.session.scalars(select(SyncRun)).all() == []


def test_rq_holds_one_tick_per_schedule_and_applying_again_changes_nothing(app):
    registry = ScheduledJobRegistry(queue=jobs.get_queue())
    schedules.save_schedule(900, "02:30", True, by="test")
    first = jobs.apply_schedules()
    ids = sorted(registry.get_job_ids())
    assert [i.split("_")[1] for i in ids] == ["full-sync", "quick-sync", "webhook-check"]
    assert jobs.apply_schedules() == first and sorted(registry.get_job_ids()) == ids
    assert first["quick-sync"].minute % 15 == 0 and first["quick-sync"].second == 0
    schedules.save_schedule(None, "02:30", False, by="test")
    jobs.apply_schedules()
    assert not any("_quick-sync_" in i for i in registry.get_job_ids())


def test_the_page_saves_schedules_and_shows_when_they_run(app, admin_client):
    form = {"csrf_token": support.csrf_token(admin_client, "/sync/"), "quick_sync_enabled": "1",
            "quick_sync_minutes": "15", "full_sync_enabled": "1", "full_sync_at": "02:30",
            "full_push_after": "1"}
    page = admin_client.post("/sync/schedules", data=form,
                             follow_redirects=True).get_data(as_text=True)
    assert "Schedules saved" in page and "Next Quick Sync" in page
    row = db.session.get(SyncSchedule, 1)
    assert (row.quick_sync_seconds, row.full_sync_at, row.full_push_after) == (900, "02:30", True)
    assert row.updated_by == "admin@example.org"
    bad = admin_client.post("/sync/schedules", data=dict(form, quick_sync_minutes="-3"),
                            headers={"Accept": "application/json"})
    assert bad.status_code == 400 and "whole number of minutes" in bad.get_json()["message"]


def test_the_cli_sets_and_shows_schedules(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["pco", "schedule", "set", "--quick-sync-minutes", "20",
                                 "--full-sync-at", "03:00", "--full-push"])
    assert result.exit_code == 0, result.output
    assert "Quick Sync: every 20 min" in result.output and "then a Full Push" in result.output
    off = runner.invoke(args=["pco", "schedule", "set", "--quick-sync-minutes", "off"])
    assert "Quick Sync: off" in off.output and "daily at 03:00" in off.output
    assert runner.invoke(args=["pco", "schedule", "set", "--full-sync-at", "9am"]).exit_code != 0


# -- a real worker ------------------------------------------------------------------------------

class Worker:
    """`flask worker`, the production command, in a process group of its own."""

    def __init__(self, app):
        config = app.config
        env = dict(os.environ, FLASK_APP="wsgi", SECRET_KEY="schedule-tests", LOG_LEVEL="INFO",
                   DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"],
                   REDIS_URL=config["REDIS_URL"],
                   RQ_QUEUE=config["RQ_QUEUE"], PCO_API_URL=config["PCO_API_URL"],
                   PCO_APP_ID="sandbox", PCO_SECRET="sandbox", TIMEZONE="UTC",
                   MEDIA_URL=config["MEDIA_URL"], MEDIA_DOWNLOAD_INTERVAL="0")
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "worker"], env=env,
                                        cwd=support.ROOT, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self):
        """SIGTERM, as a restart or a deploy sends it; the worker releases RQ's scheduler."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]


def wait_for(condition, worker, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        found = condition()
        if found:
            return found
        assert time.monotonic() < deadline, "timed out; the worker said:\n" + worker.output()
        time.sleep(0.1)


def scheduled_runs(status, after=None):
    query = select(SyncRun).where(SyncRun.kind == RunKind.QUICK_SYNC, SyncRun.status == status,
                                  SyncRun.triggered_by == "schedule")
    if after is not None:
        query = query.where(SyncRun.started_at > after)
    return db.session.scalars(query).all()


def no_run_going():
    return db.session.scalar(select(SyncRun).where(SyncRun.active_slot == 1)) is None


@pytest.mark.one_database(reason="RQ's scheduler in a real worker, over a restart; what a tick "
                          "does with the database is tested on both above")
def test_a_real_worker_runs_the_schedule_skips_overlaps_and_keeps_it_over_a_restart(
        app, make_sandbox, redis_client):
    sandbox = make_sandbox(people=30, seed=5)
    schedules.save_schedule(1, None, False, by="test")  # every second: a test's "15 minutes"
    worker = Worker(app)
    try:
        assert wait_for(lambda: scheduled_runs(RunStatus.COMPLETED), worker)
        # PCO slows down: a Quick Sync now outlasts the interval; ticks meanwhile are skipped.
        support.sandbox_admin(sandbox, "POST", "/config", {"faults": {"latency": 0.3}})
        skipped = wait_for(lambda: scheduled_runs(RunStatus.SKIPPED), worker)
        assert "another run was going" in skipped[0].error
        support.sandbox_admin(sandbox, "POST", "/config", {"faults": {"latency": 0.0}})
        wait_for(no_run_going, worker)
        worker.stop()
        # Every process restarts, and Redis even lost the scheduled ticks: the database keeps
        # the schedule and the next worker schedules it again.
        registry = ScheduledJobRegistry(queue=jobs.get_queue())
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
        restarted = datetime.now(UTC)
        worker = Worker(app)
        assert wait_for(lambda: scheduled_runs(RunStatus.COMPLETED, after=restarted), worker)
    finally:
        worker.stop()
