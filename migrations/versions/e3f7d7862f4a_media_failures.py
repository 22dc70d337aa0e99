"""media: files that could not be downloaded, tried again after a growing pause

Revision ID: e3f7d7862f4a
Revises: c4e6a8b0d2f5
Create Date: 2026-12-06 18:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e3f7d7862f4a"
down_revision = "c4e6a8b0d2f5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "media_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("identity", sa.String(length=1200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("family_id", sa.Integer(), nullable=True),
        sa.Column("field_value_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind in ('person photo', 'family photo', 'field file')",
                           name=op.f("ck_media_failures_kind_known")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE",
                                name=op.f("fk_media_failures_person_id_people")),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"], ondelete="CASCADE",
                                name=op.f("fk_media_failures_family_id_families")),
        sa.ForeignKeyConstraint(["field_value_id"], ["field_values.id"], ondelete="CASCADE",
                                name=op.f("fk_media_failures_field_value_id_field_values")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_failures")),
    )
    with op.batch_alter_table("media_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_failures_person_id"), ["person_id"])
        batch_op.create_index(batch_op.f("ix_media_failures_family_id"), ["family_id"])
        batch_op.create_index(batch_op.f("ix_media_failures_field_value_id"),
                              ["field_value_id"])
        batch_op.create_index(batch_op.f("ix_media_failures_next_try_at"), ["next_try_at"])


def downgrade():
    op.drop_table("media_failures")
