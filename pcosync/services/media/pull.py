"""The Media step: downloads each person's and household's photo and each custom-field file
that changed since it was stored, never PCO's generated "no photo" images.

What changed is read from the database (the People, Families and custom-field pulls keep PCO's
addresses), so the step costs no API request. Each file is committed as soon as it is stored:
a step killed halfway resumes where it stopped, without fetching a file twice. A photo taken
here and not yet sent to PCO is not replaced by PCO's.
"""
import logging

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Family, FieldValue, MediaKind, MediaSource, Outcome, Person
from ...pco import media as pco_media
from ...pco.errors import PCONotFound, PCOUnavailable
from . import failures, files

log = logging.getLogger("pcosync.media")


def pull_media(client, progress, only=None):
    """`client` is unused (downloads are not API requests). `only`: {"people": ids,
    "families": ids} to look at (Quick Sync and webhooks), or None for everyone."""
    wanted, held = changed_files(only)
    # A file that failed lately waits for its next try (failures.py): Skipped until then.
    progress.expect(len(wanted) + held)
    progress.count(Outcome.SKIPPED, held)
    if progress.recorder is not None:  # a preview downloads and stores nothing
        progress.count(Outcome.CREATED, len(wanted))
        return
    downloader = pco_media.Downloader(current_app.config.get("MEDIA_DOWNLOAD_INTERVAL"))
    failed_before = failures.failed_slots()  # one query, not one per file
    try:
        for item in wanted:
            fetch_one(downloader, item, progress, failed_before)
        progress.checkpoint()
    finally:
        downloader.close()


def changed_files(only=None):
    """([(kind, owner id, identity, url, file name, person id)] of the files PCO holds that
    are not stored here as they are now and are due (not waiting after a failure), how many
    are stored as they are or wait for their next try)."""
    scope = only or {}
    found = (_photos(Person, MediaKind.PERSON_PHOTO, scope.get("people"), only),
             _photos(Family, MediaKind.FAMILY_PHOTO, scope.get("families"), only),
             _field_files(scope.get("people"), only))
    wanted, held = [], 0
    for kind, candidates in found:
        due, _ = failures.due_only(kind, list(_changed(kind, candidates)))
        wanted += due
        held += len(candidates) - len(due)
    return wanted, held


def _photos(model, kind, ids, only):
    query = select(model.id, model.pco_avatar_url).where(
        model.pco_avatar_url.is_not(None), model.archived_at.is_(None))
    if only is not None:
        query = query.where(model.id.in_(ids or ()))
    return kind, [(owner_id, pco_media.photo_identity(url), url, None, None)
                  for owner_id, url in db.session.execute(query)
                  if not pco_media.is_generated_photo(url)]


def _field_files(person_ids, only):
    query = select(FieldValue.id, FieldValue.pco_field_datum_id, FieldValue.file_name,
                   FieldValue.file_size, FieldValue.file_url, FieldValue.person_id).where(
        FieldValue.file_url.is_not(None))
    if only is not None:
        query = query.where(FieldValue.person_id.in_(person_ids or ()))
    return MediaKind.FIELD_FILE, [
        (value_id, pco_media.file_identity(datum_id or f"value-{value_id}", name, size), url,
         name, person_id)
        for value_id, datum_id, name, size, url, person_id in db.session.execute(query)]


def _changed(kind, candidates):
    held = files.held_identities(kind)
    for owner_id, identity, url, name, person_id in candidates:
        have = held.get(owner_id)
        if have and (have[0] == identity or _unsent_local(have)):
            continue
        yield kind, owner_id, identity, url, name, person_id


def _unsent_local(have):
    identity, source, pushed_at = have
    return source == MediaSource.LOCAL and pushed_at is None


def fetch_one(downloader, item, progress, failed_before=frozenset()):
    """Download and store one file; `failed_before`: the (kind, owner id) slots whose earlier
    failures a success ends."""
    kind, owner_id, identity, url, name, person_id = item
    try:
        got = downloader.fetch(url)
    except (PCONotFound, PCOUnavailable) as exc:
        # One file a host cannot give now is tried again later (failures.py); the rest go on.
        failures.record_failure(item, exc.message)
        progress.issue(_record_type(kind), exc.message, local_id=owner_id, failed=True)
        progress.checkpoint()
        return
    _, stale = files.keep(kind, owner_id, identity, got.content, got.content_type,
                          file_name=name, person_id=person_id)
    if (kind, owner_id) in failed_before:
        failures.clear(kind, owner_id)
    progress.count(Outcome.CREATED)
    progress.checkpoint()
    files.forget(stale)


def _record_type(kind):
    return {MediaKind.PERSON_PHOTO: "Person", MediaKind.FAMILY_PHOTO: "Family"}.get(
        kind, "FieldValue")


def media_waiting(since):
    """Whether records written since then (by a Quick Sync, a webhook batch) point at a photo
    or a file not stored here and due (a file that failed lately is not, until its next try):
    then a Media step is worth queuing."""
    people = set(db.session.scalars(select(Person.id).where(Person.updated_at >= since)))
    people |= set(db.session.scalars(select(FieldValue.person_id).where(
        FieldValue.updated_at >= since)))
    families = set(db.session.scalars(select(Family.id).where(Family.updated_at >= since)))
    if not (people or families):
        return False
    wanted, _ = changed_files({"people": people, "families": families})
    return bool(wanted)
