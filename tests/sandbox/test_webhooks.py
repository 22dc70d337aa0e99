"""Webhook deliveries: PCO's envelope, signature, payloads, retries — received over HTTP."""
import hashlib
import hmac
import json
import pathlib
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from pco_sandbox.webhooks import sign

SECRET = "whsec-test"
PEOPLE = "/people/v2/people"
VECTOR = pathlib.Path(__file__).with_name("pco_webhook_vector.txt")


class Receiver:
    """A tiny webhook endpoint in its own thread; answers with queued statuses, then 200."""

    def __init__(self):
        self.received = []
        self.statuses = []
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.port}/hook"

    @Request.application
    def _app(self, request):
        self.received.append((dict(request.headers), request.get_data()))
        return Response("ok", status=self.statuses.pop(0) if self.statuses else 200)

    def deliveries(self):
        found = []
        for headers, body in self.received:
            envelope = json.loads(body)["data"][0]
            envelope["payload"] = json.loads(envelope["attributes"]["payload"])
            found.append((headers, body, envelope))
        return found

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver():
    hook = Receiver()
    yield hook
    hook.stop()


@pytest.fixture
def hooked(make_api, receiver):
    api = make_api(SANDBOX_WEBHOOK_URL=receiver.url, SANDBOX_WEBHOOK_SECRET=SECRET,
                   SANDBOX_WEBHOOK_RETRY_DELAYS=(0.05, 0.05, 0.05))
    api.wait = lambda: api.server.runtime.webhooks.wait_idle(5)
    return api


def test_signing_matches_pcos_published_vector():
    body = VECTOR.read_bytes()
    secret = "2608ab74db02d670279278a90585fca300953f0a19fd96529cb61bb92ed39d86"
    expected = "a0782fde663e7ee25a99b9d44f45434120ff027ba98ef333a83a4590fcc97828"
    assert sign(secret, body) == expected
    assert hmac.new(secret.encode(), body, hashlib.sha256).hexdigest() == expected


def test_person_update_is_delivered_and_signed(hooked, receiver):
    person = hooked.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    hooked.patch(f"{PEOPLE}/{person['id']}", {"data": {"attributes": {"nickname": "Max"}}})
    assert hooked.wait()
    [(headers, body, delivery)] = receiver.deliveries()
    assert headers["X-Pco-Webhooks-Authenticity"] == \
        hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Pco-Webhooks-Name"] == "people.v2.events.person.updated"
    assert headers["X-Pco-Webhooks-Event-Id"] == delivery["id"]
    assert delivery["type"] == "EventDelivery"
    assert delivery["attributes"]["attempt"] == 1
    assert delivery["relationships"]["organization"]["data"]["type"] == "Organization"
    payload = delivery["payload"]
    assert payload["data"]["id"] == person["id"]
    assert payload["data"]["attributes"]["nickname"] == "Max"
    assert payload["included"] == []
    assert {"event_time", "idempotency_token", "parent"} <= set(payload["meta"])
    assert hooked.server.store.sent_deliveries[0]["status"] == 200


def test_created_and_destroyed_events(hooked, receiver):
    person = hooked.post(PEOPLE, {"data": {"attributes": {"first_name": "Eve"}}}).json()["data"]
    email = hooked.post(f"{PEOPLE}/{person['id']}/emails", {"data": {"attributes": {
        "address": "eve@example.com"}}}).json()["data"]
    hooked.delete(f"/people/v2/emails/{email['id']}")
    hooked.delete(f"{PEOPLE}/{person['id']}")
    assert hooked.wait()
    deliveries = receiver.deliveries()
    names = [d["attributes"]["name"] for _, _, d in deliveries]
    assert names == ["people.v2.events.person.created", "people.v2.events.email.created",
                     "people.v2.events.email.destroyed", "people.v2.events.person.destroyed"]
    destroyed = deliveries[2][2]["payload"]
    assert destroyed["data"] == {"type": "Email", "id": email["id"], "relationships": {
        "person": {"data": {"type": "Person", "id": person["id"]}}},
        "links": {"self": email["links"]["self"]}}
    assert set(destroyed) == {"data", "meta"} and set(destroyed["meta"]) == {"parent"}


def test_household_and_membership_events(hooked, receiver):
    person = hooked.get(PEOPLE, params={"per_page": 1, "offset": 40}).json()["data"][0]
    hooked.post("/people/v2/households", {"data": {"attributes": {}, "relationships": {
        "people": {"data": [{"type": "Person", "id": person["id"]}]},
        "primary_contact": {"data": {"type": "Person", "id": person["id"]}}}}})
    group = hooked.get("/groups/v2/groups").json()["data"][0]
    hooked.post(f"/groups/v2/groups/{group['id']}/memberships", {"data": {"attributes": {
        "person_id": person["id"]}}})
    assert hooked.wait()
    deliveries = [d for _, _, d in receiver.deliveries()]
    names = {d["attributes"]["name"] for d in deliveries}
    assert {"people.v2.events.household.created", "groups.v2.events.membership.created"} <= names
    household = next(d for d in deliveries if d["attributes"]["name"].endswith("household.created"))
    assert household["payload"]["data"]["relationships"]["people"]["data"] == [
        {"type": "Person", "id": person["id"]}]


def test_failed_delivery_is_retried_with_the_same_id(hooked, receiver):
    receiver.statuses = [500, 503]
    person = hooked.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    hooked.patch(f"{PEOPLE}/{person['id']}", {"data": {"attributes": {"nickname": "Retry"}}})
    assert hooked.wait()
    deliveries = receiver.deliveries()
    assert [d["attributes"]["attempt"] for _, _, d in deliveries] == [1, 2, 3]
    assert len({d["id"] for _, _, d in deliveries}) == 1
    for headers, body, _ in deliveries:
        assert headers["X-Pco-Webhooks-Authenticity"] == sign(SECRET, body)
    assert hooked.admin("GET", "/stats").json()["webhooks"]["retried"] == 2


def test_mutate_sends_webhooks(hooked, receiver):
    changes = hooked.admin("POST", "/mutate", {"count": 5, "seed": 3}).json()["changes"]
    assert len(changes) == 5
    assert hooked.wait()
    assert len(receiver.received) >= 5
    listed = hooked.admin("GET", "/webhooks?wait=1").json()
    assert listed["idle"] and len(listed["deliveries"]) == len(receiver.received)


def test_no_webhooks_without_a_secret(make_api, receiver):
    api = make_api(SANDBOX_WEBHOOK_URL=receiver.url)
    api.admin("POST", "/mutate", {"count": 3})
    assert api.server.runtime.webhooks.wait_idle(2)
    assert receiver.received == []


def test_api_answer_does_not_wait_for_a_slow_receiver(hooked, receiver):
    gate = threading.Event()
    original = receiver._app

    def slow_app(environ, start_response):
        gate.wait(5)
        return original(environ, start_response)
    receiver._server.app = slow_app
    person = hooked.get(PEOPLE, params={"per_page": 1}).json()["data"][0]
    response = hooked.patch(f"{PEOPLE}/{person['id']}", {"data": {"attributes": {
        "nickname": "Quick"}}})
    assert response.status_code == 200 and receiver.received == []
    gate.set()
    assert hooked.wait()
    assert len(receiver.received) == 1
