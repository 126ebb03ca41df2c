"""Run a simulation: build the world and the fraud ecosystem, then emit events day by day.

Each simulated day is generated in chunks of people and handed to a sink as Arrow tables in the
event kinds' schemas (sorted by time within a table); nothing accumulates across days except the
fraud planner's queue of future case events. Ground truth is collected on the side and written by
:mod:`fanzha.sim.truth` (the world's tables while the days run, via ``on_world``; the rest at the end).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fanzha.domain.events import arrow_schema
from fanzha.sim import fraud, ids, life
from fanzha.sim.draws import FastDraws
from fanzha.sim.lazy import Lazy
from fanzha.sim.truth import EVENT_LABEL_COLUMNS, label_rows_to_table
from fanzha.sim.world import ROLE_SALES, World, build_world

PRESETS = {"tiny": 2_000, "city": 100_000, "province": 1_000_000}
KINDS = [
    "call",
    "sms",
    "transfer",
    "account_opening",
    "sim_issuance",
    "url_visit",
    "app_install",
    "public_report",
    "victim_report",
]
KIND_PREFIX = {
    "call": "CL",
    "sms": "SM",
    "transfer": "TR",
    "account_opening": "AO",
    "sim_issuance": "SI",
    "url_visit": "UV",
    "app_install": "AI",
    "public_report": "PR",
    "victim_report": "VR",
}
_MULT = np.uint64(0x9E3779B97F4A7C15)
_MULT_INT = 0x9E3779B97F4A7C15
_MASK64 = 2**64 - 1
schema_of = lru_cache(maxsize=None)(arrow_schema)  # get_type_hints per call is slow
LABEL_SCHEMA = pa.schema(EVENT_LABEL_COLUMNS)


@dataclass
class SimConfig:
    preset: str = "tiny"
    scale: float = 1.0
    days: int = 7
    seed: int = 1
    start: date = date(2026, 11, 1)
    chunk_people: int = 200_000

    @property
    def n_people(self) -> int:
        return max(200, int(PRESETS[self.preset] * self.scale))

    @property
    def n_gangs(self) -> int:
        return max(4, int(self.n_people**0.5 / 25))


class IdMint:
    """Unique, order-free event ids: a scrambled global counter (bijective on 64 bits)."""

    def __init__(self, seed: int) -> None:
        self.counter = 0
        self.xor = np.uint64((seed * 0x2545F4914F6CDD1D + 12345) % 2**64)
        self.xor_int = int(self.xor)

    def _values(self, n: int) -> np.ndarray:
        c = np.arange(self.counter, self.counter + n, dtype=np.uint64)
        self.counter += n
        with np.errstate(over="ignore"):
            return (c * _MULT) ^ self.xor

    def many(self, kind: str, n: int) -> pa.Array:
        return format_ids(kind, self._values(n))

    def one(self, kind: str) -> str:
        # the same value as _values(1), in Python integers (numpy scalars cost ~30 µs here)
        v = ((self.counter * _MULT_INT) & _MASK64) ^ self.xor_int
        self.counter += 1
        return f"{KIND_PREFIX[kind]}{v}"


def format_ids(kind: str, values: np.ndarray) -> pa.Array:
    """Event ids as strings: the kind's prefix and the decimal counter value."""
    v = pc.cast(pa.array(values, pa.uint64()), pa.string())
    return pc.binary_join_element_wise(KIND_PREFIX[kind], v, "")


@dataclass
class Deferred:
    """A table whose row count and ids are fixed now but whose Arrow columns are built later,
    on the lake writer's thread (string gathers and formatting then overlap generation).

    ``build(sel)`` builds the rows selected by a boolean mask over ``times`` (the event times,
    UTC microseconds), in their order; ``build()`` all rows."""

    kind: str
    num_rows: int
    build: Callable[..., pa.Table]
    times: np.ndarray | None = None


@dataclass
class Stats:
    events: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    hard_negative_calls: int = 0
    fraud_cold_calls: int = 0
    fraud_blast_sms: int = 0
    fraud_events: int = 0
    seconds: float = 0.0


