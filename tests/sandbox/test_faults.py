"""Injected faults: seeded, decided before handling, never on admin routes."""
import json
import time

import pytest

from pco_sandbox.ratelimit import IN_FLIGHT_GRACE

PEOPLE = "/people/v2/people"
NEW_PERSON = {"data": {"type": "Person", "attributes": {"first_name": "Ghost"}}}


def statuses(api, count):
    return [api.get(PEOPLE, params={"per_page": 1}).status_code for _ in range(count)]


def test_failed_write_was_not_applied(make_api):
    api = make_api(SANDBOX_FAULTS={"error_rate": 1.0})
    for _ in range(6):
        response = api.post(PEOPLE, NEW_PERSON)
        assert response.status_code in (500, 502, 503)
    api.admin("POST", "/config", {"faults": {"error_rate": 0.0}})
    body = api.get(PEOPLE, params={"where[first_name]": "Ghost"}).json()
    assert body["meta"]["total_count"] == 0
    assert api.admin("GET", "/stats").json()["faults"]["error"] == 6


def test_error_bodies_look_like_pco(make_api):
    api = make_api(SANDBOX_FAULTS={"error_rate": 1.0, "error_statuses": [503, 502]})
    seen = {}
    for _ in range(12):
        response = api.get(PEOPLE)
        seen[response.status_code] = response
    assert seen[503].json()["errors"][0]["status"] == "503"
    assert seen[502].headers["Content-Type"].startswith("text/html")


def test_faults_are_seeded(make_api):
    faults = {"error_rate": 0.3, "rate_limit_rate": 0.2, "seed": 7}
    first = statuses(make_api(SANDBOX_FAULTS=faults), 30)
    second = statuses(make_api(SANDBOX_FAULTS=faults), 30)
    assert first == second
    assert {200, 429} <= set(first) and len(set(first)) >= 3


def test_fake_rate_limit_has_retry_after_and_costs_no_budget(make_api):
    api = make_api(SANDBOX_RATE_LIMIT=100, SANDBOX_FAULTS={"rate_limit_rate": 1.0,
                                                           "fake_retry_after": 2})
    response = api.get(PEOPLE)
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    assert response.json()["errors"][0]["code"] == "429"
    time.sleep(IN_FLIGHT_GRACE)  # sooner, it may have been on its way already
    api.get(PEOPLE)
    stats = api.admin("GET", "/stats").json()
    assert stats["before_retry_after"] == 1 and stats["over_limit"] == 0
    api.admin("POST", "/config", {"faults": {"fake_retry_after": 0.2}})  # a test's fraction
    assert api.get(PEOPLE).headers["Retry-After"] == "0.2"
    api.admin("POST", "/config", {"faults": {"rate_limit_rate": 0.0}})
    assert api.get(PEOPLE).headers["X-PCO-API-Request-Rate-Count"] == "1"


def test_truncated_body_keeps_status_and_headers(make_api):
    api = make_api(SANDBOX_FAULTS={"truncate_rate": 1.0})
    response = api.get(PEOPLE)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.api+json")
    assert int(response.headers["Content-Length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    write = api.post(PEOPLE, NEW_PERSON)
    assert write.status_code == 201 and write.json()["data"]["id"], "writes are not cut"


def test_latency_and_slow_answers(make_api):
    api = make_api(SANDBOX_FAULTS={"latency": 0.15})
    started = time.monotonic()
    assert api.get(PEOPLE).status_code == 200
    assert time.monotonic() - started >= 0.15
    api.admin("POST", "/config", {"faults": {"latency": 0.0, "slow_rate": 1.0,
                                             "slow_seconds": 0.3}})
    started = time.monotonic()
    api.get(PEOPLE)
    assert time.monotonic() - started >= 0.3


def test_admin_routes_are_never_faulted(make_api):
    api = make_api(SANDBOX_FAULTS={"error_rate": 1.0, "truncate_rate": 0.0})
    for path in ("/stats", "/dump", "/config"):
        response = api.admin("GET", path)
        assert response.status_code == 200 and response.json()


def test_unknown_fault_setting_is_refused(make_api):
    api = make_api()
    response = api.admin("POST", "/config", {"faults": {"eror_rate": 1}})
    assert response.status_code == 400
