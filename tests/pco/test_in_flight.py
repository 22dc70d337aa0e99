"""Offset listings read with several requests in flight (pco/in_flight.py): every page once,
planned from the first page's total_count, a listing that grew followed past the plan, one
without a count followed by its links, and an error raised where the caller reads, every
thread joined."""
import threading
from contextlib import closing

import pytest

from pcosync.pco import PCOBadResponse
from pcosync.pco.in_flight import read_in_flight
from tests.pco.helpers import BASE

NOTES = f"{BASE}/people/v2/notes"


def note(i):
    return {"type": "Note", "id": str(i), "attributes": {"note": f"note {i}"}}


def listing(count, total, per_page=100):
    """A requests-mock callback answering offset pages of `count` notes, saying `total`."""
    def answer(request, context):
        offset = int(request.qs.get("offset", ["0"])[0])
        body = {"data": [note(i) for i in range(offset, min(offset + per_page, count))],
                "links": {}, "meta": {} if total is None else {"total_count": total}}
        if offset + per_page < count:
            body["links"]["next"] = f"{NOTES}?offset={offset + per_page}&per_page={per_page}"
        context.status_code = 200
        return body
    return answer


def offsets_asked(requests_mock):
    return sorted(int(r.qs.get("offset", ["0"])[0]) for r in requests_mock.request_history)


def read(client, listings):
    pages = read_in_flight(client, [("/people/v2/notes", params, ()) for params in listings])
    return sorted(int(r["id"]) for page in pages for r in page.records)


@pytest.mark.parametrize("count, total", [(0, 0), (100, 100), (250, 250), (1234, 1234)])
def test_every_page_once_planned_from_the_count(client, requests_mock, count, total):
    requests_mock.get(NOTES, json=listing(count, total))
    assert read(client, [{}]) == list(range(count))
    assert offsets_asked(requests_mock) == list(range(0, max(count, 1), 100))


def test_a_listing_that_grew_is_followed_past_the_plan(client, requests_mock):
    requests_mock.get(NOTES, json=listing(420, total=250))  # 170 notes added after page one
    assert read(client, [{}]) == list(range(420))
    assert offsets_asked(requests_mock) == [0, 100, 200, 300, 400]


def test_a_listing_without_a_count_follows_its_links(client, requests_mock):
    requests_mock.get(NOTES, json=listing(330, total=None))
    assert read(client, [{}]) == list(range(330))
    assert offsets_asked(requests_mock) == [0, 100, 200, 300]


def test_several_listings_side_by_side(client, requests_mock):
    requests_mock.get(NOTES, json=listing(310, total=310))
    assert read(client, [{"where[note_category_id]": "1"}, {"where[note_category_id]": "2"}]) \
        == sorted(list(range(310)) * 2)
    assert len(requests_mock.request_history) == 8


def test_an_error_reaches_the_caller_and_every_thread_ends(client, requests_mock):
    def answer(request, context):
        if request.qs.get("offset") == ["300"]:
            context.status_code = 200
            return {"errors": []}  # not a JSON:API document
        return listing(1000, total=1000)(request, context)
    requests_mock.get(NOTES, json=answer)
    with pytest.raises(PCOBadResponse):
        read(client, [{}])
    assert not [t for t in threading.enumerate() if t.name == "pco-prefetch"]


def test_the_tag_groups_tags_are_asked_for_side_by_side(client, monkeypatch):
    """Sync Groups' tags: each tag group's request goes before any answers (one after another,
    the first would wait here alone until the barrier breaks). requests-mock answers one
    request at a time, so the client's GET is stood in for here."""
    both_asked = threading.Barrier(2, timeout=5)

    def get(path, params=None):
        both_asked.wait()
        tag_group = path.split("/")[-2]
        return {"data": [{"type": "Tag", "id": f"{tag_group}1", "attributes": {"name": "Tag"}}],
                "links": {}, "meta": {"total_count": 1}}
    monkeypatch.setattr(client, "get", get)
    with closing(client.iter_tags(["7", "8"])) as pages:
        assert sorted(r["id"] for page in pages for r in page.records) == ["71", "81"]
