"""name equivalences the church adds, duplicate pairs the finder found, and the review kind
"possible duplicates in PCO"

Revision ID: e6b8d0f2a4c9
Revises: d5a7c9e1f3b8
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e6b8d0f2a4c9'
down_revision = "d5a7c9e1f3b8"
branch_labels = None
depends_on = None

KINDS = ("duplicate_here", "duplicate_in_pco", "pco_merge", "rejected", "member_not_pulled",
         "archived_by_pco", "conflict")
NEW_KINDS = KINDS + ("pco_duplicates",)


def _in(column, values):
    return f"{column} in ({', '.join(repr(v) for v in values)})"


def upgrade():
    op.create_table(
        'name_equivalences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('other_name', sa.String(length=120), nullable=False),
        sa.Column('added_by', sa.String(length=200), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind in ('first', 'last')",
                           name=op.f('ck_name_equivalences_kind_known')),
        sa.CheckConstraint('name < other_name', name=op.f('ck_name_equivalences_ordered')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_name_equivalences')),
        sa.UniqueConstraint('kind', 'name', 'other_name',
                            name=op.f('uq_name_equivalences_kind_name_other_name')),
    )
    op.create_table(
        'duplicate_pairs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('other_person_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved_by', sa.String(length=200), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status in ('open', 'merged', 'different', 'dismissed')",
                           name=op.f('ck_duplicate_pairs_status_known')),
        sa.CheckConstraint('person_id < other_person_id', name=op.f('ck_duplicate_pairs_ordered')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE',
                                name=op.f('fk_duplicate_pairs_person_id_people')),
        sa.ForeignKeyConstraint(['other_person_id'], ['people.id'], ondelete='CASCADE',
                                name=op.f('fk_duplicate_pairs_other_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_pairs')),
        sa.UniqueConstraint('person_id', 'other_person_id',
                            name=op.f('uq_duplicate_pairs_person_id_other_person_id')),
    )
    with op.batch_alter_table('duplicate_pairs', schema=None) as batch_op:
        for column in ('other_person_id', 'score', 'status'):
            batch_op.create_index(batch_op.f(f'ix_duplicate_pairs_{column}'), [column],
                                  unique=False)
    _review_kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM review_items WHERE kind = 'pco_duplicates'")
    _review_kinds(KINDS)
    op.drop_table('duplicate_pairs')
    op.drop_table('name_equivalences')


def _review_kinds(kinds):
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_review_items_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_review_items_kind_known'), _in("kind", kinds))
