"""The Attendance step: every linked group's events and who attended them (pull only).

Attendance is read in passes (models/attendance.py): the first reads every event since
ATTENDANCE_SINCE, each later one the events that started from ATTENDANCE_WINDOW_DAYS before the
previous pass's end (attendances carry no timestamps, so recent ones are re-read). A pass goes
group by group; a finished group is a chunk, committed and never read again in that pass. A run
starts no new group after ATTENDANCE_RUN_SECONDS: the pass stays open and the next run (queued
by the job at once, see `left_to_read`) resumes with the groups not yet read.

PCO does not document that Groups' person ids are People's ids (an integrator found them
differing): an attendance is joined to the local person with that PCO id only when the name the
Groups person carries agrees; otherwise it is reported, never guessed.
"""
import logging
import time
from datetime import datetime, time as clock, timedelta, timezone

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Attendance, AttendanceChunk, AttendancePass, Group, GroupEvent, utcnow
from ...pco import attendance as pco_attendance
from ..rules.merge import CREATED, SKIPPED, UPDATED
from ..rules.names import name_key_part
from .listing import load_records, people_by_pco_id

log = logging.getLogger("pcosync.pull")
EVENT_FIELDS = ("name", "starts_at", "ends_at", "canceled")


def pull_attendance(client, progress):
    the_pass = open_pass(current_app.config)
    done = {chunk.group_pco_id for chunk in the_pass.chunks}
    groups = linked_groups()
    progress.expect(len(groups))
    stop_after = time.monotonic() + current_app.config["ATTENDANCE_RUN_SECONDS"]
    read_one = False
    for group in groups:
        if group.pco_group_id in done:
            continue
        if read_one and time.monotonic() >= stop_after:
            log.info("attendance pass %s paused run_id=%s", the_pass.id, progress.run.id)
            progress.checkpoint()
            return
        read_group(client, progress, the_pass, group)
        read_one = True
    the_pass.finished_at = utcnow()
    progress.checkpoint()


def linked_groups():
    return list(db.session.scalars(
        select(Group).where(Group.pco_group_id.is_not(None)).order_by(Group.id)))


def open_pass(config, now=None):
    """The pass left unfinished, or a new one reading up to now."""
    unfinished = db.session.scalar(select(AttendancePass).where(
        AttendancePass.finished_at.is_(None)).order_by(AttendancePass.id.desc()).limit(1))
    if unfinished is not None:
        return unfinished
    new = AttendancePass(reads_from=next_start(config), reads_until=now or utcnow())
    db.session.add(new)
    db.session.flush()
    return new


def next_start(config, first=False):
    """Where the next pass starts reading: the window before the last pass's end, never before
    ATTENDANCE_SINCE; None (all history) for a first pass without it. `first`: where a first
    pass would start, whatever was read before."""
    since = config.get("ATTENDANCE_SINCE")
    floor = datetime.combine(since, clock(), timezone.utc) if since else None
    last = None if first else db.session.scalar(select(AttendancePass.reads_until).where(
        AttendancePass.finished_at.is_not(None)).order_by(AttendancePass.id.desc()).limit(1))
    if last is None:
        return floor
    start = last - timedelta(days=config["ATTENDANCE_WINDOW_DAYS"])
    return max(start, floor) if floor else start


def left_to_read():
    """Whether a pass is open: a run stopped at its time budget, with groups left to read."""
    return db.session.scalar(select(AttendancePass.id).where(
        AttendancePass.finished_at.is_(None)).limit(1)) is not None


