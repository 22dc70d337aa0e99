"""A push that would add more than PUSH_CREATE_CONFIRM people to PCO stops for a confirmation
before any request; up to the limit it goes through."""
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Person
from pcosync.services.push.people import people_to_create_count
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
