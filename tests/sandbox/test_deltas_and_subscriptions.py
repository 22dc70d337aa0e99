"""The sandbox as Quick Sync and webhook setup need it, checked against PCO's documented shapes:
where[updated_at] and order=updated_at, person mergers, and webhook subscriptions under both of
PCO's names, each with a secret of its own that signs its deliveries."""
import hashlib
import hmac
import json
import threading
import time

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests import support

AUTH = ("sandbox", "sandbox")
PERSON_EVENT = "people.v2.events.person.updated"
EMAIL_EVENT = "people.v2.events.email.updated"


@pytest.fixture
def server():
    sandbox = support.start_sandbox(80, 3)
    yield sandbox
    support.stop_sandbox(sandbox)


def call(server, method, path, body=None, **params):
    response = requests.request(method, server.url + path, json=body, params=params or None,
                                auth=AUTH, timeout=10)
    return response


def ok(server, method, path, body=None, **params):
    response = call(server, method, path, body, **params)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def attributes(type_, **values):
    return {"data": {"type": type_, "attributes": values}}


def stamps(listing, name="updated_at"):
    return [item["attributes"][name] for item in listing["data"]]


def test_people_and_emails_changed_since_a_moment_come_oldest_first(server):
    people = ok(server, "GET", "/people/v2/people", per_page=3)["data"]
    email = ok(server, "GET", "/people/v2/emails", per_page=1)["data"][0]
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
    for person in reversed(people):
        ok(server, "PATCH", f"/people/v2/people/{person['id']}",
           attributes("Person", nickname=f"N{person['id']}"))
    ok(server, "PATCH", f"/people/v2/emails/{email['id']}",
       attributes("Email", address="moved@example.org"))
    changed = ok(server, "GET", "/people/v2/people", order="updated_at",
                 **{"where[updated_at][gte]": since})
    assert {p["id"] for p in changed["data"]} == {p["id"] for p in people}
    assert stamps(changed) == sorted(stamps(changed))
    emails = ok(server, "GET", "/people/v2/emails", **{"where[updated_at][gt]": since})
    assert [e["id"] for e in emails["data"]] == [email["id"]]
    assert emails["data"][0]["relationships"]["person"]["data"]["type"] == "Person"
    none_after = ok(server, "GET", "/people/v2/people", **{"where[updated_at][lt]": since,
                                                           "where[updated_at][gte]": since})
    assert none_after["data"] == []


def test_addresses_are_ordered_by_updated_at_but_not_queried_by_it_as_in_pco(server):
    newest = ok(server, "GET", "/people/v2/addresses", order="-updated_at", per_page=5)
    assert stamps(newest) == sorted(stamps(newest), reverse=True)
    refused = call(server, "GET", "/people/v2/addresses",
                   **{"where[updated_at][gte]": "2020-01-01T00:00:00Z"})
    assert refused.status_code == 400


def test_several_people_by_id_in_one_request(server):
    ids = [p["id"] for p in ok(server, "GET", "/people/v2/people", per_page=4)["data"]]
    found = ok(server, "GET", "/people/v2/people", include="emails",
               **{"where[id]": ",".join(ids[1:])})
    assert sorted(p["id"] for p in found["data"]) == sorted(ids[1:])


def test_a_merge_moves_contact_points_and_is_listed_as_a_person_merger(server):
    keep, remove = (p["id"] for p in ok(server, "GET", "/people/v2/people", per_page=2,
                                        include="emails")["data"])
    moving = [e["id"] for e in ok(server, "GET", f"/people/v2/people/{remove}/emails")["data"]]
    before = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
    merged = support.sandbox_admin(server, "POST", "/merge", {"keep": keep, "remove": remove})
    assert call(server, "GET", f"/people/v2/people/{remove}").status_code == 404
    kept_emails = ok(server, "GET", f"/people/v2/people/{keep}/emails")["data"]
    assert set(moving) <= {e["id"] for e in kept_emails}
    mergers = ok(server, "GET", "/people/v2/person_mergers", order="created_at",
                 **{"where[created_at][gte]": before})
    [merger] = mergers["data"]
    assert merger["id"] == merged["id"] and merger["type"] == "PersonMerger"
    assert merger["attributes"]["person_to_keep_id"] == keep
    assert merger["relationships"]["person_to_remove"]["data"] == {"type": "Person",
                                                                   "id": remove}
    refused = support.sandbox_admin
    with pytest.raises(requests.HTTPError):
        refused(server, "POST", "/merge", {"keep": keep, "remove": keep})


