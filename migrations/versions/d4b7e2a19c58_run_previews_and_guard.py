"""run previews and the guard: a run can be a preview (with its report), confirmed past the
guard, or stopped by it for review

Revision ID: d4b7e2a19c58
Revises: c3f81d0b6e42
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4b7e2a19c58'
down_revision = 'c3f81d0b6e42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preview', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('guard_confirmed', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('needs_review', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('report', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.drop_column('report')
        batch_op.drop_column('needs_review')
        batch_op.drop_column('guard_confirmed')
        batch_op.drop_column('preview')