Sink = Callable[[str, pa.Table], None]


def to_table(kind: str, cols: dict, mint: IdMint, truth: list[pa.Table] | None = None) -> pa.Table:
    """Columns (numpy/Arrow) → a table in the kind's schema with event ids.

    Rows are not sorted (sorting the large ordinary-life tables would cost more than generating
    them); the stream sorts per day, and the lake is queried by time through DuckDB.

    ``cols["_truth"]`` (optional): {"mask": bool array, <label>: array} rows to label; their
    label table (columns of :data:`EVENT_LABEL_COLUMNS`) is appended to ``truth``.
    """
    label = cols.pop("_truth", None)
    cols.pop("_hardneg", None)
    eid = mint.many(kind, len(cols["event_time"]))
    table = build_table(kind, cols, eid)
    if label is not None and truth is not None:
        m = np.asarray(label.pop("mask"), dtype=bool)
        sel = eid.filter(pa.array(m))
        k = len(sel)
        lab: list[pa.Array] = [sel, ids.const(kind, k)]
        for name, typ in EVENT_LABEL_COLUMNS[2:]:
            v = label.get(name)
            lab.append(pa.nulls(k, typ) if v is None else pa.array(np.asarray(v)[m], type=typ))
        truth.append(pa.Table.from_arrays(lab, schema=LABEL_SCHEMA))
    return table


