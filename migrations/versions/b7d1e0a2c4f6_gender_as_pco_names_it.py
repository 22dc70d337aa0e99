"""gender as PCO names it: the directory's M and F become PCO's Male and Female

The people rows, the synced state (PCO's values as last agreed; its hash recomputed) and the
open conflicts on gender, so a migrated person looks changed to neither the next pull nor the
next push. No CHECK: PCO's gender is free text, and what PCO sends is kept as it comes.

Revision ID: b7d1e0a2c4f6
Revises: e5c2a8f4d1b7
Create Date: 2026-12-03 10:00:00

"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d1e0a2c4f6'
down_revision = 'e5c2a8f4d1b7'
branch_labels = None
depends_on = None

PCO_NAMES = {"M": "Male", "F": "Female"}

people = sa.table("people", sa.column("id", sa.Integer), sa.column("gender", sa.String),
                  sa.column("pco_synced_state", sa.JSON), sa.column("pco_synced_hash", sa.String))
review_items = sa.table("review_items", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                        sa.column("details", sa.JSON))


def digest(state):
    """The synced state's hash, as services/rules/state.py computes it at this revision."""
    text = json.dumps(state, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def rename_genders(names):
    connection = op.get_bind()
    for old, new in names.items():
        connection.execute(people.update().where(people.c.gender == old).values(gender=new))


def upgrade():
    rename_genders(PCO_NAMES)
    connection = op.get_bind()
    rows = connection.execute(sa.select(people.c.id, people.c.pco_synced_state)
                              .where(people.c.pco_synced_state.is_not(None))).all()
    for person_id, state in rows:
        if isinstance(state, dict) and state.get("gender") in PCO_NAMES:
            state = {**state, "gender": PCO_NAMES[state["gender"]]}
            connection.execute(people.update().where(people.c.id == person_id)
                               .values(pco_synced_state=state, pco_synced_hash=digest(state)))
    conflicts = connection.execute(sa.select(review_items.c.id, review_items.c.details)
                                   .where(review_items.c.kind == "conflict")).all()
    for item_id, details in conflicts:
        if isinstance(details, dict) and details.get("field") == "gender" \
                and not details.get("kind"):
            renamed = {side: PCO_NAMES.get(details.get(side), details.get(side))
                       for side in ("local", "remote")}
            connection.execute(review_items.update().where(review_items.c.id == item_id)
                               .values(details={**details, **renamed}))


def downgrade():
    """The people rows go back to the directory's letters. The synced state stays: it holds
    what PCO sent, and PCO sends Male and Female."""
    rename_genders({new: old for old, new in PCO_NAMES.items()})
