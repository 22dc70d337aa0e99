"""Sync -> What syncs and `flask pco scope`: choosing lists, the sentence and the headcount, a
confirmation saying how many people a change takes out of the scope, a refused choice."""
from pcosync.extensions import db
from pcosync.services.rules.scope import current_scope
from tests.scope.test_pull_scope import make_list, pco_people
from tests.support import csrf_from, run


def test_the_what_syncs_page_and_command(app, sandbox, admin_client):
    members = pco_people(sandbox, 8)
    made = make_list(sandbox, "Members", members)
    assert run("People").status == "COMPLETED"
    page = admin_client.get("/sync/scope").get_data(as_text=True)
    assert "Members" in page and "Everyone in PCO" in page and "This scope holds 40 people" in page
    sync_page = admin_client.get("/sync/").get_data(as_text=True)
    assert "This scope holds 40 people; " in sync_page
    assert "Push People would add 0 people to PCO" in sync_page

    token = csrf_from(page)
    asked = admin_client.post("/sync/scope", data={"list": made["id"], "csrf_token": token})
    assert asked.status_code == 200 and "32 people leave the scope" in asked.get_data(as_text=True)
    assert current_scope() is None  # nothing saved before the confirmation

    confirmed = {"list": made["id"], "confirm": "1", "csrf_token": token}
    saved = admin_client.post("/sync/scope", data=confirmed,
                              follow_redirects=True).get_data(as_text=True)
    assert "People in the PCO list “Members”" in saved and "32 people leave" in saved
    refused = admin_client.post("/sync/scope", data=dict(confirmed, list="999"),
                                follow_redirects=True).get_data(as_text=True)
    assert "PCO has no list called “999”" in refused
    db.session.expire_all()
    assert [item["name"] for item in current_scope().pull_lists] == ["Members"]

    cli = app.test_cli_runner()
    shown = cli.invoke(args=["pco", "scope", "show"])
    assert "“Members”" in shown.output and "In the scope: 40 people" in shown.output
    assert cli.invoke(args=["pco", "scope", "set", "--list", "Nope"]).exit_code == 1
    reset = cli.invoke(args=["pco", "scope", "set", "--all"])
    assert reset.exit_code == 0 and "Everyone in PCO" in reset.output
    again = cli.invoke(args=["pco", "scope", "set", "--list", "Members", "--yes"])
    assert again.exit_code == 0, again.output
    assert "32 people leave the scope" in again.output
