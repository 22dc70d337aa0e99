"""The one registry of the kinds of personal data held about a person.

Each kind has a label, an exporter (`export(person)` -> JSON-able data), an eraser
(`erase(person)` -> how many rows went or were scrubbed) and the permission needed to see it in
an export (None: whoever may export). A kind with files to put beside person.json in the
archive also has `files(person)` -> [(name, bytes)]. Export and erase (export.py, erase.py)
and the confirmation page read this list, so a new kind is one entry here.

Erasers write with plain DELETE / UPDATE statements: the history listener must not record the
erasure as changes holding the very values being erased. The profile comes last: the person's
row goes with it, and the other erasers read the person.
"""
from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import delete, func, or_, select, update

from ...extensions import db
from ...models import (
    NOTES_VIEW, Address, Attendance, DistinctPeople, DuplicatePair, Email, Family, FamilyMember,
    FieldChange, FieldValue, GroupMembership, Note, PendingRemoval, Person, PhoneNumber, ReviewItem,
    SyncIssue, WebhookDelivery,
)
from ...models.enums import DeliveryStatus
from ..media import erase_person_media, person_media
from ..media import files as media_storage
from .rows import ERASED_VALUE, identifying_strings, row_dict


@dataclass(frozen=True)
class PersonalDataKind:
    name: str
    label: str
    export: Callable  # (person) -> JSON-able data
    erase: Callable  # (person) -> count
    permission: Optional[str] = None
    files: Optional[Callable] = None  # (person) -> [(file name, bytes)] beside person.json


def _deleted(statement):
    return db.session.execute(statement, execution_options={"synchronize_session": False}
                              ).rowcount or 0


def _rows(model, *where, leave_out=()):
    return [row_dict(row, leave_out) for row in db.session.scalars(
        select(model).where(*where).order_by(model.id))]


# -- profile and contact points --------------------------------------------------------

def export_profile(person):
    return row_dict(person, leave_out=("search_name",))


def erase_profile(person):
    return _deleted(delete(Person).where(Person.id == person.id))


CONTACT_MODELS = (("emails", Email, ("normalized",)), ("phone_numbers", PhoneNumber, ("digits",)),
                  ("addresses", Address, ()))


def export_contacts(person):
    return {name: _rows(model, model.person_id == person.id, leave_out=leave_out)
            for name, model, leave_out in CONTACT_MODELS}


def erase_contacts(person):
    return sum(_deleted(delete(model).where(model.person_id == person.id))
               for _, model, _ in CONTACT_MODELS)


# -- families, groups, custom fields, notes ----------------------------------------------

def export_families(person):
    rows = db.session.execute(select(FamilyMember, Family).join(Family).where(
        FamilyMember.person_id == person.id).order_by(FamilyMember.id))
    return [{"family": family.name, "pco_household_id": family.pco_household_id,
             "role": member.role, "primary_member": family.primary_member_id == person.id}
            for member, family in rows]


def erase_families(person):
    """Their memberships; a family left with no one else in it was only about them."""
    family_ids = list(db.session.scalars(select(FamilyMember.family_id).where(
        FamilyMember.person_id == person.id)))
    count = _deleted(delete(FamilyMember).where(FamilyMember.person_id == person.id))
    db.session.execute(update(Family).where(Family.primary_member_id == person.id)
                       .values(primary_member_id=None),
                       execution_options={"synchronize_session": False})
    still_used = select(FamilyMember.family_id).where(FamilyMember.family_id.in_(family_ids))
    count += _deleted(delete(Family).where(Family.id.in_(family_ids),
                                           Family.id.not_in(still_used)))
    return count


def export_groups(person):
    return [{"group": m.group.name, "pco_group_id": m.group.pco_group_id, "role": m.role,
             "joined_at": row_dict(m)["joined_at"], "pco_membership_id": m.pco_membership_id}
            for m in db.session.scalars(select(GroupMembership).where(
                GroupMembership.person_id == person.id).order_by(GroupMembership.id))]


def erase_groups(person):
    return _deleted(delete(GroupMembership).where(GroupMembership.person_id == person.id))


def export_attendance(person):
    return [{"group": a.event.group.name, "event": a.event.name,
             "starts_at": row_dict(a.event)["starts_at"], "attended": a.attended,
             "role": a.role, "pco_attendance_id": a.pco_attendance_id}
            for a in db.session.scalars(select(Attendance).where(
                Attendance.person_id == person.id).order_by(Attendance.id))]


def erase_attendance(person):
    return _deleted(delete(Attendance).where(Attendance.person_id == person.id))


def export_custom_fields(person):
    return [{"field": v.definition.name, "value": v.value, "file_name": v.file_name,
             "file_url": v.file_url, "pco_field_datum_id": v.pco_field_datum_id}
            for v in db.session.scalars(select(FieldValue).where(
                FieldValue.person_id == person.id).order_by(FieldValue.id))]


def erase_custom_fields(person):
    return _deleted(delete(FieldValue).where(FieldValue.person_id == person.id))


def export_notes(person):
    notes = db.session.scalars(select(Note).where(
        Note.person_id == person.id, Note.deleted_at.is_(None)).order_by(Note.id))
    return [{"category": n.category.name, "text": n.text, "display_date": row_dict(n)[
        "display_date"], "author": n.author_name, "pco_note_id": n.pco_note_id} for n in notes]


def erase_notes(person):
    return _deleted(delete(Note).where(Note.person_id == person.id))


# -- photos and files (services/media) ---------------------------------------------------

