"""people: an index on the list's sort key, a missing name part read as ""

The people list sorts by (coalesce(last_name, ''), coalesce(first_name, ''), id) so that its
keyset paging works across people without a name, on SQLite and PostgreSQL alike; this index
answers that order. ix_people_last_first stays: the search reads last-name prefix ranges from it.

Revision ID: f75527325066
Revises: e3f7d7862f4a
Create Date: 2026-12-06 18:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f75527325066"
down_revision = "e3f7d7862f4a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_people_sort_name", "people",
                    [sa.text("coalesce(last_name, '')"), sa.text("coalesce(first_name, '')"),
                     "id"], unique=False)


def downgrade():
    op.drop_index("ix_people_sort_name", table_name="people")
