"""media: stored files (photos and custom-field files kept here), and a custom-field file's size

Revision ID: c4e6a8b0d2f5
Revises: b9d1f3a5c7e2
Create Date: 2026-12-06 15:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e6a8b0d2f5"
down_revision = "b9d1f3a5c7e2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("identity", sa.String(length=1200), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("family_id", sa.Integer(), nullable=True),
        sa.Column("field_value_id", sa.Integer(), nullable=True),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind in ('person photo', 'family photo', 'field file')",
                           name=op.f("ck_stored_files_kind_known")),
        sa.CheckConstraint("source in ('pco', 'local')",
                           name=op.f("ck_stored_files_source_known")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE",
                                name=op.f("fk_stored_files_person_id_people")),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"], ondelete="CASCADE",
                                name=op.f("fk_stored_files_family_id_families")),
        sa.ForeignKeyConstraint(["field_value_id"], ["field_values.id"], ondelete="SET NULL",
                                name=op.f("fk_stored_files_field_value_id_field_values")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_stored_files_storage_key")),
    )
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.create_index("ix_stored_files_identity", ["identity"], unique=False)
        batch_op.create_index(batch_op.f("ix_stored_files_person_id"), ["person_id"])
        batch_op.create_index(batch_op.f("ix_stored_files_family_id"), ["family_id"])
        batch_op.create_index(batch_op.f("ix_stored_files_field_value_id"), ["field_value_id"])
    with op.batch_alter_table("field_values", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_size", sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table("field_values", schema=None) as batch_op:
        batch_op.drop_column("file_size")
    op.drop_table("stored_files")
