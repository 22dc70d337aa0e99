"""person erasures (when, by whom, which PCO id: no personal data) and the people.privacy
permission, granted to TECH_ADMIN

Revision ID: b9d1f3a5c7e2
Revises: b3d5f7a9c1e2
Create Date: 2026-12-06 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b9d1f3a5c7e2'
down_revision = "b3d5f7a9c1e2"
branch_labels = None
depends_on = None

# Kept here as data: a migration must not change with the app.
PERMISSION = ("people.privacy",
              "Export everything held about a person, and erase a person here and in PCO")


def upgrade():
    op.create_table(
        'person_erasures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pco_id', sa.String(length=40), nullable=True),
        sa.Column('former_person_id', sa.Integer(), nullable=False),
        sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('erased_by', sa.String(length=200), nullable=False),
        sa.Column('pco_outcome', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_erasures')),
    )
    op.create_index(op.f('ix_person_erasures_pco_id'), 'person_erasures', ['pco_id'])
    permissions = sa.table("permissions", sa.column("name", sa.String),
                           sa.column("description", sa.String))
    op.bulk_insert(permissions, [dict(name=PERMISSION[0], description=PERMISSION[1])])
    op.execute(sa.text(
        "INSERT INTO role_permissions (role_id, permission_id) "
        "SELECT roles.id, permissions.id FROM roles, permissions "
        "WHERE roles.name = 'TECH_ADMIN' AND permissions.name = 'people.privacy'"))


def downgrade():
    op.execute(sa.text(
        "DELETE FROM role_permissions WHERE permission_id IN "
        "(SELECT id FROM permissions WHERE name = 'people.privacy')"))
    op.execute(sa.text("DELETE FROM permissions WHERE name = 'people.privacy'"))
    op.drop_index(op.f('ix_person_erasures_pco_id'), table_name='person_erasures')
    op.drop_table('person_erasures')
