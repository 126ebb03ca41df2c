"""The Parquet event lake: partitioning by kind and day, atomic parts, DuckDB reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

from fanzha.domain.events import arrow_schema
from fanzha.store.lake import EventLake


def _calls(n: int, start: datetime) -> pa.Table:
    return pa.table(
        {
            "event_id": [f"c{i}" for i in range(n)],
            "source_org": ["op-cm"] * n,
            "event_time": [start + timedelta(hours=7 * i) for i in range(n)],
            "caller": ["13800138000"] * n,
            "callee": [f"1390000{i:04d}" for i in range(n)],
            "duration_s": list(range(n)),
            "direction": ["outgoing"] * n,
            "caller_card_type": ["personal"] * n,
            "cell": [None] * n,
            "city": ["成都"] * n,
            "imei": [None] * n,
        },
        schema=arrow_schema("call"),
    )


def test_append_partitions_by_day_and_reads_back(tmp_path) -> None:
    lake = EventLake(tmp_path / "lake")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    files = lake.append("call", _calls(10, start))
    days = {p.parent.name for p in files}
    assert days == {"day=2026-11-01", "day=2026-11-02", "day=2026-11-03"}
    assert lake.count("call") == 10
    got = lake.scan("call").sort_by("event_id")
    assert got.num_rows == 10
    assert got.schema.field("event_time").type == pa.timestamp("us", tz="UTC")
    window = lake.scan("call", since=start + timedelta(days=1), until=start + timedelta(days=2))
    assert sorted(window["event_id"].to_pylist()) == ["c4", "c5", "c6"]
    assert not list((tmp_path / "lake").rglob("*.tmp"))


def test_empty_kind_scans_with_schema(tmp_path) -> None:
    lake = EventLake(tmp_path / "lake")
    t = lake.scan("transfer")
    assert t.num_rows == 0
    assert "amount_fen" in t.column_names


def test_unknown_kind_is_named(tmp_path) -> None:
    with pytest.raises(ValueError, match="kind: unknown event kind 'fax'"):
        EventLake(tmp_path).append("fax", pa.table({"a": [1]}))
