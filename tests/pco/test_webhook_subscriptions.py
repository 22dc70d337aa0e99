"""Reading PCO's webhook subscriptions: the path, the Webhooks API version, the schema."""
import pytest
from marshmallow import ValidationError

from pcosync.pco import schemas
from pcosync.pco.transport import API_VERSIONS
from tests.pco.helpers import BASE, ok

SUBSCRIPTIONS = f"{BASE}/webhooks/v2/webhook_subscriptions"


def subscription(pco_id, name="people.v2.events.person.updated", **attributes):
    return {"type": "WebhookSubscription", "id": pco_id, "attributes": {
        "name": name, "url": "https://church.example.org/api/pco-webhook", "active": True,
        "authenticity_secret": f"secret-{pco_id}", "application_id": "9",
        **attributes}}


def test_lists_subscriptions_with_the_webhooks_api_version(client, requests_mock):
    requests_mock.get(SUBSCRIPTIONS, [ok({"data": [subscription("1"), subscription("2")],
                                          "links": {}, "meta": {"total_count": 2}})])
    pages = list(client.iter_webhook_subscriptions())
    assert [r["id"] for r in pages[0].records] == ["1", "2"]
    sent = requests_mock.request_history[0]
    assert sent.headers["X-PCO-API-Version"] == API_VERSIONS["webhooks"]


def test_schema_keeps_name_url_active_and_secret():
    loaded = schemas.load_webhook_subscription(subscription("7", active=False))
    assert loaded == {"pco_id": "7", "name": "people.v2.events.person.updated",
                      "url": "https://church.example.org/api/pco-webhook", "active": False,
                      "authenticity_secret": "secret-7"}


@pytest.mark.parametrize("broken", [{"authenticity_secret": None}, {"authenticity_secret": ""},
                                    {"name": ""}, {"authenticity_secret": "x" * 201}])
def test_a_subscription_without_a_usable_secret_or_name_is_malformed(broken):
    with pytest.raises(ValidationError) as caught:
        schemas.load_webhook_subscription(subscription("7", **broken))
    assert "WebhookSubscription 7" in str(caught.value)
    assert "x" * 50 not in str(caught.value)  # never the value itself
