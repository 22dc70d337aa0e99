"""People and Households paged by created_at (pco/stamp_paging.py), never by a deep offset:
against the sandbox, with ties across a page boundary and a second crowded past a page."""
import pytest

from pcosync.pco import client as client_module
from pcosync.pco.client import PCOClient
from tests.support import sandbox_admin


@pytest.mark.parametrize("imported, per_page", [(25, 30), (100, 30)],
                         ids=["ties across a page", "a crowded second"])
def test_everyone_once_and_no_loop(make_sandbox, monkeypatch, imported, per_page):
    monkeypatch.setattr(client_module, "PER_PAGE", per_page)
    server = make_sandbox(people=120, seed=3, SANDBOX_IMPORTED=imported)
    pco = PCOClient("sandbox", "sandbox", server.url)
    try:
        people = [r["id"] for page in pco.iter_people(read_ahead=True) for r in page.records]
        households = [r["id"] for page in pco.iter_households() for r in page.records]
    finally:
        pco.close()
    dump = sandbox_admin(server, "GET", "/dump")
    assert sorted(people) == sorted(str(p["id"]) for p in dump["people"])
    assert len(people) == len(set(people)) == 120
    assert sorted(households) == sorted(str(h["id"]) for h in dump["households"])
    stats = sandbox_admin(server, "GET", "/stats")
    # The crowded second's pages, plus about one page per `per_page` people: no loop.
    assert stats["total"] <= 2 * (120 // per_page + 2) + len(households) // per_page + 4
    assert stats["past_deep_offset"] == 0


def _read(pco, server, listing, read_ahead):
    sandbox_admin(server, "POST", "/stats/reset")
    ids = [r["id"] for page in listing(read_ahead=read_ahead) for r in page.records]
    return ids, sandbox_admin(server, "GET", "/stats")["total"]


@pytest.mark.parametrize("people, imported, per_page", [
    (120, 0, 25), (120, 60, 25), (201, 40, 20), (57, 0, 100), (100, 0, 50), (99, 99, 30)],
    ids=["no crowding", "a crowded second in the middle", "odd pages", "one page",
         "two full pages", "everyone in one second"])
def test_read_from_both_ends_everyone_once_in_no_more_requests(make_sandbox, monkeypatch, people,
                                                               imported, per_page):
    """The Full Sync reads People and Households from both ends at once (pco/both_ends.py):
    the same records as one chain from the oldest, each once, and at most one request more
    (where both ends ask for the meeting page at once)."""
    monkeypatch.setattr(client_module, "PER_PAGE", per_page)
    server = make_sandbox(people=people, seed=5, SANDBOX_IMPORTED=imported)
    pco = PCOClient("sandbox", "sandbox", server.url)
    try:
        for listing in (pco.iter_people, pco.iter_households):
            one_chain, one_chain_requests = _read(pco, server, listing, read_ahead=False)
            both, both_requests = _read(pco, server, listing, read_ahead=True)
            assert len(both) == len(set(both)) == len(one_chain), listing.__name__
            assert set(both) == set(one_chain), listing.__name__
            assert both_requests <= one_chain_requests + 1, listing.__name__
    finally:
        pco.close()
