"""Photos taken here: an upload checked (size, type, a pixel limit against decompression
bombs), re-encoded (which strips EXIF, GPS and every other piece of metadata), and kept as
a person's or a family's photo, to be sent to PCO by the Push Photos run."""
import io
import warnings
from hashlib import sha256

from flask import current_app
from PIL import Image, UnidentifiedImageError

from ...models import Family, MediaKind, MediaSource
from . import files

ACCEPTED = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
HEIC_MARKS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypmif1", b"ftypmsf1", b"ftypavif")


class PhotoRefused(ValueError):
    """The upload is not a photo this app can keep; the message says why, for the person."""


def prepared_photo(content: bytes, max_bytes=None, max_pixels=None) -> tuple[bytes, str]:
    """(re-encoded bytes, content type) of an uploaded photo, or PhotoRefused."""
    config = current_app.config
    max_bytes = max_bytes or int(config["PHOTO_MAX_BYTES"])
    max_pixels = max_pixels or int(config["PHOTO_MAX_PIXELS"])
    if not content:
        raise PhotoRefused("The file is empty.")
    if len(content) > max_bytes:
        raise PhotoRefused(f"The photo is larger than {max_bytes // (1024 * 1024)} MB.")
    if any(mark in content[:32] for mark in HEIC_MARKS):
        raise PhotoRefused("HEIC/HEIF photos (the iPhone's format) cannot be read here: "
                           "export the photo as JPEG or PNG and upload that.")
    image = _opened(content, max_pixels)
    return _reencoded(image)


def _opened(content, max_pixels):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.format not in ACCEPTED:
                raise PhotoRefused("Only JPEG, PNG, GIF and WebP photos can be uploaded.")
            if image.width * image.height > max_pixels:
                raise PhotoRefused(f"The photo has more than {max_pixels:,} pixels.")
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombWarning,
            Image.DecompressionBombError, OSError, SyntaxError):
        raise PhotoRefused("This file is not a photo that can be read (JPEG, PNG, GIF or WebP).")
    return image


def _reencoded(image):
    """Pixels only: the new file carries none of the original's metadata."""
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P") and image.format == "PNG":
        image.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue(), "image/jpeg"


def keep_local_photo(owner, content: bytes):
    """Check, re-encode and store `content` as the photo of `owner` (a person or a family), to
    be sent to PCO; returns (the row, the replaced files' keys to delete once the caller
    commits)."""
    photo, content_type = prepared_photo(content)
    identity = f"local:{sha256(photo).hexdigest()}"
    return files.keep(photo_kind(owner), owner.id, identity, photo, content_type,
                      source=MediaSource.LOCAL)


def photo_kind(owner):
    return MediaKind.FAMILY_PHOTO if isinstance(owner, Family) else MediaKind.PERSON_PHOTO
