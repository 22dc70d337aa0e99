"""The review queue's actions, through the real push and pull against the sandbox: merge keeps
everything on one person, link and different people are remembered, and the page acts."""
from datetime import date

from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person, ReviewItem, ReviewKind, ReviewStatus
from pcosync.services.review import actions
from tests.factories import make_family, make_group, make_person
from tests.support import csrf_token, fresh, reset_stats, run, stats

BORN = date(1979, 4, 2)


def duplicate_of_linked_ruth():
    """Ruth (linked to PCO) and a second record of her typed in here, with her own family,
    group and operational notes; the push has queued the pair."""
    ruth = make_person("Ruth", "Naomi", birthdate=BORN, emails=["ruth@example.org"],
                       allergies="latex", photo_url="https://photos.example.org/ruth.jpg")
    assert run("Push People").created_count == 1
    again = make_person("Ruth", "Naomi", birthdate=BORN, emails=["ruth@example.org"],
                        allergies="peanuts", photo_url="https://photos.example.org/other.jpg",
                        verification_status="verified")
    family = make_family("Naomi family", [again])
    group = make_group("Choir", members=[(again, "leader")])
    run("Push People")
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.kind == ReviewKind.DUPLICATE_HERE))
    return fresh(Person, ruth.id), fresh(Person, again.id), family, group, item


def test_merge_keeps_everything_on_one_person_and_the_next_syncs_are_skipped(sandbox):
    ruth, again, family, group, item = duplicate_of_linked_ruth()

    actions.merge(item, "admin@example.org", ruth.id)

    ruth, again = fresh(Person, ruth.id), fresh(Person, again.id)
    assert [e.address for e in ruth.emails] == ["ruth@example.org"]
    assert again.archived_at is not None and again.merged_into_id == ruth.id
    assert again.emails == [] and again.pco_id is None
    assert ruth.allergies == "latex\npeanuts"  # free text: both kept
    assert ruth.photo_url == "https://photos.example.org/ruth.jpg"  # the kept person's wins
    assert ruth.verification_status == "verified"  # a blank filled from the other
    assert [m.person_id for m in fresh(type(family), family.id).members] == [ruth.id]
    assert [(m.person_id, m.role) for m in fresh(type(group), group.id).memberships] == [
        (ruth.id, "leader")]
    assert fresh(ReviewItem, item.id).status == ReviewStatus.RESOLVED
    reset_stats(sandbox)
    pushed = run("Push People")
    assert (pushed.created_count, pushed.updated_count) == (0, 0)
    assert stats(sandbox)["by_route"] == {}
    pulled = run("People")  # the sandbox's other people are created; Ruth is skipped
    assert (pulled.updated_count, pulled.skipped_count) == (0, 1)


def test_merge_keeping_the_unlinked_record_takes_the_pco_link(sandbox):
    ruth, again, _, _, item = duplicate_of_linked_ruth()
    pco_id = ruth.pco_id

    actions.merge(item, "admin@example.org", again.id)

    again, ruth = fresh(Person, again.id), fresh(Person, ruth.id)
    assert again.pco_id == pco_id and ruth.pco_id is None and ruth.merged_into_id == again.id
    assert [e.pco_id for e in again.emails] == [ruth_email_pco_id(pco_id, sandbox)]


def ruth_email_pco_id(pco_id, sandbox):
    from tests.support import pco_person

    return pco_person(sandbox, pco_id)["emails"][0]["id"]


def test_two_linked_people_are_not_merged_here(sandbox):
    ann = make_person("Ann", "Lee", emails=["ann@example.org"])
    bob = make_person("Bob", "Lee", emails=["bob@example.org"])
    run("Push People")
    item = ReviewItem(kind=ReviewKind.DUPLICATE_HERE, summary="test", dedupe_key="x",
                      person_id=ann.id, other_person_id=bob.id)
    db.session.add(item)
    db.session.commit()

    try:
        actions.merge(item, "admin@example.org", ann.id)
    except actions.ReviewError as err:
        assert "merge them in PCO" in str(err)
    else:
        raise AssertionError("merged two PCO people here")
    assert fresh(Person, bob.id).archived_at is None


def test_the_page_lists_items_and_acts_with_who_and_when(sandbox, admin_client):
    ruth, again, _, _, item = duplicate_of_linked_ruth()

    page = admin_client.get("/sync/review").get_data(as_text=True)
    assert "Possible duplicates here" in page
    # The merge buttons tell the two apart in words, not by a bare id like "(13)".
    assert f"Merge, keep {ruth.full_name} (in PCO" in page
    assert f"Merge, keep {again.full_name} (made here" in page and f"({again.id})" not in page
    token = csrf_token(admin_client, "/sync/review")
    response = admin_client.post(f"/sync/review/{item.id}/different",
                                 data={"csrf_token": token})

    assert response.status_code == 302
    item = fresh(ReviewItem, item.id)
    assert (item.status, item.resolved_by) == (ReviewStatus.RESOLVED, "admin@example.org")
    assert item.resolved_at is not None
    resolved = admin_client.get("/sync/review?status=resolved").get_data(as_text=True)
    assert "Marked as different people" in resolved


def test_the_page_needs_pco_manage(staff_client):
    assert staff_client.get("/sync/review").status_code == 403
    assert staff_client.post("/sync/review/1/dismiss").status_code in (400, 403)


def test_the_people_pages_show_their_open_items_and_the_merge_pointer(sandbox, admin_client):
    ruth, again, _, _, item = duplicate_of_linked_ruth()
    page = admin_client.get(f"/directory/people/{again.id}").get_data(as_text=True)
    assert "Needs review (1)" in page and f"#item-{item.id}" in page

    actions.merge(item, "admin@example.org", ruth.id)

    page = admin_client.get(f"/directory/people/{again.id}").get_data(as_text=True)
    assert "Needs review" not in page and f"{ruth.full_name}</a>" in page
