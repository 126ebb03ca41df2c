"""Replay historical transfers from the lake through a rule set and count hits per rule and outcome.

Vectorised where it matters: identifiers are hashed once per distinct value, registry look-ups are
one ``searchsorted`` over all distinct hashes, and exposure events (calls, SMS, URL visits, app
installs) are filtered to listed sources with Arrow before the replay. The replay itself walks
events in time order through an in-process :class:`MemoryState` with exactly the online code path
(state read → context → rule set → payee commit), so backtest and production agree.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from fanzha.decide.context import payment_context
from fanzha.decide.rules import Outcome, RuleSet
from fanzha.decide.state import MemoryState
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


def run_backtest(
    lake: EventLake,
    ruleset: RuleSet,
    index: MemoryIndex,
    secret: bytes,
    since: datetime | None = None,
    until: datetime | None = None,
    shadow: RuleSet | None = None,
) -> BacktestReport:
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    report = BacktestReport(ruleset.label, shadow=shadow.label if shadow else None)
    transfers = con.sql(
        "SELECT payer_account, payee_account, amount_fen, CAST(channel AS VARCHAR) AS channel, "
        f"event_time FROM {lake.relation_sql('transfer', since, until)} ORDER BY event_time"
    ).to_arrow_table()
    if transfers.num_rows == 0:
        report.seconds = time.perf_counter() - t0
        return report
    hasher = _Hasher(secret, index)
    payer_h, payer_i = hasher.keys("account", transfers["payer_account"])
    payee_h, payee_i = hasher.keys("account", transfers["payee_account"])
    t_times = _epoch(transfers["event_time"])
    amounts = transfers["amount_fen"].to_numpy(zero_copy_only=False)
    channels = transfers["channel"].to_pylist()

    state = MemoryState()
    exp_since = None
    if since is not None:
        from datetime import timedelta

        exp_since = since - timedelta(seconds=LOOKBACK_S)
    # real-name links: account → bound phone
    links = con.sql(
        "SELECT account, bound_phone FROM "
        f"{lake.relation_sql('account_opening', None, until)} WHERE bound_phone IS NOT NULL"
    ).to_arrow_table()
    if links.num_rows:
        acc_h, _ = hasher.keys("account", links["account"])
        ph_h, _ = hasher.keys("phone", links["bound_phone"])
        for a, p in zip(acc_h, ph_h, strict=True):
            state.link(a, p)
    # exposures from listed sources only
    exp_rows: list[tuple[float, str, str, int]] = []
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
        times = _epoch(sub["event_time"])
        for j in range(len(listed)):
            exp_rows.append((float(times[j]), person_h[j], exp_kind, int(info[listed[j]]) & 0x3))
    exp_rows.sort()
    report.exposures = len(exp_rows)

    e = 0
    n_exp = len(exp_rows)
    outcomes, rules_c = report.outcomes, report.rules
    for i in range(transfers.num_rows):
        now = float(t_times[i])
        while e < n_exp and exp_rows[e][0] <= now:
            at, person, kind, grade = exp_rows[e]
            state.record_exposure(person, kind, grade, at)
            e += 1
        amount = int(amounts[i])
        st = state.payment_read(payer_h[i], payee_h[i], [], amount, now)
        pi, qi = int(payer_i[i]), int(payee_i[i])
        ctx = payment_context(
            amount_fen=amount,
            channel=channels[i] or "",
            now=now,
            payee=unpack(qi) if qi >= 0 else None,
            payer=unpack(pi) if pi >= 0 else None,
            state=st,
        )
        d = ruleset.evaluate(ctx)
        outcomes[d.outcome.value] += 1
        for r in d.rule_ids:
            rules_c[r] += 1
        if d.warn:
            report.warnings += 1
        if d.outcome in (Outcome.ALLOW, Outcome.REMIND):
            state.commit_payee(payer_h[i], payee_h[i])
        if shadow is not None:
            sd = shadow.evaluate(ctx)
            report.shadow_outcomes[sd.outcome.value] += 1
            if sd.key != d.key:
                report.shadow_differences += 1
    report.events = transfers.num_rows
    report.seconds = time.perf_counter() - t0
    return report
