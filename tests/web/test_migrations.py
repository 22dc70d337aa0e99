"""The schema comes from migrations: one head, upgrade from empty, models == migrations."""
from datetime import datetime, timezone

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text

from pcosync import create_app
from pcosync.extensions import db

WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)
SORT_INDEX = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE name = 'ix_people_sort_name'",
    "postgresql": "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_people_sort_name'",
}


def test_single_head(app):
    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_on_empty_database_builds_schema_matching_models(empty_database):
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
            # SQLite's reflection skips an index on expressions: looked up by name instead.
            assert conn.scalar(text(SORT_INDEX[db.engine.dialect.name])) == 1
        from pcosync.models import Role

        tech_admin = db.session.scalar(select(Role).where(Role.name == "TECH_ADMIN"))
        assert {p.name for p in tech_admin.permissions} == {
                "pco.manage", "people.manage", "people.sensitive", "people.privacy"}
        db.session.remove()
        db.engine.dispose()


def test_every_pco_id_column_is_unique(empty_database):
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database})
    with app.app_context():
        flask_migrate.upgrade()
        inspector = inspect(create_engine(empty_database))
        expected = {"people": "pco_id", "emails": "pco_id", "phone_numbers": "pco_id",
                    "addresses": "pco_id", "families": "pco_household_id",
                    "groups": "pco_group_id", "group_memberships": "pco_membership_id",
                    "webhook_deliveries": "delivery_id"}
        for table, column in expected.items():
            uniques = [u["column_names"] for u in inspector.get_unique_constraints(table)]
            uniques += [i["column_names"] for i in inspector.get_indexes(table) if i["unique"]]
            assert [column] in uniques, table
        db.engine.dispose()


BEFORE_GENDER_NAMES = "e5c2a8f4d1b7"


def insert_as_then(model, rows):
    """Insert `rows` with only the columns the table has at this revision (the model may have
    more by now); returns their ids."""
    present = {column["name"] for column in inspect(db.engine).get_columns(model.__tablename__)}
    ids = []
    for row in rows:
        values = {column.name: getattr(row, column.key) for column in model.__table__.columns
                  if column.name in present and getattr(row, column.key) is not None}
        result = db.session.execute(model.__table__.insert().values(values))
        ids.append(result.inserted_primary_key[0])
    return ids


def test_gender_letters_become_pcos_names_and_the_person_does_not_look_changed(empty_database):
    """b7d1e0a2c4f6: M and F become Male and Female in the rows, the synced state (its hash
    recomputed) and open conflicts; a person agreed with PCO is still agreed after it (no
    push, no pull change). Downgrade gives the rows their letters back."""
    from pcosync.models import Person, ReviewItem, ReviewKind
    from pcosync.services.history.context import paused
    from pcosync.services.rules.state import digest, person_hash_from_local, person_state_from_local

    app = create_app({"TESTING": True, "DATABASE_URL": empty_database})
    with app.app_context(), paused():  # the history table comes after this revision
        flask_migrate.upgrade(revision=BEFORE_GENDER_NAMES)
        agreed = Person(first_name="Ann", last_name="Lee", gender="F", pco_id="1",
                        status="active", child=False)  # as a flush would default them
        others = [Person(first_name="Bo", last_name="Lee", gender=gender)
                  for gender in ("M", None, "Nonbinary")]
        agreed.pco_synced_state = person_state_from_local(agreed)
        agreed.pco_synced_hash = digest(agreed.pco_synced_state)
        ids = insert_as_then(Person, [agreed, *others])
        db.session.add(ReviewItem(kind=ReviewKind.CONFLICT, summary="gender", dedupe_key="g",
                                  person_id=ids[1], details={
                                      "field": "gender", "local": "M", "remote": "Female",
                                      "kind": None}))
        db.session.commit()
        db.session.remove()

        flask_migrate.upgrade()
        genders = {row.id: row.gender for row in db.session.scalars(select(Person))}
        assert [genders[i] for i in ids] == ["Female", "Male", None, "Nonbinary"]
        person = db.session.get(Person, ids[0])
        assert person.pco_synced_state["gender"] == "Female"
        assert person.pco_synced_hash == digest(person.pco_synced_state)
        assert person_hash_from_local(person) == person.pco_synced_hash  # nothing to push
        details = db.session.scalar(select(ReviewItem)).details
        assert (details["local"], details["remote"]) == ("Male", "Female")
        db.session.remove()

        flask_migrate.downgrade(revision=BEFORE_GENDER_NAMES)
        rows = db.session.execute(text("SELECT id, gender FROM people")).all()
        assert [dict(rows)[i] for i in ids] == ["F", "M", None, "Nonbinary"]
        db.session.remove()
        db.engine.dispose()


def test_distinct_people_upgrade_keeps_the_oldest_row_of_each_pair(empty_database):
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database})
    with app.app_context():
        flask_migrate.upgrade(revision="e5c2a8f4d1b7")
        with db.engine.begin() as conn:
            for name in ("Ann", "Bob", "Cy"):
                conn.execute(text("INSERT INTO people (first_name, last_name, search_name, "
                                  "status, child, created_at, updated_at) VALUES (:n, 'Lee', "
                                  ":n, 'active', false, :t, :t)"), {"n": name, "t": WHEN})
            for person, other, pco_id in [(1, 2, None), (2, 1, None), (1, 2, None), (3, 1, None),
                                          (1, None, "71"), (1, None, "71"), (2, None, "71")]:
                conn.execute(text("INSERT INTO distinct_people (person_id, other_person_id, "
                                  "other_pco_id, decided_by, decided_at) VALUES (:p, :o, "
                                  ":pco, 'admin', :t)"),
                             {"p": person, "o": other, "pco": pco_id, "t": WHEN})
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, person_id, other_person_id, other_pco_id "
                                     "FROM distinct_people ORDER BY id")).all()
        assert rows == [(1, 1, 2, None), (4, 1, 3, None), (5, 1, None, "71"), (7, 2, None, "71")]
        db.session.remove()
        db.engine.dispose()
