"""Alembic environment. Autogenerate only ever sees Fanzha's own tables (see ``include_object``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from fanzha.store.tables import metadata

config = context.config
target_metadata = metadata


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001
    """Guard: never propose dropping a table that exists in the database but not in our metadata.

    A shared PostgreSQL may hold other systems' tables; autogenerate would otherwise emit
    ``drop_table`` for each of them.
    """
    return not (type_ == "table" and reflected and compare_to is None)


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        connectable = engine_from_config(
            config.get_section(config.config_ini_section) or {},
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        with connectable.connect() as connection:
            _run_with(connection)
    else:
        _run_with(connection)


def _run_with(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
