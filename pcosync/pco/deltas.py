"""Reading only what changed in PCO: listings by `updated_at` (or `created_at`) from a moment on,
and people re-read in bulk by id. It knows nothing of the database: callers keep the cursors.

Paging is by key, not by offset: each request asks for records stamped at or after the newest
stamp read so far (skipping the ones at that very stamp already read). Offset paging over a
listing ordered by `updated_at` skips a record whenever one read earlier is changed meanwhile
(it moves to the end and everything after it shifts up by one).
"""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from .client import PER_PAGE, PERSON_INCLUDES, format_timestamp
from .contact_kinds import BY_NAME as CONTACT_KINDS
from .errors import PCONotFound, PCOValidationError

PEOPLE = "/people/v2/people"
PERSON_MERGERS = "/people/v2/person_mergers"


@dataclass
class DeltaPage:
    """Resolved resources, oldest first (newest first for a newest-first scan), and the newest
    stamp this page reached: where the caller's cursor may move once the page is applied."""

    records: list[dict]
    position: datetime | None


def stamp_of(resource: dict, stamp: str) -> datetime | None:
    """A resource's `updated_at` (or other stamp) as an aware UTC datetime, or None."""
    value = (resource.get("attributes") or {}).get(stamp) if isinstance(resource, dict) else None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(
        timezone.utc)


def _first_page(client, path, params, include=()):
    pages = client.iter_pages(path, params, include=include)
    try:
        return next(pages).records
    finally:
        pages.close()  # one request: the next page is asked for by key, not by links.next


def iter_changed(client, path: str, since: datetime | None, stamp: str = "updated_at",
                 include=()) -> Iterator[DeltaPage]:
    """Pages of `path` with `stamp` >= since (everything when since is None), oldest first.
    Each request starts again at the newest stamp read, leaving out what was read at exactly
    that stamp; only a page wholly within one second pages on by offset inside it."""
    position, skip, read_at_position = since, 0, set()
    while True:
        params = {"order": stamp, "per_page": PER_PAGE, "offset": skip}
        if position is not None:
            params[f"where[{stamp}][gte]"] = format_timestamp(position)
        records = _first_page(client, path, params, include)
        keyed = [(r, _key(r, stamp)) for r in records]
        fresh = [r for r, key in keyed if key not in read_at_position]
        newest = max((key[1] for _, key in keyed if key[1] is not None), default=position)
        if fresh:
            yield DeltaPage(fresh, newest)
        if len(records) < PER_PAGE:
            return
        at_newest = {key for _, key in keyed if key[1] == newest}
        if newest == position:  # a whole page stamped in one second: page on inside it
            read_at_position |= at_newest
            skip += len(records)
        else:
            position, read_at_position, skip = newest, at_newest, 0


def _key(resource, stamp):
    return (str(resource.get("id")) if isinstance(resource, dict) else None,
            stamp_of(resource, stamp))


def iter_changed_people(client, since: datetime | None) -> Iterator[DeltaPage]:
    return iter_changed(client, PEOPLE, since, include=PERSON_INCLUDES)


def iter_person_mergers(client, since: datetime | None) -> Iterator[DeltaPage]:
    return iter_changed(client, PERSON_MERGERS, since, stamp="created_at")


def iter_changed_contacts(client, kind: str, since: datetime | None) -> Iterator[DeltaPage]:
    """Contact points of one kind (its name, "emails") changed since `since`."""
    wire = CONTACT_KINDS[kind]
    if wire.queryable_by_updated_at:
        return iter_changed(client, wire.path, since)
    return iter_newest_first(client, wire.path, since)


def iter_newest_first(client, path: str, since: datetime | None,
                      stamp: str = "updated_at", include=()) -> Iterator[DeltaPage]:
    """Pages ordered by -stamp, until a record is older than `since`. Every page carries the
    newest stamp of the whole scan: the cursor may only move once the scan is complete."""
    newest = None
    for page in client.iter_pages(path, {"order": f"-{stamp}"}, include=include):
        fresh = [r for r in page.records if since is None or _not_older(r, stamp, since)]
        newest = newest or max((stamp_of(r, stamp) for r in fresh if stamp_of(r, stamp)),
                               default=None)
        if fresh:
            yield DeltaPage(fresh, newest)
        if len(fresh) < len(page.records):
            return


def _not_older(resource, stamp, since):
    moment = stamp_of(resource, stamp)
    return moment is None or moment >= since


def people_by_ids(client, ids) -> Iterator[list[dict]]:
    """The people with these ids (with their contact points), a batch of up to 100 per request:
    `where[id]=1,2,3`. Anyone the batch did not return is read alone (a PCO that takes one id
    only, or someone deleted meanwhile: 404, left out)."""
    ids = list(dict.fromkeys(str(i) for i in ids))
    for start in range(0, len(ids), PER_PAGE):
        chunk = ids[start:start + PER_PAGE]
        found = _batch(client, chunk)
        for missing in (i for i in chunk if i not in found):
            try:
                found[missing] = client.get_person(missing)
            except PCONotFound:
                continue
        yield [found[i] for i in chunk if i in found]


def _batch(client, chunk):
    params = {"where[id]": ",".join(chunk), "per_page": PER_PAGE}
    try:
        records = _first_page(client, PEOPLE, params, PERSON_INCLUDES)
    except PCOValidationError:
        return {}
    wanted = set(chunk)
    return {str(r.get("id")): r for r in records
            if isinstance(r, dict) and str(r.get("id")) in wanted}
