"""An edit of custom fields in PCO arrives by webhook (field_datum.created, updated and
destroyed), processed by the real worker without a request to PCO; a definition PCO adds or
deletes arrives by field_definition webhooks."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import FieldDefinition, WebhookDelivery
from tests.push.test_custom_fields_round_trip import local_values, pco_values
from tests.support import (
    dump, reset_stats, run, sandbox_admin, send_webhooks_to, stats, wait_for_webhooks, work_burst,
)
from tests.webhooks.helpers import SECRET


@pytest.fixture
def sandbox_settings():
    return {"people": 30}


def deliver(app, sandbox):
    assert wait_for_webhooks(sandbox)["idle"]
    work_burst(app)
    statuses = db.session.scalars(select(WebhookDelivery.status)).all()
    assert statuses and set(statuses) == {"processed"}, statuses


def test_edits_in_pco_arrive_by_webhook_without_a_request(app, sandbox, live_app):
    run("People")
    pco_id = next(p["id"] for p in dump(sandbox)["people"] if len(p["custom_fields"]) >= 2)
    send_webhooks_to(sandbox, live_app, SECRET)
    for field, value in (("Baptism date", "2012-09-30"), ("Years serving", "4"),
                         ("Serving interests", ["Prayer team", "Outreach", "Hospitality"]),
                         ("Membership notes", None)):
        sandbox_admin(sandbox, "POST", "/field_data", {"person_id": pco_id, "field": field,
                                                       "value": value})
    assert wait_for_webhooks(sandbox)["idle"]
    reset_stats(sandbox)

    deliver(app, sandbox)

    assert stats(sandbox)["total"] == 0  # applied from the payloads
    assert local_values(pco_id) == pco_values(sandbox, pco_id)


def test_a_definition_added_or_deleted_in_pco_arrives_by_webhook(app, sandbox, live_app):
    run("People")
    send_webhooks_to(sandbox, live_app, SECRET)
    added = sandbox_admin(sandbox, "POST", "/field_definitions", {
        "tab": "Serving", "name": "Favourite hymn", "data_type": "select",
        "options": ["Amazing Grace", "Be Thou My Vision"]})
    gone = next(d for d in dump(sandbox)["field_definitions"] if d["name"] == "Years serving")
    sandbox_admin(sandbox, "DELETE", f"/field_definitions/{gone['id']}")

    deliver(app, sandbox)

    found = {d.name: d for d in db.session.scalars(select(FieldDefinition))}
    hymn = found["Favourite hymn"]
    assert hymn.pco_field_definition_id == str(added["id"]) and hymn.sync == "pull"
    assert [o.value for o in hymn.options] == ["Amazing Grace", "Be Thou My Vision"]
    assert found["Years serving"].deleted_at is not None
