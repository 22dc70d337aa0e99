"""What the app serves of a stored file, and how: only to signed-in users, never as a page of
this site (a file PCO held may be anything, HTML included)."""
from ...extensions import db
from ...models import StoredFile
from . import files
from .photos import photo_kind

# Shown in the page; anything else is a download.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp",
                          "application/pdf"})


def stored_file(file_id):
    return db.session.get(StoredFile, file_id)


def served(row):
    """(bytes, content type, whether shown inline) of a stored file."""
    inline = row.content_type in INLINE_TYPES
    content_type = row.content_type if inline else "application/octet-stream"
    return files.read(row), content_type, inline


def shown_photo_file(owner):
    """The stored photo of a person or a family to show (a photo taken here, else PCO's), or
    None."""
    return files.current(photo_kind(owner), owner.id)
