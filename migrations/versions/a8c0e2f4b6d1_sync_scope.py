"""what syncs: the sync scope (one row), and on people the do-not-send flag (who, when) and
the time they left the pull scope

Revision ID: a8c0e2f4b6d1
Revises: c0e2a4b6d8f3
Create Date: 2026-12-08 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a8c0e2f4b6d1'
down_revision = "c0e2a4b6d8f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sync_scopes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pull_lists', sa.JSON(), nullable=False),
        sa.Column('pull_campus_pco_id', sa.String(length=40), nullable=True),
        sa.Column('pull_campus_name', sa.String(length=200), nullable=True),
        sa.Column('pull_membership', sa.String(length=120), nullable=True),
        sa.Column('pull_adults_only', sa.Boolean(), nullable=False),
        sa.Column('push_membership', sa.String(length=120), nullable=True),
        sa.Column('push_campus_id', sa.Integer(), nullable=True),
        sa.Column('push_adults_only', sa.Boolean(), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['push_campus_id'], ['campuses.id'], ondelete='SET NULL',
                                name=op.f('fk_sync_scopes_push_campus_id_campuses')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_scopes')),
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('do_not_send_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('do_not_send_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('out_of_scope_since', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('out_of_scope_since')
        batch_op.drop_column('do_not_send_by')
        batch_op.drop_column('do_not_send_at')
    op.drop_table('sync_scopes')
