"""distinct people recorded once per pair: a local pair stored smaller id first, one unique
constraint per shape (the old one on three columns let duplicates in through its NULL column)

Revision ID: c3e9f1a7b5d2
Revises: f7c9e1b3d5a8
Create Date: 2026-12-01 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3e9f1a7b5d2'
down_revision = "f7c9e1b3d5a8"
branch_labels = None
depends_on = None

OLD_UNIQUE = 'uq_distinct_people_person_id_other_person_id_other_pco_id'
LOCAL_UNIQUE = 'uq_distinct_people_person_id_other_person_id'
PCO_UNIQUE = 'uq_distinct_people_person_id_other_pco_id'
ORDERED = 'ck_distinct_people_pair_ordered'


def upgrade():
    # Both columns are read before either is written, on SQLite as on PostgreSQL: a swap.
    op.execute("UPDATE distinct_people SET person_id = other_person_id, "
               "other_person_id = person_id WHERE other_person_id < person_id")
    op.execute("DELETE FROM distinct_people WHERE other_person_id = person_id")
    # The oldest row of each pair stays (GROUP BY counts NULLs as equal).
    op.execute("DELETE FROM distinct_people WHERE id NOT IN (SELECT MIN(id) FROM distinct_people "
               "GROUP BY person_id, other_person_id, other_pco_id)")
    with op.batch_alter_table('distinct_people', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(OLD_UNIQUE), type_='unique')
        batch_op.create_unique_constraint(op.f(LOCAL_UNIQUE), ['person_id', 'other_person_id'])
        batch_op.create_unique_constraint(op.f(PCO_UNIQUE), ['person_id', 'other_pco_id'])
        batch_op.create_check_constraint(
            op.f(ORDERED), sa.text('other_person_id IS NULL OR person_id < other_person_id'))


def downgrade():
    with op.batch_alter_table('distinct_people', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(ORDERED), type_='check')
        batch_op.drop_constraint(op.f(PCO_UNIQUE), type_='unique')
        batch_op.drop_constraint(op.f(LOCAL_UNIQUE), type_='unique')
        batch_op.create_unique_constraint(op.f(OLD_UNIQUE),
                                          ['person_id', 'other_person_id', 'other_pco_id'])
