"""The PCO secret never shows up in errors, reprs or log lines."""
import base64
import logging

import pytest
import requests

from pcosync.pco import PCOClient, PCOError
from tests.pco.helpers import BASE, error, ok

CANARY = "canary-secret-7f3a9b"
APP_ID = "canary-app"
PEOPLE = f"{BASE}/people/v2/people"
BASIC = base64.b64encode(f"{APP_ID}:{CANARY}".encode()).decode()

FAILURES = [
    ("get", {"status_code": 401, "json": {"errors": [{"detail": "bad token"}]}}),
    ("get", {"status_code": 403, "json": {"errors": []}}),
    ("get", {"status_code": 404, "json": {"errors": []}}),
    ("get", {"status_code": 422, "json": {"errors": [{"detail": "nope"}]}}),
    ("get", {"status_code": 400, "text": "not json"}),
    ("get", {"status_code": 429, "headers": {"Retry-After": "1"}, "json": {}}),
    ("get", {"status_code": 503, "text": ""}),
    ("get", {"exc": requests.exceptions.ReadTimeout(f"timed out, auth={CANARY}")}),
    ("get", {"exc": requests.exceptions.ConnectionError(f"refused {BASIC}")}),
    ("get", {"status_code": 200, "text": '{"data": '}),
    ("post", {"status_code": 500, "text": ""}),
    ("post", {"exc": requests.exceptions.ReadTimeout(CANARY)}),
]


@pytest.mark.parametrize("method,response", FAILURES)
def test_no_error_or_log_line_carries_the_secret(make_client, requests_mock, caplog,
                                                 method, response):
    caplog.set_level(logging.DEBUG)
    client = make_client(app_id=APP_ID, secret=CANARY, max_retries=1)
    getattr(requests_mock, method)(PEOPLE, **response)

    with pytest.raises(PCOError) as caught:
        if method == "get":
            client.get("/people/v2/people")
        else:
            client.create_person({"first_name": "Ann"})

    shown = [str(caught.value), repr(caught.value), repr(client), caplog.text,
             repr(caught.value.__cause__), repr(caught.value.__context__)]
    for text in shown:
        assert CANARY not in text and BASIC not in text
    assert requests_mock.last_request.headers["Authorization"] == f"Basic {BASIC}"


def test_successful_requests_log_method_path_status_not_headers(make_client, requests_mock,
                                                                caplog):
    caplog.set_level(logging.DEBUG, logger="pcosync.pco")
    client = make_client(app_id=APP_ID, secret=CANARY)
    requests_mock.get(PEOPLE, **ok({"data": []}))
    client.find_people_by_email("private@example.org")
    record = next(r for r in caplog.records if r.name == "pcosync.pco")
    assert "method=GET path=/people/v2/people status=200 waited=0.00s" in record.getMessage()
    assert record.pco_status == 200
    assert "private@example.org" not in caplog.text  # query strings are not logged
    assert CANARY not in caplog.text and "Authorization" not in caplog.text


def test_missing_secret_message_names_the_settings_only():
    with pytest.raises(PCOError) as caught:
        PCOClient(APP_ID, "")
    assert "PCO_SECRET" in str(caught.value)


def test_retry_warnings_are_logged(make_client, requests_mock, caplog):
    caplog.set_level(logging.WARNING, logger="pcosync.pco")
    client = make_client(app_id=APP_ID, secret=CANARY)
    requests_mock.get(PEOPLE, [error(503), ok({"data": []})])
    client.get("/people/v2/people")
    assert "pco retry method=GET path=/people/v2/people status=503 attempt=1" in caplog.text
