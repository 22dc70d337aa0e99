"""403, 404, 405 and 500 answer people with a plain page in the layout, and API and script
callers with JSON; a 500 rolls the session back first. CSRF's 400 and the webhook endpoint's own
answers stay theirs."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person
from tests import support

JSON_WAYS = [
    {"headers": {"Accept": "application/json"}},
    {"headers": {"X-Requested-With": "XMLHttpRequest"}},
    {"headers": {"Accept": "application/json, text/html;q=0.5"}},
]


def assert_page(response, status, title):
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html
    assert "Church Management Platform" in html  # the base layout
    assert "Traceback" not in html and "Werkzeug" not in html


def assert_json(response, status, error):
    assert response.status_code == status
    assert response.is_json and response.get_json() == {"error": error}


@pytest.fixture
def failing(app, client, admin):
    """Views that fail (added before the first request), served to a logged-in admin, with
    exceptions handled as in production rather than raised into the test."""
    def fails():
        raise RuntimeError("a bug")

    def fails_in_the_database():
        db.session.add(Person(first_name="Ann", last_name="Lee", pco_id="taken"))
        db.session.commit()
        db.session.add(Person(first_name="Bob", last_name="Lee", pco_id="taken"))
        db.session.flush()  # IntegrityError: the transaction can't be used until rolled back

    app.add_url_rule("/fails", view_func=fails)
    app.add_url_rule("/fails-in-the-database", view_func=fails_in_the_database)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    support.login(client, admin.email)
    return client


def test_404_page_for_people(client):
    assert_page(client.get("/no-such-page"), 404, "Page not found")


@pytest.mark.parametrize("way", JSON_WAYS)
def test_404_json_for_scripts(client, way):
    assert_json(client.get("/no-such-page", **way), 404, "not found")


def test_404_json_under_the_api_whatever_it_accepts(client):
    assert_json(client.get("/api/no-such-thing", headers={"Accept": "text/html"}), 404,
                "not found")


def test_404_from_a_view(admin_client):
    assert_page(admin_client.get("/directory/people/999999"), 404, "Page not found")
    assert_json(admin_client.get("/directory/people/999999", **JSON_WAYS[0]), 404, "not found")


def test_403_page_and_json(staff_client):
    assert_page(staff_client.get("/sync/"), 403, "Not allowed")
    for way in JSON_WAYS:
        assert_json(staff_client.get("/sync/", **way), 403, "forbidden")


def test_405_page_and_json_keep_the_allowed_methods(client):
    page = client.post("/login/no-such")  # not a route: 404, not 405
    assert page.status_code == 404
    page = client.delete("/login")
    assert_page(page, 405, "Not possible here")
    assert set(page.headers["Allow"].split(", ")) >= {"GET", "POST"}
    for way in JSON_WAYS:
        assert_json(client.delete("/login", **way), 405, "method not allowed")


def test_405_on_the_webhook_endpoint_is_json(client):
    answer = client.get("/api/pco-webhook")
    assert_json(answer, 405, "method not allowed")
    assert "POST" in answer.headers["Allow"]


def test_500_page_and_json(failing):
    assert_page(failing.get("/fails"), 500, "Something went wrong")
    for way in JSON_WAYS:
        assert_json(failing.get("/fails", **way), 500, "internal server error")


def test_500_rolls_back_so_the_page_can_still_use_the_database(failing):
    """The layout reads the user's permissions: after a failed flush, only a rollback lets it."""
    answer = failing.get("/fails-in-the-database")
    assert_page(answer, 500, "Something went wrong")
    assert "Log out" in answer.get_data(as_text=True)  # the layout of a logged-in user
    names = db.session.scalars(select(Person.first_name).where(Person.pco_id == "taken")).all()
    assert names == ["Ann"]


def test_csrf_refusal_stays_a_400(admin_client):
    answer = admin_client.post("/directory/people/new", data={"first_name": "Ann"})
    assert answer.status_code == 400


def test_the_webhook_endpoint_answers_its_own_json(client):
    answer = client.post("/api/pco-webhook", data=b"{}")
    assert answer.status_code == 401
    assert answer.get_json() == {"error": "missing or invalid signature"}
