"""The whole person, pulled: every profile field, PCO's choice lists and campuses (read once per
run), groups with their type, schedule, location, contact and tags, and households' photos."""
import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Campus, Family, Group, Person, ProfileChoice
from pcosync.pco import schemas
from tests.profile_support import (
    EVERY_CHOICE, api, first_adult, list_ids, local_profile, pco_profile, set_every_field,
)
from tests.support import dump, reset_stats, run, stats

PEOPLE = 40  # a page of people proves what 150 would, at a fraction of the sync work


@pytest.fixture
def sandbox_settings():
    return {"people": PEOPLE}


LIST_ROUTES = ("marital_statuses", "inactive_reasons", "name_prefixes", "name_suffixes",
               "school_options", "campuses")


def gets(sandbox):
    return {route: count for route, count in stats(sandbox)["by_route"].items()
            if route.startswith("GET ")}


def test_a_person_with_every_field_is_pulled_as_pco_holds_them(sandbox):
    pco_id = first_adult(sandbox)
    set_every_field(sandbox, pco_id)

    result = run("People")

    assert result.status == "COMPLETED" and result.failed_count == 0
    expected = pco_profile(sandbox, pco_id)
    assert expected["inactivated_at"] and expected["status"] == "inactive"
    assert {field: expected[field] for field in EVERY_CHOICE} == EVERY_CHOICE
    assert local_profile(pco_id) == expected
    person = db.session.scalar(select(Person).where(Person.pco_id == pco_id))
    assert person.archived_at is None  # PCO's inactive people stay in the directory


def test_every_generated_person_converges_field_by_field(sandbox):
    run("People")
    body = api(sandbox, "GET", "/people/v2/people", per_page=100)
    for resource in body["data"][:40]:
        assert local_profile(resource["id"]) == pco_profile(sandbox, resource["id"])


def test_the_lists_cost_one_request_each_and_a_second_pull_writes_nothing(sandbox):
    reset_stats(sandbox)
    first = run("People")
    routes = gets(sandbox)
    for name in LIST_ROUTES:
        assert routes[f"GET /people/v2/{name}"] == 1
    people_pages = routes["GET /people/v2/people"]
    custom_field_lists = routes["GET /people/v2/tabs"] + routes["GET /people/v2/field_definitions"]
    assert custom_field_lists == 2  # tabs, then definitions with their options included
    assert stats(sandbox)["total"] == people_pages + len(LIST_ROUTES) + custom_field_lists
    assert first.created_count == PEOPLE

    written = dict(db.session.execute(select(Person.id, Person.updated_at)).all())
    again = run("People")

    assert (again.created_count, again.updated_count, again.skipped_count) == (0, 0, PEOPLE)
    db.session.expire_all()
    assert dict(db.session.execute(select(Person.id, Person.updated_at)).all()) == written


def test_the_lists_are_kept_with_their_pco_ids(sandbox):
    run("People")
    for kind, collection in (("marital_status", "marital_statuses"),
                             ("inactive_reason", "inactive_reasons"),
                             ("name_prefix", "name_prefixes"), ("name_suffix", "name_suffixes"),
                             ("school", "school_options")):
        held = dict(db.session.execute(select(ProfileChoice.value, ProfileChoice.pco_id)
                                       .where(ProfileChoice.kind == kind)).all())
        assert held == list_ids(sandbox, collection)
    campuses = dict(db.session.execute(select(Campus.name, Campus.pco_campus_id)).all())
    assert campuses == list_ids(sandbox, "campuses")


