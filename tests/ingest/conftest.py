"""Ingest fixtures: a migrated embedded data directory and the lake under it."""

from __future__ import annotations

import pytest


@pytest.fixture
def lake(data_dir):  # noqa: ANN001, ANN201
    from fanzha.settings import get_settings
    from fanzha.store.lake import EventLake
    from fanzha.store.migrate import upgrade

    upgrade()
    return EventLake(get_settings().lake_dir)


@pytest.fixture
def write(tmp_path):  # noqa: ANN001, ANN201
    """write(name, text, encoding) → path of a file in a temp folder."""

    def _write(name: str, text: str, encoding: str = "utf-8"):  # noqa: ANN202
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return p

    return _write
