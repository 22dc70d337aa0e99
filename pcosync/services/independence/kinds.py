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
    FieldValue, Family, GroupEvent, GroupMembership, Group, MediaKind, MediaSource, Note, Person,
    StoredFile, utcnow,
)
from ...pco import attendance as pco_attendance
from ..labels import record_title
from ..media import media_only_in_pco
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


# PCO has no listing of its files: what it holds is known from the records already pulled.
MEDIA_COUNTED = "known from the people, households and answers pulled"


def stored_from_pco(*media_kinds):
    return rows(StoredFile, StoredFile.source == MediaSource.PCO,
                StoredFile.kind.in_(list(media_kinds)))


def media_in_pco(key):
    """Stored here from PCO plus what PCO's records point at that is not stored yet."""
    here = {"photos": stored_from_pco(MediaKind.PERSON_PHOTO, MediaKind.FAMILY_PHOTO),
            "files": stored_from_pco(MediaKind.FIELD_FILE)}[key]
    return lambda client: (here() or 0) + media_only_in_pco()[key]


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
    DataKind("photos", "Photos of people and households", media_in_pco("photos"),
             stored_from_pco(MediaKind.PERSON_PHOTO, MediaKind.FAMILY_PHOTO), run_kinds.MEDIA,
             counted_as=MEDIA_COUNTED, only_in_pco=lambda: media_only_in_pco()["photos"]),
    DataKind("files", "Custom-field files", media_in_pco("files"),
             stored_from_pco(MediaKind.FIELD_FILE), run_kinds.MEDIA,
             counted_as=MEDIA_COUNTED, only_in_pco=lambda: media_only_in_pco()["files"]),
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
