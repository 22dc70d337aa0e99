"""The whole person, pushed: each profile field edited here goes to PCO alone (choices by id), PCO
then holds it and the next pull is Skipped with zero writes; values PCO lacks are created there
(or reported); archive here = inactive in PCO, restore = active; the echo is Skipped."""
import json
from datetime import date

import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import SYNCED_PERSON_FIELDS, Campus, Person, ProfileChoice
from pcosync.services.connection import make_client
from pcosync.services.directory.people import archive_person, restore_person
from pcosync.services.rules.state import digest
from pcosync.services.webhooks.handlers.people import person_changed
from tests.factories import make_person
from tests.profile_support import (
    CHOICES, api, campus_id, first_adult, list_ids, pco_profile, set_every_field,
)
from tests.push.test_full_push import EchoLog
from tests.support import fresh, issues, reset_stats, run, stats

PEOPLE = 30  # a page of people is enough to push one field and pull everyone back


@pytest.fixture
def sandbox_settings():
    return {"people": PEOPLE}


# (local field, value set here, the profile key PCO's side is read by, PCO's value)
ROUND_TRIPS = [
    ("given_name", "Guillermo", "given_name", "Guillermo"),
    ("anniversary", date(1999, 9, 9), "anniversary", "1999-09-09"),
    ("grade", 5, "grade", 5),
    ("graduation_year", 2033, "graduation_year", 2033),
    ("medical_notes", "Bee sting allergy", "medical_notes", "Bee sting allergy"),
    ("marital_status", "Widowed", "marital_status", "Widowed"),
    ("name_prefix", "Dr.", "name_prefix", "Dr."),
    ("name_suffix", "III", "name_suffix", "III"),
    ("school", "Jefferson High School", "school", "Jefferson High School"),
    ("inactive_reason", "Deceased", "inactive_reason", "Deceased"),
    ("campus_id", "Main Campus", "campus", "Main Campus"),
]
# How each choice is written: an attribute holding the id, or a relationship.
WRITTEN_AS_ATTRIBUTE = {"marital_status": "marital_status_id", "campus": "primary_campus_id"}


def pulled_person_with_every_field(sandbox):
    pco_id = first_adult(sandbox)
    set_every_field(sandbox, pco_id)
    assert run("People").failed_count == 0
    return db.session.scalar(select(Person).where(Person.pco_id == pco_id))


def expected_patch(sandbox, key, value):
    """(attributes, relationships) the PATCH must hold for one changed field."""
    if key not in CHOICES:
        return {key: value}, None
    pco_id = list_ids(sandbox, CHOICES[key][1])[value]
    if key in WRITTEN_AS_ATTRIBUTE:
        return {WRITTEN_AS_ATTRIBUTE[key]: pco_id}, None
    relationship, _, _, type_ = CHOICES[key]
    return {}, {relationship: {"data": {"type": type_, "id": pco_id}}}


def assert_pull_is_skipped_with_zero_writes(sandbox, person_id):
    before = fresh(Person, person_id).updated_at
    reset_stats(sandbox)
    pulled = run("People")
    assert (pulled.created_count, pulled.updated_count, pulled.failed_count) == (0, 0, 0)
    assert all(route.startswith("GET ") for route in stats(sandbox)["by_route"])
    assert fresh(Person, person_id).updated_at == before


@pytest.mark.parametrize("field, value, key, in_pco", ROUND_TRIPS,
                         ids=[trip[0] for trip in ROUND_TRIPS])
def test_a_field_edited_here_is_pushed_alone_and_comes_back_skipped(
        sandbox, recorder, field, value, key, in_pco):
    person = pulled_person_with_every_field(sandbox)
    setattr(person, field, campus_id(value) if field == "campus_id" else value)
    db.session.commit()
    recorder.writes.clear()

    pushed = run("Push People")

    assert (pushed.updated_count, pushed.failed_count) == (1, 0)
    [(method, path, body)] = recorder.writes  # one request: the PATCH of that field alone
    attributes, relationships = expected_patch(sandbox, key, in_pco)
    assert (method, path) == ("PATCH", f"/people/v2/people/{person.pco_id}")
    assert body["data"]["attributes"] == attributes
    assert body["data"].get("relationships") == relationships
    assert pco_profile(sandbox, person.pco_id)[key] == in_pco
    assert_pull_is_skipped_with_zero_writes(sandbox, person.id)
    reset_stats(sandbox)
    assert run("Push People").updated_count == 0 and stats(sandbox)["total"] == 0


