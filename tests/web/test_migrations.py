"""The schema comes from migrations: one head, upgrade from empty, models == migrations."""
import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select

from pcosync import create_app
from pcosync.extensions import db


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
        from pcosync.models import Role

        tech_admin = db.session.scalar(select(Role).where(Role.name == "TECH_ADMIN"))
        assert {p.name for p in tech_admin.permissions} == {
                "pco.manage", "people.manage", "people.sensitive"}
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
