from tests.support import PASSWORD, csrf_token, login


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="csrf_token"' in response.data


def test_login_and_logout(client, admin):
    response = login(client, admin.email)
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    token = csrf_token(client, "/")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_bad_password_is_refused(client, admin):
    token = csrf_token(client)
    response = client.post("/login", data={"email": admin.email, "password": "wrong",
                                           "csrf_token": token})
    assert response.status_code == 401
    assert b"Wrong email or password" in response.data
    assert client.get("/").status_code == 302


def test_email_is_case_insensitive(client, admin):
    login(client, admin.email.upper())
    assert client.get("/").status_code == 200


def test_next_to_this_site_is_followed(client, admin):
    token = csrf_token(client, "/login?next=/sync/")
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                           "next": "/sync/", "csrf_token": token})
    assert response.headers["Location"] == "/sync/"


def test_next_to_another_host_is_refused(client, admin):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example",
                   "javascript:alert(1)", "http:/evil.example"):
        client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
        token = csrf_token(client)
        response = client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                               "next": target, "csrf_token": token})
        assert response.status_code == 302
        assert response.headers["Location"] == "/", target


def test_form_post_without_csrf_token_is_rejected(client, admin):
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_logout_without_csrf_token_is_rejected(client, admin):
    login(client, admin.email)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_session_cookie_is_httponly_and_samesite(client, admin):
    response = login(client, admin.email)
    cookie = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")][0]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_repeated_failed_logins_are_throttled(client, admin):
    for _ in range(5):
        token = csrf_token(client)
        client.post("/login", data={"email": admin.email, "password": "nope",
                                    "csrf_token": token})
    token = csrf_token(client)
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.data


def test_passwords_are_hashed_with_argon2id(admin):  # strength: tests/web/test_passwords.py
    assert admin.password_hash.startswith("$argon2id$")
    assert PASSWORD not in admin.password_hash


def test_inactive_user_cannot_log_in(client, admin):
    from pcosync.extensions import db

    admin.active = False
    db.session.commit()
    token = csrf_token(client)
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 401
