"""The Media step against the sandbox over HTTP, on both databases: each photo and file is
downloaded once, PCO's generated avatars never, a killed step resumes without a repeat, and an
address that changes while the file does not costs no download."""
import pytest
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.jobs.media import queue_media_if_waiting
from pcosync.models import MediaFailure, MediaKind, Person, StoredFile, SyncRun, utcnow
from pcosync.pco.media import Downloader
from pcosync.services import media
from pcosync.services.media.pull import media_waiting
from pcosync.services.runs.execute import execute_run
from pcosync.services.media.storage import storage
from tests.support import run, sandbox_admin

PHOTO = "https://avatars.planningcenteronline.com/uploads/person/{id}-1700000000/photo.jpg"


@pytest.fixture
def sandbox_settings():
    return {"people": 6}


def give_photos(sandbox, count=2):
    """Real photos for the first `count` people and the first household, a file for the first
    person (PCO's data API)."""
    store = sandbox.store
    people = sorted(store.db.people.values(), key=lambda person: person["id"])[:count]
    for person in people:
        store.update_person(person["id"], {"avatar": PHOTO.format(id=person["id"])})
    household = next(iter(store.db.households.values()))
    household["avatar"] = "https://avatars.planningcenteronline.com/uploads/household/1/h.jpg"
    sandbox_admin(sandbox, "POST", "/field_data", {  # a file uploaded in PCO's UI
        "person_id": people[0]["id"], "field": "Background check form", "value": "form.pdf"})
    return [str(person["id"]) for person in people]


def fetches(sandbox):
    return sandbox_admin(sandbox, "GET", "/media")["fetches"]


def stored_count():
    return db.session.scalar(select(func.count(StoredFile.id)))


def test_each_file_is_downloaded_once_and_no_generated_avatar_ever(app, sandbox):
    give_photos(sandbox)
    started = utcnow()
    for kind in ("People", "Families"):
        assert run(kind).status == "COMPLETED"
    missing = media.media_only_in_pco()
    assert missing["photos"] >= 3 and missing["files"] >= 1  # the generator adds a few

    preview = run("Media", preview=True)  # says what it would download, downloads nothing
    assert preview.created_count == missing["photos"] + missing["files"]
    assert fetches(sandbox) == {} and stored_count() == 0

    # What a Quick Sync or a webhook batch does when it wrote new addresses.
    queued = queue_media_if_waiting(started, triggered_by="test")
    assert queued.kind == "Media"
    execute_run(queued.id)  # here, not in a worker: the same step
    first = db.session.get(SyncRun, queued.id)
    assert first.status == "COMPLETED", first.error
    assert not media_waiting(started)
    assert first.created_count == missing["photos"] + missing["files"] == stored_count()
    assert media.media_only_in_pco() == {"photos": 0, "files": 0}
    seen = fetches(sandbox)
    assert set(seen.values()) == {1}
    assert not any("/initials/" in path or "/static/" in path for path in seen)
    for row in db.session.scalars(select(StoredFile)):
        assert storage().read(row.storage_key)[:4] in (b"\xff\xd8\xff\xe0", b"%PDF")
        assert "initials" not in row.identity

    # Nothing changed: nothing downloaded. Every address re-signed: still nothing.
    assert run("Media").created_count == 0
    sandbox_admin(sandbox, "POST", "/media", {"resign": True})
    assert run("People").status == "COMPLETED"
    assert db.session.scalar(select(Person.pco_avatar_url).where(
        Person.pco_avatar_url.contains("/person/")).limit(1)).endswith("v=1")
    assert run("Media").created_count == 0
    assert fetches(sandbox) == seen

    someone = db.session.scalar(select(StoredFile.person_id).where(
        StoredFile.kind == MediaKind.PERSON_PHOTO).limit(1))
    person = db.session.get(Person, someone)
    keys = [row.storage_key for row in media.person_media(person)]
    assert media.erase_person_media(person) == len(keys) >= 1
    assert all(map(storage().exists, keys))  # the bytes go when the deletion commits
    db.session.commit()
    assert media.person_media(person) == [] and not any(map(storage().exists, keys))


def test_a_killed_step_resumes_without_fetching_a_file_twice(app, sandbox, monkeypatch):
    give_photos(sandbox, count=3)
    for kind in ("People", "Families"):
        run(kind)
    real_fetch, calls = Downloader.fetch, []

    def dies_on_the_third(self, url):
        calls.append(url)
        if len(calls) == 3:
            raise SystemExit("the worker was killed")
        return real_fetch(self, url)

    monkeypatch.setattr(Downloader, "fetch", dies_on_the_third)
    with pytest.raises(SystemExit):
        run("Media")
    db.session.rollback()
    assert stored_count() == 2
    monkeypatch.setattr(Downloader, "fetch", real_fetch)
    again = run("Media")
    assert again.status == "COMPLETED" and again.created_count >= 2
    assert set(fetches(sandbox).values()) == {1}
    assert media.media_only_in_pco() == {"photos": 0, "files": 0}


def test_a_failing_file_waits_for_its_next_try_and_starts_no_media_run(
        app, sandbox, admin_client):
    first = min(sandbox.store.db.people.values(), key=lambda person: person["id"])
    sandbox.store.update_person(first["id"], {"avatar": PHOTO.format(id=first["id"])})
    path = PHOTO.format(id=first["id"]).split(".com", 1)[1]
    sandbox_admin(sandbox, "POST", "/media", {"gone": [path]})  # removed from PCO's storage
    started = utcnow()
    assert run("People").status == "COMPLETED"
    queued = queue_media_if_waiting(started, triggered_by="test")
    execute_run(queued.id)
    assert db.session.get(SyncRun, queued.id).failed_count == 1
    failure = db.session.scalar(select(MediaFailure))
    assert (failure.attempts, failure.person.pco_id) == (1, str(first["id"]))
    pause = (failure.next_try_at - utcnow()).total_seconds()
    assert 0.9 * app.config["MEDIA_RETRY_SECONDS"] < pause <= app.config["MEDIA_RETRY_SECONDS"]

    # A Quick Sync that touches the person queues no Media run for a file not due yet.
    sandbox.store.update_person(first["id"], {"nickname": "Changed"})
    quick = run("Quick Sync")
    assert quick.status == "COMPLETED" and quick.updated_count >= 1
    assert queue_media_if_waiting(quick.started_at, triggered_by="test") is None
    assert run("Media").skipped_count >= 1 and fetches(sandbox)[path] == 1

    failure.next_try_at = utcnow()  # its next try has come
    db.session.commit()
    assert media_waiting(started)
    assert run("Media").failed_count == 1 and fetches(sandbox)[path] == 2
    failure = db.session.scalar(select(MediaFailure))
    assert failure.attempts == 2 and (failure.next_try_at - utcnow()).total_seconds() > pause
    page = admin_client.get("/sync/independence").get_data(as_text=True)
    name = failure.person.full_name
    assert f"The photo of {name}: " in page and "Tried 2 times" in page

    sandbox_admin(sandbox, "POST", "/media", {"gone": []})  # back: stored, failure forgotten
    failure.next_try_at = utcnow()
    db.session.commit()
    assert run("Media").created_count == 1
    assert db.session.scalar(select(MediaFailure)) is None
