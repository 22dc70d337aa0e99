"""Where the history shows: the person, family and group pages in words, newest first, paged;
sensitive fields' changes only for holders of people.sensitive; `flask pco history`."""
from pcosync.extensions import db
from pcosync.models import ChangeSource, Person
from pcosync.services.history import views
from pcosync.services.history.context import recording
from tests.factories import make_family, make_group, make_person
from tests.support import csrf_token, fresh


def edited(person, source=ChangeSource.WEBHOOK, **values):
    person = fresh(Person, person.id)
    with recording(source, delivery_id="d-1"):
        for name, value in values.items():
            setattr(person, name, value)
        db.session.commit()
    return person


def test_a_persons_page_tells_the_history_in_words(admin_client):
    nell = make_person("Eleanor", "Lee", nickname="Nell")
    edited(nell, nickname="Nellie")
    page = admin_client.get(f"/directory/people/{nell.id}").get_data(as_text=True)
    assert "Nickname Nell → Nellie" in page
    assert "from PCO by webhook" in page
    assert "nickname</" not in page and "first_name" not in page


def test_newest_first_and_paged(admin_client):
    ann = make_person("Ann", "Lee")
    for n in range(30):
        edited(ann, nickname=f"N{n}")
    first = admin_client.get(f"/directory/people/{ann.id}").get_data(as_text=True)
    assert first.index("N28 → N29") < first.index("N27 → N28")
    assert "Page 1" in first and "Older →" in first and "N0 →" not in first
    second = admin_client.get(f"/directory/people/{ann.id}?history_page=2").get_data(as_text=True)
    assert "(empty) → N0" in second


def test_sensitive_fields_history_shows_to_holders_of_the_permission(admin_client):
    ann = make_person("Ann", "Lee")
    edited(ann, medical_notes="Diabetic")
    page = admin_client.get(f"/directory/people/{ann.id}").get_data(as_text=True)
    assert "Medical notes (empty) → Diabetic" in page


def test_sensitive_fields_history_is_invisible_without_the_permission(staff_client):
    ann = make_person("Ann", "Lee")
    edited(ann, medical_notes="Diabetic")
    page = staff_client.get(f"/directory/people/{ann.id}")
    assert page.status_code == 200 and "Diabetic" not in page.get_data(as_text=True)
    assert [e.field for e in views.page_of("person", ann.id).entries] == ["created"]
    assert len(views.page_of("person", ann.id, show_sensitive=True).entries) == 2


def test_a_user_who_may_not_see_the_field_neither_sees_nor_erases_it(staff_client):
    ann = make_person("Ann", "Lee", medical_notes="Diabetic")
    form = staff_client.get(f"/directory/people/{ann.id}/edit").get_data(as_text=True)
    assert "Diabetic" not in form and "medical_notes" not in form
    staff_client.post(f"/directory/people/{ann.id}/edit", data={
        "csrf_token": csrf_token(staff_client, f"/directory/people/{ann.id}/edit"),
        "first_name": "Ann", "last_name": "Lee", "status": "active"})
    assert fresh(Person, ann.id).medical_notes == "Diabetic"


def test_family_and_group_pages_list_their_members_changes(admin_client):
    ann = make_person("Ann", "Lee")
    family = make_family("Lee family", [ann])
    group = make_group("Choir", members=[(ann, "member")])
    group.memberships[0].role = "leader"
    family.name = "Lee household"
    db.session.commit()
    family_page = admin_client.get(f"/directory/families/{family.id}").get_data(as_text=True)
    assert "Family name Lee family → Lee household" in family_page
    group_page = admin_client.get(f"/directory/groups/{group.id}").get_data(as_text=True)
    assert "Role member → leader" in group_page and "(Ann Lee)" in group_page


def test_the_history_command(app):
    nell = make_person("Eleanor", "Lee", nickname="Nell")
    edited(nell, nickname="Nellie")
    result = app.test_cli_runner().invoke(args=["pco", "history", str(nell.id)])
    assert result.exit_code == 0, result.output
    assert "Nickname Nell → Nellie, from PCO by webhook" in result.output
