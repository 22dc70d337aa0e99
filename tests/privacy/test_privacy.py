"""A person's data on request, against the sandbox on both databases: the export holds every
kind of personal data for a person who has all of them; after an erasure no table holds their
name, email or phone; PCO no longer holds a person erased with --in-pco; and a People pull, a
Quick Sync and webhooks about an erased PCO id bring nothing back (each path says it skipped)."""
import io
import json
import logging
import zipfile

import pytest
from sqlalchemy import JSON, String, Text, cast, func, or_, select

from pcosync.extensions import db
from pcosync.models import (
    DuplicatePair, FieldChange, Person, PersonErasure, ReviewKind, SyncIssue, WebhookDelivery,
)
from pcosync.pco.errors import PCOValidationError
from pcosync.services.media import person_media
from pcosync.services.media.storage import storage
from pcosync.services.privacy.erase import erase_person
from pcosync.services.privacy.kinds import KINDS
from pcosync.services.rules.erasures import is_erased
from pcosync.services.rules.review_items import file_item
from tests.directory.custom_field_helpers import church_fields, give
from tests.factories import (
    make_family, make_group, make_meeting, make_note, make_person, make_photo, save,
)
from tests.support import csrf_from, run
from tests.webhooks.pco_events import apply_waiting, deliver, outcomes, store, tick

ZEB = {"first_name": "Zebulon", "last_name": "Quillfeather", "birthdate": "1971-03-04"}
OTTO = {"first_name": "Ottoline", "last_name": "Vexworth", "birthdate": "1975-06-07"}
ZEB_EMAIL, ZEB_PHONE = "zeb.quill@example.org", "503-555-0199"
NEEDLES = ("zebulon", "quillfeather", ZEB_EMAIL, ZEB_PHONE, "5035550199", "vexworth")


@pytest.fixture
def sandbox_settings():
    return {"people": 5, "seed": 3}


def in_pco(sandbox, attributes, email=None, phone=None):
    pco = store(sandbox)
    person = pco.create_person(attributes)
    if email:
        pco.create_contact("emails", person["id"], {"address": email, "location": "Home",
                                                    "primary": True})
    if phone:
        pco.create_contact("phone_numbers", person["id"], {"number": phone,
                                                           "location": "Mobile",
                                                           "primary": True})
    return person


def local(pco_id):
    return db.session.scalar(select(Person).where(Person.pco_id == str(pco_id)))


def give_every_kind(zeb):
    """Everything the registry knows, held about Zebulon."""
    other = make_person("Ann", "Lee")
    make_family("Quillfeather home", [zeb], address={"street_line_1": "1 Quill Lane"})
    shared = make_family("Lee family", [other, zeb])
    make_meeting(make_group("Choir", members=[(zeb, "leader")]), {zeb: True})
    give(zeb, church_fields()["Membership notes"], "Sings tenor")
    make_note(zeb)
    make_photo(zeb)
    save(DuplicatePair(person_id=min(zeb.id, other.id), other_person_id=max(zeb.id, other.id),
                       score=70, reasons=["same family"]))
    file_item(ReviewKind.DUPLICATE_HERE, "Zebulon Quillfeather looks like Ann Lee",
              f"{zeb.id}-{other.id}", person_id=zeb.id, other_person_id=other.id)
    save(SyncIssue(record_type="Person", local_id=zeb.id, reason="Zebulon Quillfeather: odd"))
    # A change to another record that names him: kept, without his name.
    save(FieldChange(record_type="family", record_id=shared.id, family_id=shared.id,
                     field="name", before="Zebulon Quillfeather's family", after="Lee family"))
    return other


