"""Number features: SQL over the lake, windows, and the incremental state equal to the batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet
import pytest

from fanzha.detect.features.incremental import NumberFeatureState
from fanzha.detect.features.number_arrow import (
    number_features_arrow,
    number_features_parquet,
    read_calls,
    windowed_number_features_arrow,
)
from fanzha.detect.features.number_sql import (
    FEATURE_COLUMNS,
    number_features,
    windowed_number_features,
)
from fanzha.domain.events import arrow_schema
from fanzha.engines.duck import parquet_source
from fanzha.store.lake import EventLake

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def calls(n: int = 3000, seed: int = 0) -> pa.Table:
    """Ordinary subscribers, one SIM-box fraudster (many numbers on one IMEI, short calls at
    strangers) and an IoT card making voice calls."""
    rng = np.random.default_rng(seed)
    users = [f"1380000{i:04d}" for i in range(200)]
    rows = []
    for _ in range(n):
        g = rng.integers(40) * 5  # friends call each other within groups of five
        a, b = rng.choice(users[g : g + 5], 2, replace=False)
        rows.append((a, b, int(rng.gamma(2, 60)), "outgoing", "personal", f"imei-{a}"))
    for i in range(400):
        rows.append(
            (
                f"1700000{i % 8:04d}",
                f"1390000{i:04d}",
                int(rng.integers(0, 8)),
                "outgoing",
                "personal",
                "imei-box",
            )
        )
    for i in range(5):
        rows.append(("1440000000001", users[i], 30, "outgoing", "iot", "imei-iot"))
    rows.append((users[0], users[1], 12, "forwarded", "personal", f"imei-{users[0]}"))
    t = T0 + pd.to_timedelta(np.sort(rng.uniform(0, 6 * 86400, len(rows))), unit="s")
    df = pd.DataFrame(
        rows, columns=["caller", "callee", "duration_s", "direction", "caller_card_type", "imei"]
    )
    df["event_time"] = t.to_pydatetime()
    df["event_id"] = [f"c{i}" for i in range(len(df))]
    df["source_org"] = "op-sc"
    df["cell"] = [f"cell-{rng.integers(30)}" for _ in range(len(df))]
    df["city"] = rng.choice(["成都", "绵阳", None], len(df))
    return (
        pa.Table.from_pandas(df, preserve_index=False)
        .select(arrow_schema("call").names)
        .cast(arrow_schema("call"))
    )


@pytest.fixture
def lake(tmp_path: Path) -> tuple[EventLake, pa.Table]:
    lk = EventLake(tmp_path / "lake")
    t = calls()
    lk.append("call", t)
    return lk, t


def test_sql_features_flag_sim_box_and_iot(lake) -> None:
    lk, _ = lake
    f = number_features(lk.relation_sql("call")).to_pandas().set_index("number")
    box = f.loc["17000000000"]
    assert box.max_numbers_per_imei == 8
    assert box.short_call_share == 1.0
    assert box.callback_share == 0.0
    normal = f.loc["13800000000"]
    assert normal.max_numbers_per_imei == 1
    assert normal.callback_share > 0.3
    assert f.loc["1440000000001"].iot_voice_calls == 5
    assert f.loc["13800000000"].forwarded_share > 0
    assert set(FEATURE_COLUMNS) <= set(f.columns)


def test_windows_are_nested(lake) -> None:
    lk, _ = lake
    w = windowed_number_features(lk.relation_sql("call"), T0 + timedelta(days=6)).to_pandas()
    w = w.fillna(0)
    assert (w.out_calls_1h <= w.out_calls_24h).all()
    assert (w.out_calls_24h <= w.out_calls_7d).all()
    assert w.out_calls_7d.sum() == 3000 + 400 + 5 + 1


def test_arrow_windows_equal_sql_windows(lake) -> None:
    lk, _ = lake
    as_of = T0 + timedelta(days=5, hours=3)
    sql = windowed_number_features(lk.relation_sql("call"), as_of).to_pandas()
    table = read_calls(lk.files("call"), as_of - timedelta(days=7), as_of)
    arrow = windowed_number_features_arrow(table, as_of).to_pandas()
    assert list(arrow.columns) == list(sql.columns)
    assert list(arrow["number"]) == list(sql["number"])
    assert arrow["out_calls_1h"].isna().any()  # numbers silent in the last hour
    for col in sql.columns[1:]:
        x, y = arrow[col].to_numpy(float), sql[col].to_numpy(float)
        assert np.allclose(x, y, rtol=1e-6, atol=1e-6, equal_nan=True), col


def test_incremental_equals_batch(lake) -> None:
    lk, table = lake
    batch = number_features(lk.relation_sql("call")).to_pandas().set_index("number")
    state = NumberFeatureState()
    df = table.to_pandas().sort_values("event_time")
    for idx in np.array_split(np.arange(len(df)), 7):
        state.update(df.iloc[idx])
    inc = state.features().set_index("number")
    assert list(inc.index) == list(batch.index)
    for col in FEATURE_COLUMNS:
        a, b = inc[col].to_numpy(float), batch[col].to_numpy(float)
        assert np.allclose(a, b, rtol=1e-6, atol=1e-6, equal_nan=True), col
    with pytest.raises(ValueError):
        state.update(df.iloc[:5])  # late records


def assert_same_features(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Same numbers in the same order; counts equal, shares/means within float rounding."""
    assert list(a["number"]) == list(b["number"])
    for col in FEATURE_COLUMNS:
        x, y = a[col].to_numpy(float), b[col].to_numpy(float)
        assert np.allclose(x, y, rtol=1e-6, atol=1e-6, equal_nan=True), col
        assert (np.isnan(x) == np.isnan(y)).all(), col


