"""Replay historical transfers from the lake through a rule set and count hits per rule and outcome.

Vectorised where it matters: identifiers are hashed once per distinct value, registry look-ups are
one ``searchsorted`` over all distinct hashes, and exposure events (calls, SMS, URL visits, app
installs) are filtered to listed sources with Arrow, velocity comes from DuckDB window functions,
and the rules run column-wise (:class:`fanzha.decide.expr.VectorCompiler`) with the online
semantics (payee history only from completed transfers, attempts counted in velocity).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from fanzha.decide.rules import Outcome, RuleSet
from fanzha.registry.index import MemoryIndex, unpack
from fanzha.registry.keys import hash_prefix, key_of
from fanzha.store.lake import EventLake

# (lake kind, person column, source column, registry kind of the source, exposure kind)
EXPOSURE_SOURCES = (
    ("call", "callee", "caller", "phone", "call"),
    ("sms", "receiver", "sender", "phone", "sms"),
    ("url_visit", "number", "url", "url", "url"),
    ("app_install", "number", "app_id", "app", "app"),
)
LOOKBACK_S = 72 * 3600


@dataclass
class BacktestReport:
    ruleset: str
    events: int = 0
    seconds: float = 0.0
    outcomes: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    warnings: int = 0
    exposures: int = 0
    shadow: str | None = None
    shadow_outcomes: Counter = field(default_factory=Counter)
    shadow_differences: int = 0

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ruleset": self.ruleset,
            "events": self.events,
            "seconds": round(self.seconds, 3),
            "events_per_s": round(self.rate, 1),
            "outcomes": {o.value: self.outcomes.get(o.value, 0) for o in Outcome},
            "rules": dict(self.rules.most_common()),
            "warnings": self.warnings,
            "exposures_replayed": self.exposures,
        }
        if self.shadow:
            out["shadow"] = {
                "ruleset": self.shadow,
                "outcomes": {o.value: self.shadow_outcomes.get(o.value, 0) for o in Outcome},
                "differences": self.shadow_differences,
            }
        return out


class _Hasher:
    """Hash each distinct value once; look all of them up in the index in one vectorised call."""

    def __init__(self, secret: bytes, index: MemoryIndex) -> None:
        self.secret = secret
        self.index = index

    def keys(self, kind: str, values: pa.Array) -> tuple[list[str], np.ndarray]:
        """(keyed hash per row, packed index info per row or -1)."""
        arr = values.dictionary_encode() if not pa.types.is_dictionary(values.type) else values
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        uniq = arr.dictionary.to_pylist()
        hashes = []
        for v in uniq:
            try:
                hashes.append(key_of(kind, v, self.secret))
            except ValueError:
                hashes.append("0" * 64)
        prefixes = np.array([hash_prefix(h) for h in hashes], dtype=np.int64)
        info = self.index.lookup_prefixes(prefixes) if len(prefixes) else np.empty(0, np.int32)
        idx = arr.indices.to_numpy(zero_copy_only=False)
        return [hashes[i] for i in idx], info[idx]


def _epoch(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return col.cast(pa.int64()).to_numpy(zero_copy_only=False) / 1e6


def _velocity_sql(rel: str) -> str:
    """Transfers in time order with the payer's attempts in the previous hour/day (as online)."""
    w = "PARTITION BY payer_account ORDER BY event_time RANGE BETWEEN INTERVAL {} PRECEDING AND CURRENT ROW"
    return f"""
        WITH t AS (
          SELECT payer_account, payee_account, amount_fen, CAST(channel AS VARCHAR) AS channel,
                 event_time, row_number() OVER (ORDER BY event_time) AS rn
          FROM {rel})
        SELECT *,
          count(*) OVER ({w.format("1 HOUR")}) - 1 AS c1,
          count(*) OVER ({w.format("24 HOURS")}) - 1 AS c24,
          sum(amount_fen) OVER ({w.format("24 HOURS")}) - amount_fen AS a24,
          row_number() OVER (PARTITION BY payer_account, payee_account ORDER BY rn) AS pair_seq,
          dense_rank() OVER (ORDER BY payer_account, payee_account) AS pair_id
        FROM t ORDER BY rn"""