def export_media(person):
    return [row_dict(row, leave_out=("storage_key",)) for row in person_media(person)]


def media_files(person):
    """Each stored file beside person.json, named by its kind and id (its own name when PCO
    gave one)."""
    return [(f"{row.kind}-{row.id}-{row.file_name or 'file'}", media_storage.read(row))
            for row in person_media(person)]


# -- history, review, duplicates, sync records ---------------------------------------------

def _mentioning(column, needles):
    return or_(*(func.lower(column).contains(n.lower(), autoescape=True) for n in needles))


def export_history(person):
    return _rows(FieldChange, FieldChange.person_id == person.id)


def erase_history(person):
    """Their rows go; a row about another record that names them keeps the fact of the change
    and loses the value."""
    count = _deleted(delete(FieldChange).where(FieldChange.person_id == person.id))
    for side in ("before", "after"):
        column = getattr(FieldChange, side)
        needles = identifying_strings(person)
        if needles:
            count += db.session.execute(update(FieldChange).where(_mentioning(column, needles))
                                        .values({side: ERASED_VALUE}),
                                        execution_options={"synchronize_session": False}
                                        ).rowcount or 0
    return count


def _review_items_about(person):
    about = [ReviewItem.person_id == person.id, ReviewItem.other_person_id == person.id]
    if person.pco_id:
        about.append(ReviewItem.pco_id == person.pco_id)
    needles = identifying_strings(person)
    if needles:
        about.append(_mentioning(ReviewItem.summary, needles))
    return or_(*about)


def export_review_items(person):
    return _rows(ReviewItem, _review_items_about(person))


def erase_review_items(person):
    return _deleted(delete(ReviewItem).where(_review_items_about(person)))


def _pairs_about(model, person):
    return or_(model.person_id == person.id, model.other_person_id == person.id)


def export_duplicate_pairs(person):
    return {"possible_duplicates": _rows(DuplicatePair, _pairs_about(DuplicatePair, person)),
            "said_to_be_different": _rows(DistinctPeople, _pairs_about(DistinctPeople, person))}


def erase_duplicate_pairs(person):
    return (_deleted(delete(DuplicatePair).where(_pairs_about(DuplicatePair, person)))
            + _deleted(delete(DistinctPeople).where(_pairs_about(DistinctPeople, person))))


def export_pco_id(person):
    return {"pco_id": person.pco_id, "pco_updated_at": row_dict(person)["pco_updated_at"]}


def erase_pco_id(person):
    """What still names their PCO id: membership removals waiting for a push."""
    if not person.pco_id:
        return 0
    return _deleted(delete(PendingRemoval).where(PendingRemoval.person_pco_id == person.pco_id))


def _issues_about(person):
    about = [SyncIssue.local_id == person.id]
    if person.pco_id:
        about.append(SyncIssue.pco_id == person.pco_id)
    needles = identifying_strings(person)
    if needles:
        about.append(_mentioning(SyncIssue.reason, needles))
    return or_(*about)


def _deliveries_about(person):
    needles = identifying_strings(person) + (
        [f'"{person.pco_id}"', f'\\"{person.pco_id}\\"'] if person.pco_id else [])
    return _mentioning(WebhookDelivery.body, needles) if needles else None


def export_sync_records(person):
    about = _deliveries_about(person)
    deliveries = [] if about is None else [
        {"event": d.event_name, "received_at": row_dict(d)["received_at"], "body": d.body}
        for d in db.session.scalars(select(WebhookDelivery).where(about))]
    return {"sync_issues": _rows(SyncIssue, _issues_about(person)),
            "webhook_deliveries": deliveries}


def erase_sync_records(person):
    """Issues about them go; the webhook deliveries that carried them keep their row (the
    delivery id stops a redelivery being applied) without the body."""
    count = _deleted(delete(SyncIssue).where(_issues_about(person)))
    about = _deliveries_about(person)
    if about is not None:
        count += db.session.execute(
            update(WebhookDelivery).where(about).values(
                body="{}", status=DeliveryStatus.IGNORED,
                error="about a person erased on request"),
            execution_options={"synchronize_session": False}).rowcount or 0
    return count


KINDS = (
    PersonalDataKind("contact_points", "Emails, phone numbers and addresses",
                     export_contacts, erase_contacts),
    PersonalDataKind("families", "Families and their roles in them", export_families,
                     erase_families),
    PersonalDataKind("groups", "Groups and roles", export_groups, erase_groups),
    PersonalDataKind("attendance", "Group attendance", export_attendance, erase_attendance),
    PersonalDataKind("custom_fields", "Custom field values", export_custom_fields,
                     erase_custom_fields),
    PersonalDataKind("notes", "Pastoral notes", export_notes, erase_notes, NOTES_VIEW),
    PersonalDataKind("media", "Photos and files", export_media, erase_person_media,
                     files=media_files),
    PersonalDataKind("change_history", "Change history", export_history, erase_history),
    PersonalDataKind("review_items", "Review queue items", export_review_items,
                     erase_review_items),
    PersonalDataKind("duplicate_pairs", "Possible duplicates and decisions about them",
                     export_duplicate_pairs, erase_duplicate_pairs),
    PersonalDataKind("sync_records", "Sync issues and webhook deliveries about them",
                     export_sync_records, erase_sync_records),
    PersonalDataKind("pco_id", "Link to their PCO person", export_pco_id, erase_pco_id),
    PersonalDataKind("profile", "Profile (names, dates, status, local care fields)",
                     export_profile, erase_profile),  # last: the person's row goes
)
BY_NAME = {kind.name: kind for kind in KINDS}