def test_a_renamed_option_reaches_the_people_holding_it_and_a_removed_one_leaves_the_list(
        sandbox):
    run("People")
    married = list_ids(sandbox, "marital_statuses")["Married"]
    holders = db.session.scalar(select(func.count()).select_from(Person)
                                .where(Person.marital_status == "Married"))
    api(sandbox, "PATCH", f"/people/v2/marital_statuses/{married}",
        {"data": {"type": "MaritalStatus", "attributes": {"value": "Wed"}}})
    api(sandbox, "DELETE", f"/people/v2/name_suffixes/{list_ids(sandbox, 'name_suffixes')['III']}")

    result = run("People")

    assert result.status == "COMPLETED" and result.failed_count == 0
    assert holders and db.session.scalar(select(func.count()).select_from(Person).where(
        Person.marital_status == "Wed")) == holders
    suffixes = db.session.scalars(select(ProfileChoice.value).where(
        ProfileChoice.kind == "name_suffix")).all()
    assert "III" not in suffixes and "Jr." in suffixes


def test_a_person_deleted_in_pco_is_archived_with_every_field_kept(sandbox):
    pco_id = first_adult(sandbox)
    set_every_field(sandbox, pco_id)
    run("People")
    api(sandbox, "DELETE", f"/people/v2/people/{pco_id}")

    run("People")

    person = db.session.scalar(select(Person).where(Person.pco_id == pco_id))
    assert person.archived_at is not None
    assert person.marital_status == "Married" and person.campus.name == "North Campus"


def test_groups_carry_type_schedule_location_contact_and_tags(sandbox):
    run("People")
    reset_stats(sandbox)

    result = run("Groups")

    assert result.status == "COMPLETED" and result.failed_count == 0
    routes = gets(sandbox)
    assert routes["GET /groups/v2/tag_groups"] == 1
    assert routes["GET /groups/v2/tag_groups/<id>/tags"] == 2  # one per tag group
    for expected in dump(sandbox)["groups"]:
        group = db.session.scalar(select(Group).where(Group.pco_group_id == expected["id"]))
        held = (group.group_type, group.location_name, group.schedule, group.contact_email,
                group.tags)
        assert held == (expected["group_type"], expected["location_name"], expected["schedule"],
                        expected["contact_email"], expected["tags"])
        assert group.department.name == "PCO Groups"
    again = run("Groups")
    assert (again.created_count, again.updated_count) == (0, 0)


def test_households_carry_pcos_photo(sandbox):
    run("People")
    run("Families")
    for expected in dump(sandbox)["households"]:
        family = db.session.scalar(select(Family).where(
            Family.pco_household_id == expected["id"]))
        assert family.pco_avatar_url == expected["avatar"]
    assert run("Families").updated_count == 0


def test_a_malformed_choice_becomes_a_sync_issue_not_a_crash(sandbox):
    body = api(sandbox, "GET", "/people/v2/people", per_page=1)
    resource = body["data"][0]
    resource["relationships"]["marital_status"] = {
        "data": {"type": "MaritalStatus", "id": "1", "attributes": {"value": "x" * 300}}}
    with pytest.raises(ValidationError, match="marital_status"):
        schemas.load_person(resource)
    resource["relationships"]["marital_status"] = {"data": {"type": "MaritalStatus", "id": []}}
    with pytest.raises(ValidationError, match="marital_status"):
        schemas.load_person(resource)


def test_an_option_named_by_id_alone_and_unknown_here_is_read_once(app, sandbox):
    """A webhook's person carries primary_campus as a bare ref: the campus is read alone, and
    only while it is unknown here."""
    from pcosync.services.connection import make_client
    from pcosync.services.pull.choices import ensure_known
    from pcosync.services.rules import choices

    north = list_ids(sandbox, "campuses")["North Campus"]
    records = [{"choices": {"campus_id": {"pco_id": north, "value": None}}}]
    client = make_client()
    reset_stats(sandbox)
    try:
        ensure_known(client, records, None)
        db.session.commit()
        ensure_known(client, records, None)
    finally:
        client.close()
    assert stats(sandbox)["by_route"] == {"GET /people/v2/campuses/<id>": 1}
    assert db.session.scalar(select(Campus.name).where(Campus.pco_campus_id == north)) == \
        "North Campus"
    choices.prepare(records)
    assert records[0]["choices"]["campus_id"]["pco_id"] == north