def _exposure_columns(
    n: int,
    times: np.ndarray,
    payer_h: list[str],
    links: dict[str, set[str]],
    exposures: dict[str, list[tuple[float, str, int]]],
) -> dict[str, np.ndarray]:
    """Exposure variables per transfer; only payers linked to an exposed person are visited."""
    from fanzha.decide.context import NEVER

    cols = {
        "exposure.hours_since_high": np.full(n, NEVER),
        "exposure.hours_since_any": np.full(n, NEVER),
        **{
            f"exposure.{k}_24h": np.zeros(n, dtype=np.int32) for k in ("calls", "sms", "url", "app")
        },
        "exposure.high_24h": np.zeros(n, dtype=np.int32),
    }
    names = {"call": "calls", "sms": "sms", "url": "url", "app": "app"}
    exposed = set(exposures)
    for i in range(n):
        persons = links.get(payer_h[i])
        if not persons or not (persons & exposed):
            continue
        now = float(times[i])
        lo, day = now - LOOKBACK_S, now - 86400
        for p in persons & exposed:
            for at, kind, grade in exposures[p]:
                if at > now:
                    break
                if at < lo:
                    continue
                age = (now - at) / 3600.0
                cols["exposure.hours_since_any"][i] = min(cols["exposure.hours_since_any"][i], age)
                if grade >= 3:
                    cols["exposure.hours_since_high"][i] = min(
                        cols["exposure.hours_since_high"][i], age
                    )
                if at >= day:
                    cols[f"exposure.{names[kind]}_24h"][i] += 1
                    if grade >= 3:
                        cols["exposure.high_24h"][i] += 1
    return cols


def _hit_columns(prefix: str, info: np.ndarray, case_codes: frozenset) -> dict[str, np.ndarray]:
    listed = info >= 0
    uniq = np.unique(info[listed])
    grade = np.zeros(len(info), dtype=np.int8)
    case = np.zeros(len(info), dtype=bool)
    code = np.full(len(info), "", dtype=object)
    ftype = np.full(len(info), "", dtype=object)
    for u in uniq.tolist():
        hit = unpack(int(u))
        m = info == u
        grade[m] = int(hit.grade)
        case[m] = hit.code in case_codes
        code[m] = hit.code.value if hit.code else ""
        ftype[m] = hit.fraud_type.value if hit.fraud_type else ""
    return {
        f"{prefix}.listed": listed,
        f"{prefix}.grade": grade,
        f"{prefix}.case_account": case,
        f"{prefix}.code": code,
        f"{prefix}.fraud_type": ftype,
    }


