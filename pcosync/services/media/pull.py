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
from . import files

log = logging.getLogger("pcosync.media")


def pull_media(client, progress, only=None):
    """`client` is unused (downloads are not API requests). `only`: {"people": ids,
    "families": ids} to look at (Quick Sync and webhooks), or None for everyone."""
    downloader = pco_media.Downloader(current_app.config.get("MEDIA_DOWNLOAD_INTERVAL"))
    try:
        wanted = list(wanted_files(only))
        progress.expect(len(wanted))
        for item in wanted:
            fetch_one(downloader, item, progress)
        progress.checkpoint()
    finally:
        downloader.close()


def wanted_files(only=None):
    """(kind, owner id, identity, url, file name, person id) of every file PCO holds that is
    not stored here as it is now."""
    yield from _wanted(MediaKind.PERSON_PHOTO, _photos(Person, (only or {}).get("people"), only))
    yield from _wanted(MediaKind.FAMILY_PHOTO,
                       _photos(Family, (only or {}).get("families"), only))
    yield from _wanted(MediaKind.FIELD_FILE, _field_files((only or {}).get("people"), only))


def _photos(model, ids, only):
    query = select(model.id, model.pco_avatar_url).where(
        model.pco_avatar_url.is_not(None), model.archived_at.is_(None))
    if only is not None:
        query = query.where(model.id.in_(ids or ()))
    for owner_id, url in db.session.execute(query):
        if not pco_media.is_generated_photo(url):
            yield owner_id, pco_media.photo_identity(url), url, None, None


def _field_files(person_ids, only):
    query = select(FieldValue.id, FieldValue.pco_field_datum_id, FieldValue.file_name,
                   FieldValue.file_size, FieldValue.file_url, FieldValue.person_id).where(
        FieldValue.file_url.is_not(None))
    if only is not None:
        query = query.where(FieldValue.person_id.in_(person_ids or ()))
    for value_id, datum_id, name, size, url, person_id in db.session.execute(query):
        identity = pco_media.file_identity(datum_id or f"value-{value_id}", name, size)
        yield value_id, identity, url, name, person_id


def _wanted(kind, candidates):
    held = files.held_identities(kind)
    for owner_id, identity, url, name, person_id in candidates:
        have = held.get(owner_id)
        if have and (have[0] == identity or _unsent_local(have)):
            continue
        yield kind, owner_id, identity, url, name, person_id


def _unsent_local(have):
    identity, source, pushed_at = have
    return source == MediaSource.LOCAL and pushed_at is None


def fetch_one(downloader, item, progress):
    kind, owner_id, identity, url, name, person_id = item
    try:
        got = downloader.fetch(url)
    except (PCONotFound, PCOUnavailable) as exc:
        # One file a host cannot give now is tried again by the next step; the rest go on.
        progress.issue(_record_type(kind), exc.message, local_id=owner_id, failed=True)
        progress.checkpoint()
        return
    _, stale = files.keep(kind, owner_id, identity, got.content, got.content_type,
                          file_name=name, person_id=person_id)
    progress.count(Outcome.CREATED)
    progress.checkpoint()
    files.forget(stale)


def _record_type(kind):
    return {MediaKind.PERSON_PHOTO: "Person", MediaKind.FAMILY_PHOTO: "Family"}.get(
        kind, "FieldValue")
