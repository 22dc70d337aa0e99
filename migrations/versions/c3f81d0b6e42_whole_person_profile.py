"""the whole person: campuses, PCO's choice lists, every standard profile field; a group's type,
schedule, location, contact and tags; a household's photo

Revision ID: c3f81d0b6e42
Revises: a7e3c91d5b20
Create Date: 2026-11-29 21:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3f81d0b6e42'
down_revision = 'a7e3c91d5b20'
branch_labels = None
depends_on = None

CHOICE_KINDS = ("marital_status", "inactive_reason", "name_prefix", "name_suffix", "school",
                "group_tag")
PERSON_COLUMNS = (
    ("given_name", sa.String(length=120)),
    ("name_prefix", sa.String(length=200)),
    ("name_suffix", sa.String(length=200)),
    ("anniversary", sa.Date()),
    ("marital_status", sa.String(length=200)),
    ("grade", sa.Integer()),
    ("graduation_year", sa.Integer()),
    ("school", sa.String(length=200)),
    ("medical_notes", sa.Text()),
    ("inactive_reason", sa.String(length=200)),
    ("inactivated_at", sa.DateTime(timezone=True)),
    ("pco_avatar_url", sa.String(length=500)),
)
GROUP_COLUMNS = (
    ("group_type", sa.String(length=200)),
    ("schedule", sa.String(length=500)),
    ("location_name", sa.String(length=255)),
    ("contact_email", sa.String(length=320)),
    ("tags", sa.JSON()),
)


def upgrade():
    op.create_table(
        'campuses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('pco_campus_id', sa.String(length=40), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campuses')),
        sa.UniqueConstraint('pco_campus_id', name=op.f('uq_campuses_pco_campus_id')),
    )
    kinds = ", ".join(f"'{kind}'" for kind in CHOICE_KINDS)
    op.create_table(
        'profile_choices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('pco_id', sa.String(length=40), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind in ({kinds})", name=op.f('ck_profile_choices_kind_known')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_choices')),
        sa.UniqueConstraint('kind', 'pco_id', name=op.f('uq_profile_choices_kind_pco_id')),
    )
    op.create_index('ix_profile_choices_kind_value', 'profile_choices', ['kind', 'value'],
                    unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        for name, type_ in PERSON_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column('campus_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_people_campus_id'), ['campus_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_people_campus_id_campuses'), 'campuses',
                                    ['campus_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        for name, type_ in GROUP_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.create_index(batch_op.f('ix_groups_group_type'), ['group_type'], unique=False)
    with op.batch_alter_table('families', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pco_avatar_url', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('families', schema=None) as batch_op:
        batch_op.drop_column('pco_avatar_url')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_group_type'))
        for name, _ in reversed(GROUP_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_people_campus_id_campuses'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_people_campus_id'))
        batch_op.drop_column('campus_id')
        for name, _ in reversed(PERSON_COLUMNS):
            batch_op.drop_column(name)
    op.drop_index('ix_profile_choices_kind_value', table_name='profile_choices')
    op.drop_table('profile_choices')
    op.drop_table('campuses')
