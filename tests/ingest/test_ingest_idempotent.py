"""Idempotency: re-sending adds nothing; a crash mid-file (kill -9) and a re-run leave every
record exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from fanzha.ingest import deadletters
from fanzha.ingest.service import ingest_files
from fanzha.store.db import session_scope
from fanzha.store.lake import EventLake


def _calls_csv(path: Path, n: int, bad_every: int = 0) -> Path:
    rng = np.random.default_rng(7)
    base = 1_795_800_000  # late Nov 2026, epoch seconds
    secs = base + rng.integers(0, 5 * 86_400, n)  # five days → several lake partitions
    dur = rng.integers(0, 3600, n).astype(str).astype(object)
    if bad_every:
        dur[::bad_every] = "oops"
    t = pa.table(
        {
            "event_id": [f"call-{i:08d}" for i in range(n)],
            "event_time": secs.astype(str),
            "caller": (13_800_000_000 + rng.integers(0, 50_000, n)).astype(str),
            "callee": (13_900_000_000 + rng.integers(0, 50_000, n)).astype(str),
            "duration_s": pa.array(dur.tolist(), pa.string()),
        }
    )
    pacsv.write_csv(t, path)
    return path


def _ids(lake: EventLake) -> list[str]:
    if not lake.files("call"):
        return []
    return duckdb.sql(f"SELECT event_id FROM read_parquet('{lake.glob('call')}')").fetchall()


def test_resend_file_adds_nothing(lake, tmp_path) -> None:  # noqa: ANN001
    p = _calls_csv(tmp_path / "calls.csv", 3000, bad_every=100)
    first = ingest_files("call", [p], org="telecom-a", batch_rows=1000)
    assert (first.accepted, first.duplicate, first.rejected) == (2970, 0, 30)
    second = ingest_files("call", [p], org="telecom-a", batch_rows=700)
    assert (second.accepted, second.duplicate, second.rejected) == (0, 2970, 30)
    assert lake.count("call") == 2970
    with session_scope() as s:  # the bad rows are dead letters once, not twice
        assert deadletters.query(s, kind="call")[1] == 30


def test_duplicates_within_one_file_kept_once(lake, write) -> None:  # noqa: ANN001
    head = "event_id,event_time,caller,callee,duration_s\n"
    row = "d1,2026-11-28 10:00:00,13800138000,13900139000,{}\n"
    p = write("dup.csv", head + row.format(1) + row.format(2) + row.format(3))
    r = ingest_files("call", [p], org="t")
    assert (r.accepted, r.duplicate) == (1, 2)
    assert lake.scan("call")["duration_s"].to_pylist() == [1]  # the first occurrence wins


def test_same_event_id_from_two_orgs_is_two_events(lake, write) -> None:  # noqa: ANN001
    p = write(
        "c.csv",
        "event_id,event_time,caller,callee,duration_s\n"
        "e1,2026-11-28 10:00:00,13800138000,13900139000,1\n",
    )
    assert ingest_files("call", [p], org="telecom-a").accepted == 1
    assert ingest_files("call", [p], org="telecom-b").accepted == 1
    assert lake.count("call") == 2


def test_kill_9_mid_file_then_rerun_exactly_once(lake, data_dir, tmp_path) -> None:  # noqa: ANN001
    n = 200_000
    p = _calls_csv(tmp_path / "big.csv", n)
    cmd = [
        sys.executable,
        "-c",
        "from fanzha.cli import main; main()",
        "ingest",
        "call",
        str(p),
        "--org",
        "telecom-a",
        "--batch-rows",
        "2000",
        "--quiet",
    ]
    env = dict(os.environ, FANZHA_DATA_DIR=str(data_dir))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(lake.files("call")) >= 10:  # several batches committed, more to come
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"
    committed = len(_ids(lake))
    assert 0 < committed < n
    # no half-written part is visible (temporary files are dot-prefixed and ignored)
    r = ingest_files("call", [p], org="telecom-a", batch_rows=50_000)
    assert r.duplicate == committed
    assert r.accepted == n - committed
    ids = _ids(lake)
    assert len(ids) == n and len(set(ids)) == n
