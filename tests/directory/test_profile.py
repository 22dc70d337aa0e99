"""The whole person in the directory: the profile shown (grade names, campus, PCO's photo when
there is no local one), edited with PCO's lists as choices, archive with an inactive reason and
restore; groups with their type (filterable), schedule, location, contact and tags; a
household's photo."""
from datetime import date

from pcosync.extensions import db
from pcosync.models import Campus, Family, Person, ProfileChoice
from tests.directory.helpers import count_statements, post, text_of
from tests.factories import make_group, make_person
from tests.support import fresh

LISTS = {"marital_status": ("Single", "Married"), "name_prefix": ("Dr.", "Mrs."),
         "name_suffix": ("Jr.",), "school": ("Lincoln Elementary",),
         "inactive_reason": ("Moved away", "Deceased")}
VALID = {"first_name": "Grace", "last_name": "Hopper", "status": "active"}


def pco_lists():
    for kind, values in LISTS.items():
        for number, value in enumerate(values, start=1):
            db.session.add(ProfileChoice(kind=kind, value=value, pco_id=f"{kind}-{number}"))
    north = Campus(name="North Campus", pco_campus_id="61")
    db.session.add_all([north, Campus(name="Online", pco_campus_id="62")])
    db.session.commit()
    return north


def test_the_person_page_shows_the_profile(admin_client):
    north = pco_lists()
    person = make_person("Ann", "Lee", given_name="Annabelle", name_prefix="Dr.",
                         name_suffix="Jr.", marital_status="Married",
                         anniversary=date(2004, 6, 12), grade=0, graduation_year=2038,
                         school="Lincoln Elementary", medical_notes="Peanut allergy",
                         status="inactive", inactive_reason="Moved away",
                         pco_avatar_url="https://avatars.example.org/ann.png")
    person.campus = north
    db.session.commit()
    response = admin_client.get(f"/directory/people/{person.id}")
    page = text_of(response)
    for expected in ("Dr.", "Annabelle", "Jr.", "Married", "Jun 12, 2004", "Kindergarten",
                     "2038", "Lincoln Elementary", "Peanut allergy", "North Campus",
                     "Moved away", "Inactive"):
        assert expected in page, expected
    assert 'src="https://avatars.example.org/ann.png"' in response.get_data(as_text=True)


def test_the_local_photo_wins_over_pcos(admin_client):
    person = make_person(photo_url="https://img.example.org/mine.jpg",
                         pco_avatar_url="https://avatars.example.org/theirs.png")
    html = admin_client.get(f"/directory/people/{person.id}").get_data(as_text=True)
    assert 'src="https://img.example.org/mine.jpg"' in html
    assert 'src="https://avatars.example.org/theirs.png"' not in html


def test_the_form_offers_pcos_lists_and_saves_choices(admin_client):
    pco_lists()
    person = make_person(marital_status="Partnered")  # set elsewhere: kept selectable
    html = admin_client.get(f"/directory/people/{person.id}/edit").get_data(as_text=True)
    for value in ("Married", "Dr.", "Lincoln Elementary", "North Campus", "Partnered",
                  "Kindergarten", "12th grade"):
        assert value in html, value
    online = db.session.query(Campus).filter_by(name="Online").one()
    response = post(admin_client, f"/directory/people/{person.id}/edit", {
        **VALID, "marital_status": "Married", "name_prefix": "Mrs.", "grade": "3",
        "graduation_year": "2035", "school": "Lincoln Elementary", "campus_id": str(online.id),
        "given_name": "Gracie", "anniversary": "2001-02-03", "medical_notes": "Asthma"})
    assert response.status_code == 302
    saved = fresh(Person, person.id)
    assert (saved.marital_status, saved.name_prefix, saved.grade, saved.graduation_year,
            saved.school, saved.campus_id, saved.given_name, saved.anniversary,
            saved.medical_notes) == ("Married", "Mrs.", 3, 2035, "Lincoln Elementary",
                                     online.id, "Gracie", date(2001, 2, 3), "Asthma")


def test_the_form_refuses_what_no_list_has(admin_client):
    pco_lists()
    person = make_person()
    for field, value in (("marital_status", "Made up"), ("campus_id", "999"), ("grade", "13"),
                         ("graduation_year", "99999")):
        response = post(admin_client, f"/directory/people/{person.id}/edit",
                        {**VALID, field: value})
        assert response.status_code == 422, field
    assert fresh(Person, person.id).marital_status is None


def test_a_new_person_can_have_the_profile(admin_client):
    pco_lists()
    response = post(admin_client, "/directory/people/new",
                    {**VALID, "marital_status": "Single", "name_suffix": "Jr."})
    assert response.status_code == 302
    person = db.session.query(Person).filter_by(first_name="Grace").one()
    assert (person.marital_status, person.name_suffix) == ("Single", "Jr.")


def test_archive_with_a_reason_then_restore(admin_client):
    pco_lists()
    person = make_person(pco_id="4242")
    page = admin_client.get(f"/directory/people/{person.id}").get_data(as_text=True)
    assert "Deceased" in page and 'name="inactive_reason"' in page

    response = post(admin_client, f"/directory/people/{person.id}/archive",
                    {"inactive_reason": "Moved away"})
    assert response.status_code == 302
    archived = fresh(Person, person.id)
    assert archived.archived_at and (archived.status, archived.inactive_reason) == (
        "inactive", "Moved away")
    shown = text_of(admin_client.get(f"/directory/people/{person.id}"))
    assert "inactive in PCO" in shown

    post(admin_client, f"/directory/people/{person.id}/restore")
    restored = fresh(Person, person.id)
    assert (restored.archived_at, restored.status, restored.inactive_reason) == (
        None, "active", None)
    assert post(admin_client, f"/directory/people/{person.id}/archive",
                {"inactive_reason": "Not a reason"}).status_code == 302
    assert fresh(Person, person.id).archived_at is None  # refused, with a message


def test_a_group_from_pco_shows_what_pco_says_and_the_list_filters_by_type(admin_client):
    serving = make_group("Greeters", "PCO Groups", pco_group_id="701")
    serving.group_type, serving.schedule = "Serving Teams", "Sundays at 9:30am"
    serving.location_name, serving.contact_email = "Fellowship Hall", "greeters@example.org"
    serving.tags, serving.description = ["Sunday", "Families"], "Welcome people at the door."
    study = make_group("Romans", "PCO Groups", pco_group_id="702")
    study.group_type = "Small Groups"
    db.session.commit()

    page = text_of(admin_client.get(f"/directory/groups/{serving.id}"))
    for expected in ("Serving Teams", "Sundays at 9:30am", "Fellowship Hall",
                     "greeters@example.org", "Sunday", "Families", "Welcome people at the door.",
                     "pull only"):
        assert expected in page, expected
    listing = text_of(admin_client.get("/directory/groups/?type=Small+Groups"))
    assert "Romans" in listing and "Greeters" not in listing
    everything = admin_client.get("/directory/groups/").get_data(as_text=True)
    assert "Greeters" in everything and '<option value="Serving Teams"' in everything
    assert count_statements(lambda: admin_client.get("/directory/groups/?type=Serving+Teams")) \
        <= 6


def test_a_household_shows_pcos_photo(admin_client):
    family = Family(name="Lee Household", pco_household_id="5001",
                    pco_avatar_url="https://avatars.example.org/lee.png")
    db.session.add(family)
    db.session.commit()
    html = admin_client.get(f"/directory/families/{family.id}").get_data(as_text=True)
    assert 'src="https://avatars.example.org/lee.png"' in html
