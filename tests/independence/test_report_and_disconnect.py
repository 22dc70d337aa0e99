"""The independence report and the disconnect against the sandbox over HTTP, on both databases:
`flask pco disconnect` refuses while notes and attendance exist only in PCO; after Bring
It All Here `flask pco independence --json` reports nothing at all only in PCO; then the disconnect
deletes every subscription of this app in the sandbox (another app's stays), turns the
schedules off, keeps every row and PCO id, and records who disconnected. A kind PCO does not
let the token's user read is said, not counted."""
import json
from datetime import timedelta

from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import (
    Attendance, Disconnection, Family, GroupMembership, Note, Person, WebhookSubscription, utcnow,
)
from pcosync.pco.errors import PCOAuthError
from pcosync.services.connection import while_admin_waits
from pcosync.services.independence import kinds as independence_kinds
from pcosync.services.independence.report import Report, count_kind
from pcosync.services.runs import schedules
from pcosync.services.webhooks import setup
from tests.support import run

OTHER_URL = "https://another-app.example.org/hooks"
KEPT = (Person, Family, GroupMembership, Note, Attendance)


def only_in_pco(app):
    result = app.test_cli_runner().invoke(args=["pco", "independence", "--json"])
    assert result.exit_code == 0, result.output
    return {row["key"]: row["only_in_pco"] for row in json.loads(result.output)["kinds"]}


def row_counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in KEPT}


def test_bring_it_all_here_then_a_disconnect_that_keeps_every_row(app, make_sandbox):
    sandbox = make_sandbox(people=12)
    app.config["PUBLIC_BASE_URL"] = "https://sync.church.example.org"
    # The last three weeks' meetings: fewer requests, and the report honours it too.
    app.config["ATTENDANCE_SINCE"] = (utcnow() - timedelta(days=20)).date()
    foreign = sandbox.runtime.subscriptions.create("people.v2.events.person.updated", OTHER_URL)
    while_admin_waits(lambda client: setup.set_up(client, app.config))
    schedules.save_schedule(900, "02:00", True, by="test")
    cli = app.test_cli_runner()
    before = only_in_pco(app)
    assert before["notes"] > 0 and before["attendance"] > 0

    refused = cli.invoke(args=["pco", "disconnect"])
    assert refused.exit_code != 0 and "only in PCO" in refused.output
    assert len(sandbox.runtime.subscriptions.listed()) > 1

    assert run("Bring It All Here").status == "COMPLETED"
    after = only_in_pco(app)
    assert not any(after.values()), after  # notes, attendance, people, photos and files
    kept, pco_ids = row_counts(), set(db.session.scalars(select(Person.pco_id)))

    done = cli.invoke(args=["pco", "disconnect"])
    assert done.exit_code == 0, done.output
    assert [s["id"] for s in sandbox.runtime.subscriptions.listed()] == [foreign["id"]]
    db.session.expire_all()
    schedule = schedules.get_schedule()
    assert (schedule.quick_sync_seconds, schedule.full_sync_at, schedule.full_push_after) == (
        None, None, False)
    assert row_counts() == kept and set(db.session.scalars(select(Person.pco_id))) == pco_ids
    assert db.session.scalar(select(func.count()).select_from(WebhookSubscription)) == 0
    record = db.session.scalar(select(Disconnection))
    assert (record.disconnected_by, record.schedules_turned_off) == ("cli", 3)
    assert record.subscriptions_deleted > 5


class ForbiddenPCO:
    """A PCO whose user may not read the listing asked for (PCO answers 403)."""

    def get(self, path, params=None):
        raise PCOAuthError(f"Forbidden: GET {path}", 403)


def test_what_the_token_cannot_see_is_said_not_guessed(app):
    notes = next(kind for kind in independence_kinds.declared() if kind.key == "notes")
    row = count_kind(notes, ForbiddenPCO())
    assert (row.in_pco, row.only_in_pco) == (None, None) and "cannot see" in row.unseen
    report = Report(rows=[row], counted_at=utcnow(), attendance_estimate={})
    assert report.left_in_pco == {row.label: "not counted"} and not report.all_here