def test_arrow_equals_sql_over_lake_files(lake) -> None:
    lk, _ = lake
    files = lk.files("call")
    assert len(files) > 1  # one file per day: several Parquet dictionaries to reconcile
    sql = number_features(lk.relation_sql("call")).to_pandas()
    arrow = number_features_parquet(files).to_pandas()
    assert_same_features(arrow, sql)
    assert arrow["out_calls"].dtype == np.int64 and arrow["number"].iloc[0] == sql["number"].iloc[0]
    box = arrow.set_index("number").loc["17000000000"]
    assert box.max_numbers_per_imei == 8 and box.callback_share == 0.0
    since, until = T0 + timedelta(days=2), T0 + timedelta(days=3, hours=5)
    part = number_features_parquet(files, since, until).to_pandas()
    assert_same_features(part, number_features(lk.relation_sql("call"), since, until).to_pandas())
    assert part["out_calls"].sum() < arrow["out_calls"].sum()
    no_gap = number_features_parquet(files, gap_std=False).to_pandas()
    assert no_gap["gap_std_s"].isna().all()
    assert np.allclose(no_gap["gap_mean_s"], arrow["gap_mean_s"], equal_nan=True)


def test_arrow_equals_sql_on_edge_cases(tmp_path: Path) -> None:
    """Unsorted rows, equal timestamps, a self-call, one-call numbers, NULL cells/cities/IMEIs
    and (unlike the Parquet path) plain string columns."""
    t = calls(300, seed=3).to_pandas()
    t = t.sample(frac=1.0, random_state=1).reset_index(drop=True)  # not in time order
    extra = t.iloc[:4].copy()
    extra["caller"] = ["15500000001", "15500000002", "15500000002", "15500000003"]
    extra["callee"] = ["13800000001", "15500000002", "15500000001", "15500000002"]
    extra["event_time"] = [T0, T0, T0, T0 + timedelta(seconds=1)]  # equal times, self-call
    extra["cell"] = [None, None, "cell-1", None]
    extra["imei"] = [None, "imei-x", None, None]
    extra["direction"] = [None, "forwarded", "outgoing", None]
    t = pd.concat([t, extra], ignore_index=True)
    table = pa.Table.from_pandas(t, preserve_index=False).cast(arrow_schema("call"))
    lk = EventLake(tmp_path / "lake")
    lk.append("call", table)
    sql = number_features(lk.relation_sql("call")).to_pandas()
    arrow = number_features_arrow(table).to_pandas()  # plain strings, unsorted
    assert_same_features(arrow, sql)
    assert_same_features(number_features_parquet(lk.files("call")).to_pandas(), sql)
    f = arrow.set_index("number")
    assert np.isnan(f.loc["15500000001"].gap_mean_s) and np.isnan(f.loc["15500000001"].gap_std_s)
    assert f.loc["15500000002"].callback_share == 0.5  # the self-call is its own callback
    assert f.loc["15500000002"].gap_std_s == 0.0
    assert number_features_parquet([]).num_rows == 0
    with pytest.raises(ValueError, match="callee"):
        i = table.schema.get_field_index("callee")
        number_features_arrow(table.set_column(i, "callee", pa.nulls(len(table), pa.string())))


def test_arrow_wide_time_range_falls_back_to_lexsort(tmp_path: Path) -> None:
    """5 000 numbers over 56 years do not pack (caller, µs) into 63 bits: the lexsort path."""
    rng = np.random.default_rng(5)
    n = 12_000
    caller = rng.integers(0, 5000, n)
    us = np.sort(rng.integers(0, 1_780_000_000_000_000, n))
    us[: n // 2] = rng.integers(0, 1_780_000_000_000_000, n // 2)  # half out of order
    df = pd.DataFrame(
        {
            "event_id": [f"w{i}" for i in range(n)],
            "source_org": "op",
            "event_time": pd.to_datetime(us, unit="us", utc=True),
            "caller": [f"1{c:010d}" for c in caller],
            "callee": [f"1{c:010d}" for c in (caller + rng.integers(1, 9, n)) % 5000],
            "duration_s": rng.integers(0, 300, n),
            "direction": "outgoing",
            "caller_card_type": "personal",
            "cell": [f"cell-{c % 17}" for c in caller],
            "city": None,
            "imei": [f"imei-{c // 3}" for c in caller],
        }
    )
    table = pa.Table.from_pandas(df, preserve_index=False).cast(arrow_schema("call"))
    path = tmp_path / "wide.parquet"
    pa.parquet.write_table(table, path)
    sql = number_features(parquet_source(path)).to_pandas()
    assert_same_features(number_features_parquet(path).to_pandas(), sql)
