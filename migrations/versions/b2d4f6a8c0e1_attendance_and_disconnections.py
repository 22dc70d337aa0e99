"""group attendance (events, attendance lines, the passes and chunks that read them) and the
record of disconnects from PCO

Revision ID: b2d4f6a8c0e1
Revises: a8c0e2f4b6d1
Create Date: 2026-12-06 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b2d4f6a8c0e1'
down_revision = "a8c0e2f4b6d1"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        'group_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('starts_at', TZ, nullable=True),
        sa.Column('ends_at', TZ, nullable=True),
        sa.Column('canceled', sa.Boolean(), nullable=False),
        sa.Column('pco_event_id', sa.String(length=40), nullable=False),
        sa.Column('created_at', TZ, nullable=False),
        sa.Column('updated_at', TZ, nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], ondelete='CASCADE',
                                name=op.f('fk_group_events_group_id_groups')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_group_events')),
        sa.UniqueConstraint('pco_event_id', name=op.f('uq_group_events_pco_event_id')),
    )
    op.create_index(op.f('ix_group_events_group_id'), 'group_events', ['group_id'])
    op.create_index(op.f('ix_group_events_starts_at'), 'group_events', ['starts_at'])
    op.create_table(
        'attendances',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('attended', sa.Boolean(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=True),
        sa.Column('pco_attendance_id', sa.String(length=40), nullable=False),
        sa.Column('created_at', TZ, nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['group_events.id'], ondelete='CASCADE',
                                name=op.f('fk_attendances_event_id_group_events')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE',
                                name=op.f('fk_attendances_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances')),
        sa.UniqueConstraint('pco_attendance_id', name=op.f('uq_attendances_pco_attendance_id')),
        sa.UniqueConstraint('event_id', 'person_id',
                            name=op.f('uq_attendances_event_id_person_id')),
    )
    op.create_index(op.f('ix_attendances_person_id'), 'attendances', ['person_id'])
    op.create_table(
        'attendance_passes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('started_at', TZ, nullable=False),
        sa.Column('reads_from', TZ, nullable=True),
        sa.Column('reads_until', TZ, nullable=False),
        sa.Column('finished_at', TZ, nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_passes')),
    )
    op.create_table(
        'attendance_chunks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pass_id', sa.Integer(), nullable=False),
        sa.Column('group_pco_id', sa.String(length=40), nullable=False),
        sa.Column('requests', sa.Integer(), nullable=False),
        sa.Column('finished_at', TZ, nullable=False),
        sa.ForeignKeyConstraint(['pass_id'], ['attendance_passes.id'], ondelete='CASCADE',
                                name=op.f('fk_attendance_chunks_pass_id_attendance_passes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_chunks')),
        sa.UniqueConstraint('pass_id', 'group_pco_id',
                            name=op.f('uq_attendance_chunks_pass_id_group_pco_id')),
    )
    op.create_table(
        'disconnections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('disconnected_at', TZ, nullable=False),
        sa.Column('disconnected_by', sa.String(length=200), nullable=False),
        sa.Column('subscriptions_deleted', sa.Integer(), nullable=False),
        sa.Column('schedules_turned_off', sa.Integer(), nullable=False),
        sa.Column('left_in_pco', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_disconnections')),
    )


def downgrade():
    op.drop_table('disconnections')
    op.drop_table('attendance_chunks')
    op.drop_table('attendance_passes')
    op.drop_index(op.f('ix_attendances_person_id'), table_name='attendances')
    op.drop_table('attendances')
    op.drop_index(op.f('ix_group_events_starts_at'), table_name='group_events')
    op.drop_index(op.f('ix_group_events_group_id'), table_name='group_events')
    op.drop_table('group_events')
