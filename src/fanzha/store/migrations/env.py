"""Alembic environment. Autogenerate only ever sees Fanzha's own tables (see ``schema_guard``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from fanzha.store.schema_guard import include_object
from fanzha.store.tables import metadata

config = context.config
target_metadata = metadata


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
