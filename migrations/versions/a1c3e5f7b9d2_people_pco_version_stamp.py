"""people: the version of PCO's record their synced state was agreed from

A pull skips a person whose record PCO sends as it was when last agreed, without loading it
(pcosync/pco/versions.py, services/rules/versions.py). Empty for everyone until their next
pull, which loads and compares them as before and keeps the stamp.

Revision ID: a1c3e5f7b9d2
Revises: f75527325066
Create Date: 2026-12-07 12:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a1c3e5f7b9d2"
down_revision = "f75527325066"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("people", sa.Column("pco_version_stamp", sa.String(length=32), nullable=True))


def downgrade():
    # SQLite drops a column in place since 3.35 (a batch copy of the table would lose the
    # expression index ix_people_sort_name, which SQLite's reflection cannot read).
    op.drop_column("people", "pco_version_stamp")
