"""Two clients sharing one real Redis budget never exceed PCO's limit together."""
import pytest

from pcosync.pco import PCORateLimited
from tests.pco.helpers import BASE

PEOPLE = f"{BASE}/people/v2/people"
LIMIT, PERIOD = 5, 2.0


def serve_people(requests_mock, clock, sent, period_header):
    """Every GET answers 200 with a 5-per-2-s policy and notes its fake-clock send time."""
    def respond(request, context):
        sent.append(clock.now)
        context.headers.update({"X-PCO-API-Request-Rate-Limit": str(LIMIT),
                                "X-PCO-API-Request-Rate-Period": period_header})
        return {"data": []}
    requests_mock.get(PEOPLE, json=respond)


def busiest_window(sent: list[float], period: float) -> int:
    return max(sum(1 for t in sent if start <= t < start + period) for start in sent)


@pytest.mark.parametrize("period_header", ["2", "2 seconds"])
def test_two_clients_never_exceed_the_limit_together(make_client, clock, redis_client,
                                                     requests_mock, period_header):
    sent = []
    serve_people(requests_mock, clock, sent, period_header)
    first = make_client(redis=redis_client)
    second = make_client(redis=redis_client)

    for _ in range(20):
        first.get("/people/v2/people")
        second.get("/people/v2/people")

    assert len(sent) == 40
    assert busiest_window(sent, PERIOD) <= LIMIT
    # ...and still close to the ceiling: 4 per 2.5 s once the policy is learned.
    assert sent[-1] - sent[0] < 40 / 4 * 2.5 + 2.5


def test_clients_with_other_credentials_are_not_held_back(make_client, clock, redis_client,
                                                          requests_mock):
    sent = []
    serve_people(requests_mock, clock, sent, "2")
    first = make_client(app_id="church-a", redis=redis_client)
    other = make_client(app_id="church-b", redis=redis_client)
    for _ in range(5):
        first.get("/people/v2/people")
    clock.sleeps.clear()
    other.get("/people/v2/people")
    assert clock.sleeps == []


def test_a_429_seen_by_one_client_makes_the_other_wait(make_client, clock, redis_client,
                                                       requests_mock):
    sent = []
    first = make_client(redis=redis_client, max_retries=0)
    second = make_client(redis=redis_client)
    requests_mock.get(f"{BASE}/groups/v2/groups", status_code=429,
                      headers={"Retry-After": "9"}, json={"errors": []})
    serve_people(requests_mock, clock, sent, "20")

    with pytest.raises(PCORateLimited):
        first.get("/groups/v2/groups")
    blocked_at = clock.now
    second.get("/people/v2/people")

    assert clock.sleeps == [pytest.approx(9.0)]
    assert sent[0] >= blocked_at + 9.0


def test_without_redis_a_client_paces_itself(make_client, clock, requests_mock):
    sent = []
    serve_people(requests_mock, clock, sent, "2 seconds")
    client = make_client()
    for _ in range(12):
        client.get("/people/v2/people")
    assert busiest_window(sent, PERIOD) <= LIMIT
