"""Writing a run to disk: event sinks (Parquet lake, CSV, JSONL), truth, and the summary."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from fanzha.sim.engine import KINDS, SimConfig, Stats, simulate
from fanzha.sim.fraud import FraudState
from fanzha.sim.truth import write_truth
from fanzha.sim.world import World
from fanzha.store.lake import EventLake


class LakeSink:
    """Parquet in the lake layout, through :class:`EventLake` (one part per day per chunk)."""

    def __init__(self, out: Path) -> None:
        self.lake = EventLake(Path(out) / "lake")

    def __call__(self, kind: str, table: pa.Table) -> None:
        self.lake.append(kind, table)


class FileSink:
    """CSV or JSONL files in the same partitioned layout: ``<fmt>/kind=<k>/day=<d>/part-N.<ext>``."""

    def __init__(self, out: Path, fmt: str) -> None:
        self.root = Path(out) / fmt
        self.fmt = fmt
        self.counter: dict[tuple[str, str], int] = defaultdict(int)

    def __call__(self, kind: str, table: pa.Table) -> None:
        days = pc.strftime(table["event_time"], format="%Y-%m-%d")
        for day in pc.unique(days).to_pylist():
            part = table.filter(pc.equal(days, day))
            d = self.root / f"kind={kind}" / f"day={day}"
            d.mkdir(parents=True, exist_ok=True)
            k = self.counter[(kind, day)]
            self.counter[(kind, day)] += 1
            if self.fmt == "csv":
                pcsv.write_csv(part, d / f"part-{k:05d}.csv")
            else:
                _write_jsonl(part, d / f"part-{k:05d}.jsonl")


def _write_jsonl(table: pa.Table, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for batch in table.to_batches(max_chunksize=50_000):
            rows = batch.to_pylist()
            for r in rows:
                r["event_time"] = r["event_time"].isoformat()
                fh.write(json.dumps(r, ensure_ascii=False))
                fh.write("\n")


def summarize(world: World, state: FraudState, stats: Stats, cfg: SimConfig) -> dict:
    per_type: dict[str, int] = defaultdict(int)
    cases_per_type: dict[str, int] = defaultdict(int)
    victims = set()
    for c in state.cases:
        per_type[c["fraud_type"]] += c["loss_fen"]
        cases_per_type[c["fraud_type"]] += 1
        if c["loss_fen"] > 0:
            victims.add(c["victim_id"])
    role = world.people["role"]
    return {
        "preset": cfg.preset,
        "scale": cfg.scale,
        "seed": cfg.seed,
        "start": cfg.start.isoformat(),
        "days": cfg.days,
        "people": world.n_people,
        "numbers": len(world.numbers),
        "accounts": len(world.accounts),
        "devices": len(world.devices),
        "events": {k: stats.events[k] for k in KINDS},
        "events_total": sum(stats.events.values()),
        "fraud_events": stats.fraud_events,
        "gangs": len(state.gangs),
        "cases": len(state.cases),
        "victims_with_loss": len(victims),
        "reported_cases": sum(1 for c in state.cases if c["report_in_window"]),
        "loss_fen_total": int(sum(per_type.values())),
        "loss_fen_by_type": dict(sorted(per_type.items())),
        "cases_by_type": dict(sorted(cases_per_type.items())),
        "hard_negatives": {
            "couriers": int((role == 1).sum()),
            "delivery_riders": int((role == 2).sum()),
            "customer_service": int((role == 3).sum()),
            "sales_callers": int((role == 4).sum()),
            "business_calls": stats.hard_negative_calls,
        },
        "fraud_cold_calls": stats.fraud_cold_calls,
        "fraud_blast_sms": stats.fraud_blast_sms,
        "seconds": round(stats.seconds, 2),
        "events_per_second": round(sum(stats.events.values()) / max(stats.seconds, 1e-9)),
    }


def generate(cfg: SimConfig, out: Path, fmt: str = "parquet", on_day=None) -> dict:
    """Generate a region into ``out``: events (lake/csv/jsonl), ``truth/`` and ``summary.json``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sink = LakeSink(out) if fmt == "parquet" else FileSink(out, fmt)
    world, state, stats = simulate(cfg, sink, on_day=on_day)
    write_truth(out, world, state)
    summary = summarize(world, state, stats, cfg)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
    return summary


def read_truth(out: Path, name: str) -> pa.Table:
    return pq.read_table(Path(out) / "truth" / f"{name}.parquet")
