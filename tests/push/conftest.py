"""Push tests: the sandbox over HTTP (fixtures shared with tests/integration), a recorder of
the write requests it receives, and helpers that build local people, families and groups."""
import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Address, Email, Person, PhoneNumber, SyncIssue, SyncRun
from pcosync.services.runs.execute import execute_run
from pcosync.models.keys import email_key, name_key, phone_digits
from pcosync.services.runs.lifecycle import start_run
from tests.integration.conftest import live_app, sandbox, sandbox_admin  # noqa: F401 (fixtures)

WRITE_METHODS = ("POST", "PATCH", "DELETE")


class WriteRecorder:
    """WSGI middleware in front of the sandbox: keeps every write request's method, path and
    JSON body, and answers 500 to the requests a test chooses (before or after the sandbox
    applied them), the way a failing PCO would."""

    def __init__(self, app):
        self.app = app
        self.writes = []
        self.failing = []  # (predicate, applied)

    def fail(self, predicate, applied=False):
        self.failing.append((predicate, applied))

    def heal(self):
        self.failing.clear()

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if method not in WRITE_METHODS or path.startswith("/sandbox"):
            return self.app(environ, start_response)
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(raw)
        body = json.loads(raw) if raw else None
        self.writes.append((method, path, body))
        fault = next((applied for test, applied in self.failing if test(method, path, body)),
                     None)
        if fault is None:
            return self.app(environ, start_response)
        if fault:
            answer = self.app(environ, lambda *args, **kwargs: None)  # applied, answer lost
            getattr(answer, "close", lambda: None)()
        start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "application/json")])
        return [b'{"errors": [{"status": "500", "title": "Internal Server Error"}]}']

    def matching(self, method, fragment=""):
        return [(path, body) for m, path, body in self.writes if m == method and fragment in path]


@pytest.fixture
def recorder(sandbox):  # noqa: F811 (the fixture imported above)
    app = sandbox.app
    original = app.wsgi_app
    app.wsgi_app = recorder = WriteRecorder(original)
    yield recorder
    app.wsgi_app = original


def stats(server):
    return sandbox_admin(server, "GET", "/stats")


def reset_stats(server):
    sandbox_admin(server, "POST", "/stats/reset")


def dump(server):
    return sandbox_admin(server, "GET", "/dump")


def pco_person(server, pco_id):
    return next(p for p in dump(server)["people"] if p["id"] == str(pco_id))


def run(kind):
    """Start and execute a run in this process; returns the fresh SyncRun row."""
    run_id = start_run(kind).id
    execute_run(run_id)
    db.session.expire_all()
    return db.session.get(SyncRun, run_id)


def issues(run_row):
    return db.session.scalars(select(SyncIssue).where(SyncIssue.run_id == run_row.id)).all()


def make_person(first_name="Ruth", last_name="Push", emails=(), phones=(), addresses=(),
                birthdate=date(1984, 3, 9), **extra):
    """A local-only person; the first contact point of each kind is the primary one."""
    person = Person(first_name=first_name, last_name=last_name, birthdate=birthdate,
                    search_name=name_key(first_name, last_name), **extra)
    for position, address in enumerate(emails):
        person.emails.append(Email(address=address, normalized=email_key(address),
                                   location="Home", is_primary=position == 0))
    for position, number in enumerate(phones):
        person.phone_numbers.append(PhoneNumber(number=number, digits=phone_digits(number),
                                                location="Mobile", is_primary=position == 0))
    for position, values in enumerate(addresses):
        person.addresses.append(Address(location="Home", is_primary=position == 0, **values))
    db.session.add(person)
    db.session.commit()
    return person


def reload(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)
