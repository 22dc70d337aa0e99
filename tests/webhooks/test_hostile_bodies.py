"""Correctly signed bodies that are not what PCO sends are refused with 400 (and logged), not
answered 500, which PCO would retry for days: not UTF-8, nested deeper than Python parses, and
deliveries for another organization than the connected one, which are never applied."""
import json

import pytest
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import WebhookDelivery
from pcosync.services.connection import organization

from .helpers import VECTOR, envelope, post, queued_jobs

DEEP = 100_000


def recorded():
    return db.session.scalar(select(func.count()).select_from(WebhookDelivery))


def assert_refused(app, client, body, caplog, reason):
    answer = post(client, body)
    assert answer.status_code == 400, answer.get_data(as_text=True)[:300]
    assert reason in answer.get_json()["error"]
    assert recorded() == 0 and queued_jobs(app) == 0
    assert "webhook refused status=400" in caplog.text


@pytest.mark.parametrize("body", [
    b"[" * DEEP + b"]" * DEEP,
    b'{"data": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    b'{"data": [{"id": "1", "type": "EventDelivery", "attributes": ' + b'{"a": ' * DEEP
    + b"1" + b"}" * DEEP + b"}]}",
], ids=["deep array", "deep data", "deep attributes"])
def test_a_body_nested_deeper_than_python_parses_is_refused(app, client, body, caplog):
    assert_refused(app, client, body, caplog, "not UTF-8 JSON")


def test_a_payload_nested_too_deep_is_refused(app, client, caplog):
    body = json.loads(envelope())
    body["data"][0]["attributes"]["payload"] = "[" * DEEP + "]" * DEEP
    assert_refused(app, client, json.dumps(body).encode(), caplog, "payload is not valid JSON")


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-16"),
    lambda text: text.encode("utf-32-le"),
    lambda text: text.replace("person.updated", "person.updat\u00e9").encode("latin-1"),
], ids=["utf-16", "utf-32", "latin-1"])
def test_a_body_that_is_not_utf8_is_refused(app, client, encode, caplog):
    assert_refused(app, client, encode(envelope().decode()), caplog, "not UTF-8 JSON")


@pytest.mark.parametrize("fields", [{"event": "people.v2.events.person\u0000.updated"},
                                    {"delivery_id": "id\u0000x"}], ids=["event", "id"])
def test_a_nul_character_in_a_name_is_refused_not_a_500(app, client, fields, caplog):
    assert_refused(app, client, envelope(**fields), caplog, "not a PCO EventDelivery")


def with_organization(organization_id):
    body = json.loads(envelope())
    body["data"][0]["relationships"] = {"organization": {"data": {
        "type": "Organization", "id": organization_id}}} if organization_id else {}
    return json.dumps(body).encode()


def test_a_delivery_for_another_organization_is_refused(app, client, caplog):
    organization.remember({"pco_id": "127", "name": "Grace"})
    assert_refused(app, client, with_organization("999"), caplog,
                   "for organization 999, not 127")
    assert_refused(app, client, with_organization(None), caplog, "names no organization")
    assert post(client, with_organization("127")).status_code == 200


def test_the_setting_pins_the_organization(app, client, caplog):
    app.config["PCO_ORGANIZATION_ID"] = "127"
    organization.remember({"pco_id": "999", "name": "Another church"})
    assert_refused(app, client, with_organization("999"), caplog, "not 127")


def test_until_the_organization_is_known_a_signed_delivery_is_accepted(app, client):
    assert post(client, with_organization("999")).status_code == 200


def test_test_connection_records_the_organization(app, client, requests_mock):
    from pcosync.services.connection import test_connection, token_user

    requests_mock.get(app.config["PCO_API_URL"] + "/people/v2", json={"data": {
        "type": "Organization", "id": "127", "attributes": {"name": "Grace"}}})
    no_access = {"name": "Ann", "people_permissions": None, "site_administrator": False}
    requests_mock.get(app.config["PCO_API_URL"] + "/people/v2/me", json={"data": {
        "type": "Person", "id": "1", "attributes": no_access}})
    assert test_connection(app) == "Grace"
    assert not token_user.may_archive()  # no People access: it cannot see everyone
    assert organization.connected_id(app.config) == "127"
    app.config["PCO_WEBHOOK_SECRET"] = VECTOR["secret"]
    assert post(client, VECTOR["body"].encode(), VECTOR["digest"]).status_code == 200
