"""Scenario 6, hostile input from PCO: malformed JSON:API records a broken (or hostile) PCO
could send, and a WSGI middleware that slips them into one page of the sandbox's people listing.

Used by tests/reliability/test_hostile_input.py and benchmarks/soak.py.
"""
import json

from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Person, SyncIssue, SyncRun
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run

from tests.support import dump

from .helpers import assert_invariants, seeded

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
NOT_UTF8 = "NOT-UTF8-MARKER"  # replaced by raw bytes that are not UTF-8 in the body


def person(pco_id, **attributes):
    return {"type": "Person", "id": pco_id,
            "attributes": dict({"first_name": "Hostile", "last_name": "Record"}, **attributes)}


# (what is wrong, the resource, whether it must become a SyncIssue)
RECORDS = (
    ("missing id", {"type": "Person", "attributes": {"first_name": "No", "last_name": "Id"}},
     True),
    ("empty id", person(""), True),
    ("id is an object", person({"$ne": None}), True),
    ("id longer than any PCO id", person("9" * 200), True),
    ("wrong type", {"type": "Household", "id": "990001", "attributes": {"name": "x"}}, True),
    ("not an object", "a string where a resource should be", True),
    ("attributes not an object", {"type": "Person", "id": "990002", "attributes": [1, 2]},
     True),
    ("huge string", person("990003", first_name="A" * 100_000), True),
    ("NUL character", person("990004", last_name="Nul\u0000Byte"), True),
    ("lone surrogate", person("990005", last_name="Half\ud800"), True),
    ("bytes that are not UTF-8", person("990006", last_name=NOT_UTF8), True),
    ("not a date", person("990007", birthdate="the day after tomorrow"), True),
    ("wrong value type", person("990008", child={"yes": True}), True),
    ("HTML in the id", dict(person(SCRIPT), attributes={"birthdate": "never"}), True),
    ("email without an address", dict(person("990009"), relationships={
        "emails": {"data": [{"type": "Email", "id": "990010"}]}}), True),
    ("unknown fields", dict(person("990011", favourite_hymn="Abide", site_administrator=True),
                            relationships={"mystery": {"data": None}}, meta={"x": 1}), False),
)
EXPECTED_ISSUES = sum(1 for _, _, issue in RECORDS if issue)
INCLUDED = ({"type": "Email", "id": "990010",
             "attributes": {"address": None, "location": "Home"}},)


class HostilePage:
    """Adds RECORDS to the first page of GET /people/v2/people (the body is rewritten)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.served = 0

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        later_page = ("offset=" in query and "offset=0" not in query
                      or "created_at%5D%5Bg" in query)  # People page by created_at
        if environ["PATH_INFO"] != "/people/v2/people" or later_page:
            return self.wsgi_app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)

        body = b"".join(self.wsgi_app(environ, capture))
        if captured["status"].startswith("200"):
            body, self.served = self.rewrite(body), self.served + 1
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], headers + [("Content-Length", str(len(body)))])
        return [body]

    @staticmethod
    def rewrite(body):
        document = json.loads(body)
        document["data"].extend(resource for _, resource, _ in RECORDS)
        document.setdefault("included", []).extend(INCLUDED)
        text = json.dumps(document)  # ASCII: NUL and surrogates travel as \u escapes
        return text.encode().replace(NOT_UTF8.encode(), b"Bad\xff\xfeBytes")


def malformed_records(app, server, seed):
    """The first page of people carries RECORDS: the run completes and each bad record is one
    SyncIssue; once PCO is healthy again, the one good extra record is tombstoned and the data
    equals PCO's. Returns the first run's outcome."""
    people = len(dump(server)["people"])
    healthy = server.app.wsgi_app
    server.app.wsgi_app = page = HostilePage(healthy)
    try:
        run_id = start_run("Full Sync").id
        execute_run(run_id)
    finally:
        server.app.wsgi_app = healthy
    run = db.session.get(SyncRun, run_id)
    with seeded(seed):
        assert page.served == 1 and run.status == "COMPLETED", run.error
        step = run.steps[0]
        issues = db.session.scalars(select(SyncIssue).where(SyncIssue.run_id == step.id)).all()
        assert (len(issues), step.failed_count) == (EXPECTED_ISSUES, EXPECTED_ISSUES), \
            [i.reason[:120] for i in issues]
        assert db.session.scalar(select(func.count()).select_from(Person)) == people + 1
        again = start_run("Full Sync").id
        assert execute_run(again) == "COMPLETED", db.session.get(SyncRun, again).error
    assert_invariants(dump(server), seed)
    return {"run_id": run_id, "people_step_id": step.id, "issues": len(issues)}
