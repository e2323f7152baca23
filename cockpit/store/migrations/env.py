"""Alembic environment: migrations always run on a connection the store hands in (never from a URL),
because the key exists only after the keyring has been read."""

from alembic import context

from cockpit.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
