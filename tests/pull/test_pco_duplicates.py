"""PCO-side duplicates met by a pull: two PCO people, one email, agreeing names, become a
review item "possible duplicates in PCO", never a silent link of both to one local person."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person, ReviewItem, ReviewKind
from pcosync.services.connection import make_client
from pcosync.services.rules.contact_kinds import EMAILS
from tests.factories import make_person
from tests.support import fresh, run


@pytest.fixture
def sandbox_settings():
    return {"people": 0}


def test_two_pco_people_with_one_email_and_agreeing_names_are_asked_about(sandbox):
    client = make_client()
    twins = []
    for _ in range(2):
        twins.append(client.create_person({"first_name": "Ruth", "last_name": "Twice"})["id"])
        client.create_contact(twins[-1], "emails", "Email", EMAILS.dump(
            {"address": "ruth@example.org", "location": "Home", "is_primary": True}))
    client.close()
    ruth = make_person("Ruth", "Twice", birthdate=None, emails=["ruth@example.org"])

    assert run("People").failed_count == 0

    people = db.session.scalars(select(Person).where(Person.last_name == "Twice")).all()
    assert sorted(p.pco_id for p in people) == sorted(twins)  # one local person each
    assert fresh(Person, ruth.id).pco_id in twins
    [item] = db.session.scalars(select(ReviewItem).where(
        ReviewItem.kind == ReviewKind.PCO_DUPLICATES)).all()
    assert {item.person_id, item.other_person_id} == {p.id for p in people}
    assert "Possible duplicates in PCO" in item.summary
