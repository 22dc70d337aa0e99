"""Behind the platform's router (TRUSTED_PROXIES=1) the client's address and scheme come from
the X-Forwarded-* headers the router appends; without it they are never believed."""
import pytest
from flask import jsonify, request, url_for

from pcosync import config as settings
from pcosync import create_app
from pcosync.security import HSTS
from tests import support
from tests.support import make_user

from .hardening import app_with, login, served

ROUTER = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def add_whoami(app):
    @app.route("/_whoami")
    def whoami():
        return jsonify(addr=request.remote_addr, scheme=request.scheme,
                       login=url_for("auth.login", _external=True))


def whoami(app, headers):
    return app.test_client().get("/_whoami", headers=headers,
                                 environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_json()


def test_without_trusted_proxies_forwarded_headers_are_ignored(app):
    add_whoami(app)
    seen = whoami(app, ROUTER)
    assert seen == {"addr": "10.0.0.2", "scheme": "http", "login": "http://localhost/login"}


def test_behind_one_trusted_proxy_the_client_and_scheme_are_the_forwarded_ones(app):
    with app_with(app, TRUSTED_PROXIES=1) as proxied:
        add_whoami(proxied)
        seen = whoami(proxied, ROUTER)
        assert seen == {"addr": "203.0.113.9", "scheme": "https",
                        "login": "https://localhost/login"}
        # A client's own X-Forwarded-For comes first; only the router's last hop is believed.
        forged = whoami(proxied, {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
        assert forged["addr"] == "203.0.113.9"


def test_the_setting_comes_from_the_environment_and_is_checked(monkeypatch, tmp_path):
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = create_app(support.test_config("sqlite://", "redis://127.0.0.1:9", tmp_path))
    assert app.config["TRUSTED_PROXIES"] == 1
    monkeypatch.setenv("TRUSTED_PROXIES", "yes")
    with pytest.raises(settings.ConfigError, match="TRUSTED_PROXIES"):
        create_app(support.test_config("sqlite://", "redis://127.0.0.1:9", tmp_path))


def test_one_guesser_behind_the_router_does_not_lock_out_the_account_owner(app):
    email = make_user("owner@example.org", "TECH_ADMIN").email
    with app_with(app, TRUSTED_PROXIES=1) as proxied, served(proxied) as base:
        guesser = {"X-Forwarded-For": "203.0.113.9"}
        statuses = [login(base, email, "a wrong guess", headers=guesser)[1].status_code
                    for _ in range(6)]
        assert statuses == [401] * 5 + [429]
        owner = {"X-Forwarded-For": "198.51.100.7"}
        assert login(base, email, headers=owner)[1].status_code == 302


def set_cookies(answer):
    return {header.split("=", 1)[0]: header for header in answer.headers.getlist("Set-Cookie")}


def log_in_with_remember(app, headers):
    make_user("admin@example.org", "TECH_ADMIN")
    client = app.test_client()
    page = client.get("/login", headers=headers)
    token = support.csrf_from(page.get_data(as_text=True))
    referer = {"Referer": "https://localhost/login"}  # Flask-WTF checks it over https
    answer = client.post("/login", headers={**headers, **referer}, data={
        "email": "admin@example.org", "password": support.PASSWORD, "remember": "y",
        "csrf_token": token})
    assert answer.status_code == 302
    return page, answer


def test_over_https_through_the_router_cookies_are_secure_and_hsts_is_sent(app):
    assert not app.config.get("PUBLIC_BASE_URL")
    with app_with(app, TRUSTED_PROXIES=1) as proxied:
        page, answer = log_in_with_remember(proxied, ROUTER)
    cookies = set_cookies(answer)
    assert set(cookies) == {"session", "remember_token"}
    assert all("; Secure" in header for header in cookies.values()), cookies
    assert "; Secure" in set_cookies(page)["session"]
    for response in (page, answer):
        assert response.headers["Strict-Transport-Security"] == HSTS


def test_a_forwarded_https_from_an_untrusted_client_changes_nothing(app):
    page, answer = log_in_with_remember(app, ROUTER)
    assert not any("Secure" in header for header in set_cookies(answer).values())
    assert "Strict-Transport-Security" not in answer.headers
