"""PCO Sync -> Note categories: the per-category sync setting (both ways, pull only, off) saved
from one form by a pco.manage user; a category PCO does not know can't sync both ways; a
tampered form changes nothing and gets a clear message; no note text on the page."""
from pcosync.extensions import db
from pcosync.models import FieldSync, NoteCategory
from tests.factories import NOTE_TEXT, make_note, make_person
from tests.support import csrf_token


def test_categories_are_set_from_one_form_and_bad_settings_are_refused(admin_client):
    make_note(make_person("Ann", "Lee"))
    care = db.session.query(NoteCategory).one()
    care.pco_note_category_id = "501"
    local = NoteCategory(name="Kept here")
    db.session.add(local)
    db.session.commit()

    page = admin_client.get("/sync/note-categories").get_data(as_text=True)
    assert "Pastoral Care" in page and "Kept here" in page and NOTE_TEXT not in page

    response = admin_client.post("/sync/note-categories", data={
        "csrf_token": csrf_token(admin_client, "/sync/note-categories"),
        f"sync-{care.id}": "both", f"sync-{local.id}": "both", "sync-99999": "off",
        "sync-x": "pull"}, follow_redirects=True)

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pastoral Care now syncs both ways" in body and "The next Push Notes" in body
    assert "Kept here can" in body and "not here" in body
    db.session.expire_all()
    assert (db.session.get(NoteCategory, care.id).sync,
            db.session.get(NoteCategory, local.id).sync) == (FieldSync.BOTH, FieldSync.PULL)
