"""Files that could not be downloaded: each is recorded with its attempts, its last error and
its next try, after a pause that doubles at each failure (MEDIA_RETRY_SECONDS, at most
MEDIA_RETRY_MAX_SECONDS). Until then the Media step leaves it, and it does not count as
waiting, so a Quick Sync touching its person does not start another Media run for it."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ...extensions import db
from ...models import MediaFailure, MediaKind, utcnow
from .files import OWNER_COLUMN


def _owner_column(kind):
    return getattr(MediaFailure, OWNER_COLUMN[kind])


def not_due(kind, now=None):
    """{owner id: identity} of a kind's files that failed and wait for their next try."""
    column = _owner_column(kind)
    rows = db.session.execute(select(column, MediaFailure.identity).where(
        MediaFailure.kind == kind, MediaFailure.next_try_at > (now or utcnow())))
    return dict(rows.all())


def due_only(kind, wanted):
    """(the files of `wanted` to try now, how many wait for their next try). A file whose
    identity changed since it failed (PCO holds another one now) is tried at once."""
    waiting = not_due(kind)
    due = [item for item in wanted if waiting.get(item[1]) != item[2][:1200]]
    return due, len(wanted) - len(due)


def record_failure(item, message):
    """Count one more failed attempt of `item` (the Media step's tuple) and set its next try;
    the caller commits."""
    kind, owner_id, identity, _url, name, person_id = item
    failure = _of(kind, owner_id)
    if failure is None or failure.identity != identity[:1200]:
        if failure is not None:
            db.session.delete(failure)
        failure = MediaFailure(kind=kind, identity=identity[:1200], attempts=0)
        setattr(failure, OWNER_COLUMN[kind], owner_id)
        if kind == MediaKind.FIELD_FILE:
            failure.person_id = person_id
        db.session.add(failure)
    failure.attempts += 1
    failure.file_name = (name or None) and name[:255]
    failure.last_error = (message or "unknown error")[:500]
    failure.next_try_at = utcnow() + timedelta(seconds=retry_pause(failure.attempts))
    return failure


def retry_pause(attempts):
    """Seconds before the next try after `attempts` failures: doubling, capped."""
    config = current_app.config
    first = int(config["MEDIA_RETRY_SECONDS"])
    return min(first * 2 ** min(attempts - 1, 30), int(config["MEDIA_RETRY_MAX_SECONDS"]))


def failed_slots():
    """{(kind, owner id)} of every recorded failure."""
    rows = db.session.execute(select(MediaFailure.kind, MediaFailure.person_id,
                                     MediaFailure.family_id, MediaFailure.field_value_id))
    return {(kind, {MediaKind.PERSON_PHOTO: person, MediaKind.FAMILY_PHOTO: family}.get(
        kind, value)) for kind, person, family, value in rows}


def clear(kind, owner_id):
    """The slot's file is stored: its failures are over."""
    db.session.execute(delete(MediaFailure).where(
        MediaFailure.kind == kind, _owner_column(kind) == owner_id))


def _of(kind, owner_id):
    return db.session.scalars(select(MediaFailure).where(
        MediaFailure.kind == kind, _owner_column(kind) == owner_id)).first()


def failing_files():
    """Every recorded failure, said in plain words for a page: whose file it is, what went
    wrong, how often it was tried and when it is tried next."""
    rows = db.session.scalars(select(MediaFailure).order_by(MediaFailure.next_try_at))
    return [{"what": _what(row), "error": row.last_error, "attempts": row.attempts,
             "next_try_at": row.next_try_at} for row in rows]


def _what(row):
    if row.kind == MediaKind.FAMILY_PHOTO:
        return f"The photo of the family {row.family.name}" if row.family else "A family photo"
    who = row.person.full_name if row.person else "someone no longer here"
    if row.kind == MediaKind.PERSON_PHOTO:
        return f"The photo of {who}"
    return f"The file {row.file_name or '(no name)'} of {who}"
