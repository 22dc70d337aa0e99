"""Group attendance against the sandbox over HTTP, on both databases: a first pull stopped after
its first group (ATTENDANCE_RUN_SECONDS=0) is continued by the run its job queues, which reads
only the groups left: in all, no request twice (exactly the minimum); everything PCO holds is
here, joined to the right people; a second pull writes nothing but drops a meeting PCO
deleted; an attendance whose Groups person is named differently (their ids may differ) is
reported, not joined."""
import math
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.jobs.runs import continue_run
from pcosync.models import Attendance, Group, GroupEvent, utcnow
from pcosync.services.pull.attendance import joinable_person, left_to_read
from pcosync.services.runs.execute import execute_run
from tests.factories import make_person
from tests.support import dump, reset_stats, run, stats

ATTENDANCE_ROUTES = ("GET /groups/v2/groups/<id>/events", "GET /groups/v2/events/<id>/attendances")


@pytest.fixture
def sandbox_settings():
    return {"people": 12}


def attendance_requests(sandbox):
    by_route = stats(sandbox)["by_route"]
    return sum(by_route.get(route, 0) for route in ATTENDANCE_ROUTES)


def events_since(pco, since):
    return [e for e in pco["group_events"] if e["starts_at"] >= since.isoformat()]


def minimum_requests(pco, events):
    """One page of events per group, one page of attendances per meeting held."""
    events_per_group = {g["id"]: 0 for g in pco["groups"]}
    for event in events:
        events_per_group[event["group_id"]] += 1
    pages = sum(max(1, math.ceil(n / 100)) for n in events_per_group.values())
    return pages + sum(max(1, math.ceil(e["attendances"] / 100))
                       for e in events if not e["canceled"])


def test_attendance_pulled_in_resumable_chunks_then_a_second_pull_writes_nothing(app, sandbox):
    assert run("Full Sync").status == "COMPLETED"
    pco = dump(sandbox)
    app.config["ATTENDANCE_SINCE"] = since = (utcnow() - timedelta(days=20)).date()
    events = events_since(pco, since)
    minimum = minimum_requests(pco, events)
    assert 0 < len(events) < len(pco["group_events"])
    app.config["ATTENDANCE_RUN_SECONDS"] = 0  # the first run stops after its first group
    reset_stats(sandbox)
    first = run("Group Attendance")
    assert first.status == "COMPLETED" and left_to_read()
    assert 0 < attendance_requests(sandbox) < minimum

    app.config["ATTENDANCE_RUN_SECONDS"] = 3600
    follow_up = continue_run(first.id)  # what the job does when a run leaves work
    assert follow_up.kind == "Group Attendance"
    execute_run(follow_up.id)
    db.session.expire_all()
    assert not left_to_read() and continue_run(follow_up.id) is None
    assert attendance_requests(sandbox) == minimum

    assert db.session.scalar(select(func.count()).select_from(GroupEvent)) == len(events)
    read = {e["id"] for e in events}
    lines = [line for line in pco["attendances"] if line["event_id"] in read]
    here = {a.pco_attendance_id: a for a in db.session.scalars(select(Attendance))}
    assert len(here) == len(lines) > 30
    for line in lines:
        row = here[line["id"]]
        assert (row.person.pco_id, row.attended, row.role) == (
            line["person_id"], line["attended"], line["role"])

    deleted_in_pco = delete_event(sandbox, events[-1])
    again = run("Group Attendance")
    assert (again.created_count, again.updated_count, again.status) == (0, 0, "COMPLETED")
    held = set(db.session.scalars(select(GroupEvent.pco_event_id)))
    assert len(held) == len(events) - 1 and deleted_in_pco not in held


def delete_event(sandbox, event):
    """A meeting deleted in PCO (PCO sends no webhook for it)."""
    tables = sandbox.store.db
    with sandbox.store.lock:
        tables.group_events.pop(int(event["id"]))
        tables.events_of_group.remove(int(event["group_id"]), int(event["id"]))
    return event["id"]


class Issues:
    """A run's Progress, as far as filing issues goes."""

    def __init__(self):
        self.reasons = []

    def issue(self, record_type, reason, **ids):
        self.reasons.append(reason)


def test_a_groups_person_named_differently_is_reported_not_joined(app):
    ann = make_person("Ann", "Lee", pco_id="501", nickname="Annie")
    record = {"pco_id": "9", "person_pco_id": "501", "person_name": ("Annie", "Lee")}
    progress, group = Issues(), Group(name="Choir")
    assert joinable_person(record, {"501": ann}, group, progress) is ann
    assert joinable_person({**record, "person_name": None}, {"501": ann}, group, progress) is ann
    other = {**record, "person_name": ("Someone", "Else")}
    assert joinable_person(other, {"501": ann}, group, progress) is None
    assert joinable_person(record, {}, group, progress) is None
    assert "ids may differ" in progress.reasons[0] and "run Sync People" in progress.reasons[1]
