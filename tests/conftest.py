"""Shared fixtures: an isolated embedded data directory, and the real PostgreSQL and Redis servers.

Under CI (env ``CI`` set) a test that needs PostgreSQL or Redis fails when the server is missing;
elsewhere it is skipped. A test marked ``postgres`` or ``redis`` that ends up skipped under CI is
turned into a failure, so the real-server suites can never silently disappear.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fanzha.settings import reset_settings_cache
from fanzha.store.db import reset_engines

IN_CI = bool(os.environ.get("CI"))
PG_ADMIN_URL = os.environ.get(
    "FANZHA_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_TEST_URL = os.environ.get("FANZHA_TEST_REDIS", "redis://127.0.0.1:6379/15")
REPO_ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("FANZHA_DATASETS", REPO_ROOT.parent / "shared" / "datasets"))


def _unavailable(what: str, exc: Exception) -> None:
    msg = f"{what} is not reachable: {exc}"
    if IN_CI:
        pytest.fail(f"CI requires {msg}")
    pytest.skip(msg)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if (
        IN_CI
        and report.skipped
        and (item.get_closest_marker("postgres") or item.get_closest_marker("redis"))
    ):
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid}: real-server test skipped under CI ({report.longrepr})"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty embedded data directory (SQLite + Parquet) used by settings for this test."""
    d = tmp_path / "var"
    monkeypatch.setenv("FANZHA_DATA_DIR", str(d))
    monkeypatch.delenv("FANZHA_DATABASE_URL", raising=False)
    monkeypatch.delenv("FANZHA_REDIS_URL", raising=False)
    reset_settings_cache()
    reset_engines()
    yield d
    reset_engines()
    reset_settings_cache()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; dropped afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except Exception as exc:  # noqa: BLE001 - any connection failure means unavailable
        _unavailable("PostgreSQL", exc)
    name = f"fanzha_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        reset_engines()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_url(pg_database: str) -> Iterator[str]:
    """The session's PostgreSQL database, emptied of every table before the test."""
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_database)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    reset_engines()
    yield pg_database
    reset_engines()


@pytest.fixture
def pg_data_dir(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Like ``data_dir`` but with workflow state in the real PostgreSQL."""
    d = tmp_path / "var"
    monkeypatch.setenv("FANZHA_DATA_DIR", str(d))
    monkeypatch.setenv("FANZHA_DATABASE_URL", pg_url)
    reset_settings_cache()
    reset_engines()
    yield d
    reset_engines()
    reset_settings_cache()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The real Redis (test db 15), flushed before and after the test."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=3)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        _unavailable("Redis", exc)
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """``../shared/datasets`` beside the checkout (present in CI)."""
    if not DATASETS.is_dir():
        if IN_CI:
            pytest.fail(f"public datasets missing at {DATASETS}")
        pytest.skip(f"public datasets missing at {DATASETS}")
    return DATASETS
