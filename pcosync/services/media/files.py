"""The stored-file rows and their bytes, together: a file is written before its row is
committed, and its bytes deleted only after the row is gone (a crash leaves at worst an
unreferenced file, never a row without bytes)."""
import hashlib
import mimetypes

from sqlalchemy import select

from ...extensions import db
from ...models import MediaKind, MediaSource, StoredFile
from .storage import new_key, storage

OWNER_COLUMN = {MediaKind.PERSON_PHOTO: "person_id", MediaKind.FAMILY_PHOTO: "family_id",
                MediaKind.FIELD_FILE: "field_value_id"}


def current(kind, owner_id):
    """The file an owner holds now in that slot (a person's photo, a field value's file)."""
    column = getattr(StoredFile, OWNER_COLUMN[kind])
    return db.session.scalars(select(StoredFile).where(
        StoredFile.kind == kind, column == owner_id).order_by(StoredFile.id.desc())).first()


def held_identities(kind):
    """{owner id: identity} of every stored file of a kind: one query for a whole pass."""
    column = getattr(StoredFile, OWNER_COLUMN[kind])
    rows = db.session.execute(select(column, StoredFile.identity, StoredFile.source,
                                     StoredFile.pushed_at).where(StoredFile.kind == kind))
    return {owner: (identity, source, pushed) for owner, identity, source, pushed in rows}


def keep(kind, owner_id, identity, content, content_type, *, source=MediaSource.PCO,
         file_name=None, person_id=None):
    """Store `content` as the owner's file of that kind, replacing the one it held; returns
    (the new row, the storage keys of the replaced files, to delete once committed)."""
    extension = mimetypes.guess_extension(content_type or "") or ""
    key = new_key(kind, extension)
    storage().put(key, content)
    replaced = _rows_of(kind, owner_id)
    row = StoredFile(kind=kind, source=source, identity=identity[:1200],
                     content_type=(content_type or "application/octet-stream")[:120],
                     size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                     storage_key=key, file_name=(file_name or None) and file_name[:255])
    setattr(row, OWNER_COLUMN[kind], owner_id)
    if kind == MediaKind.FIELD_FILE:
        row.person_id = person_id
    stale_keys = [old.storage_key for old in replaced]
    for old in replaced:
        db.session.delete(old)
    db.session.add(row)
    return row, stale_keys


def _rows_of(kind, owner_id):
    column = getattr(StoredFile, OWNER_COLUMN[kind])
    return list(db.session.scalars(select(StoredFile).where(
        StoredFile.kind == kind, column == owner_id)))


def forget(keys):
    """Delete the bytes of rows already removed (after their commit)."""
    for key in keys:
        storage().delete(key)


def read(row) -> bytes:
    return storage().read(row.storage_key)
