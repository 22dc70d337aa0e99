"""The recipe a person's version stamp is salted with (services/rules/versions.py): it names what
turns a PCO record into a state here, so a change there makes every stamp stale."""
import pytest

from pcosync.extensions import db
from pcosync.models import FieldSync
from pcosync.pco import schemas
from pcosync.services.rules import choices, versions
from pcosync.services.rules.state import digest, person_state_from_pco
from tests.pco.test_versions import person
from tests.rules.test_custom_fields import define

# The state one PCO person loads to, by recipe. A change to loading a person or to the state
# made from the record that moves this digest must move STATE_RECIPE with it: otherwise people
# stamped under the old recipe would keep a state the new code would not make.
STATE_BY_RECIPE = {1: "b45632a9ee5d03723c9764c74c6b1a1bc74f4f53c9cd27331aa51df3e1952fc3"}


def state_digest():
    record = schemas.load_person(person())
    choices.prepare([record])
    return digest(person_state_from_pco(record))


@pytest.mark.one_database(reason="a digest of code and a record, the same on every database")
def test_a_state_the_code_makes_differently_needs_a_new_recipe(app):
    define("21", "Ministry")
    assert STATE_BY_RECIPE.get(versions.STATE_RECIPE) == state_digest(), (
        "loading a PCO person or the state made from it changed: bump STATE_RECIPE in "
        "pcosync/services/rules/versions.py and add its state here")


def recipe_after(change):
    db.session.commit()  # the recipe is kept for a transaction
    before = versions.recipe()
    change()
    db.session.commit()
    return before, versions.recipe()


@pytest.mark.one_database(reason="the recipe's inputs, read the same on every database")
def test_the_custom_fields_that_sync_and_the_date_format_are_in_the_recipe(app):
    field = define("21", "Ministry")
    changes = {
        "a field turned off": lambda: setattr(field, "sync", FieldSync.OFF),
        "a field's type": lambda: setattr(field, "data_type", "date"),
        "a new field": lambda: define("22", "Gifts"),
        "the date format": lambda: app.config.update(PCO_DATE_FORMAT="%d/%m/%Y"),
    }
    for name, change in changes.items():
        before, after = recipe_after(change)
        assert before != after, name
    before, after = recipe_after(lambda: setattr(field, "name", "Ministries"))
    assert before == after  # a name is not read into the state
