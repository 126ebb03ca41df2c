"""The demo replay: simulate a region, then push it through every room of the platform.

Stages run in order and each records its throughput for the scorecard:
sim → organisations → ingestion (events and the partners' real-name registers) → detection →
risk list → warnings (with simulated police responses) → interception (reports, tracing, freezes,
bank replies, returns) → cases and clusters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from fanzha.access.principal import PLATFORM_OPERATOR
from fanzha.settings import Settings
from fanzha.store.lake import EventLake

Log = Callable[[str], None]


@dataclass
class StageTiming:
    name: str
    seconds: float
    items: int
    unit: str

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class DemoContext:
    settings: Settings
    preset: str
    days: int
    seed: int
    start: date
    log: Log
    sim_dir: Path = field(init=False)
    timings: list[StageTiming] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sim_dir = self.settings.data_dir / "sim"

    @property
    def truth(self) -> Path:
        return self.sim_dir / "truth"

    @property
    def lake(self) -> EventLake:
        return EventLake(self.settings.lake_dir)

    def truth_table(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.truth / f"{name}.parquet")

    @contextmanager
    def stage(self, name: str, unit: str) -> Iterator[list[int]]:
        self.log(f"▶ {name}")
        counter = [0]
        t = time.perf_counter()
        yield counter
        timing = StageTiming(name, time.perf_counter() - t, counter[0], unit)
        self.timings.append(timing)
        self.log(
            f"  {name}: {timing.items:,} {unit} in {timing.seconds:.1f}s "
            f"({timing.rate:,.0f} {unit}/s)"
        )


def stage_simulate(ctx: DemoContext) -> None:
    from fanzha.sim.engine import SimConfig
    from fanzha.sim.output import generate

    with ctx.stage("模拟区域", "events") as n:
        cfg = SimConfig(preset=ctx.preset, days=ctx.days, seed=ctx.seed, start=ctx.start)
        summary = generate(cfg, ctx.sim_dir)
        n[0] = int(sum(v for k, v in summary.get("events", {}).items()))
        ctx.results["sim"] = summary


def stage_organisations(ctx: DemoContext) -> None:
    from fanzha.demo.world import seed_region
    from fanzha.store.db import session_scope

    with ctx.stage("机构", "organisations") as n, session_scope() as s:
        made = seed_region(s, ctx.truth)
        n[0] = sum(made.values())


def _registers(ctx: DemoContext) -> dict[str, pa.Table]:
    """Operators' and banks' real-name registers as SIM-issuance and account-opening events.

    Partners hold these registers; on the platform they arrive as one upload each. Numbers and
    accounts opened inside the simulated window are already events of the lake.
    """
    from fanzha.demo.world import institution_org, operator_org

    start = pd.Timestamp(ctx.start, tz="Asia/Shanghai")
    numbers = ctx.truth_table("numbers")
    numbers = numbers[
        pd.to_datetime(numbers["issued_date"]).dt.tz_localize("Asia/Shanghai") < start
    ]
    sims = pa.table(
        {
            "event_id": "reg-sim-" + numbers["number"],
            "source_org": numbers["operator"].map(operator_org),
            "event_time": pd.to_datetime(numbers["issued_date"]).dt.tz_localize("Asia/Shanghai"),
            "number": numbers["number"],
            "person_id": numbers["person_id"],
            "operator": numbers["operator"],
            "card_type": numbers["card_type"],
            "outlet": numbers["outlet"],
        }
    )
    accounts = ctx.truth_table("accounts")
    accounts = accounts[~accounts["is_external"].astype(bool)]
    opened = pd.to_datetime(accounts["opened_date"]).dt.tz_localize("Asia/Shanghai")
    accounts = accounts[opened < start]
    opened = opened[opened < start]
    accs = pa.table(
        {
            "event_id": "reg-acc-" + accounts["account"],
            "source_org": accounts["institution"].map(institution_org),
            "event_time": opened,
            "account": accounts["account"],
            "person_id": accounts["person_id"],
            "institution": accounts["institution"],
            "account_class": accounts["account_class"],
            "bound_phone": accounts["bound_phone"],
            "outlet": accounts["outlet"],
        }
    )
    return {"sim_issuance": sims, "account_opening": accs}


def stage_ingest(ctx: DemoContext) -> None:
    """Every simulated event file and the real-name registers through validation and dedup."""
    import pyarrow.parquet as pq

    from fanzha.ingest.service import ingest_files

    sim_lake = EventLake(ctx.sim_dir / "lake")
    reg_dir = ctx.sim_dir / "registers"
    reg_dir.mkdir(parents=True, exist_ok=True)
    for kind, table in _registers(ctx).items():
        pq.write_table(table, reg_dir / f"{kind}.parquet")
    totals: dict[str, dict[str, int]] = {}
    with ctx.stage("接入（校验、去重、入湖）", "records") as n:
        for kind in (
            "sim_issuance",
            "account_opening",
            "call",
            "sms",
            "transfer",
            "url_visit",
            "app_install",
            "public_report",
            "victim_report",
        ):
            files = list(sim_lake.files(kind))
            reg = reg_dir / f"{kind}.parquet"
            if reg.exists():
                files.insert(0, reg)
            if not files:
                continue
            rep = ingest_files(kind, files, principal=PLATFORM_OPERATOR, lake=ctx.lake)
            totals[kind] = {
                "accepted": rep.accepted,
                "duplicate": rep.duplicate,
                "rejected": rep.rejected,
            }
            n[0] += rep.accepted + rep.duplicate + rep.rejected
            if rep.rejected:
                ctx.log(f"  {kind}: {rep.rejected} 条被拒收（见死信库）")
    ctx.results["ingest"] = totals


def _rng(ctx: DemoContext, salt: int) -> np.random.Generator:
    return np.random.default_rng(ctx.seed * 1000 + salt)


def now_utc() -> datetime:
    return datetime.now(UTC)
