"""Do not send to PCO from the directory: the people list's bulk action (mark, unmark) and a
person page's toggle, with who marked them and when."""
from pcosync.extensions import db
from pcosync.models import Person
from tests.factories import make_person
from tests.support import csrf_from


def test_mark_and_unmark_people_in_bulk_and_one_by_one(app, admin_client):
    ann, bob, cy = (make_person(first, "Lee") for first in ("Ann", "Bob", "Cy"))
    listing = admin_client.get("/directory/people/").get_data(as_text=True)
    assert 'id="do-not-send-form"' in listing and "data-confirm" in listing
    token = csrf_from(listing)

    marked = admin_client.post("/directory/people/do-not-send", follow_redirects=True, data={
        "csrf_token": token, "action": "mark", "person_id": [ann.id, bob.id, "x"]})
    assert "2 people marked do not send to PCO" in marked.get_data(as_text=True)
    db.session.expire_all()
    assert [p.do_not_send for p in (ann, bob, cy)] == [True, True, False]
    assert ann.do_not_send_by == "admin@example.org"
    page = admin_client.get(f"/directory/people/{ann.id}").get_data(as_text=True)
    assert "Never sent to PCO: marked by admin@example.org" in page
    assert "Allow sending to PCO" in page

    admin_client.post("/directory/people/do-not-send", data={
        "csrf_token": token, "action": "unmark", "person_id": ann.id,
        "back": f"/directory/people/{ann.id}"})
    db.session.expire_all()
    assert (db.session.get(Person, ann.id).do_not_send_at, bob.do_not_send) == (None, True)
