"""Push People against the sandbox over HTTP: create, link, field-level PATCH, failures."""
import pytest

from datetime import date

from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person
from pcosync.models.keys import phone_digits
from pcosync.services.rules.state import digest, person_state_from_local
from tests.factories import make_person
from tests.support import dump, fresh, issues, pco_person, reset_stats, run, stats


@pytest.fixture
def sandbox_settings():
    """Forty people: a page of them proves what 150 would (the hard cases are in the first
    pages), at a fraction of the sync work."""
    return {"people": 40}


ELM_STREET = {"street_line_1": "1 Elm St", "city": "Salem", "state": "OR", "zip": "97301"}


def named(server, first_name, last_name):
    return [p for p in dump(server)["people"]
            if (p["first_name"], p["last_name"]) == (first_name, last_name)]


def sandbox_person_with_email(server):
    return next(p for p in dump(server)["people"]
                if p["emails"] and p["first_name"] and p["last_name"] and not p["child"]
                and p["status"] == "active" and p["gender"] != "X")


def test_new_person_is_created_with_contact_points_and_ids_saved(sandbox, recorder):
    ruth = make_person("Ruth", "Push", birthdate=date(1984, 3, 9), middle_name="Ann",
                       emails=["ruth.push@example.org"], phones=["(555) 201-0001"],
                       addresses=[ELM_STREET], membership="Member")
    people_before = dump(sandbox)["counts"]["people"]
    reset_stats(sandbox)

    result = run("Push People")

    assert (result.status, result.created_count, result.failed_count) == ("COMPLETED", 1, 0)
    ruth = fresh(Person, ruth.id)
    assert ruth.pco_id and ruth.pco_synced_at and ruth.pco_updated_at
    assert all(c.pco_id for c in ruth.emails + ruth.phone_numbers + ruth.addresses)
    assert ruth.pco_synced_hash == digest(person_state_from_local(ruth))
    held = pco_person(sandbox, ruth.pco_id)
    assert (held["first_name"], held["middle_name"], held["last_name"], held["birthdate"],
            held["membership"], held["status"]) == ("Ruth", "Ann", "Push", "1984-03-09",
                                                    "Member", "active")
    assert [(e["id"], e["address"], e["primary"]) for e in held["emails"]] == [
        (ruth.emails[0].pco_id, "ruth.push@example.org", True)]
    assert held["phone_numbers"][0]["number"] == "(555) 201-0001"
    assert {k: held["addresses"][0][k] for k in ELM_STREET} == ELM_STREET
    assert dump(sandbox)["counts"]["people"] == people_before + 1
    # 3 look-ups (email, phone, last name + birthdate) + the person + 3 contact points.
    assert stats(sandbox)["by_route"] == {
        "GET /people/v2/people": 3, "POST /people/v2/people": 1,
        "POST /people/v2/people/<id>/emails": 1, "POST /people/v2/people/<id>/phone_numbers": 1,
        "POST /people/v2/people/<id>/addresses": 1}


def test_second_push_makes_no_requests(sandbox):
    make_person("Ruth", "Push", emails=["ruth.push@example.org"], phones=["555-201-0001"])
    make_person("Boaz", "Push", emails=["boaz.push@example.org"])
    assert run("Push People").created_count == 2
    reset_stats(sandbox)

    again = run("Push People")

    assert (again.created_count, again.updated_count, again.skipped_count) == (0, 0, 2)
    assert stats(sandbox)["total"] == 0


def test_one_changed_field_is_one_patch_with_only_that_field(sandbox, recorder):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"], phones=["555-201-0001"])
    run("Push People")
    ruth = fresh(Person, ruth.id)
    ruth.nickname = "Ruthie"
    db.session.commit()
    reset_stats(sandbox)
    del recorder.writes[:]

    result = run("Push People")

    assert (result.updated_count, result.created_count) == (1, 0)
    assert stats(sandbox)["by_route"] == {"PATCH /people/v2/people/<id>": 1}
    [(path, body)] = recorder.matching("PATCH")
    assert path == f"/people/v2/people/{ruth.pco_id}"
    assert body["data"]["attributes"] == {"nickname": "Ruthie"}
    assert pco_person(sandbox, ruth.pco_id)["nickname"] == "Ruthie"


def test_changed_and_removed_contact_points_are_patched_and_deleted(sandbox, recorder):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"],
                       phones=["555-201-0001", "555-201-0002"])
    run("Push People")
    ruth = fresh(Person, ruth.id)
    ruth.emails[0].address = ruth.emails[0].normalized = "ruth.new@example.org"
    removed = ruth.phone_numbers[1].pco_id
    ruth.phone_numbers.remove(ruth.phone_numbers[1])
    db.session.commit()
    reset_stats(sandbox)
    del recorder.writes[:]

    assert run("Push People").updated_count == 1

    assert stats(sandbox)["by_route"] == {"PATCH /people/v2/emails/<id>": 1,
                                          "DELETE /people/v2/phone_numbers/<id>": 1}
    assert recorder.matching("PATCH")[0][1]["data"]["attributes"] == {
        "address": "ruth.new@example.org"}
    held = pco_person(sandbox, ruth.pco_id)
    assert [e["address"] for e in held["emails"]] == ["ruth.new@example.org"]
    assert removed not in [p["id"] for p in held["phone_numbers"]]
    assert run("Push People").skipped_count == 1


