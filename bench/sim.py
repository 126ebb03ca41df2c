"""Simulator throughput: events per second and peak memory for a preset (default: province, 7 days).

    .venv/bin/python bench/sim.py [--preset province] [--days 7] [--scale 1.0] [--out DIR] [--keep]

Peak memory is the process's maximum resident set size (resource.getrusage), which includes the
world (people, numbers, accounts, graph) and the largest day chunk in flight. Wall time includes
writing the Parquet lake and the truth files; "generation only" excludes the truth export.

The simulator runs on two threads (generation; Parquet encoding and writing), so on the shared
2-core machine the figures that do not depend on other processes' load are printed as well:
events per CPU-second (both threads) and the main thread's CPU time, which bounds the wall time
on two free cores from below. The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fanzha.sim.engine import SimConfig  # noqa: E402
from fanzha.sim.output import generate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="province", choices=["tiny", "city", "province"])
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the generated region")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="fanzha-sim-bench-"))
    cfg = SimConfig(preset=args.preset, scale=args.scale, days=args.days, seed=args.seed,
                    start=date(2026, 11, 1))  # fmt: skip
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    c0 = time.process_time()
    m0 = time.thread_time()
    day_times: list[float] = []
    summary = generate(cfg, out, on_day=lambda d: day_times.append(time.perf_counter() - t0))
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    main_cpu = time.thread_time() - m0
    load1 = os.getloadavg()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = summary["events_total"]
    size_mb = sum(p.stat().st_size for p in out.rglob("*.parquet")) / 1e6
    print(f"preset={args.preset} scale={args.scale} days={args.days} people={summary['people']:,}")
    print(f"events={total:,} fraud_events={summary['fraud_events']:,} cases={summary['cases']:,}")
    print(f"wall={wall:.1f}s cpu={cpu:.1f}s (generation+lake {summary['seconds']:.1f}s)")
    print(f"events/s (wall, incl. truth export) = {total / wall:,.0f}")
    print(f"events/s (generation+lake only)     = {total / summary['seconds']:,.0f}")
    print(f"events/s per CPU-second              = {total / cpu:,.0f}")
    print(f"main-thread CPU = {main_cpu:.1f}s (other threads {cpu - main_cpu:.1f}s) -> "
          f"events/s if both threads had a free core = {total / max(main_cpu, cpu / 2):,.0f}")  # fmt: skip
    print("load average before: {:.2f} {:.2f} {:.2f}  after: {:.2f} {:.2f} {:.2f}".format(
        *load0, *load1))  # fmt: skip
    print(f"peak RSS = {peak_mb:,.0f} MB   parquet on disk = {size_mb:,.0f} MB")
    print("day finished at (s): " + ", ".join(f"{t:.1f}" for t in day_times))
    print(f"target: >= 500,000 events/s and <= 4,096 MB peak -> "
          f"{'MET' if total / wall >= 500_000 and peak_mb <= 4096 else 'NOT MET'}")  # fmt: skip
    if not args.keep and args.out is None:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
