"""A person marked "do not send to PCO" is never written to PCO, by any path that writes:
people (create, update, contact points, custom fields), households and their members, group
memberships, and what a review action starts. Asserted on the sandbox's write log."""
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Email, Group, GroupMembership, Person, ReviewItem, ReviewKind, utcnow
from pcosync.services.review import actions
from pcosync.services.rules.scope import may_send, why_not_sent
from tests.factories import make_family, make_person
from tests.support import dump, fresh, run


def hold(person):
    person.do_not_send_at, person.do_not_send_by = utcnow(), "admin@example.org"
    db.session.commit()
    return person


def writes_about(recorder, pco_id, name):
    """Write requests naming a PCO person by id (path or body) or by name."""
    return [(method, path) for method, path, body in recorder.writes
            if f"/{pco_id}" in path or f'"{pco_id}"' in str(body).replace("'", '"')
            or name in str(body)]


def linked_person_with_edits():
    """A pulled person, held back, then edited here every way a push would send."""
    person = db.session.scalars(select(Person).where(Person.pco_id.is_not(None))
                                .order_by(Person.id)).first()
    hold(person)
    person.last_name, person.nickname = "Heldback", "Held"
    person.emails.append(Email(address="held@example.org", is_primary=not person.emails))
    db.session.commit()
    return person


def test_a_held_person_is_never_written_by_any_push(sandbox, recorder):
    run("Full Sync")
    linked = linked_person_with_edits()
    new_held = hold(make_person("Never", "Sent", emails=["never.sent@example.org"]))
    welcome = make_person("Welcome", "Sent", emails=["welcome.sent@example.org"])
    make_family("Held household", [new_held, linked, welcome])
    group = db.session.scalars(select(Group).where(Group.pco_group_id.is_not(None))).first()
    group.memberships.append(GroupMembership(person=new_held, role="member"))
    group.memberships.append(GroupMembership(person=welcome, role="member"))
    db.session.commit()
    recorder.writes.clear()

    pushed = run("Full Push")

    assert pushed.status == "COMPLETED", pushed.error
    assert writes_about(recorder, linked.pco_id, "Heldback") == []
    assert writes_about(recorder, "never", "Never") == []
    assert not [p for p in dump(sandbox)["people"] if p["last_name"] in ("Sent", "Heldback")
                and p["first_name"] == "Never"]
    # The others still go: the household holds Welcome alone, with a group membership.
    assert fresh(Person, welcome.id).pco_id
    assert fresh(Person, new_held.id).pco_id is None
    assert recorder.matching("POST", "/households")
    assert recorder.matching("POST", f"/groups/{group.pco_group_id}/memberships")


def test_a_review_link_of_a_held_person_writes_nothing(sandbox, recorder):
    run("Full Sync")
    pco_id = dump(sandbox)["people"][0]["id"]
    held = hold(make_person("Linked", "Byhand", emails=["linked.byhand@example.org"]))
    item = ReviewItem(kind=ReviewKind.DUPLICATE_IN_PCO, summary="may be in PCO",
                      dedupe_key=f"Person:{held.id}", person_id=held.id,
                      details={"candidates": [pco_id]})
    db.session.add(item)
    db.session.commit()
    local = db.session.scalar(select(Person).where(Person.pco_id == pco_id))
    local.pco_id = None  # free the PCO id so the link is allowed
    db.session.commit()
    actions.link(item, "admin@example.org", pco_id)
    recorder.writes.clear()

    run("Push People")

    assert writes_about(recorder, pco_id, "Byhand") == []


def test_the_one_check_names_the_reason(app):
    person = hold(make_person("Quiet", "Please"))
    assert not may_send(person)
    assert why_not_sent(person) == "Quiet Please is marked do not send to PCO"
    assert may_send(make_person("Loud", "Ok"))


def test_the_scope_reads_as_one_sentence(app):
    from pcosync.models import SyncScope
    from pcosync.services.rules.scope import SCOPE_ROW_ID
    from pcosync.services.settings.scope import sentence
    assert sentence() == "Everyone in PCO; never sent to PCO: 0 people."
    hold(make_person("Quiet", "Please"))
    db.session.add(SyncScope(id=SCOPE_ROW_ID, pull_adults_only=True, pull_campus_name="North",
                             pull_campus_pco_id="7", pull_lists=[
                                 {"pco_id": "1", "name": "Members"},
                                 {"pco_id": "2", "name": "Regular attenders"}]))
    db.session.commit()
    assert sentence() == ("People in the PCO lists “Members” or “Regular attenders”, campus "
                          "“North”, adults only; never sent to PCO: 1 person.")
