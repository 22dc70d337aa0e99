"""`flask pco pull|push ... --preview` prints the counts and the first changes and writes
nothing; `--confirm` runs past the guard."""
import re

from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Person, SyncRun
from tests.factories import make_person
from tests.support import run, sandbox_admin


def flask(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_pull_all_preview_prints_what_it_would_do(app, sandbox):
    result = flask(app, "pco", "pull", "all", "--preview")

    assert result.exit_code == 0, result.output
    assert "Full Sync preview started" in result.output
    assert "step People: COMPLETED; created 150" in result.output
    assert "nothing was written here and nothing was sent to PCO" in result.output
    assert "  Person: 150 created" in result.output
    assert re.search(r"\n    created [A-Z]\w+ [A-Z]\w+: first_name=", result.output)  # by name
    assert "Would send to PCO: 0 writes" in result.output
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_push_all_preview_prints_the_writes_it_would_send(app, sandbox):
    run("People")
    ruth = make_person("Ruth", "Preview", emails=["ruth.preview@example.org"])

    result = flask(app, "pco", "push", "all", "--preview")

    assert result.exit_code == 0, result.output
    assert "Would send to PCO: 2 writes: 1 POST Email, 1 POST Person" in result.output
    assert "POST /people/v2/people {" in result.output and "'last_name': 'Preview'" in result.output
    assert "Ruth Preview" in result.output  # the change here, by name
    db.session.expire_all()
    assert db.session.get(Person, ruth.id).pco_id is None


def test_a_guard_stop_says_how_to_preview_and_confirm(app, sandbox):
    app.config["SYNC_GUARD_PERCENT"] = 25
    run("People")
    sandbox_admin(sandbox, "POST", "/reset", {"people": 10})

    stopped = flask(app, "pco", "pull", "people")
    assert stopped.exit_code == 1 and "Run anyway" in stopped.output
    assert "`flask pco pull people --preview`" in stopped.output
    assert "`flask pco pull people --confirm`" in stopped.output

    confirmed = flask(app, "pco", "pull", "people", "--confirm")
    assert confirmed.exit_code == 0, confirmed.output
    assert db.session.scalar(select(SyncRun.guard_confirmed).order_by(SyncRun.id.desc())
                             .limit(1)) is True