def text_holding(needles):
    """(table, column) of every text column anywhere that holds one of `needles`."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text, JSON)):
                text = func.lower(cast(column, Text))
                query = select(func.count()).select_from(table).where(or_(*(
                    text.contains(needle.lower(), autoescape=True) for needle in needles)))
                if db.session.scalar(query):
                    found.append((table.name, column.name))
    return found


def test_export_then_erase_and_nothing_comes_back(app, admin_client, sandbox, caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="pcosync.privacy")
    tick(sandbox)
    zeb_pco = in_pco(sandbox, ZEB, ZEB_EMAIL, ZEB_PHONE)
    otto_pco = in_pco(sandbox, OTTO, "otto@example.org")
    zeb_id, otto_pco_id = str(zeb_pco["id"]), str(otto_pco["id"])
    assert run("People").status == "COMPLETED"
    zeb = local(zeb_id)
    other = give_every_kind(zeb)
    deliver(admin_client, sandbox, "people", zeb_pco)  # a delivery body that names him
    apply_waiting(sandbox)
    token = export_holds_every_kind(app, admin_client, zeb, zeb_id, tmp_path / "zeb.zip")
    photo_keys = [row.storage_key for row in person_media(zeb)]

    result = app.test_cli_runner().invoke(args=["people", "erase", str(zeb.id), "--yes"])
    assert result.exit_code == 0 and "PCO: not asked" in result.output, result.output
    answer = admin_client.post(f"/directory/people/{local(otto_pco_id).id}/erase",
                               data={"csrf_token": token, "in_pco": "y"}, follow_redirects=True)
    assert "PCO: deleted in PCO" in answer.get_data(as_text=True)
    assert store(sandbox).db.people.get(int(otto_pco_id)) is None
    db.session.expire_all()
    assert text_holding(NEEDLES) == []
    assert photo_keys and not any(map(storage().exists, photo_keys))  # nor the media store
    assert db.session.get(Person, other.id) is not None
    assert db.session.scalar(select(FieldChange.before).where(
        FieldChange.family_id.is_not(None), FieldChange.field == "name")) == "(erased)"
    erasures = db.session.scalars(select(PersonErasure).order_by(PersonErasure.id)).all()
    assert [(e.pco_id, e.erased_by) for e in erasures] == [
        (zeb_id, "cli"), (otto_pco_id, "admin@example.org")]
    nothing_comes_back(admin_client, sandbox, zeb_id, caplog)


def export_holds_every_kind(app, admin_client, zeb, zeb_id, path):
    """The CLI's zip and the page's download; returns the page's CSRF token."""
    result = app.test_cli_runner().invoke(
        args=["people", "export", str(zeb.id), "--out", str(path)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as archive:
        exported = json.loads(archive.read("person.json"))
    for kind in KINDS:
        held = exported[kind.name]
        assert held and (not isinstance(held, dict) or any(held.values())), kind.name
    assert exported["profile"]["first_name"] == "Zebulon"
    assert any(name.startswith("files/media/") for name in archive_names(path))
    assert exported["notes"][0]["text"] and exported["pco_id"]["pco_id"] == zeb_id
    page = admin_client.get(f"/directory/people/{zeb.id}/privacy")
    assert page.status_code == 200 and "Pastoral notes" in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    download = admin_client.post(f"/directory/people/{zeb.id}/export", data={"csrf_token": token})
    assert download.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert json.loads(archive.read("person.json"))["profile"]["last_name"] == "Quillfeather"
    return token


def archive_names(path):
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def nothing_comes_back(admin_client, sandbox, zeb_id, caplog):
    """PCO still holds Zebulon (not deleted there) and changes him: a People pull, a Quick Sync
    and webhooks about him each skip him, saying why."""
    store(sandbox).update_person(int(zeb_id), {"middle_name": "Amos"})
    caplog.clear()
    assert run("People").status == "COMPLETED"
    assert run("Quick Sync").status == "COMPLETED"
    assert local(zeb_id) is None
    skipped = [r.getMessage() for r in caplog.records if zeb_id in r.getMessage()]
    assert len(skipped) >= 2, skipped  # the pull and the Quick Sync each skipped him
    delivered = len(outcomes())
    deliver(admin_client, sandbox, "people", store(sandbox).get_person(int(zeb_id)))
    email = store(sandbox).db.contacts_of("emails", int(zeb_id))[0]
    deliver(admin_client, sandbox, "emails", email)
    apply_waiting(sandbox)
    assert [status for _, status, note in outcomes()[delivered:]] == ["ignored", "ignored"]
    assert local(zeb_id) is None
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
        WebhookDelivery.body.contains("Zebulon"))) == 0


class Refusing:
    """PCO refusing the deletion (it does for a person in another of its apps)."""

    def delete_person(self, pco_id):
        raise PCOValidationError("Person can't be deleted while in another app", 422)


def test_what_pco_refuses_is_reported_and_the_erasure_here_goes_ahead(app):
    person = make_person("Ruth", "Stroud", emails=["ruth.stroud@example.org"], pco_id="777")
    erasure = erase_person(person, "test", Refusing())
    assert erasure.record.pco_outcome.startswith("refused by PCO:")
    assert "another app" in erasure.record.pco_outcome
    assert local("777") is None and is_erased("777")
    assert text_holding(["stroud"]) == []