def read_group(client, progress, the_pass, group):
    """One chunk: the group's events in the pass's range and each one's attendances."""
    requests, seen = 0, set()
    for page in pco_attendance.iter_group_events(client, group.pco_group_id,
                                                 the_pass.reads_from, the_pass.reads_until):
        requests += 1
        seen.update(str(r.get("id")) for r in page.records if isinstance(r, dict))
        for record in load_records(page.records, pco_attendance.load_event, "Event", progress):
            event = apply_event(group, record, progress)
            if not event.canceled:
                requests += read_attendances(client, progress, group, event)
        progress.checkpoint()
    remove_events_gone_from_pco(group, the_pass, seen)
    db.session.add(AttendanceChunk(pass_id=the_pass.id, group_pco_id=group.pco_group_id,
                                   requests=requests))
    progress.checkpoint()


def remove_events_gone_from_pco(group, the_pass, seen):
    """The group's meetings in the pass's range that PCO no longer lists were deleted there."""
    query = select(GroupEvent).where(GroupEvent.group_id == group.id,
                                     GroupEvent.starts_at < the_pass.reads_until)
    if the_pass.reads_from is not None:
        query = query.where(GroupEvent.starts_at >= the_pass.reads_from)
    for event in db.session.scalars(query):
        if event.pco_event_id not in seen:
            db.session.delete(event)


def apply_event(group, record, progress):
    event = db.session.scalar(select(GroupEvent).where(
        GroupEvent.pco_event_id == record["pco_id"]))
    wanted = {name: record[name] for name in EVENT_FIELDS}
    if event is None:
        event = GroupEvent(group=group, pco_event_id=record["pco_id"], **wanted)
        db.session.add(event)
        db.session.flush()
        progress.count(CREATED)
        return event
    changed = {k: v for k, v in wanted.items() if getattr(event, k) != v}
    for key, value in changed.items():
        setattr(event, key, value)
    progress.count(UPDATED if changed else SKIPPED)
    return event


def read_attendances(client, progress, group, event):
    """Apply the event's attendances; a line PCO no longer lists goes. Returns the requests."""
    requests, seen = 0, set()
    held = {a.pco_attendance_id: a for a in event.attendances}
    for page in pco_attendance.iter_attendances(client, event.pco_event_id):
        requests += 1
        records = load_records(page.records, pco_attendance.load_attendance, "Attendance",
                               progress)
        people = people_by_pco_id(r["person_pco_id"] for r in records)
        for record in records:
            seen.add(record["pco_id"])
            person = joinable_person(record, people, group, progress)
            if person is not None:
                progress.count(apply_attendance(event, record, person, held))
    for pco_id, row in held.items():
        if pco_id not in seen:
            event.attendances.remove(row)
    return requests


def joinable_person(record, people, group, progress):
    """The local person of an attendance, or None (reported) when they are not here yet or
    when Groups names someone else under that id."""
    person = people.get(record["person_pco_id"])
    if person is None:
        progress.issue("Attendance", f"Person {record['person_pco_id']} who attended a meeting "
                       f"of {group.name!r} is not in the local database yet: run Sync People "
                       "first.", pco_id=record["pco_id"])
        return None
    if not names_agree(record["person_name"], person):
        progress.issue("Attendance", f"PCO Groups names person {record['person_pco_id']} "
                       f"differently from People ({person.first_name} {person.last_name}); "
                       "their ids may differ, so this attendance was not joined to them.",
                       pco_id=record["pco_id"], local_id=person.id)
        return None
    return person


def names_agree(groups_name, person):
    if groups_name is None:  # PCO did not include the person: nothing contradicts
        return True
    first, last = (name_key_part(part) for part in groups_name)
    return last == name_key_part(person.last_name) and first in (
        name_key_part(person.first_name), name_key_part(person.nickname))


def apply_attendance(event, record, person, held):
    row = held.get(record["pco_id"]) or next(
        (a for a in event.attendances if a.person_id == person.id), None)
    wanted = {"attended": record["attended"], "role": record["role"],
              "pco_attendance_id": record["pco_id"]}
    if row is None:
        event.attendances.append(Attendance(person=person, **wanted))
        return CREATED
    changed = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    for key, value in changed.items():
        setattr(row, key, value)
    return UPDATED if changed else SKIPPED