def build_table(
    kind: str, cols: dict, eid: pa.Array | np.ndarray, sel: np.ndarray | None = None
) -> pa.Table:
    """Arrow table in the kind's schema; a column may be given as a :class:`Lazy` or a
    zero-argument callable (built here), ``eid`` as the ids' counter values (formatted here).
    ``sel``: a boolean row mask; only those rows are built (the same as filtering the table)."""
    schema = schema_of(kind)
    t = np.asarray(cols["event_time"], dtype=np.int64)
    if sel is not None:
        t = t[sel]
        eid = eid[sel] if isinstance(eid, np.ndarray) else eid.filter(pa.array(sel))
    n = len(t)
    if isinstance(eid, np.ndarray):
        eid = format_ids(kind, eid)
    arrays = []
    for f in schema:
        if f.name == "event_id":
            arrays.append(eid)
        elif f.name == "event_time":
            arrays.append(pa.array(t, type=pa.timestamp("us", tz="UTC")))
        else:
            v = cols.get(f.name)
            if isinstance(v, Lazy):
                v = v.build(sel)
            elif callable(v):
                v = v()
                if sel is not None:
                    v = v.filter(pa.array(sel))
            elif v is not None and sel is not None:
                v = (
                    v.filter(pa.array(sel))
                    if isinstance(v, pa.Array | pa.ChunkedArray)
                    else np.asarray(v)[sel]
                )
            if v is None:
                arrays.append(pa.nulls(n, f.type))
            elif isinstance(v, pa.Array | pa.ChunkedArray):
                arrays.append(v.cast(f.type))
            else:
                arrays.append(pa.array(v, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _dedupe_world(w: World, rng: np.random.Generator) -> None:
    """Fraud rows were drawn after the population: re-draw the rare identifier collisions."""
    nm = w.numbers
    for _ in range(50):
        key = nm["value"] + np.where(nm["operator"] == 5, 10**15, 0)
        dup = ids.dup_mask(key)
        if not dup.any():
            break
        v = nm["value"][dup]
        nm["value"][dup] = v - v % 10**7 + rng.integers(0, 10**7, dup.sum())
    dv = w.devices
    for _ in range(50):
        dup = ids.dup_mask(dv["value"])
        if not dup.any():
            break
        body = dv["value"][dup] // 10
        body = body - body % 10**6 + rng.integers(0, 10**6, dup.sum())
        dv["value"][dup] = body * 10 + ids.luhn_check_digit(body, 14)
    ac = w.accounts
    prefix = ac["prefix"]
    for pre in ("", "wxp", "ATM"):
        vals = ac["value"][prefix == pre]
        if ids.dup_mask(vals).any():
            raise RuntimeError("account collision")


def simulate(
    cfg: SimConfig,
    sink: Sink,
    on_day: Callable[[int], None] | None = None,
    on_world: Callable[[World, fraud.FraudState], None] | None = None,
):
    """Generate everything; returns (world, fraud state, stats). ``on_world`` is called once the
    world and the gangs are built, before the first day (e.g. to start the truth export)."""
    t_start = time.perf_counter()
    world = build_world(cfg.n_people, cfg.seed, cfg.start, cfg.days)
    frng = np.random.default_rng([cfg.seed, 2])
    state = fraud.build_fraud(world, frng, cfg.n_gangs)
    _dedupe_world(world, np.random.default_rng([cfg.seed, 3]))
    world.finalize()
    if on_world is not None:
        on_world(world, state)
    pools = life.build_pools(np.random.default_rng([cfg.seed, 4]))
    mint = IdMint(cfg.seed)
    stats = Stats()
    truth: list[pa.Table] = []  # vectorised label tables of the day, after the planner's rows

    def put(kind: str, table: pa.Table) -> None:
        if table.num_rows:
            stats.events[kind] += table.num_rows
            sink(kind, table)

    deferring = bool(getattr(sink, "accepts_deferred", False))

    def put_life(kind: str, cols: dict) -> None:
        """Ordinary life (no labels): ids drawn now, columns built by the sink's thread."""
        cols.pop("_hardneg", None)
        n = len(cols["event_time"])
        eid = mint._values(n)
        if n == 0:
            return
        stats.events[kind] += n
        build = partial(build_table, kind, cols, eid)
        t = np.asarray(cols["event_time"], dtype=np.int64)
        sink(kind, Deferred(kind, n, build, t) if deferring else build())

    for day in range(cfg.days):
        ctx = life.DayContext(world, day, pools)
        day_end = ctx.day_us + life.DAY_US
        # 1) fraud: plan new cases (money is reserved on tracked balances now)
        crng = np.random.default_rng([cfg.seed, 10, day])
        # the planner's many scalar draws come from ``fast`` (the same stream as crng's);
        # ``fast.gen`` is crng brought up to date
        fast = FastDraws(crng)
        planner = fraud.CasePlanner(world, state, fast, mint.one)
        counts = fraud.victim_count(world.n_people, crng)
        for key, k in zip(fraud.PLAYBOOK_KEYS, counts, strict=True):
            if k == 0:
                continue
            victims = fast.gen.choice(world.n_people, size=int(k), p=state.victim_p[key])
            gangs = [g for g in state.gangs if key in g.types]
            for v in victims:
                t0 = int(life.sample_times(fast.gen, 1, "social", ctx.day_us)[0])
                planner.plan(key, int(v), gangs[int(fast.integers(0, len(gangs)))], t0)
        fast.sync()
        # 2) fraud: mass calling and SMS blasts
        calls_c, sms_c = fraud.cold_activity(world, state, day, crng, ctx.day_us)
        if calls_c["number"]:
            put("call", to_table("call", _cold_calls(world, calls_c, crng), mint, truth))
        if sms_c["number"]:
            put("sms", to_table("sms", _blast_sms(world, state, sms_c), mint, truth))
        # 3) ordinary life, in chunks of people
        for ci, lo in enumerate(range(0, world.n_people, cfg.chunk_people)):
            hi = min(world.n_people, lo + cfg.chunk_people)
            rng = np.random.default_rng([cfg.seed, 20, day, ci])
            c = life.calls(ctx, lo, hi, rng)
            stats.hard_negative_calls += int(c.get("_hardneg", 0))
            put_life("call", c)
            put_life("sms", life.sms(ctx, lo, hi, rng))
            put_life("transfer", life.transfers(ctx, lo, hi, rng))
            put_life("url_visit", life.url_visits(ctx, lo, hi, rng))
            put_life("app_install", life.app_installs(ctx, lo, hi, rng))
        orng = np.random.default_rng([cfg.seed, 30, day])
        sims, accs = life.openings(ctx, orng)
        _label_openings(world, sims, accs, day)
        put("sim_issuance", to_table("sim_issuance", sims, mint, truth))
        put("account_opening", to_table("account_opening", accs, mint, truth))
        put(
            "public_report",
            to_table("public_report", _public_reports(world, state, ctx, orng), mint, truth),
        )
        # 4) release queued case events that fall inside this day
        for kind, rows in list(state.pending.items()):
            now = [r for r in rows if r["event_time"] < day_end]
            state.pending[kind] = [r for r in rows if r["event_time"] >= day_end]
            if now:
                put(kind, _rows_table(kind, now))
        # labels of the day become one Arrow table (Python dicts cost ~1 KB a row): the planner's
        # rows first, then the vectorised ones in the order they were made
        for seg in truth:
            stages = seg["stage"]
            stats.fraud_cold_calls += pc.sum(pc.equal(stages, "cold_call")).as_py() or 0
            stats.fraud_blast_sms += pc.sum(pc.equal(stages, "sms_blast")).as_py() or 0
        state.truth_tables.append(
            pa.concat_tables([label_rows_to_table(state.truth_events), *truth])
        )
        state.truth_events.clear()
        truth.clear()
        if on_day is not None:
            on_day(day)
    # events planned beyond the window were never emitted: drop their labels
    dropped = [r["event_id"] for rows in state.pending.values() for r in rows]
    if dropped:
        gone = pa.array(dropped, pa.string())
        state.truth_tables = [
            t.filter(pc.invert(pc.is_in(t["event_id"], value_set=gone))) for t in state.truth_tables
        ]
        kept = set(dropped)
        state.transcripts[:] = [r for r in state.transcripts if r["event_id"] not in kept]
    stats.fraud_events = sum(t.num_rows for t in state.truth_tables)
    stats.seconds = time.perf_counter() - t_start
    return world, state, stats


def _rows_table(kind: str, rows: list[dict]) -> pa.Table:
    schema = schema_of(kind)
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    arrays = []
    for f in schema:
        if f.name == "event_time":
            arrays.append(pa.array(cols[f.name], type=pa.int64()).cast(f.type))
        else:
            arrays.append(pa.array(cols[f.name], type=f.type))
    t = pa.Table.from_arrays(arrays, schema=schema)
    order = np.argsort(np.array([r["event_time"] for r in rows], dtype=np.int64), kind="stable")
    return t.take(pa.array(order))


def _cold_calls(w: World, c: dict, rng: np.random.Generator) -> dict:
    num = np.concatenate(c["number"])
    callee = np.concatenate(c["callee"])
    gang = np.concatenate(c["gang"])
    foreign = w.numbers["operator"][num] == 5
    ops = np.array(ids.OPERATORS + ["foreign"])
    org_op = np.where(foreign, w.numbers["operator"][callee], w.numbers["operator"][num])
    org = np.array([ids.OPERATOR_ORG[o] for o in ids.OPERATORS + ["foreign"]])[org_op]
    dev = w.numbers["device"][num]
    imei = pc.if_else(pa.array(foreign | (dev < 0)), pa.scalar(None, pa.string()),
                      w.imei_str.take(np.maximum(dev, 0)))  # fmt: skip
    del ops
    return {
        "source_org": pa.array(org),
        "event_time": np.concatenate(c["t"]),
        "caller": w.num_str.take(num),
        "callee": w.num_str.take(callee),
        "duration_s": np.concatenate(c["dur"]),
        "direction": pa.array(np.where(foreign, "incoming", "outgoing")),
        "caller_card_type": pa.array(
            np.array(["personal", "industry", "iot"])[w.numbers["card_type"][num]]
        ),
        "imei": imei,
        "_truth": {
            "mask": np.ones(len(num), dtype=bool),
            "gang_id": gang,
            "role": np.full(len(num), "caller"),
            "stage": np.full(len(num), "cold_call"),
        },
    }


def _blast_sms(w: World, s: fraud.FraudState, c: dict) -> dict:
    num = np.concatenate(c["number"])
    recv = np.concatenate(c["receiver"])
    gang = np.concatenate(c["gang"])
    ci = np.concatenate(c["content"])
    content = [s.gangs[g].blast[i % len(s.gangs[g].blast)] for g, i in zip(gang, ci, strict=True)]
    org = np.array([ids.OPERATOR_ORG[o] for o in ids.OPERATORS + ["foreign"]])[
        w.numbers["operator"][recv]
    ]
    return {
        "source_org": pa.array(org),
        "event_time": np.concatenate(c["t"]),
        "sender": w.num_str.take(num),
        "receiver": w.num_str.take(recv),
        "content": pa.array(content),
        "sender_card_type": pa.array(
            np.array(["personal", "industry", "iot"])[w.numbers["card_type"][num]]
        ),
        "_truth": {
            "mask": np.ones(len(num), dtype=bool),
            "gang_id": gang,
            "role": np.full(len(num), "caller"),
            "stage": np.full(len(num), "sms_blast"),
        },
    }


def _label_openings(w: World, sims: dict, accs: dict, day: int) -> None:
    ni = np.flatnonzero(w.numbers["issued_day"] == day)
    g = w.numbers["gang"][ni]
    sims["_truth"] = {
        "mask": g >= 0,
        "gang_id": g,
        "role": np.full(len(ni), "seller"),
        "stage": np.full(len(ni), "sim_for_gang"),
    }
    ai = np.flatnonzero((w.accounts["opened_day"] == day) & (w.accounts["owner"] >= 0))
    ga = w.accounts["gang"][ai]
    accs["_truth"] = {
        "mask": ga >= 0,
        "gang_id": ga,
        "role": np.full(len(ai), "seller"),
        "stage": np.full(len(ai), "bulk_opening"),
    }


def _public_reports(w: World, s: fraud.FraudState, ctx: life.DayContext, rng) -> dict:
    """Reports from the public: fraud numbers/domains (true) and sales callers (false alarms)."""
    rows_kind, rows_val, rows_ft, rows_content, truth_g = [], [], [], [], []
    share = float(np.clip(w.n_people / 100_000, 0.1, 1.0))  # as for cold calls
    for g in s.gangs:
        nums = [x for c in g.callers for x in c if w.numbers["issued_day"][x] <= ctx.day]
        for x in nums:
            for _ in range(rng.poisson(0.6 * share)):
                rows_kind.append("number")
                rows_val.append(w.num_str[x].as_py())
                rows_ft.append(fraud.PLAYBOOKS[g.types[0]].ftype.value)
                rows_content.append(
                    str(
                        rng.choice(
                            [
                                "自称客服让我退款",
                                "冒充公安说我涉嫌洗钱",
                                "骚扰电话，疑似诈骗",
                                "让我下载APP刷单",
                            ]
                        )
                    )
                )
                truth_g.append(g.gid)
        for d in g.domains:
            if rng.random() < 0.15:
                rows_kind.append("url")
                rows_val.append(f"https://{d}/")
                rows_ft.append(fraud.PLAYBOOKS[g.types[0]].ftype.value)
                rows_content.append("钓鱼网站")
                truth_g.append(g.gid)
    sales = np.flatnonzero(w.people["role"] == ROLE_SALES)
    fp = sales[rng.random(len(sales)) < 0.05]
    for p in fp:
        rows_kind.append("number")
        rows_val.append(w.num_str[int(w.primary_number[p])].as_py())
        rows_ft.append(None)
        rows_content.append("推销电话太多了")
        truth_g.append(-1)
    n = len(rows_kind)
    reporters = w.primary_number[rng.integers(0, w.n_people, n)]
    return {
        "source_org": pa.array(
            np.where(rng.random(n) < 0.7, "国家反诈中心APP", "12321").astype(str)
        )
        if n
        else pa.array([], pa.string()),
        "event_time": life.sample_times(rng, n, "social", ctx.day_us),
        "target_kind": pa.array(rows_kind, pa.string()),
        "target_value": pa.array(rows_val, pa.string()),
        "reporter": w.num_str.take(reporters),
        "fraud_type": pa.array(rows_ft, pa.string()),
        "content": pa.array(rows_content, pa.string()),
    }
