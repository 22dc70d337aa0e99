"""The sandbox's own page lists and runs its demo actions, and shows a person; the app's
"Open in PCO" links lead there when the sandbox is the PCO in use."""
import requests
from sqlalchemy import select

from pco_sandbox.demo_page import ACTIONS
from pcosync.extensions import db
from pcosync.models import Person
from tests import support


def test_demo_actions_run_from_the_page_and_open_in_pco_points_at_the_sandbox(
        make_sandbox, admin_client):
    server = make_sandbox(people=12, seed=3)
    page = requests.get(server.url + "/sandbox/", timeout=10).text
    assert all(label in page for label, _ in ACTIONS.values())

    def act(name):
        return requests.post(f"{server.url}/sandbox/demo/{name}", timeout=10)

    assert "1 change made in PCO." in act("edit").text
    assert "25 changes made in PCO." in act("burst").text
    assert "Merged person" in act("merge").text or "No two people" in act("merge").text
    assert "back to its start" in act("reset").text
    assert "(12 now)" in requests.get(server.url + "/sandbox/", timeout=10).text
    assert act("drop-tables").status_code == 404

    support.run("People")
    person = db.session.scalars(select(Person).where(Person.pco_id.is_not(None))).first()
    link = f"{server.url}/sandbox/people/{person.pco_id}"
    assert f'href="{link}"' in admin_client.get(f"/directory/people/{person.id}").text
    assert person.last_name in requests.get(link, timeout=10).text
