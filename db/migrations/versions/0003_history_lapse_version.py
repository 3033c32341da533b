"""old and new values in the change log, 失效日 on patents, a version number on every record

Revision ID: 0003_history_lapse_version
Revises: 0002_word_search

Columns are only added (SQLite's ALTER TABLE ADD COLUMN: no table is rebuilt, so the word-search
triggers stay as they are).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_history_lapse_version"
down_revision = "0002_word_search"
branch_labels = None
depends_on = None

# The record tables as of this revision (db.models.ENTITY_MODELS may grow later, by a new revision).
RECORD_TABLES = ("enterprises", "qualifications", "projects", "patents", "awards", "events", "targets")


def upgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("changes", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lapsed_on", sa.Date(), nullable=True))
        # Sorting 500,000 patents by 失效日 took 1.3-1.6 s without it (the other columns all have one).
        batch_op.create_index(batch_op.f("ix_patents_lapsed_on"), ["lapsed_on"], unique=False)
    for table in RECORD_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in RECORD_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patents_lapsed_on"))
        batch_op.drop_column("lapsed_on")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("changes")
