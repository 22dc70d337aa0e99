"""Each vocabulary is one enum: the CHECK on its column is built from it, and the database
refuses a value outside it (on both databases)."""
import pytest
from sqlalchemy import CheckConstraint
from sqlalchemy.exc import IntegrityError

from pcosync.extensions import db
from pcosync.models import FieldDefinition, FieldSync, GroupMembership, GroupRole, Person
from pcosync.models import PersonStatus
from pcosync.models.enums import check_in
from tests.factories import make_group, make_person

CHECKED = [(Person, "status_known", "status", PersonStatus),
           (GroupMembership, "role_known", "role", GroupRole),
           (FieldDefinition, "sync_known", "sync", FieldSync)]


@pytest.mark.parametrize("model,name,column,enum", CHECKED)
def test_the_check_is_built_from_the_enum(model, name, column, enum):
    checks = {c.name: str(c.sqltext) for c in model.__table__.constraints
              if isinstance(c, CheckConstraint)}
    assert checks[f"ck_{model.__tablename__}_{name}"] == check_in(column, enum)


def test_the_database_refuses_a_status_or_role_outside_the_enum(app):
    person = make_person()
    person.status = "retired"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    group = make_group(members=[(make_person("Bo", "Lee"), GroupRole.LEADER)])
    group.memberships[0].role = "owner"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
