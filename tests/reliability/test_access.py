"""Scenario 7: access. Every route but login, static files and the webhook: anonymous requests
go to login, users without the permission get 403, state changes need the CSRF token, and the
database is unchanged after all of it. Cookies carry their flags; guessing is throttled."""
import pytest
import requests
from rq import Queue
from sqlalchemy import text

from pcosync.extensions import db
from pcosync.models import (
    NOTES_MANAGE, PCO_MANAGE, PEOPLE_MANAGE, PEOPLE_PRIVACY, ReviewItem, ReviewKind, SyncIssue,
    SyncRun, utcnow,
)
from pcosync.extensions import get_redis
from pcosync.security import SECURITY_HEADERS
from tests.factories import one_of_everything
from tests.support import PASSWORD, make_user

from tests.support import csrf_from

from .helpers import logged_in_session

# The webhook signs instead (scenario 2); the health endpoints are for uptime monitors and show
# no secret and no personal data (tests/alerts/test_health.py).
# The second step of a login needs the first (without it, it sends back to the login).
PUBLIC = {"auth.login", "auth.second_factor", "static", "webhooks.receive", "health.liveness",
          "health.sync"}
LOGIN_ONLY = {"home.index", "auth.logout", "auth.change_password"}  # any logged-in user
NO_REDIRECT = {"allow_redirects": False, "timeout": 10}


@pytest.fixture
def world(app):
    """One of everything, so every route with an id points at a real row."""
    ids, bob = one_of_everything()
    run = SyncRun(kind="People", status="COMPLETED", finished_at=utcnow())
    db.session.add(run)
    db.session.flush()
    db.session.add(SyncIssue(run_id=run.id, record_type="Person", reason="needs a look"))
    db.session.commit()
    ids["run_id"] = run.id
    item = ReviewItem(kind=ReviewKind.REJECTED, summary="refused", dedupe_key="access")
    db.session.add(item)
    db.session.commit()
    ids.update(item_id=item.id, action="dismiss")
    form = {"kind": "People", "first_name": "Eve", "last_name": "Intruder", "status": "active",
            "name": "Intruders", "person_id": bob.id, "role": "leader", "location": "Home",
            "address": "eve@example.org", "number": "555-0100"}
    return {"ids": ids, "form": form}


def guarded_routes(app, ids):
    """(endpoint, method, path, permission) for every route that is not public."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        permission = getattr(app.view_functions[rule.endpoint], "required_permission", None)
        path = rule.build({name: ids[name] for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, path, permission))
    return found


def snapshot():
    """Every row of every table, read afresh."""
    with db.engine.connect() as conn:
        return {table.name: sorted(map(repr, conn.execute(table.select()).all()))
                for table in db.metadata.sorted_tables}


def ask(session, base, method, path, data):
    return session.request(method, base + path, data=data if method == "POST" else None,
                           **NO_REDIRECT)


def test_every_route_refuses_strangers_and_unprivileged_users_and_nothing_changes(
        app, live_app, world):
    base, routes = live_app.url, guarded_routes(app, world["ids"])
    assert {p for *_, p in routes} == {None, PCO_MANAGE, PEOPLE_MANAGE, NOTES_MANAGE,
                                       PEOPLE_PRIVACY}
    assert {e for e, *_, p in routes if p is None} == LOGIN_ONLY, "a route without permission"
    users = {role: make_user(f"{role.lower()}@example.org", role).email
             for role in ("VIEWER", "STAFF", "TECH_ADMIN")}
    sessions = {role: logged_in_session(base, email) for role, email in users.items()}
    anonymous = requests.Session()
    anonymous.csrf = csrf_from(anonymous.get(base + "/login", timeout=10).text)
    before = snapshot()
    wrong = []
    for endpoint, method, path, permission in routes:
        wrong += check_route(base, sessions, anonymous, world["form"], method, path, permission,
                             endpoint)
    for path in ("/login", "/static/css/app.css"):
        wrong += missing_headers("anonymous", "GET", path, anonymous.get(base + path, timeout=10))
    answer = anonymous.post(base + "/api/pco-webhook", data=b"{}", timeout=10)
    wrong += missing_headers("anonymous", "POST", "/api/pco-webhook", answer)
    assert not wrong, wrong
    assert snapshot() == before, "a refused request changed the database"
    assert Queue(app.config["RQ_QUEUE"], connection=get_redis(app)).count == 0


def check_route(base, sessions, anonymous, form, method, path, permission, endpoint):
    """What each kind of visitor gets; returns the wrong answers."""
    wrong = []

    def expect(who, answer, allowed):
        if answer.status_code not in allowed or (answer.status_code == 302 and "/login" not in
                                                 answer.headers.get("Location", "")):
            wrong.append((who, method, path, answer.status_code))
        wrong.extend(missing_headers(who, method, path, answer))

    # Without a token, CSRF protection may answer first (400); either way nothing happens.
    expect("anonymous", ask(anonymous, base, method, path, form),
           (302, 400) if method == "POST" else (302,))
    if method == "POST":
        with_token = dict(form, csrf_token=anonymous.csrf)
        expect("anonymous+csrf", ask(anonymous, base, method, path, with_token), (302,))
        admin = sessions["TECH_ADMIN"]  # may do anything, but not without the token
        expect("admin without csrf", ask(admin, base, method, path, form), (400,))
    if endpoint in LOGIN_ONLY:
        return wrong
    for role, session in sessions.items():
        held = {"VIEWER": (), "STAFF": (PEOPLE_MANAGE,)}.get(role)
        if held is None or permission in held:
            continue
        data = dict(form, csrf_token=session.csrf)
        expect(role, ask(session, base, method, path, data), (403,))
    return wrong


def missing_headers(who, method, path, answer):
    """Every answer, refusals included, carries the security headers."""
    return [(who, method, path, f"no {name}") for name, value in SECURITY_HEADERS.items()
            if answer.headers.get(name) != value]


def login_attempt(session, base, email, password):
    token = csrf_from(session.get(base + "/login", timeout=10).text)
    return session.post(base + "/login", data={"email": email, "password": password,
                                               "csrf_token": token}, **NO_REDIRECT)


def test_cookies_carry_their_flags_and_guessing_is_throttled(app, live_app):
    email = make_user("admin@example.org", "TECH_ADMIN").email
    session = requests.Session()
    answer = session.post(live_app.url + "/login", **NO_REDIRECT, data={
        "email": email, "password": PASSWORD, "remember": "y",
        "csrf_token": csrf_from(session.get(live_app.url + "/login", timeout=10).text)})
    assert answer.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in answer.raw.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name], cookies[name]
    guesser = requests.Session()
    statuses = [login_attempt(guesser, live_app.url, email, f"guess {i}").status_code
                for i in range(5)]
    assert statuses == [401] * 5
    assert login_attempt(guesser, live_app.url, email, PASSWORD).status_code == 429
    assert db.session.execute(text("SELECT count(*) FROM users")).scalar() == 1


def test_over_https_the_cookies_are_secure(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://church.example.org"
    from pcosync import config as settings

    settings.secure_cookies(app.config)
    email = make_user("admin@example.org", "TECH_ADMIN").email
    token = csrf_from(client.get("/login", base_url="https://church.example.org").text)
    answer = client.post("/login", base_url="https://church.example.org", headers={
        "Referer": "https://church.example.org/login"}, data={
        "email": email, "password": PASSWORD, "remember": "y", "csrf_token": token})
    assert answer.status_code == 302
    for cookie in answer.headers.getlist("Set-Cookie"):
        assert "Secure" in cookie and "HttpOnly" in cookie, cookie
