"""Retries, backoff, Retry-After and the typed errors (all on a fake clock)."""
import pytest
import requests

from pcosync.pco import (
    PCOAuthError, PCOBadResponse, PCOError, PCONotFound, PCORateLimited, PCOUnavailable,
    PCOValidationError,
)
from tests.pco.helpers import BASE, RATE_HEADERS, error, ok, person, real_body

PEOPLE = f"{BASE}/people/v2/people"
PERSON = {"data": person(1)}


def timed(spec: dict, clock, sent: list) -> dict:
    """The same response spec, noting the fake-clock time each time it is served."""
    body = spec["json"]

    def respond(request, context):
        sent.append(clock.now)
        return body
    return {**spec, "json": respond}


class TestRateLimited:
    def test_429_waits_retry_after_then_succeeds(self, client, clock, requests_mock):
        sent = []
        requests_mock.get(PEOPLE, [timed(error(429, headers={"Retry-After": "7"}), clock, sent),
                                   timed(ok(PERSON), clock, sent)])

        assert client.get("/people/v2/people") == PERSON
        assert clock.sleeps == [pytest.approx(7.0)]
        assert sent[1] - sent[0] >= 7.0

    def test_missing_retry_after_waits_20_seconds(self, client, clock, requests_mock):
        requests_mock.get(PEOPLE, [error(429), ok(PERSON)])
        client.get("/people/v2/people")
        assert clock.sleeps == [pytest.approx(20.0)]

    def test_exhausted_429_raises_rate_limited(self, make_client, clock, requests_mock):
        client = make_client(max_retries=2)
        requests_mock.get(PEOPLE, **error(429, headers={"Retry-After": "3"}))
        with pytest.raises(PCORateLimited) as caught:
            client.get("/people/v2/people")
        assert caught.value.status == 429
        assert requests_mock.call_count == 3
        assert clock.sleeps == [pytest.approx(3.0)] * 2

    def test_a_post_that_got_429_is_retried(self, client, requests_mock):
        requests_mock.post(PEOPLE, [error(429, headers={"Retry-After": "1"}), ok(PERSON, 201)])
        assert client.create_person({"first_name": "Ann"})["id"] == "1"
        assert requests_mock.call_count == 2


class TestServerErrors:
    def test_5xx_is_retried_with_bounded_backoff_then_unavailable(self, make_client, clock,
                                                                  requests_mock):
        client = make_client(max_retries=4, max_backoff=3.0)
        requests_mock.get(PEOPLE, **error(503))
        with pytest.raises(PCOUnavailable) as caught:
            client.get("/people/v2/people")
        assert caught.value.status == 503
        assert requests_mock.call_count == 5
        ceilings = [1.0, 2.0, 3.0, 3.0]  # 1, 2, 4->3, 8->3: capped by max_backoff
        assert len(clock.sleeps) == 4
        for slept, ceiling in zip(clock.sleeps, ceilings):
            assert ceiling / 2 <= slept <= ceiling

    def test_5xx_then_success(self, client, requests_mock):
        requests_mock.get(PEOPLE, [error(502), error(504), ok(PERSON)])
        assert client.get("/people/v2/people") == PERSON

    def test_patch_and_delete_are_retried(self, client, requests_mock):
        requests_mock.patch(f"{PEOPLE}/1", [error(500), ok(PERSON)])
        client.update_person(1, {"first_name": "Ann"})
        requests_mock.delete(f"{PEOPLE}/1", [error(500), {"status_code": 204}])
        client.delete("/people/v2/people/1")
        assert requests_mock.call_count == 4

    def test_a_retried_delete_that_finds_nothing_succeeded(self, client, requests_mock):
        requests_mock.delete(f"{PEOPLE}/1", [error(503), error(404)])
        assert client.delete("/people/v2/people/1") is None

    def test_a_post_that_got_500_is_sent_exactly_once(self, client, clock, requests_mock):
        requests_mock.post(PEOPLE, **error(500))
        with pytest.raises(PCOUnavailable, match="not retried"):
            client.create_person({"first_name": "Ann"})
        assert requests_mock.call_count == 1
        assert clock.sleeps == []


class TestTransportErrors:
    def test_timeouts_are_retried_then_unavailable(self, make_client, requests_mock):
        client = make_client(max_retries=3)
        requests_mock.get(PEOPLE, exc=requests.exceptions.ReadTimeout)
        with pytest.raises(PCOUnavailable, match="ReadTimeout") as caught:
            client.get("/people/v2/people")
        assert caught.value.status is None
        assert requests_mock.call_count == 4

    def test_connection_error_then_success(self, client, requests_mock):
        requests_mock.get(PEOPLE, [{"exc": requests.exceptions.ConnectionError}, ok(PERSON)])
        assert client.get("/people/v2/people") == PERSON

    def test_a_post_that_timed_out_is_not_retried(self, client, requests_mock):
        requests_mock.post(PEOPLE, exc=requests.exceptions.ReadTimeout)
        with pytest.raises(PCOUnavailable, match="may have been applied"):
            client.create_person({"first_name": "Ann"})
        assert requests_mock.call_count == 1

    def test_a_post_whose_connection_never_opened_is_retried(self, client, requests_mock):
        requests_mock.post(PEOPLE, [{"exc": requests.exceptions.ConnectTimeout},
                                    ok(PERSON, 201)])
        assert client.create_person({"first_name": "Ann"})["id"] == "1"

    def test_an_invalid_url_is_unreachable_without_retry(self, client, requests_mock):
        requests_mock.get(PEOPLE, exc=requests.exceptions.InvalidURL)
        with pytest.raises(PCOUnavailable, match="PCO_API_URL"):
            client.get("/people/v2/people")
        assert requests_mock.call_count == 1


