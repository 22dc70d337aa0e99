"""`flask pco ...`: the interface for cron, Heroku Scheduler and scripts."""
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Person, SyncRun
from pcosync.services.runs.lifecycle import start_run
from tests.webhooks.helpers import queued_jobs


def flask(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_pull_in_the_foreground_prints_counts_and_exits_zero(app, sandbox):
    result = flask(app, "pco", "pull", "all")
    assert result.exit_code == 0, result.output
    assert "Full Sync: COMPLETED" in result.output
    assert "step People: COMPLETED; created 150" in result.output
    assert db.session.scalar(select(func.count()).select_from(Person)) == 150
    assert db.session.scalar(select(SyncRun.triggered_by).limit(1)) == "cli"


def test_pull_exits_non_zero_when_the_run_fails(app, sandbox):
    app.config["PCO_SECRET"] = "wrong"
    result = flask(app, "pco", "pull", "people")
    assert result.exit_code == 1
    assert "People: FAILED" in result.output and "PCO_APP_ID" in result.output
    assert "wrong" not in result.output.replace("wrong email", "")


def test_enqueue_hands_the_run_to_the_worker(app, sandbox):
    result = flask(app, "pco", "pull", "groups", "--enqueue")
    assert result.exit_code == 0 and "Queued run" in result.output
    assert queued_jobs(app) == 1


def test_a_second_run_is_refused(app, sandbox):
    start_run("People")
    result = flask(app, "pco", "push", "people")
    assert result.exit_code != 0 and "already running" in result.output


def test_test_connection(app, sandbox):
    result = flask(app, "pco", "test-connection")
    assert result.exit_code == 0 and "Sandbox Community Church" in result.output
    app.config["PCO_SECRET"] = "wrong"
    result = flask(app, "pco", "test-connection")
    assert result.exit_code != 0 and "PCO_SECRET" in result.output


def test_cancel_without_a_run_says_so(app):
    result = flask(app, "pco", "cancel")
    assert result.exit_code != 0 and "No sync is running" in result.output
