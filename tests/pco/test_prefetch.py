"""A listing read ahead (PCOClient.iter_pages(read_ahead=True), pco/prefetch.py): the same pages
in the same order and the same requests, sent from another thread while the caller works, at
most PCO_READ_AHEAD_PAGES pages ahead, an error where the loop would have met it, a body cut off
asked again, and no thread left behind however the loop ends."""
import threading
import time

import pytest

from pcosync.pco import PCONotFound
from pcosync.pco.transport import Transport
from tests.pco.helpers import BASE, error, ok, person

PEOPLE = f"{BASE}/people/v2/people"


def listing(requests_mock, pages=4, answers=None):
    """`pages` pages of one person each, linked by links.next; the sending threads' names."""
    threads = []

    def body(number):
        next_url = f"{PEOPLE}?offset={number + 1}" if number + 1 < pages else None
        return {"data": [person(number)], "links": {"next": next_url} if next_url else {},
                "meta": {"total_count": pages}}

    def answer(request, context):
        threads.append(threading.current_thread().name)
        return body(int(request.qs.get("offset", ["0"])[0]))

    requests_mock.get(PEOPLE, answers or [{"json": answer}])
    return threads


def prefetch_threads():
    return [t for t in threading.enumerate() if t.name.startswith("pco-prefetch")]


def test_the_same_pages_and_requests_sent_from_another_thread(client, requests_mock):
    threads = listing(requests_mock)
    pages = list(client.iter_pages("/people/v2/people", read_ahead=True))
    assert [p.records[0]["id"] for p in pages] == ["0", "1", "2", "3"]
    assert [p.offset for p in pages] == [0, 1, 2, 3]
    assert requests_mock.call_count == 4
    assert all(name.startswith("pco-prefetch") for name in threads)
    assert prefetch_threads() == []


@pytest.mark.parametrize("depth", [1, 3])
def test_at_most_the_setting_s_pages_ahead(make_client, requests_mock, depth):
    client = make_client(read_ahead_pages=depth)
    listing(requests_mock, pages=10)
    ahead = []
    for taken, page in enumerate(client.iter_pages("/people/v2/people", read_ahead=True), 1):
        time.sleep(0.03)  # the caller's work: time enough for many requests, were it unbounded
        ahead.append(requests_mock.call_count - taken)
    assert requests_mock.call_count == 10
    assert max(ahead) == depth  # ahead as far as allowed, and no farther
    assert prefetch_threads() == []


def test_an_error_comes_out_where_the_loop_asks_for_that_page(client, requests_mock):
    answers = [ok({"data": [person(0)], "links": {"next": f"{PEOPLE}?offset=1"}}),
               ok({"data": [person(1)], "links": {"next": f"{PEOPLE}?offset=2"}}),
               error(404)]
    listing(requests_mock, answers=answers)
    seen = []
    with pytest.raises(PCONotFound):
        for page in client.iter_pages("/people/v2/people", read_ahead=True):
            seen.append(page.records[0]["id"])
    assert seen == ["0", "1"]
    assert prefetch_threads() == []


def test_a_body_cut_off_is_asked_again(client, requests_mock):
    answers = [ok({"data": [person(0)], "links": {"next": f"{PEOPLE}?offset=1"}}),
               {"text": '{"data": [{"type": "Person", "id"', "status_code": 200},
               ok({"data": [person(1)], "links": {}})]
    listing(requests_mock, answers=answers)
    pages = list(client.iter_pages("/people/v2/people", read_ahead=True))
    assert [p.records[0]["id"] for p in pages] == ["0", "1"]
    assert requests_mock.call_count == 3


def test_leaving_the_loop_early_joins_the_thread(make_client, requests_mock):
    client = make_client(read_ahead_pages=3)
    listing(requests_mock, pages=10)
    pages = client.iter_pages("/people/v2/people", read_ahead=True)
    started = time.monotonic()
    with pytest.raises(RuntimeError):
        for page in pages:
            time.sleep(0.03)
            if page.offset == 1:
                pages.close()  # as pull_listing's closing() does when a cancel is raised
                raise RuntimeError("cancelled")
    assert prefetch_threads() == []
    assert time.monotonic() - started < 2
    assert requests_mock.call_count <= 2 + 3  # the pages in hand, and at most 3 read ahead


def test_each_thread_has_its_own_http_session():
    transport = Transport("id", "secret", BASE, limiter=None, timeout=1, max_retries=0,
                          max_backoff=0, sleep=time.sleep, clock=time.time)
    other = []
    thread = threading.Thread(target=lambda: other.append(transport.session))
    thread.start()
    thread.join()
    assert transport.session is transport.session and other[0] is not transport.session
    assert other[0].auth == transport.session.auth == ("id", "secret")
    transport.close()
    assert transport._sessions == []


def test_a_started_listing_has_asked_for_its_first_page_and_closes_clean(
        client, requests_mock):
    """Sync People starts its listing before reading the choice lists (prefetch.Started):
    the first page is asked for at once, every page comes once, and closing it without
    reading on leaves no thread behind."""
    from pcosync.pco.prefetch import Started

    threads = listing(requests_mock)
    started = Started(client.iter_pages("/people/v2/people", read_ahead=True))
    assert len(threads) >= 1, "the first page was asked for before the caller iterates"
    assert [p.records[0]["id"] for p in started] == ["0", "1", "2", "3"]
    assert len(threads) == 4

    unread = Started(client.iter_pages("/people/v2/people", read_ahead=True))
    unread.close()
    assert not prefetch_threads()
