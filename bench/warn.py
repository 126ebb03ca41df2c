"""Warning creation throughput: exposures merged per second into the open-warning state of 1 M people.

Prints the engine's rate (vectorised state update + change detection) and, separately, the rate of
the full service path (engine + warning rows, tasks and signals in SQLite) on a smaller stream.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from fanzha.warn.engine import WarningState

TYPES = np.array(
    ["刷单返利类", "虚假网络投资理财类", "冒充公检法及政府机关类", "冒充电商物流客服类"],
    dtype=object,
)
KINDS = np.array(["call", "sms", "url_visit", "app_install", "transfer"], dtype=object)


def exposures(
    rng: np.random.Generator, n: int, people: np.ndarray, t0: pd.Timestamp
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": people[rng.integers(0, len(people), n)],
            "signal_kind": KINDS[rng.choice(5, n, p=[0.5, 0.3, 0.1, 0.05, 0.05])],
            "fraud_type": TYPES[rng.integers(0, len(TYPES), n)],
            "grade": rng.integers(1, 4, n),
            "at": t0 + pd.to_timedelta(rng.integers(0, 3600, n), unit="s"),
            "duration_s": rng.integers(0, 600, n),
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--exposures", type=int, default=2_000_000)
    ap.add_argument("--batch", type=int, default=100_000)
    ap.add_argument("--service-exposures", type=int, default=20_000)
    args = ap.parse_args()
    rng = np.random.default_rng(7)
    people = np.array([f"P{i:09d}" for i in range(args.people)], dtype=object)
    state = WarningState(capacity=args.people)
    t = time.perf_counter()
    state.set_ages(dict(zip(people, rng.integers(18, 90, args.people).tolist(), strict=True)))
    print(f"state of {args.people:,} people built in {time.perf_counter() - t:.2f}s")
    t0 = pd.Timestamp("2026-11-28T00:00Z")
    batches = [
        exposures(rng, args.batch, people, t0 + pd.Timedelta(hours=i))
        for i in range(args.exposures // args.batch)
    ]
    changed = 0
    t = time.perf_counter()
    for i, b in enumerate(batches):
        changed += len(state.process(b, (t0 + pd.Timedelta(hours=i + 1)).value // 1000))
    dt = time.perf_counter() - t
    total = sum(len(b) for b in batches)
    print(
        f"engine: {total:,} exposures in {dt:.2f}s = {total / dt:,.0f} exposures/s "
        f"(target ≥ 50,000/s); {changed:,} warnings opened or raised; "
        f"{int((state.level > 0).sum()):,} people with an open warning"
    )

    import os

    from fanzha.access.principal import OrgKind
    from fanzha.domain.clock import FixedClock
    from fanzha.settings import reset_settings_cache
    from fanzha.store.db import reset_engines, session_scope
    from fanzha.store.migrate import upgrade
    from fanzha.warn.service import WarningService

    with tempfile.TemporaryDirectory() as d:
        os.environ["FANZHA_DATA_DIR"] = str(Path(d) / "var")
        os.environ.pop("FANZHA_DATABASE_URL", None)
        reset_settings_cache()
        reset_engines()
        upgrade()
        from fanzha.access.orgs import add_org

        with session_scope() as s:
            add_org(s, "sc", "四川省公安厅", OrgKind.PROVINCE_POLICE, "510000")
        few = people[: max(1, args.people // 100)]
        ex = exposures(rng, args.service_exposures, few, t0)
        ex["phone"] = "13800135678"
        ex["division_code"] = "510104"
        ex["age"] = 40
        ex["counterpart_kind"] = "phone"
        ex["counterpart"] = "17012345678"
        t = time.perf_counter()
        with session_scope() as s:
            svc = WarningService(
                s, b"bench", FixedClock(t0.to_pydatetime() + pd.Timedelta(hours=1))
            )
            r = svc.process(ex)
        dt = time.perf_counter() - t
        print(
            f"service (engine + SQLite rows): {r.exposures:,} exposures in {dt:.2f}s = "
            f"{r.exposures / dt:,.0f}/s; {r.opened:,} warnings opened, {r.signals_stored:,} signals stored"
        )
        reset_engines()


if __name__ == "__main__":
    main()
