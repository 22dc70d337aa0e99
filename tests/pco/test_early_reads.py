"""GETs read before a step asks for them (pco/early_reads.py): each answer taken once, an answer
on its way waited for rather than asked again, nothing sent once the step starts, an error left
for the step to meet; and a listing read ahead telling when it is read (prefetch.telling)."""
import threading

import pytest

from pcosync.pco.early_reads import EarlyReads
from pcosync.pco.prefetch import read_ahead_all, telling
from tests.pco.helpers import BASE, error, ok

GROUPS, TAG_GROUPS = "/groups/v2/groups", "/groups/v2/tag_groups"


def page(name):
    return {"data": [{"type": "Group", "id": "1", "attributes": {"name": name}}], "links": {},
            "meta": {"total_count": 1}}


def finished(early):
    """Wait for the early reader to end on its own (not stopped)."""
    early._thread.join(timeout=10)
    assert not early._thread.is_alive()


@pytest.fixture
def early(client):
    reads = EarlyReads(client)
    yield reads
    reads.close()
    client.early = None


def test_an_answer_read_early_is_taken_once_then_asked_again(client, requests_mock, early):
    requests_mock.get(BASE + GROUPS, [ok(page("read early")), ok(page("asked again"))])
    early.start(lambda reading: reading.get(GROUPS, {"per_page": 100}))
    finished(early)
    client.early = early
    early.stop()
    assert client.get(GROUPS, {"per_page": 100})["data"][0]["attributes"]["name"] == "read early"
    assert requests_mock.call_count == 1
    assert client.get(GROUPS, {"per_page": 100})["data"][0]["attributes"]["name"] == "asked again"
    assert requests_mock.call_count == 2


def test_a_get_whose_answer_is_on_its_way_waits_for_it(client, requests_mock, early):
    sent, release = threading.Event(), threading.Event()

    def slow(request, context):
        sent.set()
        release.wait(10)
        return page("on its way")
    requests_mock.get(BASE + GROUPS, [{"json": slow, "headers": ok({})["headers"]}])
    early.start(lambda reading: reading.get(GROUPS))
    assert sent.wait(10)
    client.early = early
    early.stop()  # the step starts while the reader's request is in flight
    threading.Timer(0.05, release.set).start()
    assert client.get(GROUPS)["data"][0]["attributes"]["name"] == "on its way"
    assert requests_mock.call_count == 1


def test_once_the_step_starts_the_reader_sends_nothing_more(client, requests_mock, early):
    requests_mock.get(BASE + GROUPS, [ok(page("groups"))])
    requests_mock.get(BASE + TAG_GROUPS, [ok(page("tag groups"))])
    first_read, go_on = threading.Event(), threading.Event()

    def reader(reading):
        reading.get(GROUPS)
        first_read.set()
        go_on.wait(10)
        reading.get(TAG_GROUPS)  # stopped by now: never sent
    early.start(reader)
    assert first_read.wait(10)
    client.early = early
    early.stop()
    go_on.set()
    finished(early)
    assert [r.path for r in requests_mock.request_history] == [GROUPS]
    assert client.get(GROUPS)["data"][0]["attributes"]["name"] == "groups"
    assert client.get(TAG_GROUPS)["data"][0]["attributes"]["name"] == "tag groups"
    assert [r.path for r in requests_mock.request_history] == [GROUPS, TAG_GROUPS]


def test_an_error_ends_the_reader_quietly_and_the_step_asks_itself(
        client, requests_mock, early):
    requests_mock.get(BASE + GROUPS, [error(404), ok(page("there after all"))])
    early.start(lambda reading: reading.get(GROUPS))
    finished(early)
    client.early = early
    early.stop()
    assert client.get(GROUPS)["data"][0]["attributes"]["name"] == "there after all"
    assert requests_mock.call_count == 2


def test_a_listing_read_ahead_tells_once_when_every_producer_is_done():
    heard = []
    with telling(lambda: heard.append(threading.current_thread().name)):
        pages = read_ahead_all([(i for i in range(3)), (i for i in range(5))], depth=2)
        first = next(pages)  # the producers start on the first page asked for
    assert heard == []  # two pages ahead at most: neither listing can be at its end yet
    assert sorted([first, *pages]) == sorted([*range(3), *range(5)])
    assert heard == ["pco-prefetch"]
    assert list(read_ahead_all([(i for i in range(3))])) == [0, 1, 2] and heard == ["pco-prefetch"]
