"""What the token can see: Test Connection names the PCO user the token acts as (PCO's
/people/v2/me) and whether they see every People profile; with a token that cannot, a Full
Sync archives no one and the Sync page says so."""
import pytest
import requests
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Person
from tests.support import csrf_from, dump, run, sandbox_admin

JSON = {"Accept": "application/json"}


@pytest.fixture
def sandbox_settings():
    return {"people": 10, "seed": 11}


def archived():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Person)
                             .where(Person.archived_at.is_not(None)))


def test_a_token_that_cannot_see_everyone_archives_no_one(sandbox, admin_client):
    assert run("People").status == "COMPLETED"
    token = csrf_from(admin_client.get("/sync/").get_data(as_text=True))
    sandbox_admin(sandbox, "POST", "/config", {"token_user_permissions": None})
    tested = admin_client.post("/sync/test-connection", data={"csrf_token": token},
                               headers=JSON).get_json()
    assert "cannot see every People profile" in tested["message"], tested
    gone = dump(sandbox)["people"][-1]["id"]
    requests.delete(f"{sandbox.url}/people/v2/people/{gone}", auth=("sandbox", "sandbox"),
                    timeout=10).raise_for_status()

    assert run("People").status == "COMPLETED"
    assert archived() == 0
    page = admin_client.get("/sync/").get_data(as_text=True)
    assert "cannot see every People profile" in page

    sandbox_admin(sandbox, "POST", "/config", {"token_user_permissions": "Editor"})
    tested = admin_client.post("/sync/test-connection", data={"csrf_token": token},
                               headers=JSON).get_json()
    assert "who can see every People profile" in tested["message"], tested
    assert run("People").status == "COMPLETED"
    assert archived() == 1  # with a token that sees everyone, the one PCO deleted is archived
