"""The sandbox's own page lists and runs its demo actions, and shows a person, a household and
a group; the app's "Open in PCO" links lead there when the sandbox is the PCO in use."""
import requests
from markupsafe import escape
from sqlalchemy import select

from pco_sandbox.demo_page import ACTIONS
from pcosync.extensions import db
from pcosync.models import Family, Group, Person
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


def test_open_in_pco_on_a_family_and_a_group_leads_to_the_sandboxs_page(
        make_sandbox, admin_client):
    server = make_sandbox(people=12, seed=3)
    for kind in ("People", "Families", "Groups"):
        support.run(kind)
    family = db.session.scalars(select(Family).where(Family.pco_household_id.is_not(None))).first()
    group = db.session.scalars(select(Group).where(Group.pco_group_id.is_not(None))).first()
    pages = ((f"/directory/families/{family.id}", f"households/{family.pco_household_id}",
              family.name),
             (f"/directory/groups/{group.id}", f"groups/{group.pco_group_id}", group.name))
    for page, sandbox_path, name in pages:
        link = f"{server.url}/sandbox/{sandbox_path}"
        assert f'href="{link}"' in admin_client.get(page).text
        answer = requests.get(link, timeout=10)
        assert answer.status_code == 200 and f"<h1>{escape(name)}</h1>" in answer.text
    assert requests.get(f"{server.url}/sandbox/groups/1", timeout=10).status_code == 404
