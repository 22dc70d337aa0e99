"""Group attendance against the sandbox over HTTP, on both databases: a first pull stopped after
its first group (ATTENDANCE_RUN_SECONDS=0) is continued by the run its job queues, which reads
only the groups left: in all, no request twice (exactly the minimum); everything PCO holds is
here, joined to the right people; a second pull writes nothing; an attendance whose Groups
person is named differently (their ids may differ) is reported, not joined."""
import math

import pytest
from sqlalchemy import delete, func, select

from pcosync.extensions import db
from pcosync.jobs.runs import continue_run
from pcosync.models import Attendance, GroupEvent, SyncIssue
from pcosync.services.pull.attendance import left_to_read
from pcosync.services.runs.execute import execute_run
from tests.support import dump, reset_stats, run, stats

ATTENDANCE_ROUTES = ("GET /groups/v2/groups/<id>/events", "GET /groups/v2/events/<id>/attendances")


@pytest.fixture
def sandbox_settings():
    return {"people": 12}


def attendance_requests(sandbox):
    by_route = stats(sandbox)["by_route"]
    return sum(by_route.get(route, 0) for route in ATTENDANCE_ROUTES)


def minimum_requests(pco):
    """One page of events per group, one page of attendances per meeting held."""
    events_per_group = {g["id"]: 0 for g in pco["groups"]}
    for event in pco["group_events"]:
        events_per_group[event["group_id"]] += 1
    pages = sum(max(1, math.ceil(n / 100)) for n in events_per_group.values())
    return pages + sum(max(1, math.ceil(e["attendances"] / 100))
                       for e in pco["group_events"] if not e["canceled"])


def test_attendance_pulled_in_resumable_chunks_then_a_second_pull_writes_nothing(app, sandbox):
    assert run("Full Sync").status == "COMPLETED"
    pco = dump(sandbox)
    app.config["ATTENDANCE_RUN_SECONDS"] = 0  # the first run stops after its first group
    reset_stats(sandbox)
    first = run("Group Attendance")
    assert first.status == "COMPLETED" and left_to_read()
    assert 0 < attendance_requests(sandbox) < minimum_requests(pco)

    app.config["ATTENDANCE_RUN_SECONDS"] = 3600
    follow_up = continue_run(first.id)  # what the job does when a run leaves work
    assert follow_up.kind == "Group Attendance"
    execute_run(follow_up.id)
    db.session.expire_all()
    assert not left_to_read() and continue_run(follow_up.id) is None
    assert attendance_requests(sandbox) == minimum_requests(pco)

    assert db.session.scalar(select(func.count()).select_from(GroupEvent)) == len(
        pco["group_events"])
    here = {a.pco_attendance_id: a for a in db.session.scalars(select(Attendance))}
    assert len(here) == len(pco["attendances"]) > 50
    for line in pco["attendances"]:
        row = here[line["id"]]
        assert (row.person.pco_id, row.attended, row.role) == (
            line["person_id"], line["attended"], line["role"])

    again = run("Group Attendance")
    assert (again.created_count, again.updated_count, again.status) == (0, 0, "COMPLETED")

    person = here[pco["attendances"][0]["id"]].person
    person.first_name, person.last_name = "Someone", "Quite-Different"
    db.session.execute(delete(Attendance).where(Attendance.person_id == person.id))
    db.session.commit()
    renamed = run("Group Attendance")
    assert not db.session.scalars(select(Attendance).where(Attendance.person_id == person.id)).all()
    assert any("ids may differ" in i.reason for i in db.session.scalars(select(SyncIssue).where(
        SyncIssue.run_id == renamed.id)))
