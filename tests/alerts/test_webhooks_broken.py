"""The webhooks-look-broken rule against the sandbox: a Quick Sync that finds changes no
delivery brought, while subscriptions exist, raises one alert; deliveries flowing raise none."""
import pytest
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Alert, Person, WebhookSubscription
from tests import support
from tests.webhooks.helpers import SECRET

AUTH = ("sandbox", "sandbox")
BROKEN = "[pcosync] Webhooks look broken"


@pytest.fixture
def sandbox_settings():
    return {"people": 20, "seed": 5}


@pytest.fixture
def subscribed(app, sandbox):
    """People pulled, and PCO subscriptions to person events delivering here."""
    app.config["WEBHOOK_GRACE_SECONDS"] = 0  # no delivery is on its way in these tests
    assert support.run("People").status == "COMPLETED"
    assert support.run("Quick Sync").status == "COMPLETED"
    for number, event in enumerate(("created", "updated", "destroyed"), start=1):
        db.session.add(WebhookSubscription(
            pco_id=str(number), name=f"people.v2.events.person.{event}", active=True,
            url="https://sync.church.example/api/pco-webhook", authenticity_secret=SECRET,
            managed=True))
    db.session.commit()


def rename_in_pco(sandbox, first_names):
    ids = db.session.scalars(select(Person.pco_id).order_by(Person.id)
                             .limit(len(first_names))).all()
    for pco_id, name in zip(ids, first_names):
        response = requests.patch(f"{sandbox.url}/people/v2/people/{pco_id}", auth=AUTH,
                                  timeout=10, json={"data": {"type": "Person",
                                                             "attributes": {"first_name": name}}})
        assert response.status_code == 200, response.text


def test_changes_no_delivery_brought_raise_one_alert(app, sandbox, subscribed, inbox):
    rename_in_pco(sandbox, ["Quentin", "Rosalind"])  # no webhook URL: nothing is delivered
    run = support.run("Quick Sync")
    assert run.status == "COMPLETED" and run.updated_count == 2
    assert inbox.subjects == [BROKEN]
    assert "A Quick Sync found 2 people changed in PCO" in inbox.messages[0].get_payload()
    rename_in_pco(sandbox, ["Quincy"])
    assert support.run("Quick Sync").status == "COMPLETED"
    assert inbox.subjects == [BROKEN]  # still open: told once


def test_changes_deliveries_brought_raise_none(app, sandbox, subscribed, inbox, live_app):
    support.send_webhooks_to(sandbox, live_app, SECRET)
    rename_in_pco(sandbox, ["Quentin", "Rosalind"])
    assert support.wait_for_webhooks(sandbox)["idle"]
    support.work_burst(app)
    assert db.session.scalar(select(Person.first_name).where(Person.first_name == "Quentin"))
    assert support.run("Quick Sync").status == "COMPLETED"
    assert inbox.messages == []
    assert db.session.scalar(select(Alert)) is None


def test_quiet_webhooks_alone_raise_nothing(app, sandbox, subscribed, inbox):
    assert support.run("Quick Sync").status == "COMPLETED"
    assert inbox.messages == []
