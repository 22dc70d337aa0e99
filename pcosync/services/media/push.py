"""Push Photos: each photo taken here and not yet sent, of a person or of a family, reaches PCO
in PCO's two steps (the file to the upload service, then the person's or the household's
`avatar` set to the returned file id). PCO's answer is recorded (the photo's address on the
person or family, its stable part as the stored file's identity), so the webhook echo and the
next Media step download nothing; a photo is sent once.
"""
from dataclasses import dataclass
from typing import Callable

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Family, MediaKind, MediaSource, Outcome, Person, StoredFile, utcnow
from ...pco import media as pco_media
from ..rules import scope
from ..rules.state import digest
from . import files


@dataclass(frozen=True)
class PhotoOwner:
    """Whose photo a kind of stored file is, and how PCO takes it."""
    kind: str
    model: type
    owner: str  # the StoredFile relationship
    pco_id: str  # the owner's PCO id column
    set_avatar: Callable


OWNERS = (
    PhotoOwner(MediaKind.PERSON_PHOTO, Person, "person", "pco_id", pco_media.set_person_avatar),
    PhotoOwner(MediaKind.FAMILY_PHOTO, Family, "family", "pco_household_id",
               pco_media.set_household_avatar),
)
_BY_KIND = {owner.kind: owner for owner in OWNERS}


def push_photos(client, progress):
    pending = [row for owner in OWNERS for row in _pending(owner)]
    progress.expect(len(pending))
    if client.preview:  # a preview sends nothing: what would go is counted
        progress.count(Outcome.UPDATED, sum(1 for row in pending if _may_send(row)))
        return
    for row in pending:
        if not _may_send(row):
            progress.count(Outcome.SKIPPED)
            continue
        send_photo(client, row)
        progress.count(Outcome.UPDATED)
        progress.checkpoint()
    progress.checkpoint()


def _pending(owner):
    """Photos taken here, not sent yet, whose owner is in PCO (a family not in PCO yet waits
    for Push Families)."""
    model = owner.model
    return db.session.scalars(
        select(StoredFile).join(model, getattr(StoredFile, f"{owner.owner}_id") == model.id)
        .where(StoredFile.kind == owner.kind, StoredFile.source == MediaSource.LOCAL,
               StoredFile.pushed_at.is_(None), getattr(model, owner.pco_id).is_not(None))
        .order_by(StoredFile.id)).all()


def _may_send(row):
    if row.kind == MediaKind.FAMILY_PHOTO:
        return row.family.archived_at is None
    person = row.person
    return person.archived_at is None and scope.may_send(person)


def send_photo(client, row):
    owner = _BY_KIND[row.kind]
    record = getattr(row, owner.owner)
    file_id = pco_media.upload_file(client, current_app.config["PCO_UPLOAD_URL"],
                                    _file_name(row), files.read(row), row.content_type)
    answered = owner.set_avatar(client, getattr(record, owner.pco_id), file_id)
    url = (answered.get("attributes") or {}).get("avatar")
    row.pushed_at = utcnow()
    if url and not pco_media.is_generated_photo(url):
        row.identity = pco_media.photo_identity(url)
        record.pco_avatar_url = url[:500]
        if owner.model is Person:
            _agree_with_pco(record, url[:500])


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
