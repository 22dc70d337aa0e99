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
