"""Two-factor sign-in: required (REQUIRE_TWO_FACTOR on) for pco.manage and notes.* holders,
enrolled on first login with recovery codes, refused codes throttled; others sign in with a
password alone."""
import pyotp
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import NOTES_VIEW, RecoveryCode
from pcosync.services.access.grants import grant
from tests.support import csrf_token, login, login_with_two_factor, make_user


@pytest.fixture
def app_2fa(app):
    app.config["REQUIRE_TWO_FACTOR"] = True
    return app


def signed_in(client):
    return client.get("/account/password").status_code == 200


def test_admin_enrols_on_first_login_then_gives_a_code(app_2fa, client, admin):
    response = login(client, admin.email)
    assert response.headers["Location"].endswith("/login/two-factor")
    assert not signed_in(client)
    page = client.get("/login/two-factor").get_data(as_text=True)
    db.session.expire_all()
    assert admin.totp_secret in page and "otpauth://" in page

    answer = login_with_two_factor(client, admin)
    assert answer.status_code == 200 and "recovery codes" in answer.get_data(as_text=True)
    assert signed_in(client)
    codes = db.session.scalars(select(RecoveryCode)).all()
    assert len(codes) == 10 and all(c.code_hash.startswith("$argon2") for c in codes)

    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    again = login_with_two_factor(client, admin)
    assert again.status_code == 302 and signed_in(client)


def test_notes_holders_need_it_and_others_do_not(app_2fa, client):
    staff = make_user("staff@example.org", "STAFF")
    assert login(client, staff.email).headers["Location"].endswith("/")
    assert signed_in(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    grant(staff.email, NOTES_VIEW)
    assert login(client, staff.email).headers["Location"].endswith("/login/two-factor")


def test_a_recovery_code_works_once(app_2fa, client, admin):
    page = login_with_two_factor(client, admin).get_data(as_text=True)
    code = page.split("<li><code>")[1].split("</code>")[0]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    for expected in (302, 401):
        login(client, admin.email)
        token = csrf_token(client, "/login/two-factor")
        answer = client.post("/login/two-factor", data={"csrf_token": token, "code": code})
        assert answer.status_code == expected
        if expected == 302:
            client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})


def test_wrong_codes_are_throttled(app_2fa, client, admin):
    login_with_two_factor(client, admin)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    login(client, admin.email)
    token = csrf_token(client, "/login/two-factor")
    answers = [client.post("/login/two-factor", data={"csrf_token": token, "code": "000000"})
               .status_code for _ in range(12)]
    assert answers[0] == 401 and 429 in answers
    right = pyotp.TOTP(admin.totp_secret).now()
    assert client.post("/login/two-factor", data={"csrf_token": token,
                                                  "code": right}).status_code == 429
