"""webhook subscriptions: PCO subscriptions and their authenticity secrets, imported from PCO

Revision ID: 297415946c71
Revises: 4430d95ec363
Create Date: 2026-11-24 01:09:49.373468

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '297415946c71'
down_revision = '4430d95ec363'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('webhook_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pco_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('authenticity_secret', sa.String(length=200), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscriptions')),
    sa.UniqueConstraint('pco_id', name=op.f('uq_webhook_subscriptions_pco_id'))
    )


def downgrade():
    op.drop_table('webhook_subscriptions')
