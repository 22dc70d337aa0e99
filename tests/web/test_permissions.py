"""Every route behind pco.manage: anonymous -> login, a user without it -> 403 and no menu entry."""
import pytest

from pcosync.models import PCO_MANAGE


def pco_routes(app):
    rules = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, "required_permission", None) == PCO_MANAGE:
            rules.append(rule)
    return rules


def concrete_path(rule):
    """A path the rule matches: every argument is 1 (ids, and any other word)."""
    return rule.build({name: 1 for name in rule.arguments})[1]


def method_of(rule):
    return "GET" if "GET" in rule.methods else "POST"


def test_there_are_pco_routes(app):
    assert any(r.endpoint == "sync.index" for r in pco_routes(app))


def test_anonymous_goes_to_login(app, client):
    for rule in pco_routes(app):
        response = client.open(concrete_path(rule), method=method_of(rule))
        if method_of(rule) == "POST":
            assert response.status_code in (302, 400), rule.rule  # CSRF may answer first
        else:
            assert response.status_code == 302, rule.rule
            assert "/login" in response.headers["Location"]


def test_user_without_permission_gets_403(app, staff_client):
    for rule in pco_routes(app):
        if method_of(rule) == "GET":
            assert staff_client.get(concrete_path(rule)).status_code == 403, rule.rule


def test_menu_entry_only_for_pco_managers(client, admin, staff):
    from tests.support import csrf_token, login

    login(client, staff.email)
    assert b"PCO Sync" not in client.get("/").data
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, admin.email)
    page = client.get("/").data
    assert b"PCO Sync" in page and b"/sync/" in page


@pytest.mark.parametrize("path", ["/sync/"])
def test_admin_reaches_sync_page(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    assert b"PCO Sync" in response.data
