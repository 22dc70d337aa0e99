"""A listing paged by created_at (stamp_paging.py), read from both ends at once.

Keyset paging asks for a page only once the page before it has arrived: one request in
flight. The limiter's window slides, so every window of a paced Full Sync goes out as spread
as the first one did, and the run ends that spread after its last window opens; with one
request in flight the spread is the first window's requests one after another (2.7 s of
People pages against the sandbox here; at PCO's answer times, 150 ms or more a page, most
of the window). Read as two chains, one from the oldest (`order=created_at`,
`where[created_at][gte]`) and one from the newest (`order=-created_at`,
`where[created_at][lte]`), the listing has two requests in flight. Each chain is bounded by
where the other has got to, so they stop where they meet:

- a bounded page with no next page: the chain read everything up to the other's position
  as it was when asked, and the other only moves towards it: the listing is read;
- positions crossed (or met at a second one of them read whole): the listing is read;
- when what is left fits LEAVE_PAGES pages, the chain that finds it so stops and leaves it
  to the other (which then runs to a page without a next one): no request is spent twice,
  even when both had a request in flight as they came close.

Once both ends have a page, a listing with more than SPLIT_PAGES pages between them is split
once at the second halfway between their positions: two more chains start there, one towards
each end, so four requests are in flight and two pairs meet (the split itself may cost a
request: the records on each side of it fill their own last page).

A record two chains see (ties, a meeting page) is yielded once. A second crowded past a page
is paged alone by offset, as one chain does, by the first chain to meet it. Pages arrive in
no particular order.
"""
import threading
from datetime import datetime, timedelta, timezone

from .errors import PCOBadResponse
from .jsonapi import resolve_document
from .pages import Page, as_list, next_link, total_count
from .stamp_paging import STAMP, _id, _stamp, crowded_stamp

SPLIT_PAGES = 8  # pages between the two ends above which a listing gets two more chains
# What is left between a pair's ends when one of them stops and leaves it to the other. Each
# end learns what is left from its own answer, bounded by where the other end was when it asked;
# with both ends' requests in flight, the last page asked from both sides at once would be read
# twice: a request spent at each meeting. Left to one end from two pages out, it is not.
LEAVE_PAGES = 2
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # PCO's created_at, in UTC to the second


class End:
    """One chain's position: the last stamp it read (None before its first page) and whether
    every record at that stamp is read (`through`: after a crowded second; for an end that
    starts in the middle, the other pair holds that stamp's records, or those before it)."""

    def __init__(self, ascending: bool, stamp=None, through=False):
        self.ascending, self.stamp, self.through, self.finished = ascending, stamp, through, False
        self.pair = None

    def query(self, base) -> dict:
        other = self.pair.other(self)
        mine, theirs = ("gt", "lt") if self.ascending else ("lt", "gt")
        query = {**base, "order": STAMP if self.ascending else f"-{STAMP}"}
        if self.stamp is not None:
            query[f"where[{STAMP}][{mine}{'' if self.through else 'e'}]"] = self.stamp
        if other.stamp is not None:
            query[f"where[{STAMP}][{theirs}{'' if other.through else 'e'}]"] = other.stamp
        return query

    def reached(self, stamp, through=False):
        self.stamp, self.through = stamp, through


class Pair:
    """Two ends reading towards each other: the records between them are theirs to read."""

    def __init__(self, low: End, high: End):
        self.low, self.high, self.done, self.left = low, high, False, None
        low.pair = high.pair = self

    def other(self, end: End) -> End:
        return self.high if end is self.low else self.low

    def crossed(self) -> bool:
        low, high = self.low, self.high
        if low.stamp is None or high.stamp is None:
            return False
        return low.stamp > high.stamp or (low.stamp == high.stamp and (low.through or high.through))

    def leave_rest(self, end: End, per_page: int) -> bool:
        """True when `end` stops because what is left is at most LEAVE_PAGES pages: the other
        end reads it alone (only while it still goes on: one of them always reads to the
        meeting)."""
        if (self.left is not None and not self.other(end).finished
                and self.left <= LEAVE_PAGES * per_page):
            end.finished = True
        return end.finished


