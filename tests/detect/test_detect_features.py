"""Number features: SQL over the lake, windows, and the incremental state equal to the batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from fanzha.detect.features.incremental import NumberFeatureState
from fanzha.detect.features.number_sql import (
    FEATURE_COLUMNS,
    number_features,
    windowed_number_features,
)
from fanzha.domain.events import arrow_schema
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
