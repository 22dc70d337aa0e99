"""Photos taken here: checked and re-encoded on upload, served to signed-in users with caching
headers, sent to the sandbox by PCO's two-step upload once, and the echo downloads nothing."""
import io

import pytest
from PIL import Image
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Family, MediaKind, MediaSource, Person, StoredFile
from pcosync.pco.media import photo_identity
from pcosync.services.media.storage import storage
from tests.support import csrf_token, pco_person, run, sandbox_admin, stats

HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


@pytest.fixture
def sandbox_settings():
    return {"people": 3}


def jpeg_with_gps(size=(40, 30)):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825)[2] = (45.0, 30.0, 0.0)  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client, person_id, content, name="photo.jpg", owner="people"):
    token = client.token = getattr(client, "token", None) or csrf_token(
        client, f"/directory/{owner}/{person_id}")
    return client.post(f"/directory/{owner}/{person_id}/photo", follow_redirects=True,
                       content_type="multipart/form-data",
                       data={"csrf_token": token, "photo": (io.BytesIO(content), name)})


def test_a_photo_taken_here_reaches_pco_once_and_its_echo_downloads_nothing(
        app, sandbox, admin_client):
    assert run("People").status == "COMPLETED"
    person = db.session.scalar(select(Person).order_by(Person.id).limit(1))

    refused = {"HEIC/HEIF": HEIC, "not a photo that can be read": b"%PDF-1.4 not an image"}
    for reason, content in refused.items():
        assert reason in upload(admin_client, person.id, content).get_data(as_text=True)
    app.config["PHOTO_MAX_PIXELS"] = 1000
    assert "more than 1,000 pixels" in upload(admin_client, person.id, jpeg_with_gps()).get_data(
        as_text=True)
    app.config["PHOTO_MAX_PIXELS"] = 40_000_000
    assert db.session.scalar(select(StoredFile.id)) is None

    page = upload(admin_client, person.id, jpeg_with_gps()).get_data(as_text=True)
    assert "Photo saved." in page
    row = db.session.scalar(select(StoredFile))
    assert row.source == MediaSource.LOCAL and row.pushed_at is None
    kept = Image.open(io.BytesIO(storage().read(row.storage_key)))
    assert kept.format == "JPEG" and kept.size == (40, 30) and not kept.getexif()

    served = admin_client.get(f"/directory/media/{row.id}")
    assert served.status_code == 200 and served.content_type == "image/jpeg"
    assert served.headers["ETag"] == f'"{row.sha256}"'
    assert "private" in served.headers["Cache-Control"]
    assert admin_client.get(f"/directory/media/{row.id}",
                            headers={"If-None-Match": served.headers["ETag"]}).status_code == 304

    first = run("Push Photos")
    assert (first.status, first.updated_count) == ("COMPLETED", 1), first.error
    avatar = pco_person(sandbox, person.pco_id)["avatar"]
    assert "/uploads/person/" in avatar
    db.session.expire_all()
    row = db.session.get(StoredFile, row.id)
    answered = db.session.get(Person, person.id).pco_avatar_url  # as PCO's API answered it
    assert avatar.split("/uploads/")[1] in answered
    assert row.pushed_at is not None and row.identity == photo_identity(answered)
    assert run("Push Photos").updated_count == 0
    assert stats(sandbox)["by_route"]["POST /upload/v2/files"] == 1

    assert run("People").status == "COMPLETED"  # PCO's answer read back: the echo
    assert run("Media").created_count == 0
    assert sandbox_admin(sandbox, "GET", "/media")["fetches"] == {}


def test_a_household_photo_is_shown_on_the_family_page_and_one_taken_here_reaches_pco_once(
        app, sandbox, admin_client):
    household = min(sandbox.store.db.households.values(), key=lambda h: h["id"])
    household["avatar"] = "https://avatars.planningcenteronline.com/uploads/household/9/h.jpg"
    for kind in ("People", "Families", "Media"):
        assert run(kind).status == "COMPLETED"
    family = db.session.scalar(select(Family).where(
        Family.pco_household_id == str(household["id"])))
    pulled = db.session.scalar(select(StoredFile).where(StoredFile.family_id == family.id))
    page = admin_client.get(f"/directory/families/{family.id}").get_data(as_text=True)
    assert f'src="/directory/media/{pulled.id}" alt="Photo of {family.name}"' in page
    assert "Replace the photo" in page

    assert "HEIC/HEIF" in upload(admin_client, family.id, HEIC, owner="families").get_data(
        as_text=True)  # the person photo's checks, the same code
    page = upload(admin_client, family.id, jpeg_with_gps(), owner="families")
    assert "Photo saved. The next Push Photos sends it to PCO." in page.get_data(as_text=True)
    row = db.session.scalar(select(StoredFile).where(StoredFile.family_id == family.id))
    assert (row.kind, row.source, row.pushed_at) == (MediaKind.FAMILY_PHOTO,
                                                     MediaSource.LOCAL, None)

    first = run("Push Photos")
    assert (first.status, first.updated_count) == ("COMPLETED", 1), first.error
    avatar = sandbox.store.get_household(household["id"])["avatar"]  # the upload's address
    assert avatar.split("/uploads/")[1] in sandbox_admin(sandbox, "GET", "/media")["photos"][0]
    db.session.expire_all()
    assert avatar.split("/uploads/")[1] in db.session.get(Family, family.id).pco_avatar_url
    assert run("Push Photos").updated_count == 0
    assert stats(sandbox)["by_route"]["POST /upload/v2/files"] == 1
    fetched = sandbox_admin(sandbox, "GET", "/media")["fetches"]
    assert run("Families").status == "COMPLETED"  # PCO's answer read back: the echo
    assert run("Media").created_count == 0
    assert sandbox_admin(sandbox, "GET", "/media")["fetches"] == fetched
