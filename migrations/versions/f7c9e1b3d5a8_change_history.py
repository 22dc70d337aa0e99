"""change history: one row per changed field of a synced record, and the people.sensitive
permission (held by TECH_ADMIN) that shows sensitive fields' history

Revision ID: f7c9e1b3d5a8
Revises: e6b8d0f2a4c9
Create Date: 2026-12-06 12:15:29.078582

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7c9e1b3d5a8'
down_revision = "e6b8d0f2a4c9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('field_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('family_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('delivery_id', sa.String(length=80), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reverts_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source in ('pull', 'quick sync', 'webhook', 'push', 'review', 'directory', 'revert', 'other')", name=op.f('ck_field_changes_source_known')),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_field_changes_family_id_families'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_field_changes_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_field_changes_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['sync_runs.id'], name=op.f('fk_field_changes_run_id_sync_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_field_changes_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_changes'))
    )
    with op.batch_alter_table('field_changes', schema=None) as batch_op:
        batch_op.create_index('ix_field_changes_changed_at', ['changed_at'], unique=False)
        batch_op.create_index('ix_field_changes_family', ['family_id', 'id'], unique=False, sqlite_where=sa.text('family_id IS NOT NULL'), postgresql_where=sa.text('family_id IS NOT NULL'))
        batch_op.create_index('ix_field_changes_group', ['group_id', 'id'], unique=False, sqlite_where=sa.text('group_id IS NOT NULL'), postgresql_where=sa.text('group_id IS NOT NULL'))
        batch_op.create_index('ix_field_changes_person', ['person_id', 'id'], unique=False, sqlite_where=sa.text('person_id IS NOT NULL'), postgresql_where=sa.text('person_id IS NOT NULL'))
        batch_op.create_index('ix_field_changes_record', ['record_type', 'record_id', 'id'], unique=False)
        batch_op.create_index('ix_field_changes_reverts', ['reverts_id'], unique=False, sqlite_where=sa.text('reverts_id IS NOT NULL'), postgresql_where=sa.text('reverts_id IS NOT NULL'))
        batch_op.create_index('ix_field_changes_run', ['run_id', 'id'], unique=False, sqlite_where=sa.text('run_id IS NOT NULL'), postgresql_where=sa.text('run_id IS NOT NULL'))

    _grant_sensitive()


PERMISSION = "people.sensitive"


def _grant_sensitive():
    permissions = sa.table("permissions", sa.column("id", sa.Integer),
                           sa.column("name", sa.String), sa.column("description", sa.String))
    op.bulk_insert(permissions, [{"name": PERMISSION, "description":
                                  "See sensitive fields (medical notes) and their history"}])
    op.execute(sa.text(
        "INSERT INTO role_permissions (role_id, permission_id) "
        "SELECT roles.id, permissions.id FROM roles, permissions "
        "WHERE roles.name = 'TECH_ADMIN' AND permissions.name = :name").bindparams(name=PERMISSION))


def downgrade():
    op.execute(sa.text(
        "DELETE FROM role_permissions WHERE permission_id IN "
        "(SELECT id FROM permissions WHERE name = :name)").bindparams(name=PERMISSION))
    op.execute(sa.text("DELETE FROM permissions WHERE name = :name").bindparams(name=PERMISSION))
    with op.batch_alter_table('field_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_field_changes_run', sqlite_where=sa.text('run_id IS NOT NULL'), postgresql_where=sa.text('run_id IS NOT NULL'))
        batch_op.drop_index('ix_field_changes_reverts', sqlite_where=sa.text('reverts_id IS NOT NULL'), postgresql_where=sa.text('reverts_id IS NOT NULL'))
        batch_op.drop_index('ix_field_changes_record')
        batch_op.drop_index('ix_field_changes_person', sqlite_where=sa.text('person_id IS NOT NULL'), postgresql_where=sa.text('person_id IS NOT NULL'))
        batch_op.drop_index('ix_field_changes_group', sqlite_where=sa.text('group_id IS NOT NULL'), postgresql_where=sa.text('group_id IS NOT NULL'))
        batch_op.drop_index('ix_field_changes_family', sqlite_where=sa.text('family_id IS NOT NULL'), postgresql_where=sa.text('family_id IS NOT NULL'))
        batch_op.drop_index('ix_field_changes_changed_at')

    op.drop_table('field_changes')
