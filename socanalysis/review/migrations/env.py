"""Alembic's environment for the decisions store.

:func:`socanalysis.review.open_store` runs the migrations on a connection it has already opened
and locked, passed as ``config.attributes["connection"]``; the ``alembic`` command line (for
writing a new revision) may give ``sqlalchemy.url`` instead. Importing this file anywhere else
does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine


def _run() -> None:
    config = context.config
    if context.is_offline_mode():
        raise RuntimeError("the decisions store's migrations run online only: give a connection or sqlalchemy.url")
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection, connection.begin():
        _migrate(connection)


def _migrate(connection) -> None:
    # DDL runs inside the caller's transaction on SQLite as on PostgreSQL: an upgrade that fails
    # leaves the store at the revision it had
    context.configure(connection=connection, transactional_ddl=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # run by Alembic
    _run()
