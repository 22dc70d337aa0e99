"""Never a duplicate in PCO: a local duplicate of a linked person, or a person who matches
several PCO people, is held back for a human (the review queue) instead of being created."""
from datetime import date

from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Person, ReviewItem, ReviewKind, ReviewStatus
from pcosync.services.connection import make_client
from pcosync.services.review import actions
from pcosync.services.rules.contact_kinds import EMAILS
from pcosync.services.rules.review_items import is_held
from tests.factories import make_person
from tests.support import dump, fresh, reset_stats, run, stats

BORN = date(1979, 4, 2)


def open_items(kind):
    return db.session.scalars(select(ReviewItem).where(
        ReviewItem.kind == kind, ReviewItem.status == ReviewStatus.OPEN)).all()


def linked_ruth():
    """Ruth, pushed: PCO holds her, linked here."""
    ruth = make_person("Ruth", "Naomi", birthdate=BORN, emails=["ruth@example.org"])
    assert run("Push People").created_count == 1
    return fresh(Person, ruth.id)


def test_a_local_duplicate_of_a_linked_person_is_held_and_queued(sandbox, recorder):
    ruth = linked_ruth()
    again = make_person("Ruth", "Naomi", birthdate=BORN, emails=["Ruth@Example.org "])
    people_in_pco = dump(sandbox)["counts"]["people"]
    recorder.writes.clear()

    result = run("Push People")

    assert fresh(Person, again.id).pco_id is None
    assert recorder.matching("POST") == [] and dump(sandbox)["counts"]["people"] == people_in_pco
    [item] = open_items(ReviewKind.DUPLICATE_HERE)
    assert (item.person_id, item.other_person_id, item.pco_id) == (again.id, ruth.id, ruth.pco_id)
    assert ruth.full_name in item.summary and "id" not in item.summary.split()
    assert result.failed_count == 0
    # Held: the next push spends no request on them, and files nothing new.
    reset_stats(sandbox)
    run("Push People")
    assert stats(sandbox)["by_route"] == {}
    assert db.session.scalar(select(func.count()).select_from(ReviewItem)) == 1


def test_different_people_are_remembered_and_then_created(sandbox, recorder):
    ruth = linked_ruth()
    again = make_person("Ruth", "Naomi", birthdate=BORN, emails=["ruth@example.org"])
    run("Push People")
    [item] = open_items(ReviewKind.DUPLICATE_HERE)

    actions.different_people(item, "admin@example.org")
    result = run("Push People")

    assert result.created_count == 1
    created = fresh(Person, again.id)
    assert created.pco_id not in (None, ruth.pco_id)
    assert open_items(ReviewKind.DUPLICATE_HERE) == []  # never asked again
    assert fresh(ReviewItem, item.id).resolved_by == "admin@example.org"


def test_several_pco_candidates_are_queued_and_link_patches_the_chosen_one(sandbox, recorder):
    client = make_client()
    twins = [client.create_person({"first_name": "Lois", "last_name": "Eunice"})["id"]
             for _ in range(2)]
    for pco_id in twins:
        client.create_contact(pco_id, "emails", "Email", EMAILS.dump(
            {"address": "family@example.org", "location": "Home", "is_primary": True}))
    client.close()
    lois = make_person("Lois", "Eunice", birthdate=BORN, emails=["family@example.org"])
    recorder.writes.clear()

    run("Push People")

    assert recorder.matching("POST") == [] and fresh(Person, lois.id).pco_id is None
    [item] = open_items(ReviewKind.DUPLICATE_IN_PCO)
    assert sorted(item.details["candidates"]) == sorted(twins) and is_held(lois.id)

    actions.link(item, "admin@example.org", twins[1])
    recorder.writes.clear()
    result = run("Push People")

    assert (result.updated_count, result.created_count) == (1, 0)
    assert fresh(Person, lois.id).pco_id == twins[1]
    patched = [body for path, body in recorder.matching("PATCH", f"/people/{twins[1]}")]
    assert patched and patched[0]["data"]["attributes"]["birthdate"] == BORN.isoformat()
    assert created_people(recorder) == []


def created_people(recorder):
    return [body for path, body in recorder.matching("POST") if path == "/people/v2/people"]


def test_people_a_pull_found_ambiguous_are_not_pushed(sandbox, recorder):
    """Two local people match one PCO person: the pull links a new third one and asks; the two
    are held back from PCO until a human decides (else PCO would hold three copies)."""
    held = next(p for p in dump(sandbox)["people"] if p["emails"] and p["first_name"]
                and p["last_name"] and p["birthdate"])
    email = held["emails"][0]["address"]
    twins = [make_person(held["first_name"], held["last_name"], emails=[email],
                         birthdate=date.fromisoformat(held["birthdate"])) for _ in range(2)]
    run("People")
    items = open_items(ReviewKind.DUPLICATE_HERE)
    assert sorted(item.other_person_id for item in items) == sorted(t.id for t in twins)
    recorder.writes.clear()

    run("Push People")

    assert all(fresh(Person, twin.id).pco_id is None for twin in twins)
    assert created_people(recorder) == []
