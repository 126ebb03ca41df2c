"""Writing a run to disk: event sinks (Parquet lake, CSV, JSONL), truth, and the summary."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from collections import defaultdict, deque
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from fanzha.sim.engine import KINDS, Deferred, SimConfig, Stats, schema_of, simulate
from fanzha.sim.fraud import FraudState
from fanzha.sim.truth import StaticTruth, start_truth, write_truth
from fanzha.sim.world import World
from fanzha.store.lake import EventLake

DAY_US = 86_400_000_000
# As the lake's own writer (store/lake.py): LZ4 (about half zstd's encoding CPU, ~1.7x the
# bytes), min/max statistics only where readers prune (time ranges, organisations).
COMPRESSION = "lz4"
STATS_COLUMNS = ("event_time", "source_org")
# Columns whose values come from small pools (organisations, enums, message/URL/IP pools): these
# get Parquet dictionary encoding. Identifiers, times and amounts are nearly unique per row, where
# a dictionary only costs hashing before Arrow falls back to plain encoding.
DICT_COLUMNS = frozenset({
    "source_org", "direction", "caller_card_type", "sender_card_type", "city", "channel",
    "content", "url", "ip", "app_id", "app_label", "apk_sha256", "place", "fraud_type",
    "target_kind", "operator", "card_type", "institution", "account_class", "outlet", "agent",
    "division_code",
})  # fmt: skip


def write_part(target_dir: Path, table: pa.Table) -> Path:
    """One Parquet part: temporary name, fsync, rename (a crash never leaves a half part)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    name = f"part-{uuid.uuid4().hex}.parquet"
    tmp = target_dir / f".{name}.tmp"
    pq.write_table(
        table,
        tmp,
        compression=COMPRESSION,
        use_dictionary=[c for c in table.column_names if c in DICT_COLUMNS],
        write_statistics=[c for c in STATS_COLUMNS if c in table.column_names],
    )
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    final = target_dir / name
    os.replace(tmp, final)
    return final


def utc_day_masks(us: np.ndarray) -> list[tuple[str, np.ndarray | None]]:
    """(YYYY-MM-DD, boolean mask of that UTC day's rows, or None for all rows) for event times in
    UTC microseconds; days without rows are left out. Min/max and range masks, not np.unique."""
    d0, d1 = int(us.min()) // DAY_US, int(us.max()) // DAY_US
    out: list[tuple[str, np.ndarray | None]] = []
    for d in range(d0, d1 + 1):
        day = (date(1970, 1, 1) + timedelta(days=d)).isoformat()
        if d0 == d1:
            out.append((day, None))
            continue
        if d == d0:
            m = us < (d + 1) * DAY_US
        elif d == d1:
            m = us >= d * DAY_US
        else:
            m = (us >= d * DAY_US) & (us < (d + 1) * DAY_US)
        if m.any():
            out.append((day, m))
    return out


def split_by_utc_day(table: pa.Table) -> list[tuple[str, pa.Table]]:
    """(YYYY-MM-DD, rows of that UTC day) pairs."""
    us = table["event_time"].cast(pa.int64()).to_numpy(zero_copy_only=False)
    return [
        (day, table if m is None else table.filter(pa.array(m))) for day, m in utc_day_masks(us)
    ]


def _day_parts(table: pa.Table | Deferred):
    """A table's UTC-day parts, built one at a time; a :class:`Deferred` one with its times
    builds each day's rows directly (no whole-table build and filter)."""
    if isinstance(table, Deferred):
        if table.times is None:
            yield from split_by_utc_day(table.build())
            return
        for day, m in utc_day_masks(table.times):
            yield day, table.build(m) if m is not None else table.build()
        return
    yield from split_by_utc_day(table)


class LakeSink:
    """Parquet in the lake layout (``lake/kind=<k>/day=<d>/part-<uuid>.parquet``, as
    :class:`EventLake` writes it), encoded and written on a background thread.

    Arrow's Parquet writer releases the GIL, so encoding and compression of one table overlap the
    generation of the next on the second core. At most ``max_rows`` rows wait in the queue (the
    generator blocks beyond that), which bounds the memory in flight. Call :meth:`close` at the end;
    an error on the writer thread is raised there (or on the next put).
    """

    def __init__(self, out: Path, max_rows: int = 3_000_000) -> None:
        self.lake = EventLake(Path(out) / "lake")
        self.max_rows = max_rows
        self._queue: deque[tuple[str, pa.Table] | None] = deque()
        self._rows = 0
        self._cond = threading.Condition()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="fanzha-sim-lake", daemon=True)
        self._thread.start()

    accepts_deferred = True  # engine.Deferred tables are built on the writer thread

    def __call__(self, kind: str, table: pa.Table | Deferred) -> None:
        if table.num_rows == 0:
            return
        with self._cond:
            while (
                self._rows > 0 and self._rows + table.num_rows > self.max_rows and not self._error
            ):
                self._cond.wait()
            self._raise()
            self._queue.append((kind, table))  # type: ignore[arg-type]
            self._rows += table.num_rows
            self._cond.notify_all()

    def close(self, raise_error: bool = True) -> None:
        with self._cond:
            self._queue.append(None)
            self._cond.notify_all()
        self._thread.join()
        if raise_error:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise RuntimeError(f"lake writer failed: {self._error!r}") from self._error

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                item = self._queue[0]
            if item is None:
                return
            kind, table = item
            n = table.num_rows
            try:
                if self._error is None:
                    schema = schema_of(kind)
                    for day, part in _day_parts(table):
                        if part.schema != schema:
                            part = part.select(schema.names).cast(schema)
                        write_part(self.lake.kind_dir(kind) / f"day={day}", part)
                        del part
            except BaseException as exc:  # noqa: BLE001 - handed to the generating thread
                self._error = exc
            with self._cond:
                self._queue.popleft()
                self._rows -= n
                self._cond.notify_all()


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
    static: list[StaticTruth] = []  # the world's truth tables, written while the days run

    def on_world(world: World, state: FraudState) -> None:
        static.append(start_truth(out, world, state))

    # The generating thread is pure Python for long stretches; the writer threads need the GIL
    # only between Arrow calls. A shorter switch interval than the default 5 ms lets them get it
    # back sooner (restored at the end).
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, 0.001))
    try:
        try:
            world, state, stats = simulate(cfg, sink, on_day=on_day, on_world=on_world)
        except BaseException:
            if isinstance(sink, LakeSink):
                sink.close(raise_error=False)
            for st in static:
                st.close(raise_error=False)
            raise
        if isinstance(sink, LakeSink):
            t0 = time.perf_counter()
            sink.close()  # the writer's backlog belongs to the generation time
            stats.seconds += time.perf_counter() - t0
        write_truth(out, world, state, static[0] if static else None)
    finally:
        sys.setswitchinterval(switch)
    summary = summarize(world, state, stats, cfg)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
    return summary


def read_truth(out: Path, name: str) -> pa.Table:
    return pq.read_table(Path(out) / "truth" / f"{name}.parquet")
