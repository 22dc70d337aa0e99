"""A push that would add more than PUSH_CREATE_CONFIRM people to PCO stops for a confirmation
before any request; up to the limit it goes through. A push preview says how many people it
would add and names those it holds back."""
import re

from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Person, SyncScope, utcnow
from pcosync.services.push.people import people_to_create_count
from pcosync.services.rules.scope import SCOPE_ROW_ID
from tests.factories import make_person
from tests.support import run, stats


WORDS = ("Amber", "Basil", "Cedar", "Dune", "Ember", "Fjord", "Grove", "Heath", "Iris", "Juniper")


def new_people(count):
    # Names far apart, so the look-up before creating holds none of them as a near duplicate.
    db.session.add_all([Person(first_name=f"{WORDS[i % 10]}{WORDS[i // 10 % 10]}",
                               last_name=f"{WORDS[i // 100]}{WORDS[i % 7]}{i}")
                        for i in range(count)])
    db.session.commit()


def test_101_new_people_stop_for_a_confirmation(app, sandbox):
    new_people(101)
    assert people_to_create_count() == 101

    stopped = run("Push People")

    assert stopped.status == "FAILED" and stopped.needs_review
    assert "add 101 Person records to PCO" in stopped.error
    assert stats(sandbox)["total"] == 0
    confirmed = run("Push People", confirmed=True)
    assert confirmed.status == "COMPLETED" and confirmed.created_count == 101


def test_100_new_people_go_through(app, sandbox):
    new_people(100)

    result = run("Push People")

    assert result.status == "COMPLETED" and result.created_count == 100
    assert db.session.scalar(select(func.count()).select_from(Person)
                             .where(Person.pco_id.is_(None))) == 0


def test_a_push_preview_says_whom_it_adds_and_whom_it_holds(admin_client, make_sandbox):
    make_sandbox(people=10, seed=3)
    new_people(3)
    for first_name in ("Kit", "Tom"):  # outside the push scope: adults only
        make_person(first_name, "Young", child=True)
    make_person("Quinn", "Quiet", do_not_send_at=utcnow(), do_not_send_by="admin@example.org")
    db.session.add(SyncScope(id=SCOPE_ROW_ID, push_adults_only=True))
    db.session.commit()

    preview = run("Push People", preview=True)

    assert preview.status == "COMPLETED", preview.error
    assert preview.report["push_headcount"]["creates"] == 3
    page = admin_client.get(f"/sync/runs/{preview.id}").get_data(as_text=True)
    assert text_of(page, "push-headcount") == (
        "Push People would add 3 people to PCO; 2 are outside what syncs (Kit Young, Tom "
        "Young); 1 is marked do not send (Quinn Quiet).")
    sync_page = admin_client.get("/sync/").get_data(as_text=True)
    assert text_of(sync_page, "push-creates") == "Push People would add 3 people to PCO"


def text_of(html, element_id):
    """The text of the element with this id (tags dropped, spaces as a reader sees them)."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(p|span)>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", found).split())