class TestTypedErrors:
    @pytest.mark.parametrize("status", [401, 403])
    def test_auth_errors_tell_the_operator_what_to_check(self, client, requests_mock, status):
        requests_mock.get(PEOPLE, **error(status))
        with pytest.raises(PCOAuthError) as caught:
            client.get("/people/v2/people")
        assert "PCO_APP_ID" in str(caught.value) and "PCO_SECRET" in str(caught.value)
        assert caught.value.status == status
        assert requests_mock.call_count == 1

    def test_403_carries_pcos_description(self, client, requests_mock):
        body = {"errors": [{"status": "403", "title": "Forbidden",
                            "meta": {"description": "User with id 7 cannot create a Group."}}]}
        requests_mock.post(f"{BASE}/groups/v2/groups", **error(403, body))
        with pytest.raises(PCOAuthError, match="cannot create a Group"):
            client.post("/groups/v2/groups", {"data": {}})

    def test_404_is_not_found(self, client, requests_mock):
        requests_mock.get(f"{PEOPLE}/1", **error(404, real_body("error_404_not_found.json")))
        with pytest.raises(PCONotFound, match="could not be found") as caught:
            client.get_person(1)
        assert caught.value.status == 404

    def test_422_surfaces_pcos_detail(self, client, requests_mock):
        body = {"errors": [{"status": "422", "title": "Validation Error",
                            "detail": "can't be blank", "source": {"parameter": "person"}}]}
        requests_mock.post(f"{BASE}/groups/v2/groups/1/memberships", **error(422, body))
        with pytest.raises(PCOValidationError) as caught:
            client.create_group_membership(1, 2, "member", None)
        assert "Validation Error: can't be blank (parameter person)" in str(caught.value)
        assert caught.value.status == 422

    def test_the_real_400_body(self, client, requests_mock):
        body = real_body("error_400_post_people_without_data_key.json")
        requests_mock.post(PEOPLE, **error(400, body))
        with pytest.raises(PCOValidationError, match="does not contain a 'data' key"):
            client.post("/people/v2/people", {})

    def test_other_4xx_is_a_plain_pco_error(self, client, requests_mock):
        requests_mock.get(PEOPLE, status_code=405, text="<html>nope</html>")
        with pytest.raises(PCOError) as caught:
            client.get("/people/v2/people")
        assert caught.value.status == 405 and type(caught.value) is PCOError

    def test_truncated_json_is_a_bad_response(self, client, requests_mock):
        requests_mock.get(PEOPLE, text='{"data": [{"type": "Person", "id": "1"',
                          headers=RATE_HEADERS)
        with pytest.raises(PCOBadResponse) as caught:
            client.get("/people/v2/people")
        assert caught.value.status == 200

    def test_a_cut_off_answer_to_a_get_is_asked_again(self, client, requests_mock):
        cut = {"text": '{"data": [{"type": "Person"', "headers": RATE_HEADERS}
        requests_mock.get(PEOPLE, [cut, ok(PERSON)])
        assert client.get("/people/v2/people") == PERSON
        assert requests_mock.call_count == 2

    def test_a_cut_off_answer_to_a_post_is_not_repeated(self, client, requests_mock):
        requests_mock.post(PEOPLE, text='{"data": {"type": "Person"', status_code=201)
        with pytest.raises(PCOBadResponse):
            client.post("/people/v2/people", {"data": {}})
        assert requests_mock.call_count == 1

    @pytest.mark.parametrize("body, value", [
        ('{"data": {"type": "Person", "id": "1", "attributes": {"x": NaN}}}', "nan"),
        ('{"data": {"type": "Person", "id": "1", "attributes": {"x": "\\ud800"}}}', "\ud800"),
    ], ids=["NaN", "a lone surrogate"])
    def test_json_only_pythons_reader_takes_is_read_as_before(
            self, client, requests_mock, body, value):
        requests_mock.get(PEOPLE, text=body, headers=RATE_HEADERS)
        assert str(client.get("/people/v2/people")["data"]["attributes"]["x"]) == value

    def test_json_that_is_not_a_document_is_a_bad_response(self, client, requests_mock):
        requests_mock.get(PEOPLE, json=[1, 2])
        with pytest.raises(PCOBadResponse):
            client.get("/people/v2/people")

    def test_a_write_answered_without_data_is_a_bad_response(self, client, requests_mock):
        requests_mock.post(PEOPLE, status_code=204)
        with pytest.raises(PCOBadResponse):
            client.create_person({"first_name": "Ann"})

    def test_errors_have_a_readable_repr(self):
        err = PCONotFound("gone", 404)
        assert repr(err) == "PCONotFound(status=404, message='gone')"
        assert isinstance(err, PCOError)
