"""Detection over an in-memory lake snapshot equals detection over the Parquet lake, run by run."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from fanzha.detect.runner import LakeSnapshot, run_detectors
from fanzha.store.lake import EventLake


def _key(findings) -> list[tuple]:
    return sorted(
        (
            f.detector,
            f.rule_id or "",
            f.entity_kind,
            f.entity_value,
            round(f.score, 9),
            f.reasons,
            tuple(sorted(f.evidence)),
        )
        for f in findings
    )


@pytest.mark.slow
def test_snapshot_runs_equal_lake_runs(tmp_path) -> None:
    from fanzha.sim.engine import SimConfig
    from fanzha.sim.output import generate

    generate(SimConfig(preset="tiny", days=2, seed=3, start=date(2026, 11, 1)), tmp_path)
    lake = EventLake(tmp_path / "lake")
    snap = LakeSnapshot(lake)
    start = pd.Timestamp("2026-11-01", tz="Asia/Shanghai").tz_convert("UTC")
    con = duckdb.connect()
    total = 0
    for hours in (12, 36, 48):
        t = start + pd.Timedelta(hours=hours)
        since, now = (t - pd.Timedelta(days=7)).to_pydatetime(), t.to_pydatetime()
        # no hindsight: the snapshot's window holds exactly the lake's events before T
        for kind in ("call", "transfer", "sim_issuance"):
            n_lake = con.sql(f"SELECT count(*) FROM {lake.relation_sql(kind, None, now)}")
            n_snap = snap.con.sql(f"SELECT count(*) FROM {snap.relation_sql(kind, None, now)}")
            assert n_lake.fetchall() == n_snap.fetchall(), kind
        a = run_detectors(lake, since, now, now)
        b = run_detectors(snap, since, now, now)
        assert _key(a) == _key(b), hours
        total += len(a)
    assert total > 0
    with pytest.raises(ValueError, match="kind"):
        snap.relation_sql("no_such_kind")
