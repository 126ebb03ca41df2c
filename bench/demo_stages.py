"""Demo replay stage by stage: wall time, CPU time and load average of each stage.

``--snapshot DIR`` keeps a copy of the data directory after ingestion; a later run with
``--from-snapshot DIR`` restores it and starts at detection, so detection and warnings can be
measured again without re-simulating and re-ingesting. ``--stages`` picks stages by name.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from datetime import date
from pathlib import Path


def cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime + ch.ru_utime + ch.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--preset", default="city")
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", default="/tmp/fanzha-demo-bench")
    ap.add_argument("--snapshot", help="copy the data dir here after --snapshot-after")
    ap.add_argument("--snapshot-after", default="stage_ingest")
    ap.add_argument("--from-snapshot", help="restore this snapshot (then pick --stages)")
    ap.add_argument("--stages", help="comma-separated stage function names (default: all left)")
    ap.add_argument("--scorecard", action="store_true", help="print the scorecard's figures")
    ap.add_argument("--profile", type=int, default=0, help="print the top N functions per stage")
    args = ap.parse_args()

    data = Path(args.data)
    if data.exists():
        shutil.rmtree(data)
    if args.from_snapshot:
        shutil.copytree(args.from_snapshot, data)
    os.environ["FANZHA_DATA_DIR"] = str(data)
    os.environ.pop("FANZHA_DATABASE_URL", None)

    from fanzha.demo import pipeline
    from fanzha.demo.scorecard import scorecard
    from fanzha.settings import get_settings
    from fanzha.store.migrate import upgrade

    settings = get_settings()
    settings.ensure_dirs()
    upgrade()
    ctx = pipeline.DemoContext(
        settings, args.preset, args.days, args.seed, date(2026, 11, 1), lambda m: print(m)
    )
    stages = list(pipeline.STAGES)
    if args.stages:
        want = set(args.stages.split(","))
        stages = [s for s in stages if s.__name__ in want]
    rows = []
    for stage in stages:
        w, c = time.perf_counter(), cpu_s()
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(stage, ctx)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
        else:
            stage(ctx)
        row = {
            "stage": stage.__name__,
            "wall_s": round(time.perf_counter() - w, 1),
            "cpu_s": round(cpu_s() - c, 1),
            "load1": round(os.getloadavg()[0], 2),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        if stage.__name__ == args.snapshot_after and args.snapshot:
            snap = Path(args.snapshot)
            if snap.exists():
                shutil.rmtree(snap)
            shutil.copytree(data, snap)
    print(
        json.dumps(
            {
                "total_wall_s": round(sum(r["wall_s"] for r in rows), 1),
                "total_cpu_s": round(sum(r["cpu_s"] for r in rows), 1),
            }
        )
    )
    if args.scorecard:
        if "detect" not in ctx.results:  # restored from a snapshot taken after detection
            ctx.results["detect"] = {}
        card = scorecard(ctx, ctx.results)
        w = card["warnings"]
        print(
            json.dumps(
                {
                    k: w[k]
                    for k in (
                        "share_warned_before_first_payment",
                        "median_lead_time_min",
                        "people_warned",
                        "false_alarm_share",
                        "hard_negative_warned_share",
                    )
                }
                | {
                    "ari": card["cases"].get("ari"),
                    "detect": card["detect"],
                    "warn": ctx.results.get("warn"),
                },
                ensure_ascii=False,
                default=str,
            )
        )


if __name__ == "__main__":
    main()