def test_person_already_in_pco_by_email_is_linked_not_duplicated(sandbox, recorder):
    existing = sandbox_person_with_email(sandbox)
    email = existing["emails"][0]
    local = make_person(existing["first_name"], existing["last_name"],
                        emails=["  " + email["address"].upper() + " "], phones=["555-303-0303"],
                        birthdate=None, gender="X")
    people_before = dump(sandbox)["counts"]["people"]
    del recorder.writes[:]

    result = run("Push People")

    assert (result.updated_count, result.created_count, result.failed_count) == (1, 0, 0)
    local = fresh(Person, local.id)
    assert local.pco_id == existing["id"]
    assert dump(sandbox)["counts"]["people"] == people_before
    assert [path for path, _ in recorder.matching("POST")] == [
        f"/people/v2/people/{existing['id']}/phone_numbers"]
    # The local email is linked to PCO's; PCO's other data is kept, not blanked.
    linked = [e for e in local.emails if e.pco_id == email["id"]]
    assert len(linked) == 1 and len(local.emails) == len(existing["emails"])
    assert (local.birthdate.isoformat() if local.birthdate else None) == existing["birthdate"]
    [(path, body)] = recorder.matching("PATCH", "/people/v2/people/")
    assert body["data"]["attributes"] == {"gender": "X"}
    held = pco_person(sandbox, existing["id"])
    assert "555-303-0303" in [p["number"] for p in held["phone_numbers"]]
    assert len(held["emails"]) == len(existing["emails"])
    assert run("Push People").updated_count == 0


def test_someone_else_sharing_the_email_is_not_linked(sandbox):
    existing = sandbox_person_with_email(sandbox)
    spouse = make_person("Zebulon", existing["last_name"],
                         emails=[existing["emails"][0]["address"]], birthdate=date(1901, 1, 1))

    result = run("Push People")

    assert result.created_count == 1
    assert fresh(Person, spouse.id).pco_id != existing["id"]


def test_archived_people_are_not_pushed(sandbox):
    from pcosync.models import utcnow

    gone = make_person("Gone", "Push", emails=["gone@example.org"], archived_at=utcnow())
    reset_stats(sandbox)

    result = run("Push People")

    assert (result.status, result.created_count, result.skipped_count) == ("COMPLETED", 0, 0)
    assert result.total_expected == 0
    assert fresh(Person, gone.id).pco_id is None
    assert stats(sandbox)["total"] == 0 and not named(sandbox, "Gone", "Push")


def test_a_failed_record_is_an_issue_and_a_rerun_finishes_the_job(sandbox, recorder):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"], phones=["555-201-0001"])
    boaz = make_person("Boaz", "Push", emails=["boaz.push@example.org"], phones=["555-201-0002"])
    recorder.fail(lambda method, path, body: method == "POST" and path.endswith(
        "/phone_numbers") and phone_digits(body["data"]["attributes"]["number"]) == "5552010001")

    first = run("Push People")

    assert (first.status, first.created_count, first.failed_count) == ("COMPLETED", 1, 1)
    [issue] = issues(first)
    assert issue.local_id == ruth.id and "Ruth Push" in issue.reason and "500" in issue.reason
    ruth = fresh(Person, ruth.id)
    # Linked as far as PCO got, never half-linked: the PCO ids PCO gave are all saved.
    assert ruth.pco_id and ruth.emails[0].pco_id and ruth.phone_numbers[0].pco_id is None
    assert ruth.pco_synced_hash != digest(person_state_from_local(ruth))
    assert fresh(Person, boaz.id).phone_numbers[0].pco_id
    recorder.heal()
    reset_stats(sandbox)

    second = run("Push People")

    assert (second.updated_count, second.skipped_count, second.failed_count) == (1, 1, 0)
    # One look first (the failed POST might have landed), then the one POST still missing.
    assert stats(sandbox)["by_route"] == {"GET /people/v2/people/<id>/phone_numbers": 1,
                                          "POST /people/v2/people/<id>/phone_numbers": 1}
    assert len(named(sandbox, "Ruth", "Push")) == 1
    assert len(pco_person(sandbox, ruth.pco_id)["phone_numbers"]) == 1


def test_a_created_person_whose_answer_was_lost_is_found_not_created_twice(sandbox, recorder):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"])
    recorder.fail(lambda method, path, body: (method, path) == ("POST", "/people/v2/people"),
                  applied=True)

    result = run("Push People")

    assert (result.created_count, result.failed_count) == (1, 0)
    ruth = fresh(Person, ruth.id)
    [held] = named(sandbox, "Ruth", "Push")
    assert ruth.pco_id == held["id"] and ruth.emails[0].pco_id == held["emails"][0]["id"]


def test_a_contact_point_whose_answer_was_lost_is_linked_not_created_twice(sandbox, recorder):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"], phones=["555-201-0001"])
    recorder.fail(lambda method, path, body: method == "POST" and path.endswith(
        "/phone_numbers"), applied=True)
    first = run("Push People")
    assert first.failed_count == 1 and fresh(Person, ruth.id).phone_numbers[0].pco_id is None
    recorder.heal()
    reset_stats(sandbox)

    second = run("Push People")

    assert (second.updated_count, second.failed_count) == (1, 0)
    routes = stats(sandbox)["by_route"]
    assert routes.get("GET /people/v2/people/<id>/phone_numbers") == 1
    assert "POST /people/v2/people/<id>/phone_numbers" not in routes
    ruth = fresh(Person, ruth.id)
    [held] = pco_person(sandbox, ruth.pco_id)["phone_numbers"]
    assert ruth.phone_numbers[0].pco_id == held["id"]
    reset_stats(sandbox)
    assert run("Push People").skipped_count == 1 and stats(sandbox)["total"] == 0


def test_auth_failure_fails_the_run(app, sandbox):
    make_person("Ruth", "Push", emails=["ruth.push@example.org"])
    app.config["PCO_SECRET"] = "wrong"

    result = run("Push People")

    assert result.status == "FAILED" and "credentials" in result.error
    assert db.session.scalar(select(Person.pco_id)) is None
