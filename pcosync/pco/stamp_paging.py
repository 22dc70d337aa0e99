"""Paging a large listing by created_at instead of by offset.

PCO gives requests at an offset past 30,000 a stricter share of the rate limit (75 instead
of 100 per 20 s), so a 100,000-person church paged by offset spends 700 of its 1,000 People
requests past that line. People cannot be ordered by id, but can by created_at: each page
asks `order=created_at&where[created_at][gte]=<the last stamp seen>` and drops the ids it
already yielded at that stamp (the stamp is to the second, so the next page starts with the
last page's ties). Offset paging also shifts under deletions during a long pull; a keyset
does not.

A second that fills a whole page (a CSV import stamps hundreds of people alike) would make
no progress that way: it is paged alone, `where[created_at]=<stamp>` by offset, and the
listing goes on with `where[created_at][gt]=<stamp>`. Nobody is skipped and nothing loops.
"""
from collections.abc import Iterator, Mapping

from .errors import PCOBadResponse
from .jsonapi import resolve_document
from .pages import Page, as_list, next_link, total_count

STAMP = "created_at"


class StampCursor:
    """Where the listing has got to: the last stamp seen, and the ids yielded at it."""

    def __init__(self):
        self.since, self.inclusive, self.seen = None, True, set()

    def query(self, base: Mapping) -> dict:
        if self.since is None:
            return dict(base)
        operator = "gte" if self.inclusive else "gt"
        return {**base, f"where[{STAMP}][{operator}]": self.since}

    def new(self, records) -> list[dict]:
        """The page's records not yielded already (only ties at `since` can have been)."""
        return [r for r in records if _id(r) not in self.seen]

    def advance(self, records):
        """After a page: the next starts at its last stamp, its ties there remembered."""
        # A malformed record (no stamp) is the loader's to report, not the paging's to stop on.
        last = next((stamp for stamp in map(_stamp, reversed(records)) if stamp), None)
        if last is None:
            raise PCOBadResponse(f"a record without {STAMP}: the listing cannot be paged by it")
        if last != self.since:
            self.seen = set()
        self.since, self.inclusive = last, True
        self.seen.update(_id(r) for r in records if _stamp(r) == last)

    def past(self, stamp):
        """After a crowded second paged alone: everything at `stamp` has been yielded."""
        self.since, self.inclusive, self.seen = stamp, False, set()


def crowded_stamp(records, more) -> str | None:
    """The stamp of a full page whose records all share one second (then paged alone)."""
    stamps = {_stamp(r) for r in records} - {None}
    return stamps.pop() if more and len(stamps) == 1 else None


def _stamp(record) -> str | None:
    """The record's created_at as PCO wrote it; None for a malformed record (the loader
    reports it as an issue; paging goes by the well-formed ones)."""
    attributes = record.get("attributes") if isinstance(record, dict) else None
    stamp = attributes.get(STAMP) if isinstance(attributes, dict) else None
    return stamp if isinstance(stamp, str) and stamp else None


def _id(record) -> str | None:
    return str(record.get("id")) if isinstance(record, dict) else None


def iter_by_created_at(client, path: str, params: Mapping, include=(),
                       read_ahead: bool = False) -> Iterator:
    """Every page of the listing at `path` in created_at order (see the module's text);
    pages as PCOClient.iter_pages yields them (`offset` counts the records yielded).
    `read_ahead`: read from both ends at once (both_ends.py), each end stepping on a
    read-ahead thread of its own (pco/prefetch.py); the pages then come in no set order."""
    from .both_ends import both_ends
    from .client import PER_PAGE

    base = {**params, "per_page": PER_PAGE, "order": STAMP}
    if include:
        base["include"] = ",".join(include)
    if read_ahead:
        return client.read_ahead(*both_ends(client, path, base))
    return _stamp_pages(client, path, base)


def _stamp_pages(client, path, base):
    """The listing's pages, one request per page asked for."""

    cursor, total, offset = StampCursor(), None, 0
    query = cursor.query(base)
    while query is not None:
        body = client._expect_document(client.get(path, query), path)
        records, more = as_list(resolve_document(body)), next_link(body) is not None
        total = total if total is not None else total_count(body)
        crowded = crowded_stamp(records, more) if records else None
        fresh = cursor.new(records)
        asked, query = query, _next_query(cursor, base, records, more, crowded)
        if query == asked:  # PCO ignoring the filter would page the same records forever
            raise PCOBadResponse(f"{path} answered the same page for {STAMP} {cursor.since}")
        yield Page(records=fresh, total_count=total, offset=offset)
        offset += len(fresh)
        if crowded is not None:
            for page in _one_second(client, path, base, crowded, cursor, total, offset):
                yield page
                offset += len(page.records)
            cursor.past(crowded)


def _next_query(cursor, base, records, more, crowded):
    """The next page's query (after a crowded second: the one past it, asked for once the
    second is read by offset); None when this page was the last."""
    if not more or not records:
        return None
    cursor.advance(records)
    if crowded is not None:
        return {**base, f"where[{STAMP}][gt]": crowded}
    return cursor.query(base)


def _one_second(client, path, base, stamp, cursor, total, offset):
    """The records created in one second, by offset (one second holds few enough for that)."""
    params = {key: value for key, value in base.items() if key not in ("per_page", "include")}
    params[f"where[{STAMP}]"] = stamp
    include = base["include"].split(",") if base.get("include") else ()
    for page in client.iter_pages(path, params, include=include):
        fresh = cursor.new(page.records)
        cursor.seen.update(_id(r) for r in fresh)
        yield type(page)(records=fresh, total_count=total, offset=offset)
        offset += len(fresh)
