"""review queue: review items, people said to be different, merged_into pointer; derived keys
backfilled for rows written without them

Revision ID: a7e3c91d5b20
Revises: 5f2a9c7e1b3d
Create Date: 2026-11-29 20:00:00

"""
import re

import sqlalchemy as sa
from alembic import op
from unidecode import unidecode

# revision identifiers, used by Alembic.
revision = 'a7e3c91d5b20'
down_revision = '5f2a9c7e1b3d'
branch_labels = None
depends_on = None

KINDS = ("duplicate_here", "duplicate_in_pco", "pco_merge", "rejected", "member_not_pulled",
         "archived_by_pco", "conflict")
STATUSES = ("open", "resolved", "dismissed")
BATCH = 1000


def _in(column, values):
    return f"{column} in ({', '.join(repr(v) for v in values)})"


def upgrade():
    op.create_table(
        'review_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('other_person_id', sa.Integer(), nullable=True),
        sa.Column('family_id', sa.Integer(), nullable=True),
        sa.Column('pco_id', sa.String(length=40), nullable=True),
        sa.Column('details', sa.JSON(), nullable=True),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by', sa.String(length=200), nullable=True),
        sa.Column('resolution', sa.Text(), nullable=True),
        sa.CheckConstraint(_in("kind", KINDS), name=op.f('ck_review_items_kind_known')),
        sa.CheckConstraint(_in("status", STATUSES), name=op.f('ck_review_items_status_known')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                                name=op.f('fk_review_items_person_id_people'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['other_person_id'], ['people.id'],
                                name=op.f('fk_review_items_other_person_id_people'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['family_id'], ['families.id'],
                                name=op.f('fk_review_items_family_id_families'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['sync_runs.id'],
                                name=op.f('fk_review_items_run_id_sync_runs'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items')),
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        for column in ('kind', 'status', 'person_id', 'other_person_id', 'family_id'):
            batch_op.create_index(batch_op.f(f'ix_review_items_{column}'), [column], unique=False)
        batch_op.create_index('uq_review_items_open_key', ['dedupe_key'], unique=True,
                              sqlite_where=sa.text("status = 'open'"),
                              postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        'distinct_people',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('other_person_id', sa.Integer(), nullable=True),
        sa.Column('other_pco_id', sa.String(length=40), nullable=True),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('(other_person_id IS NULL) != (other_pco_id IS NULL)',
                           name=op.f('ck_distinct_people_one_other')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                                name=op.f('fk_distinct_people_person_id_people'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['other_person_id'], ['people.id'],
                                name=op.f('fk_distinct_people_other_person_id_people'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_distinct_people')),
        sa.UniqueConstraint('person_id', 'other_person_id', 'other_pco_id',
                            name=op.f('uq_distinct_people_person_id_other_person_id_other_pco_id')),
    )
    with op.batch_alter_table('distinct_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distinct_people_person_id'), ['person_id'],
                              unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_people_merged_into_id_people'), 'people',
                                    ['merged_into_id'], ['id'], ondelete='SET NULL')
    backfill_derived_keys()


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_people_merged_into_id_people'), type_='foreignkey')
        batch_op.drop_column('merged_into_id')
    op.drop_table('distinct_people')
    op.drop_table('review_items')


# The normal forms as pcosync.models.keys computes them today, copied so this migration means
# the same thing whatever the code becomes later.

def _name_part(value):
    return " ".join(unidecode(value or "").casefold().split())


def _name_key(first, last):
    return f"{_name_part(first)} {_name_part(last)}".strip()


def backfill_derived_keys():
    """Rows written before the models kept their own keys (by a script, an import or another
    module) may lack them: such a person was never found by the name + birthdate match."""
    connection = op.get_bind()
    people = sa.table('people', sa.column('id'), sa.column('first_name'),
                      sa.column('last_name'), sa.column('search_name'))
    emails = sa.table('emails', sa.column('id'), sa.column('address'), sa.column('normalized'))
    phones = sa.table('phone_numbers', sa.column('id'), sa.column('number'), sa.column('digits'))
    _backfill(connection, people, 'search_name',
              lambda row: _name_key(row.first_name, row.last_name))
    _backfill(connection, emails, 'normalized', lambda row: (row.address or "").strip().lower())
    _backfill(connection, phones, 'digits', lambda row: re.sub(r"\D", "", row.number or ""))


def _backfill(connection, table, column, derive):
    """Set `column` where it differs from what `derive` computes, in batches by id."""
    last_id = 0
    while True:
        rows = connection.execute(sa.select(table).where(table.c.id > last_id)
                                  .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        last_id = rows[-1].id
        stale = [{"row_id": row.id, "value": derive(row)} for row in rows
                 if getattr(row, column) != derive(row)]
        if stale:
            connection.execute(table.update().where(table.c.id == sa.bindparam("row_id"))
                               .values({column: sa.bindparam("value")}), stale)
