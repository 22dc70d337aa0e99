"""Who sees notes: nobody by default (TECH_ADMIN included); notes.view shows them on the
person's page, notes.manage writes them; every GET page, walked as an admin without
notes.view, holds no note text anywhere. Permissions granted on the roles screen and with
`flask users grant` / `revoke`."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import NOTES_MANAGE, NOTES_VIEW, Note, Role, SyncRun
from pcosync.services.access.grants import grant
from tests.factories import NOTE_TEXT, one_of_everything
from tests.support import csrf_token


@pytest.fixture
def world(app):
    ids, _ = one_of_everything()
    return ids


def get_pages(app, ids):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        yield rule.build({name: ids.get(name, 1) for name in rule.arguments})[1]


def test_admin_without_notes_view_sees_no_note_text_on_any_page(app, admin_client, world):
    walked = 0
    for path in get_pages(app, world):
        body = admin_client.get(path).get_data()  # bytes: a stored photo is a page too
        assert NOTE_TEXT.encode() not in body and b"grieving" not in body, path
        walked += 1
    assert walked > 20


def test_notes_view_shows_notes_and_notes_manage_writes_them(admin, admin_client, world):
    page = f"/directory/people/{world['person_id']}"
    assert "Add a note" not in admin_client.get(page).get_data(as_text=True)
    grant(admin.email, NOTES_VIEW)
    body = admin_client.get(page).get_data(as_text=True)
    assert NOTE_TEXT in body and "Add a note" not in body
    assert admin_client.post(f"{page}/notes", data={
        "csrf_token": csrf_token(admin_client, page), "text": "x"}).status_code == 403

    grant(admin.email, NOTES_MANAGE)
    token = csrf_token(admin_client, page)
    category = db.session.scalar(select(Note)).category_id
    form = {"csrf_token": token, "text": "Called, all well", "category_id": category}
    admin_client.post(f"{page}/notes", data=form)
    assert "Called, all well" in admin_client.get(page).get_data(as_text=True)
    note = db.session.scalar(select(Note).where(Note.text == "Called, all well"))
    admin_client.post(f"{page}/notes/{note.id}/delete", data={"csrf_token": token})
    assert db.session.get(Note, note.id) is None


def test_tech_admin_holds_no_notes_permission(admin):
    assert not admin.can(NOTES_VIEW) and not admin.can(NOTES_MANAGE)
    tech = db.session.scalar(select(Role).where(Role.name == "TECH_ADMIN"))
    assert {p.name for p in tech.permissions} == {"pco.manage", "people.manage", "people.sensitive",
                                                  "people.privacy"}


def test_roles_screen_grants_and_revokes(admin, admin_client, world):
    viewer = db.session.scalar(select(Role).where(Role.name == "VIEWER"))
    assert "VIEWER" in admin_client.get("/account/roles").get_data(as_text=True)
    token = csrf_token(admin_client, "/account/roles")
    admin_client.post(f"/account/roles/{viewer.id}", data={
        "csrf_token": token, "permission": NOTES_VIEW, "action": "grant"})
    db.session.expire_all()
    assert NOTES_VIEW in {p.name for p in db.session.get(Role, viewer.id).permissions}
    admin_client.post(f"/account/roles/{viewer.id}", data={
        "csrf_token": token, "permission": NOTES_VIEW, "action": "revoke"})
    db.session.expire_all()
    assert NOTES_VIEW not in {p.name for p in db.session.get(Role, viewer.id).permissions}


def test_cli_grant_and_revoke(app, admin):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "grant", admin.email, NOTES_VIEW])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert admin.can(NOTES_VIEW)
    result = runner.invoke(args=["users", "revoke", admin.email, NOTES_VIEW])
    assert result.exit_code == 0 and "no longer holds" in result.output
    db.session.expire_all()
    assert not admin.can(NOTES_VIEW)
    assert runner.invoke(args=["users", "grant", admin.email, "notes.everything"]).exit_code != 0
    assert db.session.scalar(select(SyncRun)) is None
