"""what the token can see: the PCO user the token acts as and whether they see every profile

Revision ID: b3d5f7a9c1e2
Revises: b2d4f6a8c0e1
Create Date: 2026-12-06 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3d5f7a9c1e2'
down_revision = "b2d4f6a8c0e1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('connected_organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_user_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('token_people_permissions', sa.String(length=40),
                                      nullable=True))
        batch_op.add_column(sa.Column('token_sees_everyone', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('connected_organizations', schema=None) as batch_op:
        batch_op.drop_column('token_sees_everyone')
        batch_op.drop_column('token_people_permissions')
        batch_op.drop_column('token_user_name')
