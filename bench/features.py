"""Throughput of the per-number call features (DOMAIN.md §8) in DuckDB SQL over one Parquet file,
beside a bare ``GROUP BY caller`` over the same file in the same run, both on one thread.

    .venv/bin/python bench/features.py [--rows 3000000] [--threads 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fanzha.detect.features.number_sql import number_features_sql  # noqa: E402
from fanzha.domain.events import arrow_schema  # noqa: E402
from fanzha.engines.duck import connect, parquet_source  # noqa: E402


def synthetic_calls(n: int, seed: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    n_numbers = max(1000, n // 50)
    pop = pa.array([f"1{3 + i % 7}{i:09d}" for i in range(n_numbers)])

    def strings(idx: np.ndarray, prefix: str | None = None, k: int | None = None) -> pa.Array:
        dictionary = pop if prefix is None else pa.array([f"{prefix}{i}" for i in range(k)])
        return pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), dictionary).cast(
            pa.string()
        )

    caller = rng.zipf(1.3, n) % n_numbers
    callee = (caller + rng.integers(1, 200, n)) % n_numbers  # local circles, so callbacks exist
    t0 = np.datetime64("2026-05-01T00:00:00", "us")
    t = t0 + np.sort(rng.integers(0, 7 * 86_400_000_000, n)).astype("timedelta64[us]")
    cols = {
        "event_id": pa.compute.cast(pa.array(np.arange(n)), pa.string()),
        "source_org": strings(np.zeros(n, dtype=np.int32), "op", 1),
        "event_time": pa.array(t, type=pa.timestamp("us", tz="UTC")),
        "caller": strings(caller),
        "callee": strings(callee),
        "duration_s": pa.array(rng.gamma(1.5, 60, n).astype("int64")),
        "direction": pa.DictionaryArray.from_arrays(
            pa.array((rng.random(n) < 0.02).astype(np.int32)), pa.array(["outgoing", "forwarded"])
        ).cast(pa.string()),
        "caller_card_type": pa.DictionaryArray.from_arrays(
            pa.array((rng.random(n) < 0.001).astype(np.int32)), pa.array(["personal", "iot"])
        ).cast(pa.string()),
        "cell": strings((caller + rng.integers(0, 3, n)) % 5000, "cell", 5000),
        "city": strings(caller % 50, "city", 50),
        "imei": strings(caller // 2, "imei", n_numbers // 2 + 1),
    }
    return pa.table(cols).cast(arrow_schema("call"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=3_000_000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "calls.parquet"
        t = time.perf_counter()
        pq.write_table(synthetic_calls(args.rows), path, compression="zstd")
        print(f"generated {args.rows:,} call records in {time.perf_counter() - t:.1f}s")
        con = connect(threads=args.threads)
        src = parquet_source(path)
        bare = f"SELECT caller, count(*) AS n FROM {src} GROUP BY caller"
        feat = number_features_sql(src)

        def run(sql: str) -> tuple[float, int]:
            best = float("inf")
            rows = 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                rows = len(con.sql(sql).to_arrow_table())
                best = min(best, time.perf_counter() - t0)
            return best, rows

        tb, nb = run(bare)
        tf, nf = run(feat)
        tn, _ = run(number_features_sql(src, gap_std=False))
        per_core = args.rows / tf / args.threads
        print(
            f"bare GROUP BY:     {tb:6.2f}s  {args.rows / tb / 1e6:6.2f} M rows/s  ({nb:,} numbers)"
        )
        print(
            f"number features:   {tf:6.2f}s  {args.rows / tf / 1e6:6.2f} M rows/s  ({nf:,} numbers, "
            f"17 features)"
        )
        print(
            f"without gap_std:   {tn:6.2f}s  {args.rows / tn / 1e6:6.2f} M rows/s  (no window sort)"
        )
        print(
            f"threads {args.threads}: features {per_core / 1e6:.2f} M records/s per core; "
            f"ratio features/bare = {tf / tb:.2f}x "
            f"(without gap_std {args.rows / tn / args.threads / 1e6:.2f} M/s, {tn / tb:.2f}x)"
        )


if __name__ == "__main__":
    main()
