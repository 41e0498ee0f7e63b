"""Alembic environment: runs on the connection the app hands over (see authoring/schema.py)."""
from alembic import context

from authoring.agreements.search_index import include_name
from authoring.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
    compare_type=True,
    include_name=include_name,  # the register's text index is made by migration 0019, not declared by models
)
with context.begin_transaction():
    context.run_migrations()