def run_backtest(
    lake: EventLake,
    ruleset: RuleSet,
    index: MemoryIndex,
    secret: bytes,
    since: datetime | None = None,
    until: datetime | None = None,
    shadow: RuleSet | None = None,
) -> BacktestReport:
    """Vectorised replay. Every variable except ``payee_new`` is independent of earlier decisions,
    so rules run column-wise; ``payee_new`` depends on whether earlier transfers of the same pair
    were completed (allow/remind), so pairs whose first pass holds a non-completing outcome are
    re-run row by row with the scalar evaluator — exact, and rare."""
    import duckdb

    from fanzha.decide.context import _PAYEE_CASE, _PAYER_CASE, BEIJING_OFFSET_S

    t0 = time.perf_counter()
    con = duckdb.connect()
    report = BacktestReport(ruleset.label, shadow=shadow.label if shadow else None)
    tr = con.sql(_velocity_sql(lake.relation_sql("transfer", since, until))).to_arrow_table()
    n = tr.num_rows
    if n == 0:
        report.seconds = time.perf_counter() - t0
        return report
    hasher = _Hasher(secret, index)
    payer_h, payer_i = hasher.keys("account", tr["payer_account"])
    _, payee_i = hasher.keys("account", tr["payee_account"])
    times = _epoch(tr["event_time"])

    # real-name links and exposures from listed sources
    links: dict[str, set[str]] = {}
    lk = con.sql(
        "SELECT account, bound_phone FROM "
        f"{lake.relation_sql('account_opening', None, until)} WHERE bound_phone IS NOT NULL"
    ).to_arrow_table()
    if lk.num_rows:
        acc_h, _ = hasher.keys("account", lk["account"])
        ph_h, _ = hasher.keys("phone", lk["bound_phone"])
        for a, p in zip(acc_h, ph_h, strict=True):
            links.setdefault(a, set()).add(p)
    exp_since = since - timedelta(seconds=LOOKBACK_S) if since is not None else None
    exposures: dict[str, list[tuple[float, str, int]]] = {}
    for kind, person_col, source_col, reg_kind, exp_kind in EXPOSURE_SOURCES:
        tbl = con.sql(
            f"SELECT {person_col} AS person, {source_col} AS src, event_time FROM "
            f"{lake.relation_sql(kind, exp_since, until)}"
        ).to_arrow_table()
        if tbl.num_rows == 0:
            continue
        _, info = hasher.keys(reg_kind, tbl["src"])
        listed = np.flatnonzero(info >= 0)
        if len(listed) == 0:
            continue
        sub = tbl.take(pa.array(listed))
        person_h, _ = hasher.keys("phone", sub["person"])
        ts = _epoch(sub["event_time"])
        for j in range(len(listed)):
            exposures.setdefault(person_h[j], []).append(
                (float(ts[j]), exp_kind, int(info[listed[j]]) & 0x3)
            )
            report.exposures += 1
    for v in exposures.values():
        v.sort()

    hour = ((times + BEIJING_OFFSET_S) // 3600 % 24).astype(np.int8)
    pair_seq = tr["pair_seq"].to_numpy(zero_copy_only=False)
    cols: dict[str, Any] = {
        "amount_fen": tr["amount_fen"].to_numpy(zero_copy_only=False),
        "hour": hour,
        "night": hour < 6,
        "channel": np.array(tr["channel"].to_pylist(), dtype=object),
        "payee_new": pair_seq == 1,
        "velocity.count_1h": tr["c1"].to_numpy(zero_copy_only=False),
        "velocity.count_24h": tr["c24"].to_numpy(zero_copy_only=False),
        "velocity.amount_24h_fen": tr["a24"].to_numpy(zero_copy_only=False).astype(np.int64),
        **_hit_columns("payee", payee_i, _PAYEE_CASE),
        **_hit_columns("payer", payer_i, _PAYER_CASE),
        **_exposure_columns(n, times, payer_h, links, exposures),
    }
    rank, masks = ruleset.evaluate_columns(cols, n)

    # fix-up: pairs with a repeat after a non-completing outcome
    remind = Outcome.REMIND.rank
    pair_id = tr["pair_id"].to_numpy(zero_copy_only=False)
    bad_pairs = np.unique(pair_id[(rank > remind)])
    rows = np.flatnonzero(np.isin(pair_id, bad_pairs) & (np.bincount(pair_id)[pair_id] > 1))
    if len(rows):
        rule_pos = {r.id: k for k, r in enumerate(ruleset.rules)}
        done: dict[int, bool] = {}
        for i in rows.tolist():  # rows are in time order
            p = int(pair_id[i])
            cols["payee_new"][i] = not done.get(p, False)
            ctx = {
                name: (c[i].item() if hasattr(c[i], "item") else c[i]) for name, c in cols.items()
            }
            d = ruleset.evaluate(ctx)
            rank[i] = d.outcome.rank
            masks[:, i] = False
            for rid in d.rule_ids:
                masks[rule_pos[rid], i] = True
            if d.outcome.rank <= remind:
                done[p] = True

    outcomes = list(Outcome)
    counts = np.bincount(rank, minlength=len(outcomes))
    for o in outcomes:
        report.outcomes[o.value] = int(counts[o.rank])
    for k, rule in enumerate(ruleset.rules):
        hits = int(masks[k].sum())
        if hits:
            report.rules[rule.id] = hits
    warn_rules = np.array([r.warn for r in ruleset.rules], dtype=bool)
    report.warnings = int(masks[warn_rules].any(axis=0).sum()) if warn_rules.any() else 0
    if shadow is not None:
        s_rank, s_masks = shadow.evaluate_columns(cols, n)
        s_counts = np.bincount(s_rank, minlength=len(outcomes))
        for o in outcomes:
            report.shadow_outcomes[o.value] = int(s_counts[o.rank])
        live_ids = [r.id for r in ruleset.rules]
        shadow_ids = [r.id for r in shadow.rules]
        ids = sorted(set(live_ids) | set(shadow_ids))
        lm = np.zeros((len(ids), n), dtype=bool)
        sm = np.zeros((len(ids), n), dtype=bool)
        for k, rid in enumerate(live_ids):
            lm[ids.index(rid)] = masks[k]
        for k, rid in enumerate(shadow_ids):
            sm[ids.index(rid)] = s_masks[k]
        differs = (s_rank != rank) | (lm != sm).any(axis=0)
        report.shadow_differences = int(differs.sum())
    report.events = n
    report.seconds = time.perf_counter() - t0
    return report
