"""The kinds of data the independence report counts: one `DataKind` each, read by the report,
the CLI, the page and the disconnect. A new kind is one entry in DECLARED.

`in_pco(client)` counts what PCO holds, with one request where PCO's listing gives a total
(`meta.total_count` of a one-record page); `here()` counts the rows here that came from PCO
(they carry its id). `only_in_pco`, when given, replaces "in PCO minus here" (a kind that
knows exactly what it has not brought yet, such as media).
"""
from dataclasses import dataclass
from typing import Callable

from flask import current_app
from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    FieldValue, Family, GroupEvent, GroupMembership, Group, Note, Person, utcnow,
)
from ...pco import attendance as pco_attendance
from ..labels import record_title
from ..pull.attendance import next_start
from ..runs import kinds as run_kinds


@dataclass(frozen=True)
class DataKind:
    key: str
    label: str
    in_pco: Callable
    here: Callable
    brought_by: str  # the run kind that brings it here
    counted_as: str = ""  # what one unit is, when it is not obvious
    only_in_pco: Callable | None = None


def listed_total(path, params=None):
    """What a PCO listing holds, from one request."""
    def count(client):
        body = client.get(path, {"per_page": 1, **(params or {})}) or {}
        return (body.get("meta") or {}).get("total_count")
    return count


def rows(model, *where):
    return lambda: db.session.scalar(select(func.count()).select_from(model).where(*where))


def memberships_in_pco(client):
    """Groups list their members' count: one request per hundred groups."""
    total = 0
    for page in client.iter_pages("/groups/v2/groups", {"where[archive_status]": "include"}):
        total += sum(int((g.get("attributes") or {}).get("memberships_count") or 0)
                     for g in page.records)
    return total


def events_in_pco(client):
    """Group meetings from ATTENDANCE_SINCE on (the attendance pull reads no earlier one)."""
    return pco_attendance.count_events(client, next_start(current_app.config, first=True),
                                       utcnow())


def events_here():
    since = next_start(current_app.config, first=True)
    where = [GroupEvent.starts_at >= since] if since else []
    return rows(GroupEvent, *where)()


DECLARED = [
    DataKind("people", record_title("Person"), listed_total("/people/v2/people"),
             rows(Person, Person.pco_id.is_not(None), Person.archived_at.is_(None)),
             run_kinds.PEOPLE),
    DataKind("households", "Households (families)", listed_total("/people/v2/households"),
             rows(Family, Family.pco_household_id.is_not(None), Family.archived_at.is_(None)),
             run_kinds.FAMILIES),
    DataKind("groups", record_title("Group"),
             listed_total("/groups/v2/groups", {"where[archive_status]": "include"}),
             rows(Group, Group.pco_group_id.is_not(None)), run_kinds.GROUPS),
    DataKind("memberships", "Group memberships", memberships_in_pco,
             rows(GroupMembership, GroupMembership.pco_membership_id.is_not(None)),
             run_kinds.GROUPS),
    DataKind("custom_fields", "Custom field values", listed_total("/people/v2/field_data"),
             rows(FieldValue, FieldValue.pco_field_datum_id.is_not(None)), run_kinds.PEOPLE,
             counted_as="one per answer"),
    DataKind("notes", "Pastoral notes", listed_total("/people/v2/notes"),
             rows(Note, Note.pco_note_id.is_not(None), Note.deleted_at.is_(None)),
             run_kinds.NOTES),
    DataKind("attendance", "Group meetings with their attendance", events_in_pco, events_here,
             run_kinds.ATTENDANCE, counted_as="one per meeting"),
    # MEDIA: the lead adds the media entry here at merge, e.g.
    # DataKind("media", "Photos and files", ..., brought_by=<the media run kind>,
    #          only_in_pco=media_only_in_pco)
]

# What this module does not bring over, said plainly on the report.
NOT_BROUGHT = (
    ("Workflows and workflow cards", "PCO People"),
    ("Forms and form submissions", "PCO People"),
    ("Background checks", "PCO People"),
    ("Group event notes and RSVPs", "PCO Groups"),
    ("Check-Ins (check-ins, headcounts)", "PCO Check-Ins"),
    ("Giving (donations, funds, pledges)", "PCO Giving"),
    ("Services (plans, songs, schedules)", "PCO Services"),
)


def declared():
    return tuple(DECLARED)
