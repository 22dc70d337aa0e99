"""Reading a created_at listing from both ends (pco/both_ends.py), driven without threads in
many interleavings against an in-memory listing with PCO's filters: every record once, the
chains stop where they meet, whatever the ties and crowded seconds, and however the two
chains' requests and answers interleave."""
import random
from unittest import mock

import pytest

from pcosync.pco import client as client_module
from pcosync.pco import both_ends as both_ends_module
from pcosync.pco.both_ends import both_ends
from pcosync.pco.client import PCOClient
from pcosync.pco.stamp_paging import _stamp_pages

PATH = "/people/v2/people"
TESTS = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b, "lt": lambda a, b: a < b,
         "lte": lambda a, b: a <= b, "": lambda a, b: a == b}


class MemoryPCO:
    """A listing ordered by created_at (either way, ties in id order), filtered by created_at
    comparisons, paged by offset with links.next: what both_ends asks of PCO."""

    def __init__(self, stamps, per_page):
        self.records = [{"type": "Person", "id": str(1000 + i), "attributes": {"created_at": s}}
                        for i, s in enumerate(stamps)]
        self.per_page, self.requests, self.queries = per_page, 0, []

    def get(self, path, query):
        self.requests += 1
        self.queries.append(query)
        rows = [r for r in self.records if all(
            TESTS[op](r["attributes"]["created_at"], value) for op, value in _clauses(query))]
        rows.sort(key=lambda r: r["id"])
        rows.sort(key=lambda r: r["attributes"]["created_at"],
                  reverse=query.get("order", "").startswith("-"))
        offset = int(query.get("offset") or 0)
        body = {"data": rows[offset:offset + self.per_page], "meta": {"total_count": len(rows)},
                "links": {}}
        if offset + self.per_page < len(rows):
            body["links"]["next"] = f"next?offset={offset + self.per_page}"
        return body

    _expect_document = staticmethod(PCOClient._expect_document)

    def iter_pages(self, path, params, include=()):
        offset = 0
        while True:
            body = self.get(path, {**params, "offset": offset})
            yield client_module.Page(records=body["data"], total_count=None, offset=offset)
            if "next" not in body["links"]:
                return
            offset += self.per_page


def _clauses(query):
    for key, value in query.items():
        if key.startswith("where[created_at]"):
            yield key[len("where[created_at]"):].strip("[]"), value


def read_interleaved(pco, rng):
    """The chains' pages, the next one asked of a chain picked at random each time, among
    those not waiting (the newest end waits for the oldest's first page, the middle ones for
    the split: in a thread of their own they would wait; here they are not picked yet)."""
    listings = []

    class Seen(both_ends_module.Listing):
        def __init__(self, *args):
            super().__init__(*args)
            listings.append(self)

    with mock.patch.object(both_ends_module, "Listing", Seen):
        chains = both_ends(pco, PATH, {"per_page": pco.per_page})
    listing, ids = listings[0], []
    waits_for = dict(zip(chains, [None, listing.started, listing.decided, listing.decided]))
    while chains:
        ready = [chain for chain in chains if waits_for[chain] is None
                 or waits_for[chain].is_set()]
        chain = rng.choice(ready)
        try:
            ids += [r["id"] for r in next(chain).records]
        except StopIteration:
            chains.remove(chain)
    return ids


@pytest.mark.parametrize("seed", range(200))
def test_every_record_once_in_any_interleaving(monkeypatch, seed):
    rng = random.Random(seed)
    per_page = rng.choice([2, 3, 5, 10])
    monkeypatch.setattr(client_module, "PER_PAGE", per_page)
    # Few distinct seconds: ties everywhere, some seconds crowded past a page.
    stamps = [f"2024-01-01T00:00:{rng.randrange(rng.choice([3, 8, 30])):02d}Z"
              for _ in range(rng.randrange(0, 60))]
    pco = MemoryPCO(stamps, per_page)
    ids = read_interleaved(pco, rng)
    assert sorted(ids) == sorted(r["id"] for r in pco.records)
    # The chains meet rather than each read it all: what one chain asks, and at most a
    # request more where each pair meets and per crowded second (met from both sides).
    one_chain = MemoryPCO(stamps, per_page)
    assert [r["id"] for page in _stamp_pages(one_chain, PATH, {"per_page": per_page})
            for r in page.records] == [r["id"] for r in sorted(pco.records, key=_key)]
    crowded = sum(1 for stamp in set(stamps) if stamps.count(stamp) >= per_page)
    assert pco.requests <= one_chain.requests + 2 + crowded


def test_a_long_listing_is_split_in_two_pairs(monkeypatch):
    """More than SPLIT_PAGES pages between the ends: two more chains start halfway, one
    towards each end (four requests in flight), and still every record once."""
    monkeypatch.setattr(client_module, "PER_PAGE", 3)
    stamps = [f"2024-01-01T00:{minute:02d}:00Z" for minute in range(60)]
    pco = MemoryPCO(stamps, per_page=3)
    ids = read_interleaved(pco, random.Random(1))
    assert sorted(ids) == sorted(r["id"] for r in pco.records)
    # Every record is on a whole minute; the second halfway between the ends' positions is
    # not (the ends' first pages reach 00:0x and 00:5x): chains started from there.
    assert [value for query in pco.queries for key, value in query.items()
            if key.startswith("where") and not value.endswith(":00Z")]
    one_chain = MemoryPCO(stamps, per_page=3)
    list(_stamp_pages(one_chain, PATH, {"per_page": 3}))
    assert pco.requests <= one_chain.requests + 2


def _key(record):
    return record["attributes"]["created_at"], record["id"]


class InFlightPCO(MemoryPCO):
    """Both ends' requests in flight at once: a request is answered only after the other end
    has asked for its next page and had it (so each asked with where the other was before)."""

    def __init__(self, stamps, per_page):
        super().__init__(stamps, per_page)
        self.meanwhile = None  # the other end's next step, run while this request is out

    def get(self, path, query):
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile is not None:
            meanwhile()
        return super().get(path, query)


@pytest.mark.parametrize("records", range(7, 40))
def test_ends_in_flight_together_spend_no_request_where_they_meet(monkeypatch, records):
    monkeypatch.setattr(client_module, "PER_PAGE", 3)
    monkeypatch.setattr(both_ends_module, "SPLIT_PAGES", 1000)  # one pair: two ends
    stamps = [f"2024-01-01T00:{minute:02d}:00Z" for minute in range(records)]
    pco, ids = InFlightPCO(stamps, per_page=3), []
    low, high = both_ends(pco, PATH, {"per_page": 3})[:2]
    running = [low, high]

    def step(chain):
        if chain in running:
            try:
                ids.extend(r["id"] for r in next(chain).records)
            except StopIteration:
                running.remove(chain)

    step(low)  # the newest end starts once the oldest's first page is in
    while running:
        for driven, other in ((low, high), (high, low)):
            pco.meanwhile = lambda other=other: step(other)
            step(driven)
    assert sorted(ids) == sorted(r["id"] for r in pco.records)
    one_chain = MemoryPCO(stamps, per_page=3)
    list(_stamp_pages(one_chain, PATH, {"per_page": 3}))
    assert pco.requests <= one_chain.requests
