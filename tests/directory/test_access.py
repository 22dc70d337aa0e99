"""Every directory route needs people.manage; every state change needs the CSRF token."""
import pytest

from pcosync.extensions import db
from pcosync.models import PEOPLE_MANAGE, PEOPLE_PRIVACY, FamilyMember, GroupMembership, Person
from tests.directory.helpers import token
from tests.factories import one_of_everything
from tests.support import fresh


@pytest.fixture
def world(app):
    """One of everything, so every route has something real to point at."""
    ids, bob = one_of_everything()
    return {"ids": ids, "bob": bob}


def directory_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("directory.")]


def path_of(rule, ids):
    return rule.build({name: ids[name] for name in rule.arguments})[1]


def get_paths(app, ids, leave_out=()):
    return [path_of(r, ids) for r in directory_rules(app)
            if "GET" in r.methods and r.endpoint not in leave_out]


def post_paths(app, ids):
    return [path_of(r, ids) for r in directory_rules(app)
            if "POST" in r.methods and "GET" not in r.methods]


# Pastoral notes have permissions of their own (tests/notes/test_access.py), and so do a
# person's export and erasure (people.privacy, tests/privacy/).
NOTE_ENDPOINTS = {"directory.add_note", "directory.edit_note", "directory.delete_note"}
PRIVACY_ENDPOINTS = {"directory.person_privacy", "directory.export_person",
                     "directory.erase_person"}
OWN_PERMISSIONS = NOTE_ENDPOINTS | PRIVACY_ENDPOINTS


def test_every_directory_route_requires_people_manage(app):
    rules = [rule for rule in directory_rules(app) if rule.endpoint not in OWN_PERMISSIONS]
    assert len(rules) >= 20
    for rule in rules:
        assert app.view_functions[rule.endpoint].required_permission == PEOPLE_MANAGE, rule
    for endpoint in PRIVACY_ENDPOINTS:
        assert app.view_functions[endpoint].required_permission == PEOPLE_PRIVACY, endpoint


def test_sidebar_endpoints_exist(app):
    for endpoint in ("directory.people", "directory.families", "directory.groups"):
        assert endpoint in app.view_functions


def test_anonymous_goes_to_login(app, client, world):
    for path in get_paths(app, world["ids"]):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path


def test_viewer_gets_403_everywhere(app, viewer_client, world):
    for path in get_paths(app, world["ids"]):
        assert viewer_client.get(path).status_code == 403, path
    csrf = token(viewer_client, "/")
    for path in post_paths(app, world["ids"]):
        response = viewer_client.post(path, data={"csrf_token": csrf})
        assert response.status_code == 403, path
    assert fresh(Person, world["ids"]["person_id"]).archived_at is None


def test_viewer_has_no_directory_menu(viewer_client):
    assert b"/directory/" not in viewer_client.get("/").data


@pytest.mark.parametrize("who", ["admin_client", "staff_client"])
def test_staff_and_admin_reach_every_page(app, world, who, request):
    client = request.getfixturevalue(who)
    for path in get_paths(app, world["ids"], leave_out=PRIVACY_ENDPOINTS):
        assert client.get(path).status_code == 200, path
    page = client.get("/").get_data(as_text=True)
    for label in ("People", "Families", "Groups"):
        assert f">{label}</a>" in page


def test_post_without_csrf_token_is_refused_and_changes_nothing(app, admin_client, world):
    ids = world["ids"]
    for path in post_paths(app, ids):
        data = {"person_id": world["bob"].id, "role": "leader", "address": "x@example.org"}
        assert admin_client.post(path, data=data).status_code == 400, path
    assert fresh(Person, ids["person_id"]).archived_at is None
    assert len(fresh(Person, ids["person_id"]).emails) == 1
    assert db.session.query(FamilyMember).count() == 1
    assert db.session.query(GroupMembership).one().role == "member"


def test_forms_without_csrf_token_are_refused(admin_client, world):
    before = db.session.query(Person).count()
    response = admin_client.post("/directory/people/new",
                                 data={"first_name": "Eve", "last_name": "Noe", "status": "active"})
    assert response.status_code == 400
    assert db.session.query(Person).count() == before
