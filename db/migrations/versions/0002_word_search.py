"""word search index (FTS5 over bigrams, queue table, triggers); indexes to sort patents by inventors and (live) title

Revision ID: 0002_word_search
Revises: 0001_initial
"""

from alembic import op

from db import search

revision = "0002_word_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# The indexed columns as of this revision (db.search.INDEXED may grow later, by a new revision).
INDEXED = {
    "enterprises": ("name", "credit_code", "town"),
    "projects": ("code", "name", "leader"),
    "patents": ("app_no", "title", "applicant", "inventors"),
    "awards": ("title", "winners"),
    "events": ("name", "place", "organizer", "content"),
}


def upgrade() -> None:
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patents_inventors"), ["inventors"], unique=False)
        batch_op.create_index("ix_patents_live_title", ["deleted_at", "title_sort"], unique=False)
    conn = op.get_bind()
    for table, columns in INDEXED.items():
        if search.create_index(conn, table, columns):
            search.rebuild(conn, table)


def downgrade() -> None:
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.drop_index("ix_patents_live_title")
        batch_op.drop_index(batch_op.f("ix_patents_inventors"))
    conn = op.get_bind()
    for table in INDEXED:
        for suffix in ("ai", "au", "ad"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_search_{suffix}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {search.index_table(table)}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {search.QUEUE}")
