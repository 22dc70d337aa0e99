"""schedules, Quick Sync cursors, managed webhook subscriptions and skipped runs

Revision ID: 5f2a9c7e1b3d
Revises: 8c1d2e3f4a5b
Create Date: 2026-11-29 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5f2a9c7e1b3d'
down_revision = '8c1d2e3f4a5b'
branch_labels = None
depends_on = None

OLD_STATUSES = "status in ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')"
NEW_STATUSES = "status in ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'SKIPPED')"


def upgrade():
    op.create_table('sync_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quick_sync_seconds', sa.Integer(), nullable=True),
    sa.Column('full_sync_at', sa.String(length=5), nullable=True),
    sa.Column('full_push_after', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint('quick_sync_seconds IS NULL OR quick_sync_seconds > 0', name=op.f('ck_sync_schedules_quick_sync_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_schedules'))
    )
    op.create_table('sync_cursors',
    sa.Column('resource', sa.String(length=40), nullable=False),
    sa.Column('position', sa.DateTime(timezone=True), nullable=False),
    sa.Column('moved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('resource', name=op.f('pk_sync_cursors'))
    )
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_secret', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('previous_secret_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('managed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reactivated_at', sa.DateTime(timezone=True), nullable=True))
    # A scheduled run that found another run going is recorded as SKIPPED.
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sync_runs_status_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_sync_runs_status_known'), NEW_STATUSES)


def downgrade():
    op.execute("DELETE FROM sync_runs WHERE status = 'SKIPPED'")
    with op.batch_alter_table('sync_runs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sync_runs_status_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_sync_runs_status_known'), OLD_STATUSES)
    with op.batch_alter_table('webhook_subscriptions', schema=None) as batch_op:
        batch_op.drop_column('reactivated_at')
        batch_op.drop_column('checked_at')
        batch_op.drop_column('managed')
        batch_op.drop_column('previous_secret_until')
        batch_op.drop_column('previous_secret')
    op.drop_table('sync_cursors')
    op.drop_table('sync_schedules')
