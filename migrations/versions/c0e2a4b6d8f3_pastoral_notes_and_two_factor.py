"""pastoral notes and their categories, the notes permissions, two-factor sign-in

Revision ID: c0e2a4b6d8f3
Revises: c3e9f1a7b5d2
Create Date: 2026-12-10 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c0e2a4b6d8f3'
down_revision = "c3e9f1a7b5d2"
branch_labels = None
depends_on = None

# Kept here as data: a migration must not change with the app. Held by no role.
PERMISSIONS = [("notes.view", "Read pastoral notes"),
               ("notes.manage",
                "Write, edit and delete pastoral notes, and set how note categories sync")]


def upgrade():
    op.create_table(
        'note_categories',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('pco_note_category_id', sa.String(length=40), nullable=True),
        sa.Column('sync', sa.String(length=10), server_default='pull', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("sync in ('both', 'pull', 'off')",
                           name=op.f('ck_note_categories_sync_known')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_note_categories')),
        sa.UniqueConstraint('pco_note_category_id',
                            name=op.f('uq_note_categories_pco_note_category_id')),
    )
    op.create_table(
        'notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('display_date', sa.DateTime(timezone=True), nullable=False),
        sa.Column('author_name', sa.String(length=200), nullable=True),
        sa.Column('pco_note_id', sa.String(length=40), nullable=True),
        sa.Column('pco_updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('pco_synced_hash', sa.String(length=64), nullable=True),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE',
                                name=op.f('fk_notes_person_id_people')),
        sa.ForeignKeyConstraint(['category_id'], ['note_categories.id'], ondelete='CASCADE',
                                name=op.f('fk_notes_category_id_note_categories')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notes')),
        sa.UniqueConstraint('pco_note_id', name=op.f('uq_notes_pco_note_id')),
    )
    op.create_index(op.f('ix_notes_person_id'), 'notes', ['person_id'])
    op.create_index(op.f('ix_notes_category_id'), 'notes', ['category_id'])
    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_recovery_codes_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    )
    op.create_index(op.f('ix_recovery_codes_user_id'), 'recovery_codes', ['user_id'])
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('two_factor_confirmed_at', sa.DateTime(timezone=True),
                                   nullable=True))
    permissions = sa.table("permissions", sa.column("name", sa.String),
                           sa.column("description", sa.String))
    op.bulk_insert(permissions, [dict(name=n, description=d) for n, d in PERMISSIONS])


def downgrade():
    op.execute(sa.text("DELETE FROM permissions WHERE name IN ('notes.view', 'notes.manage')"))
    with op.batch_alter_table('users') as batch:
        batch.drop_column('two_factor_confirmed_at')
        batch.drop_column('totp_secret')
    op.drop_index(op.f('ix_recovery_codes_user_id'), table_name='recovery_codes')
    op.drop_table('recovery_codes')
    op.drop_index(op.f('ix_notes_category_id'), table_name='notes')
    op.drop_index(op.f('ix_notes_person_id'), table_name='notes')
    op.drop_table('notes')
    op.drop_table('note_categories')
