"""Alerts by email through a real SMTP server: one message per problem, one when resolved,
one when several web processes notice the same problem at once."""
import threading

from sqlalchemy import func, select

from pcosync import create_app
from pcosync.extensions import db
from pcosync.models import Alert
from pcosync.services.alerts import health
from pcosync.services.pull import people
from tests import support

from .conftest import mail_settings


def fail_people_pulls(monkeypatch):
    def refuse(client, **_options):
        raise RuntimeError("the disk is full")
    monkeypatch.setattr(people, "people_pages", refuse)  # the first thing Sync People asks


def test_a_failed_run_is_told_once_and_its_recovery_once(app, inbox, make_sandbox, monkeypatch):
    fail_people_pulls(monkeypatch)
    first = support.run("People")
    assert first.status == "FAILED"
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["Subject"] == "[pcosync] People failed"
    assert message["To"] == "treasurer@church.example, tech@church.example"
    text = message.get_payload()
    assert "the disk is full" in text
    assert f"https://sync.church.example/sync/runs/{first.id}" in text

    assert support.run("People").status == "FAILED"
    assert len(inbox.messages) == 1  # the same problem, still open: no second message

    monkeypatch.undo()
    make_sandbox(people=5)
    assert support.run("People").status == "COMPLETED"
    assert inbox.subjects[1:] == ["[pcosync] Resolved: People completed again (run 3)"]
    assert support.run("People").status == "COMPLETED"
    assert len(inbox.messages) == 2
    alert = db.session.scalar(select(Alert))
    assert alert.resolved_at is not None and alert.open_key is None and alert.notified_at


def test_a_run_stopped_by_the_guard_is_told(app, inbox, monkeypatch):
    from pcosync.services.runs.guard import GuardTripped

    def stop(client, **_options):
        raise GuardTripped("People stopped: 40 of the 50 records it went through would be "
                           "updated.")
    monkeypatch.setattr(people, "people_pages", stop)
    run = support.run("People")
    assert run.needs_review
    assert inbox.subjects == ["[pcosync] People was stopped by the guard"]


def test_two_web_processes_noticing_a_stopped_worker_send_one_message(
        app, inbox, db_url, redis_url, tmp_path, smtp_port):
    """No worker is running: two web processes (apps of their own, each with its own
    database connections) look at the same moment; one message goes out."""
    apps = [create_app(support.test_config(db_url, redis_url, tmp_path,
                                           **mail_settings(smtp_port))) for _ in range(2)]
    barrier, reports = threading.Barrier(2), []

    def look(web):
        with web.app_context():
            barrier.wait()
            reports.append(health.sync_health())
            db.session.remove()
            db.engine.dispose()

    threads = [threading.Thread(target=look, args=(web,)) for web in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r["checks"]["worker"]["ok"] for r in reports] == [False, False]
    assert inbox.subjects == ["[pcosync] The sync worker stopped: no worker is running"]
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1
