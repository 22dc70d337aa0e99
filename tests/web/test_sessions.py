"""Sessions the server can end: logout ends that session and its remember-me cookie wherever
a copy of them is; a password change ends the user's other sessions; "keep me logged in"
survives a browser restart. Over real HTTP, as browsers (requests.Session) would."""
import hashlib
from datetime import timedelta

import requests
from sqlalchemy import func, select, update

from pcosync.extensions import db
from pcosync.models import UserSession, utcnow
from tests.support import PASSWORD, make_user

from tests.support import csrf_from

from .hardening import NO_REDIRECT, login, opens, served

NEW_PASSWORD = "a brand new passphrase"


def copy_of(session, only=None):
    """Another browser holding the same cookies (`only`: just those names)."""
    thief = requests.Session()
    for cookie in session.cookies:
        if only is None or cookie.name in only:
            thief.cookies.set(cookie.name, cookie.value)
    return thief


def log_out(session, base):
    token = csrf_from(session.get(base + "/", timeout=10).text)
    answer = session.post(base + "/logout", data={"csrf_token": token}, **NO_REDIRECT)
    assert answer.status_code == 302


def change_password(session, base, current=PASSWORD, new=NEW_PASSWORD):
    token = csrf_from(session.get(base + "/account/password", timeout=10).text)
    return session.post(base + "/account/password", **NO_REDIRECT, data={
        "current": current, "new": new, "confirm": new, "csrf_token": token})


def sessions_held():
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(UserSession))


def test_logout_ends_a_captured_session_cookie(app, admin):
    with served(app) as base:
        browser, _ = login(base, admin.email)
        captured = copy_of(browser, only={"session"})
        assert opens(captured, base)
        log_out(browser, base)
        assert not opens(browser, base)
        assert not opens(captured, base), "a session cookie captured before logout still works"


def test_logout_ends_a_captured_remember_me_cookie(app, admin):
    with served(app) as base:
        browser, answer = login(base, admin.email, remember=True)
        assert "remember_token" in browser.cookies
        captured = copy_of(browser, only={"remember_token"})
        log_out(browser, base)
        assert not opens(captured, base), "a remember-me cookie captured before logout works"
        assert sessions_held() == 0


def test_remember_me_keeps_the_user_logged_in_across_a_browser_restart(app, admin):
    with served(app) as base:
        browser, _ = login(base, admin.email, remember=True)
        restarted = copy_of(browser, only={"remember_token"})  # session cookies are gone
        assert [opens(restarted, base) for _ in range(3)] == [True] * 3
        assert opens(restarted, base, "/directory/people/")


def test_without_remember_me_a_browser_restart_logs_out(app, admin):
    with served(app) as base:
        browser, _ = login(base, admin.email)
        assert "remember_token" not in browser.cookies
        assert not opens(copy_of(browser, only=set()), base)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, admin):
    with served(app) as base:
        laptop, _ = login(base, admin.email)
        phone, _ = login(base, admin.email, remember=True)
        phone_after_restart = copy_of(phone, only={"remember_token"})
        answer = change_password(laptop, base)
        assert answer.status_code == 302
        assert opens(laptop, base)
        assert not opens(phone, base) and not opens(phone_after_restart, base)
        assert sessions_held() == 1
        assert login(base, admin.email)[1].status_code == 401
        assert login(base, admin.email, NEW_PASSWORD)[1].status_code == 302


def test_a_wrong_current_password_changes_nothing(app, admin):
    with served(app) as base:
        laptop, _ = login(base, admin.email)
        phone, _ = login(base, admin.email)
        assert change_password(laptop, base, current="not it").status_code == 400
        assert change_password(laptop, base, new="short").status_code == 200  # the form again
        assert opens(phone, base) and opens(laptop, base)
        assert login(base, admin.email)[1].status_code == 302


def test_an_expired_session_ends(app, admin):
    with served(app) as base:
        browser, _ = login(base, admin.email, remember=True)
        db.session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(1)))
        db.session.commit()
        assert not opens(browser, base)
        assert not opens(copy_of(browser, only={"remember_token"}), base)


def test_a_reset_from_the_command_line_ends_every_session(app, admin):
    with served(app) as base:
        browser, _ = login(base, admin.email, remember=True)
        result = app.test_cli_runner().invoke(args=[
            "users", "set-password", admin.email, "--password", NEW_PASSWORD])
        assert result.exit_code == 0, result.output
        assert not opens(browser, base)
        assert not opens(copy_of(browser, only={"remember_token"}), base)
        assert login(base, admin.email, NEW_PASSWORD)[1].status_code == 302


def test_sessions_are_stored_by_digest_only(app):
    user = make_user("someone@example.org", "STAFF")
    with served(app) as base:
        browser, _ = login(base, user.email)
    serializer = app.session_interface.get_signing_serializer(app)
    token = serializer.loads(browser.cookies["session"])["_user_id"]
    stored = db.session.scalars(select(UserSession.token_digest)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()] and token not in stored
