"""Photos and files kept here (storage.py, files.py), pulled from PCO (pull.py), taken here
(photos.py) and sent to PCO (push.py). The plain functions below are for the other parts of
the platform: a person's export and erasure, and the independence report."""
from sqlalchemy import delete, event, func, or_, select

from ...extensions import db
from ...models import Family, FieldValue, MediaFailure, MediaKind, Person, StoredFile
from ...pco.media import GENERATED_PHOTO_MARKS
from . import files


def person_media(person):
    """Every stored file of a person: their photo and their custom-field files."""
    return list(db.session.scalars(select(StoredFile).where(
        StoredFile.person_id == person.id).order_by(StoredFile.id)))


def erase_person_media(person):
    """Delete a person's stored files in the caller's transaction, and their bytes once it
    commits (a rollback keeps both); returns how many. Their households' photos are the
    household's, not theirs, and stay."""
    rows = person_media(person)
    keys = [row.storage_key for row in rows]
    for row in rows:
        db.session.delete(row)
    # A failed download's record names a file of theirs (its name, its address's path).
    db.session.execute(delete(MediaFailure).where(MediaFailure.person_id == person.id))
    event.listen(db.session(), "after_commit", lambda _session: files.forget(keys), once=True)
    return len(rows)


def media_only_in_pco():
    """{"photos": n, "files": n}: what PCO holds (a real photo, a custom-field file) that is
    not stored here, counted from the database alone."""
    photos = sum(_photos_missing(model, kind) for model, kind in (
        (Person, MediaKind.PERSON_PHOTO), (Family, MediaKind.FAMILY_PHOTO)))
    stored_values = select(StoredFile.field_value_id).where(
        StoredFile.kind == MediaKind.FIELD_FILE, StoredFile.field_value_id.is_not(None))
    missing_files = db.session.scalar(select(func.count(FieldValue.id)).where(
        FieldValue.file_url.is_not(None), FieldValue.id.not_in(stored_values)))
    return {"photos": photos, "files": missing_files or 0}


def _photos_missing(model, kind):
    owner = StoredFile.person_id if kind == MediaKind.PERSON_PHOTO else StoredFile.family_id
    stored = select(owner).where(StoredFile.kind == kind, owner.is_not(None))
    generated = or_(*(model.pco_avatar_url.contains(mark) for mark in GENERATED_PHOTO_MARKS))
    return db.session.scalar(select(func.count(model.id)).where(
        model.pco_avatar_url.is_not(None), ~generated, model.id.not_in(stored))) or 0


__all__ = ["erase_person_media", "media_only_in_pco", "person_media"]
