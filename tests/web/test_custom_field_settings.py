"""PCO Sync -> Custom fields: every field with its type and sync setting, behind pco.manage;
the settings saved from one form with a summary in words; anything odd posted is reported and
changes nothing (never a 500)."""
import re

import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import FieldDefinition, FieldSync
from pcosync.services.rules import custom_fields as field_rules
from tests.directory.custom_field_helpers import church_fields, member_with_values
from tests.directory.helpers import text_of
from tests.support import csrf_token

PATH = "/sync/custom-fields"


@pytest.fixture
def fields(app):
    return church_fields()


def settings_of(fields):
    db.session.expire_all()
    return {name: db.session.get(FieldDefinition, d.id).sync for name, d in fields.items()}


def save(client, **posted):
    data = {"csrf_token": csrf_token(client, PATH), **posted}
    response = client.post(PATH, data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(PATH)
    return text_of(client.get(PATH))


def key(fields, name):
    return f"sync-{fields[name].id}"


def test_the_page_needs_pco_manage(client, staff_client, fields):
    assert staff_client.get(PATH).status_code == 403
    data = {"csrf_token": csrf_token(staff_client, "/"), key(fields, "Baptism date"): "off"}
    assert staff_client.post(PATH, data=data).status_code == 403
    assert settings_of(fields)["Baptism date"] == FieldSync.BOTH


def test_every_field_shows_with_its_type_and_setting(admin_client, fields):
    member_with_values(fields)
    response = admin_client.get(PATH)
    page, html = text_of(response), response.get_data(as_text=True)
    assert "nothing local is sent to PCO before you say so" in page
    assert page.index("Membership") < page.index("Serving") < page.index("Deleted in PCO")
    for expected in ("Baptism date Date 1", "Serving interests Checkboxes, 5 options 1",
                     "T-shirt size Drop-down, 4 options 1", "Membership class completed Yes / No",
                     "Home group host local only: not in PCO",
                     "Previous church Deleted in PCO",
                     "8 fields with a setting: 2 sync both ways, 5 pull only, 1 off."):
        assert expected in page, expected
    assert checked(html) == {
        key(fields, "Baptism date"): "both", key(fields, "Serving interests"): "both",
        key(fields, "T-shirt size"): "off", key(fields, "Membership class completed"): "pull",
        key(fields, "Membership notes"): "pull", key(fields, "Years serving"): "pull",
        key(fields, "Background check form"): "pull", key(fields, "Home group host"): "pull",
        key(fields, "Previous church"): "pull"}
    assert enabled(html, fields, "Previous church") == []
    assert enabled(html, fields, "Home group host") == ["both", "pull", "off"]  # made here
    assert enabled(html, fields, "Background check form") == ["pull", "off"]
    assert enabled(html, fields, "Baptism date") == ["both", "pull", "off"]
    assert f'name="{key(fields, "Volunteer details")}"' not in html  # a heading: no setting


def checked(html):
    return dict(re.findall(r'name="(sync-\d+)" value="(\w+)" id="[^"]+"\s+checked', html))


def enabled(html, fields, name):
    inputs = re.findall(rf'<input type="radio" name="{key(fields, name)}" value="(\w+)"[^>]*>',
                        html)
    disabled = re.findall(rf'<input type="radio" name="{key(fields, name)}" value="(\w+)"'
                          r'[^>]*disabled>', html)
    return [value for value in inputs if value not in disabled]


def test_the_sync_page_links_to_it_and_without_fields_it_says_to_run_sync_people(admin_client):
    assert f'href="{PATH}"' in admin_client.get("/sync/").get_data(as_text=True)
    page = text_of(admin_client.get(PATH))
    assert "Run Sync People to read PCO's custom fields" in page
    assert "Save settings" not in page


def test_saving_changes_the_settings_and_says_what_changed(admin_client, fields):
    assert field_rules.index().by_id[fields["T-shirt size"].id].sync == FieldSync.OFF
    page = save(admin_client, **{key(fields, "Baptism date"): "both",
                                 key(fields, "Years serving"): "both",
                                 key(fields, "T-shirt size"): "pull",
                                 key(fields, "Serving interests"): "off"})
    assert "3 fields changed: Years serving now syncs both ways; T-shirt size is now pull " \
           "only; Serving interests is now off (not synced). The next Push People sends what " \
           "differs here to PCO. The next Sync People brings PCO's values of the fields " \
           "turned on." in page
    now = settings_of(fields)
    assert (now["Years serving"], now["T-shirt size"], now["Serving interests"]) == \
        (FieldSync.BOTH, FieldSync.PULL, FieldSync.OFF)
    assert field_rules.index().by_id[fields["T-shirt size"].id].sync == FieldSync.PULL
    assert "Nothing changed: every field keeps its setting." in save(
        admin_client, **{key(fields, "Baptism date"): "both"})


def test_odd_settings_are_reported_and_the_rest_saved(admin_client, fields):
    before = settings_of(fields)
    page = save(admin_client, **{
        key(fields, "Baptism date"): "sideways", "sync-99999": "off",
        "sync-abc": "off", "sync-" + "9" * 40: "off",
        key(fields, "Previous church"): "both", "sync-": "both",
        key(fields, "Background check form"): "both", key(fields, "Volunteer details"): "off",
        key(fields, "Years serving"): "off"})
    for expected in (
            "“sideways” is not a setting for Baptism date: choose Sync both ways, Pull only "
            "or Off.",
            "A setting for a field that is not here (“99999”) was ignored",
            "A setting for a field that is not here (“abc”) was ignored",
            "Previous church can't be set to “Sync both ways”. PCO deleted it: not synced",
            "…and 3 more settings were ignored.",
            "1 field changed: Years serving is now off (not synced)."):
        assert expected in page, expected
    assert settings_of(fields) == {**before, "Years serving": FieldSync.OFF}


def test_each_refusal_says_why(fields):
    from werkzeug.datastructures import MultiDict

    from pcosync.services.settings.custom_fields import save_settings

    result = save_settings(MultiDict({key(fields, "Background check form"): "both",
                                      key(fields, "Volunteer details"): "off"}))
    assert result.changed == []
    assert result.errors == [
        "Background check form can't be set to “Sync both ways”. Never sent: PCO keeps this "
        "kind of field (a file is uploaded there).",
        "Volunteer details can't be set to “Off”. A heading: it holds no value."]


def test_a_field_made_here_is_added_pull_only_and_bad_input_is_refused(admin_client, fields):
    page = add(admin_client, tab="membership", name="Small group", data_type="select",
               options="Tuesday\nThursday\nTuesday")
    assert "Small group was added here (pull only" in page
    made = settings_of_new("Small group")
    assert (made.tab.name, made.sync, made.pco_field_definition_id) == ("Membership", "pull", None)
    assert [o.value for o in made.options] == ["Tuesday", "Thursday"]
    for form, reason in (
            ({"name": "", "data_type": "string"}, "Give the new field a name."),
            ({"name": "X", "data_type": "file"}, "Choose the new field's type."),
            ({"name": "X", "data_type": "checkboxes"}, "Checkboxes needs options"),
            ({"tab": "Membership", "name": "small GROUP", "data_type": "string"},
             "There is already a field named 'small GROUP' in that tab."),
            ({"name": "Bell\x07", "data_type": "string"}, "invisible control characters")):
        assert reason in add(admin_client, **form), form


def add(client, **form):
    data = {"csrf_token": csrf_token(client, PATH), **form}
    return text_of(client.post(PATH + "/new", data=data, follow_redirects=True))


def settings_of_new(name):
    return db.session.scalar(select(FieldDefinition).where(FieldDefinition.name == name))


def test_the_sidebar_has_a_custom_fields_entry(admin_client):
    html = admin_client.get("/").get_data(as_text=True)
    nav = html[html.index("<nav"):html.index("</nav>")]
    assert 'href="/sync/custom-fields"' in nav and "Custom fields" in nav