@pytest.mark.parametrize("collection,type_", [("webhook_subscriptions", "WebhookSubscription"),
                                              ("subscriptions", "Subscription")])
def test_subscriptions_under_both_names_each_with_its_own_secret(server, collection, type_):
    path = f"/webhooks/v2/{collection}"
    made = [ok(server, "POST", path, attributes(type_, name=name, url="https://x.example/hook"))
            for name in (PERSON_EVENT, EMAIL_EVENT)]
    secrets = [m["data"]["attributes"]["authenticity_secret"] for m in made]
    assert made[0]["data"]["type"] == type_ and len(set(secrets)) == 2
    listed = ok(server, "GET", path)["data"]
    assert [s["attributes"]["name"] for s in listed] == [PERSON_EVENT, EMAIL_EVENT]
    first = made[0]["data"]["id"]
    switch_off = {"data": {"type": type_, "id": first, "attributes": {"active": False}}}
    off = ok(server, "PATCH", f"{path}/{first}", switch_off)
    assert off["data"]["attributes"]["active"] is False
    renamed = call(server, "PATCH", f"{path}/{first}", attributes(type_, name=EMAIL_EVENT))
    assert renamed.status_code == 422  # only `active` can change
    rotated = ok(server, "POST", f"{path}/{first}/rotate_secret")
    assert rotated["data"]["attributes"]["authenticity_secret"] not in secrets
    assert call(server, "DELETE", f"{path}/{first}").status_code == 204
    assert call(server, "GET", f"{path}/{first}").status_code == 404
    unknown = attributes(type_, name="people.v2.events.nope", url="https://x.example/hook")
    bad = call(server, "POST", path, unknown)
    assert bad.status_code == 422


def test_a_name_the_sandbox_is_told_not_to_serve_answers_404(server):
    support.sandbox_admin(server, "POST", "/config", {"webhook_paths": ["subscriptions"]})
    assert call(server, "GET", "/webhooks/v2/webhook_subscriptions").status_code == 404
    assert call(server, "GET", "/webhooks/v2/subscriptions").status_code == 200


class Receiver:
    def __init__(self):
        self.received = []
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.port}/hook"

    @Request.application
    def app(self, request):
        self.received.append((request.headers.get("X-PCO-Webhooks-Authenticity"),
                              request.get_data()))
        return Response("ok")


def test_each_delivery_is_signed_with_its_own_subscriptions_secret(server):
    receiver = Receiver()
    try:
        made = {name: ok(server, "POST", "/webhooks/v2/webhook_subscriptions",
                         attributes("WebhookSubscription", name=name, url=receiver.url))["data"]
                for name in (PERSON_EVENT, EMAIL_EVENT)}
        person = ok(server, "GET", "/people/v2/people", per_page=1, include="emails")["data"][0]
        email = person["relationships"]["emails"]["data"][0]["id"]
        ok(server, "PATCH", f"/people/v2/people/{person['id']}",
           attributes("Person", nickname="Signed"))
        ok(server, "PATCH", f"/people/v2/emails/{email}",
           attributes("Email", address="signed@example.org"))
        rotated = ok(server, "POST", "/webhooks/v2/webhook_subscriptions/"
                     f"{made[PERSON_EVENT]['id']}/rotate_secret")["data"]
        ok(server, "PATCH", f"/people/v2/people/{person['id']}",
           attributes("Person", nickname="Rotated"))
        assert server.runtime.webhooks.wait_idle(5)
    finally:
        receiver.server.shutdown()
    secrets = [made[PERSON_EVENT], made[EMAIL_EVENT], rotated]
    names = [PERSON_EVENT, EMAIL_EVENT, PERSON_EVENT]
    assert len(receiver.received) == 3
    for (signature, body), subscription, name in zip(receiver.received, secrets, names):
        secret = subscription["attributes"]["authenticity_secret"]
        assert json.loads(body)["data"][0]["attributes"]["name"] == name
        assert signature == hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
