"""pending removals and synced membership roles: local removals and role changes reach PCO

Revision ID: 194b6ac5ee3a
Revises: 297415946c71
Create Date: 2026-11-24 01:23:00.644702

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '194b6ac5ee3a'
down_revision = '297415946c71'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_removals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_pco_id', sa.String(length=40), nullable=False),
    sa.Column('person_pco_id', sa.String(length=40), nullable=False),
    sa.Column('membership_pco_id', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind in ('group', 'household')",
                       name=op.f('ck_pending_removals_kind_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_removals')),
    sa.UniqueConstraint('kind', 'parent_pco_id', 'person_pco_id',
                        name=op.f('uq_pending_removals_kind_parent_pco_id_person_pco_id'))
    )
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pco_synced_role', sa.String(length=20), nullable=True))
    # What a pull last wrote is what PCO held: linked memberships start agreed.
    op.execute("UPDATE group_memberships SET pco_synced_role = role "
               "WHERE pco_membership_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.drop_column('pco_synced_role')

    op.drop_table('pending_removals')
