"""A failed statement's text reaches a run's error (the Sync page, the alert, the log) without
the values it sent: a page's INSERT carries a hundred people's names, emails and birthdates."""
import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from pcosync.extensions import db
from pcosync.models import Person
from pcosync.services.runs.execute import describe


def test_a_database_error_names_no_value_it_was_sent(app):
    db.session.execute(insert(Person), [{"first_name": "Ann", "pco_id": "1"}])
    with pytest.raises(IntegrityError) as raised:
        db.session.execute(insert(Person), [{"first_name": "Ruth Canary", "pco_id": "1"}])
    db.session.rollback()
    assert "people" in describe(raised.value)  # the statement is still said
    assert "Ruth Canary" not in describe(raised.value)