def test_a_value_pco_lacks_is_created_there_then_named_by_id(sandbox, recorder):
    person = pulled_person_with_every_field(sandbox)
    person.marital_status = "Engaged"
    person.campus = Campus(name="East Campus")
    db.session.commit()
    recorder.writes.clear()

    assert run("Push People").failed_count == 0

    posts = [(path, body["data"]["attributes"]) for path, body in recorder.matching("POST")]
    assert posts == [("/people/v2/marital_statuses", {"value": "Engaged"}),
                     ("/people/v2/campuses", {"name": "East Campus"})]
    engaged = list_ids(sandbox, "marital_statuses")["Engaged"]
    east = list_ids(sandbox, "campuses")["East Campus"]
    assert db.session.scalar(select(ProfileChoice.pco_id).where(
        ProfileChoice.value == "Engaged")) == engaged
    assert fresh(Person, person.id).campus.pco_campus_id == east
    profile = pco_profile(sandbox, person.pco_id)
    assert (profile["marital_status"], profile["campus"]) == ("Engaged", "East Campus")
    assert_pull_is_skipped_with_zero_writes(sandbox, person.id)


class RefuseNewSuffixes:
    """PCO refusing to create a list option (a permission it does not give this token)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        request = (environ["REQUEST_METHOD"], environ["PATH_INFO"])
        if request == ("POST", "/people/v2/name_suffixes"):
            start_response("403 FORBIDDEN", [("Content-Type", "application/json")])
            return [json.dumps({"errors": [{"status": "403", "title": "Forbidden"}]}).encode()]
        return self.app(environ, start_response)


def test_a_value_pco_refuses_to_create_is_a_sync_issue_and_kept_here(sandbox):
    person = pulled_person_with_every_field(sandbox)
    person.name_suffix, person.given_name = "Esq.", "Guillermo"
    db.session.commit()
    sandbox.app.wsgi_app = RefuseNewSuffixes(sandbox.app.wsgi_app)

    pushed = run("Push People")

    assert pushed.status == "COMPLETED" and pushed.failed_count == 1
    [issue] = issues(pushed)
    assert "name suffix 'Esq.'" in issue.reason and issue.local_id == person.id
    person = fresh(Person, person.id)
    assert person.name_suffix == "Esq." and person.given_name == "Guillermo"
    assert pco_profile(sandbox, person.pco_id)["name_suffix"] == "Jr."


def test_archive_here_is_inactive_in_pco_with_the_reason_and_restore_is_active(
        app, sandbox, recorder):
    run("People")
    person = db.session.scalar(select(Person).where(Person.pco_id == first_adult(sandbox)))
    archive_person(person, "Attends another church")

    assert run("Push People").updated_count == 1
    [(_, body)] = recorder.matching("PATCH")
    reason = list_ids(sandbox, "inactive_reasons")["Attends another church"]
    assert body["data"]["attributes"] == {"status": "inactive"}
    assert body["data"]["relationships"] == {
        "inactive_reason": {"data": {"type": "InactiveReason", "id": reason}}}
    profile = pco_profile(sandbox, person.pco_id)
    assert (profile["status"], profile["inactive_reason"]) == ("inactive", "Attends another church")
    person = fresh(Person, person.id)
    assert person.archived_at and person.inactivated_at  # PCO's time, kept as PCO answered
    assert echo_outcome(app, person.pco_id) == "skipped"
    assert_pull_is_skipped_with_zero_writes(sandbox, person.id)
    assert fresh(Person, person.id).archived_at is not None

    restore_person(fresh(Person, person.id))
    assert run("Push People").updated_count == 1
    profile = pco_profile(sandbox, person.pco_id)
    assert (profile["status"], profile["inactive_reason"], profile["inactivated_at"]) == (
        "active", None, None)
    assert echo_outcome(app, person.pco_id) == "skipped"
    assert_pull_is_skipped_with_zero_writes(sandbox, person.id)


def echo_outcome(app, pco_id):
    """What the person.updated webhook of our own push does (its payload is PCO's person)."""
    client = make_client()
    try:
        payload = client.get(f"/people/v2/people/{pco_id}")
        return person_changed(client, payload, EchoLog())
    finally:
        client.close()


def test_reactivated_in_pco_comes_back_to_the_directory(sandbox):
    run("People")
    person = db.session.scalar(select(Person).where(Person.pco_id == first_adult(sandbox)))
    archive_person(person)
    run("Push People")
    api(sandbox, "PATCH", f"/people/v2/people/{person.pco_id}",
        {"data": {"type": "Person", "attributes": {"status": "active"}}})

    assert run("People").updated_count == 1
    person = fresh(Person, person.id)
    assert (person.archived_at, person.status) == (None, "active")


def test_archived_people_pco_never_had_are_not_created_and_unchanged_ones_cost_nothing(
        sandbox):
    run("People")
    local = make_person("Only", "Here", emails=["only.here@example.org"])
    archive_person(local)
    gone = db.session.scalar(select(Person).where(Person.pco_id.is_not(None)).limit(1))
    gone.archived_at = gone.updated_at  # a tombstone: PCO deleted them
    db.session.commit()
    reset_stats(sandbox)

    pushed = run("Push People")

    assert (pushed.created_count, pushed.updated_count, pushed.failed_count) == (0, 0, 0)
    assert stats(sandbox)["total"] == 0
    assert fresh(Person, local.id).pco_id is None


def test_a_new_person_goes_with_every_field_and_comes_back_skipped(sandbox, recorder):
    run("People")
    ruth = make_person("Ruth", "Whole", emails=["ruth.whole@example.org"], given_name="Ruthanne",
                       anniversary=date(2010, 5, 5), marital_status="Married",
                       name_prefix="Mrs.", medical_notes="Asthma", grade=None)
    ruth.campus_id = campus_id("Online")
    db.session.commit()

    pushed = run("Push People")

    assert (pushed.created_count, pushed.failed_count) == (1, 0)
    [created] = [body for path, body in recorder.matching("POST") if path == "/people/v2/people"]
    assert {"given_name": "Ruthanne", "anniversary": "2010-05-05",
            "medical_notes": "Asthma"}.items() <= created["data"]["attributes"].items()
    profile = pco_profile(sandbox, fresh(Person, ruth.id).pco_id)
    assert (profile["marital_status"], profile["name_prefix"], profile["campus"]) == (
        "Married", "Mrs.", "Online")
    assert_pull_is_skipped_with_zero_writes(sandbox, ruth.id)


OLD_FIELDS = ("first_name", "middle_name", "last_name", "nickname", "gender", "birthdate",
              "status", "membership", "child", "emails", "phone_numbers", "addresses")


def as_synced_by_the_previous_release():
    """Every person as the upgrade finds them: the new columns empty, the synced state the nine
    fields' of the release before."""
    for person in db.session.scalars(select(Person)):
        state = {name: person.pco_synced_state[name] for name in OLD_FIELDS}
        person.pco_synced_state, person.pco_synced_hash = state, digest(state)
        for name in SYNCED_PERSON_FIELDS:
            if name not in OLD_FIELDS:
                setattr(person, name, None)
    db.session.commit()


def test_people_synced_before_the_profile_fields_cost_no_request_to_resettle(sandbox):
    run("People")
    as_synced_by_the_previous_release()
    reset_stats(sandbox)
    pushed = run("Push People")
    assert (pushed.failed_count, stats(sandbox)["total"]) == (0, 0)  # re-settled, no request
    assert run("People").updated_count == PEOPLE  # PCO's profile fields arrive, once
    assert run("People").updated_count == 0

    as_synced_by_the_previous_release()
    assert run("People").updated_count == PEOPLE  # pull first: every hash changes once
    reset_stats(sandbox)
    assert run("Push People").updated_count == 0 and stats(sandbox)["total"] == 0
