"""Push Photos: each photo taken here and not yet sent reaches PCO in PCO's two steps (the
file to the upload service, then the person's `avatar` set to the returned file id). PCO's
answer is recorded (the photo's address on the person, its stable part as the stored file's
identity), so the webhook echo and the next Media step download nothing; a photo is sent once.
"""
from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import MediaKind, MediaSource, Outcome, Person, StoredFile, utcnow
from ...pco import media as pco_media
from ..rules import scope
from ..rules.state import digest
from . import files


def push_photos(client, progress):
    pending = db.session.scalars(select(StoredFile).join(Person, StoredFile.person_id == Person.id)
                                 .where(StoredFile.kind == MediaKind.PERSON_PHOTO,
                                        StoredFile.source == MediaSource.LOCAL,
                                        StoredFile.pushed_at.is_(None),
                                        Person.pco_id.is_not(None))).all()
    progress.expect(len(pending))
    if client.preview:  # a preview sends nothing: what would go is counted
        progress.count(Outcome.UPDATED, sum(1 for row in pending if _may_send(row.person)))
        return
    for row in pending:
        if not _may_send(row.person):
            progress.count(Outcome.SKIPPED)
            continue
        send_photo(client, row)
        progress.count(Outcome.UPDATED)
        progress.checkpoint()
    progress.checkpoint()


def _may_send(person):
    return person.archived_at is None and scope.may_send(person)


def send_photo(client, row):
    person = row.person
    file_id = pco_media.upload_file(client, current_app.config["PCO_UPLOAD_URL"],
                                    _file_name(row), files.read(row), row.content_type)
    answered = pco_media.set_person_avatar(client, person.pco_id, file_id)
    url = (answered.get("attributes") or {}).get("avatar")
    row.pushed_at = utcnow()
    if url and not pco_media.is_generated_photo(url):
        row.identity = pco_media.photo_identity(url)
        person.pco_avatar_url = url[:500]
        _agree_with_pco(person, url[:500])


def _agree_with_pco(person, url):
    """PCO's photo address is now also the state agreed with PCO: the pull of the echo finds
    nothing changed."""
    state = dict(person.pco_synced_state or {})
    if state:
        state["pco_avatar_url"] = url
        person.pco_synced_state, person.pco_synced_hash = state, digest(state)


def _file_name(row):
    extension = {"image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}.get(
        row.content_type, ".jpg")
    return f"photo{extension}"
