"""What the hardening tests share: the app served over HTTP, a second app built with other
settings on the same database, and logins as a browser makes them."""
import contextlib

import requests

from pcosync import create_app
from pcosync.extensions import db
from pco_sandbox.server import start_sandbox_in_thread
from tests import support

NO_REDIRECT = {"allow_redirects": False, "timeout": 10}


@contextlib.contextmanager
def served(app):
    """`app` over real HTTP (a thread per request, its own app context each): what a browser
    sees, with no state shared through the test's app context."""
    server = start_sandbox_in_thread(app)
    try:
        yield server.url
    finally:
        server.stop()


@contextlib.contextmanager
def app_with(app, **settings):
    """Another app on the same database and Redis, with `settings` on top."""
    config = support.test_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["REDIS_URL"],
                                 None, **settings)
    other = create_app(config)
    with other.app_context():
        yield other
        db.session.remove()
        db.engine.dispose()


def login(base, email, password=support.PASSWORD, remember=False, session=None, headers=None):
    """POST the login form as a browser; returns (requests.Session, response)."""
    session = session or requests.Session()
    token = support.csrf_from(session.get(base + "/login", timeout=10, headers=headers).text)
    data = {"email": email, "password": password, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    return session, session.post(base + "/login", data=data, headers=headers, **NO_REDIRECT)


def opens(session, base, path="/sync/"):
    """Whether the session is let in (200) rather than sent to the login page."""
    answer = session.get(base + path, **NO_REDIRECT)
    assert answer.status_code in (200, 302), answer.status_code
    return answer.status_code == 200
