"""Scenario 6: hostile and broken input. Malformed records from PCO become SyncIssues while the
run completes; HTML from PCO or from a form is shown escaped (no stored XSS); oversized or
binary form fields are refused."""
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Family, Person
from tests.directory.helpers import post
from tests.support import csrf_token

from . import hostile
from .helpers import seeded


def assert_escaped(client, path, shown=True):
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200, (path, page.status_code)
    assert hostile.SCRIPT not in html, f"raw <script> on {path}"
    assert not shown or hostile.ESCAPED_SCRIPT in html, f"the escaped text is missing on {path}"


def test_malformed_pco_records_become_issues_and_html_from_pco_is_escaped(
        app, make_sandbox, admin_client, seed):
    server = make_sandbox(150, seed)
    victim = sorted(server.store.db.people.rows)[0]
    server.store.update_person(victim, {"first_name": hostile.SCRIPT})
    result = hostile.malformed_records(app, server, seed)
    last_name = server.store.get_person(victim)["last_name"]
    victim_id = db.session.scalar(select(Person.id).where(Person.pco_id == str(victim)))
    with seeded(seed):
        for path in (f"/sync/runs/{result['run_id']}", f"/sync/runs/{result['people_step_id']}",
                     f"/directory/people/?q={last_name}", f"/directory/people/{victim_id}"):
            assert_escaped(admin_client, path)
        for path in ("/sync/", "/sync/history", "/sync/status"):
            assert_escaped(admin_client, path, shown=False)


def test_form_fields_with_oversized_script_or_binary_content(app, admin_client):
    refused = [
        {"first_name": "A" * 5000, "last_name": "Long"},
        {"first_name": "Nul\x00Byte", "last_name": "Binary"},
        {"first_name": "Ok", "last_name": "Mail", "email": "x@example.org" + "o" * 400},
        {"first_name": "Ok", "last_name": "Photo", "photo_url": "javascript:alert(1)"},
    ]
    for fields in refused:
        answer = post(admin_client, "/directory/people/new", dict(fields, status="active"))
        assert answer.status_code in (200, 400, 422), (fields["last_name"], answer.status_code)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    made = post(admin_client, "/directory/people/new", {
        "first_name": hostile.SCRIPT, "last_name": '"><img src=x onerror=alert(2)>',
        "status": "active", "email": "ann@example.org"})
    assert made.status_code == 302, made.get_data(as_text=True)[:500]
    created = db.session.scalar(select(Person))
    assert created.first_name == hostile.SCRIPT  # stored as typed, shown escaped
    family = post(admin_client, "/directory/families/new", {"name": hostile.SCRIPT})
    assert family.status_code == 302
    for path in ("/directory/people/", f"/directory/people/{created.id}",
                 f"/directory/people/{created.id}/edit", "/directory/families/",
                 f"/directory/families/{db.session.scalar(select(Family.id))}"):
        assert_escaped(admin_client, path)
        assert "<img src=x" not in admin_client.get(path).get_data(as_text=True)


def test_hostile_search_and_login_input_is_answered_not_crashed(app, client, admin_client):
    for query in ("a\x00b", "%" * 50, "x" * 10_000, hostile.SCRIPT, "\\", "_"):
        for path in ("/directory/people/", "/directory/families/", "/directory/groups/"):
            page = admin_client.get(path, query_string={"q": query})
            assert page.status_code in (200, 400), (path, query[:20], page.status_code)
            assert hostile.SCRIPT not in page.get_data(as_text=True)
    assert admin_client.get("/directory/people/?q=%FF%FE%00").status_code == 200
    token = csrf_token(client)
    for email in ("admin\x00@example.org", "x" * 5000, hostile.SCRIPT):
        answer = client.post("/login", data={"email": email, "password": "whatever-it-is",
                                             "csrf_token": token})
        assert answer.status_code in (200, 400, 401), (email[:20], answer.status_code)
        assert hostile.SCRIPT not in answer.get_data(as_text=True)
