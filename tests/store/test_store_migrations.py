"""Migrations and the foundation repository, on the embedded SQLite and on real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from fanzha.store.db import get_engine, session_scope
from fanzha.store.migrate import current_revision, upgrade
from fanzha.store.repositories import JobRunRepository
from fanzha.store.schema_guard import include_object
from fanzha.store.tables import metadata


def _drift(engine: Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": False}
        )
        return compare_metadata(ctx, metadata)


def _check_engine(engine: Engine) -> None:
    upgrade(engine=engine)
    assert current_revision(engine), "no revision recorded after upgrade"
    # Every table declared in code exists after migrating, and nothing differs.
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    assert _drift(engine) == [], "migrations and table definitions differ"
    # Upgrading twice is a no-op.
    upgrade(engine=engine)

    t0 = datetime(2026, 11, 28, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    with session_scope(engine) as s:
        repo = JobRunRepository(s)
        run = repo.start("ingest", t0, {"file": "calls.csv"})
        repo.finish(run, t0 + timedelta(minutes=2), {"accepted": 10, "rejected": 1})
    with session_scope(engine) as s:
        (got,) = JobRunRepository(s).recent("ingest")
        assert got.status == "done"
        assert got.counts == {"accepted": 10, "rejected": 1}
        assert got.started_at == t0
        assert got.started_at.tzinfo is not None
        assert got.finished_at - got.started_at == timedelta(minutes=2)


def test_migrations_sqlite(data_dir) -> None:
    engine = get_engine()
    assert engine.dialect.name == "sqlite"
    _check_engine(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.postgres
def test_migrations_postgres(pg_data_dir) -> None:
    engine = get_engine()
    assert engine.dialect.name == "postgresql"
    _check_engine(engine)


@pytest.mark.postgres
def test_autogenerate_never_drops_foreign_tables(pg_url) -> None:
    engine = create_engine(pg_url)
    upgrade(engine=engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE other_system_table (id int primary key)"))
    diffs = _drift(engine)
    assert not any(d[0] == "remove_table" for d in diffs if isinstance(d, tuple)), diffs
    engine.dispose()


def test_naive_datetime_rejected(data_dir) -> None:
    engine = get_engine()
    upgrade(engine=engine)
    with pytest.raises(Exception, match="naive"), session_scope(engine) as s:
        JobRunRepository(s).start("x", datetime(2026, 1, 1), {})
    with session_scope(engine) as s:
        assert JobRunRepository(s).recent() == []


def test_utc_roundtrip_any_zone(data_dir) -> None:
    engine = get_engine()
    upgrade(engine=engine)
    when = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    with session_scope(engine) as s:
        JobRunRepository(s).start("sim", when.astimezone(timezone(timedelta(hours=-5))), {})
    with session_scope(engine) as s:
        assert JobRunRepository(s).recent("sim")[0].started_at == when
