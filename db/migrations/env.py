"""Alembic environment: always given a connection by db.migrate; batch mode for SQLite."""

from alembic import context

from db import search
from db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    include_name=search.include_name,
)
with context.begin_transaction():
    context.run_migrations()