class Listing:
    """What the chains share, under one lock: the pairs, the ids yielded, the split."""

    def __init__(self, per_page: int):
        self.lock = threading.Lock()
        self.first = Pair(End(True), End(False))
        self.per_page, self.yielded, self.offset, self.total = per_page, set(), 0, None
        # The newest end starts once the oldest end's first page tells whether there is more
        # than a page (a listing of one page costs one request, as read by one chain).
        self.started = threading.Event()
        self.decided, self.middle = threading.Event(), None  # the split's two ends, if any
        self.seconds = set()  # crowded seconds paged alone (by whichever end met one first)

    def fresh(self, records) -> tuple[list, int]:
        """The records not yielded yet, and the offset they start at."""
        fresh = [r for r in records if _id(r) not in self.yielded]
        self.yielded.update(_id(r) for r in fresh)
        offset, self.offset = self.offset, self.offset + len(fresh)
        return fresh, offset

    def consider_split(self) -> None:
        """Once both ends have read a page: split a long listing in two pairs, or not."""
        pair = self.first
        if self.decided.is_set() or (not pair.done and None in (
                pair.low.stamp, pair.high.stamp, pair.left)):
            return
        middle = None if pair.done or pair.left <= SPLIT_PAGES * self.per_page else _halfway(
            pair.low.stamp, pair.high.stamp)
        if middle is not None:
            self.middle = (End(False, middle, through=True), End(True, middle))
            Pair(pair.low, self.middle[0])
            Pair(self.middle[1], pair.high)
        self.decided.set()


def both_ends(client, path: str, base: dict) -> list:
    """The listing's chains (two, and two more once split), page generators to read side by
    side (prefetch.read_ahead_all)."""
    from .client import PER_PAGE

    listing = Listing(PER_PAGE)
    return [_chain(client, path, base, listing, lambda: listing.first.low),
            _chain(client, path, base, listing, lambda: listing.first.high, listing.started),
            *(_chain(client, path, base, listing, lambda i=i: listing.middle and listing.middle[i],
                     listing.decided) for i in (0, 1))]


def _chain(client, path, base, listing, end_of, wait_for=None):
    try:
        if wait_for is not None:
            wait_for.wait()
        end = end_of()
        if end:
            yield from _pages(client, path, base, listing, end)
    finally:  # also when an end fails or is closed: no chain waits for ever
        listing.started.set()
        listing.decided.set()


def _pages(client, path, base, listing, end):

    asked = None
    while True:
        with listing.lock:
            if end.pair.done or end.finished or end.pair.leave_rest(end, listing.per_page):
                return
            query = end.query(base)
        if query == asked:  # PCO ignoring the filter would page the same records forever
            raise PCOBadResponse(f"{path} answered the same page for {STAMP} {end.stamp}")
        asked = query
        body = client._expect_document(client.get(path, query), path)
        records, more = as_list(resolve_document(body)), next_link(body) is not None
        with listing.lock:
            count = total_count(body)
            listing.total = listing.total if listing.total is not None else count
            crowded = crowded_stamp(records, more)
            fresh, offset = listing.fresh(records)
            alone = crowded is not None and crowded not in listing.seconds
            if alone:
                listing.seconds.add(crowded)
            if crowded is None:
                _advance(end, records, more, count)
            listing.consider_split()
        listing.started.set()
        yield Page(records=fresh, total_count=listing.total, offset=offset)
        if crowded is not None:
            if alone:  # else another end is paging it: it will have read it all
                yield from _one_second(client, path, base, crowded, listing)
            with listing.lock:
                end.reached(crowded, through=True)
                end.pair.done = end.pair.done or end.pair.crossed()
                listing.consider_split()


def _advance(end, records, more, count):
    """After a page: the chain's new position and what is left between the pair's ends; the
    pair is read when the page was its last (bounded by the other end or not) or they crossed."""
    last = next((stamp for stamp in map(_stamp, reversed(records)) if stamp), None)
    if records and last is None:
        raise PCOBadResponse(f"a record without {STAMP}: the listing cannot be paged by it")
    if last is not None:
        end.reached(last)
    if isinstance(count, int):  # of the records the query was bounded to: at least what is left
        end.pair.left = max(0, count - len(records))
    if not more or not records or end.pair.crossed():
        end.pair.done = True


def _halfway(low: str, high: str) -> str | None:
    """The second halfway between two of PCO's stamps, strictly between them; None when there
    is none, or a stamp is not in PCO's format (then the listing is not split)."""
    try:
        start, stop = (datetime.strptime(stamp, STAMP_FORMAT) for stamp in (low, high))
    except (TypeError, ValueError):
        return None
    middle = (start + timedelta(seconds=(stop - start).total_seconds() // 2)).replace(
        tzinfo=timezone.utc).strftime(STAMP_FORMAT)
    return middle if low < middle < high else None


def _one_second(client, path, base, stamp, listing):
    """The records created in one second, by offset, oldest first."""
    params = {key: value for key, value in base.items() if key not in ("per_page", "include")}
    params.update({"order": STAMP, f"where[{STAMP}]": stamp})
    include = base["include"].split(",") if base.get("include") else ()
    for page in client.iter_pages(path, params, include=include):
        with listing.lock:
            fresh, offset = listing.fresh(page.records)
        yield type(page)(records=fresh, total_count=listing.total, offset=offset)
