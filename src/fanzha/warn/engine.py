"""The open-warning state of every person, updated by batches of exposures without a per-record loop.

State lives in numpy arrays indexed by a dense person number; a batch is reduced per person
(noisy-OR of contributions, earliest/latest time, strongest fraud type, dimensions seen) and merged
into the state with time decay. The result names the people whose warning is new or whose level
rose: only those need a database write and a dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from fanzha.warn.levels import DEFAULT_POLICY, DIMENSIONS, SIGNAL_KINDS, LevelPolicy, contributions
from fanzha.warn.levels import levels_for as _levels_for

EXPOSURE_COLUMNS = (
    "person_id",  # the real-name person (normalised resident ID or a directory key)
    "signal_kind",  # call, sms, url_visit, app_install, payment_check, transfer
    "fraud_type",  # of the listed identifier
    "grade",  # RiskLevel of the listed identifier (int)
    "at",  # exposure time (timestamp, UTC)
    "duration_s",  # calls only; 0 otherwise
)

US = 1_000_000  # microseconds per second
_DIM_BIT = {d: 1 << i for i, d in enumerate(DIMENSIONS)}
_KIND_DIM_BITS = {k: _DIM_BIT[d] for k, (d, _) in SIGNAL_KINDS.items()}


class PersonIndex:
    """Dense numbering of person ids with a vectorised lookup (pandas hash index)."""

    def __init__(self, ids: list[str] | np.ndarray | None = None) -> None:
        self._ids: list[str] = []
        self._index = pd.Index([], dtype=object)
        if ids is not None:
            self.add(np.asarray(ids, dtype=object))

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, ids: np.ndarray) -> None:
        new = pd.unique(ids[self._index.get_indexer(ids) < 0]) if len(self._ids) else pd.unique(ids)
        if len(new):
            self._ids.extend(new.tolist())
            self._index = pd.Index(self._ids, dtype=object)

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        """Dense numbers for ``ids``; unknown ids are added first."""
        pos = self._index.get_indexer(ids)
        if (pos < 0).any():
            self.add(ids)
            pos = self._index.get_indexer(ids)
        return pos.astype(np.int64)

    def ids(self, positions: np.ndarray) -> list[str]:
        return [self._ids[i] for i in positions]


@dataclass
class Changes:
    """People whose warning opened or rose in this batch."""

    person_ids: list[str]
    positions: np.ndarray
    level: np.ndarray
    previous_level: np.ndarray
    score: np.ndarray
    fraud_type: list[str]
    first_exposure_us: np.ndarray
    last_exposure_us: np.ndarray
    dimensions: np.ndarray  # bitmask over DIMENSIONS
    money_recent: np.ndarray

    def __len__(self) -> int:
        return len(self.person_ids)

    @property
    def opened(self) -> np.ndarray:
        return self.previous_level == 0


class WarningState:
    """Open warnings of up to millions of people, in arrays."""

    def __init__(
        self,
        capacity: int = 1024,
        policy: LevelPolicy = DEFAULT_POLICY,
        ages: dict[str, int] | None = None,
    ) -> None:
        self.policy = policy
        self.people = PersonIndex()
        self._alloc(capacity)
        if ages:
            self.set_ages(ages)

    def _alloc(self, n: int) -> None:
        self.score = np.zeros(n, dtype=np.float64)
        self.level = np.zeros(n, dtype=np.int8)
        self.first_us = np.zeros(n, dtype=np.int64)
        self.last_us = np.zeros(n, dtype=np.int64)
        self.last_money_us = np.zeros(n, dtype=np.int64)
        self.dims = np.zeros(n, dtype=np.int8)
        self.age = np.zeros(n, dtype=np.int16)
        self.fraud_type = np.empty(n, dtype=object)
        self.best = np.zeros(n, dtype=np.float64)

    def _grow(self, needed: int) -> None:
        cap = len(self.score)
        if needed <= cap:
            return
        new_cap = max(needed, cap * 2)
        for name in (
            "score",
            "level",
            "first_us",
            "last_us",
            "last_money_us",
            "dims",
            "age",
            "fraud_type",
            "best",
        ):
            old = getattr(self, name)
            arr = (
                np.empty(new_cap, dtype=old.dtype)
                if old.dtype == object
                else np.zeros(new_cap, dtype=old.dtype)
            )
            arr[:cap] = old
            setattr(self, name, arr)

    def set_ages(self, ages: dict[str, int]) -> None:
        ids = np.asarray(list(ages), dtype=object)
        pos = self.people.lookup(ids)
        self._grow(len(self.people))
        self.age[pos] = np.fromiter(ages.values(), dtype=np.int16, count=len(ages))

    def close(self, person_ids: list[str]) -> None:
        """A warning was closed (outcome recorded): the person starts from zero again."""
        pos = self.people.lookup(np.asarray(person_ids, dtype=object))
        self.score[pos] = 0.0
        self.level[pos] = 0
        self.dims[pos] = 0
        self.best[pos] = 0.0
        self.first_us[pos] = 0
        self.last_us[pos] = 0
        self.last_money_us[pos] = 0

    def process(self, exposures: pa.Table | pd.DataFrame, now_us: int) -> Changes:
        """Merge a batch of exposures (columns :data:`EXPOSURE_COLUMNS`) at time ``now_us``."""
        df = exposures.to_pandas() if isinstance(exposures, pa.Table) else exposures
        if len(df) == 0:
            return _empty_changes()
        ids = df["person_id"].to_numpy(dtype=object)
        pos = self.people.lookup(ids)
        self._grow(len(self.people))
        kinds = df["signal_kind"].to_numpy(dtype=object)
        at_us = _to_us(df["at"])
        contrib = contributions(
            kinds,
            df["fraud_type"].to_numpy(dtype=object),
            df["grade"].to_numpy(),
            df["duration_s"].fillna(0).to_numpy(),
            self.policy,
        )
        uniq, inv = np.unique(pos, return_inverse=True)
        n = len(uniq)
        log_keep = np.bincount(inv, weights=np.log1p(-contrib), minlength=n)
        # per-person extremes via one sort: (person, contribution desc)
        order = np.lexsort((-contrib, inv))
        starts = np.flatnonzero(np.r_[True, inv[order][1:] != inv[order][:-1]])
        best_rows = order[starts]
        batch_first = np.minimum.reduceat(at_us[order], starts)
        batch_last = np.maximum.reduceat(at_us[order], starts)
        dim_bits = np.array([_KIND_DIM_BITS.get(k, 0) for k in kinds], dtype=np.int8)
        batch_dims = np.bitwise_or.reduceat(dim_bits[order], starts)
        is_funds = (dim_bits & _DIM_BIT["funds"]) > 0
        money_at = np.where(is_funds, at_us, 0)
        batch_money = np.maximum.reduceat(money_at[order], starts)

        # decay the old score by the time since the person's last exposure
        half_life_us = self.policy.decay_half_life.total_seconds() * US
        old = self.score[uniq]
        since = np.maximum(now_us - self.last_us[uniq], 0)
        decayed = np.where(self.last_us[uniq] > 0, old * np.exp2(-since / half_life_us), 0.0)
        new_score = 1.0 - (1.0 - decayed) * np.exp(log_keep)

        prev_level = self.level[uniq].copy()
        last_money = np.maximum(self.last_money_us[uniq], batch_money)
        money_recent = (last_money > 0) & (
            now_us - last_money <= self.policy.money_now.total_seconds() * US
        )
        new_level = _levels_for(new_score, money_recent, self.age[uniq], self.policy)
        new_level = np.maximum(new_level, prev_level)  # an open warning never downgrades itself

        best_contrib = contrib[best_rows]
        stronger = best_contrib > self.best[uniq]
        ft = df["fraud_type"].to_numpy(dtype=object)[best_rows]
        self.fraud_type[uniq[stronger]] = ft[stronger]
        self.best[uniq] = np.maximum(self.best[uniq], best_contrib)
        self.score[uniq] = new_score
        self.level[uniq] = new_level
        first = self.first_us[uniq]
        self.first_us[uniq] = np.where(first > 0, np.minimum(first, batch_first), batch_first)
        self.last_us[uniq] = np.maximum(self.last_us[uniq], batch_last)
        self.last_money_us[uniq] = last_money
        self.dims[uniq] |= batch_dims

        changed = new_level > prev_level
        sel = uniq[changed]
        return Changes(
            person_ids=self.people.ids(sel),
            positions=sel,
            level=new_level[changed],
            previous_level=prev_level[changed],
            score=new_score[changed],
            fraud_type=list(self.fraud_type[sel]),
            first_exposure_us=self.first_us[sel],
            last_exposure_us=self.last_us[sel],
            dimensions=self.dims[sel],
            money_recent=money_recent[changed],
        )


def _to_us(col: pd.Series) -> np.ndarray:
    ts = pd.to_datetime(col, utc=True)
    return ts.astype("datetime64[us, UTC]").to_numpy(dtype="datetime64[us]").astype(np.int64)


def _empty_changes() -> Changes:
    z = np.zeros(0, dtype=np.int64)
    return Changes(
        [],
        z,
        z.astype(np.int8),
        z.astype(np.int8),
        z.astype(np.float64),
        [],
        z,
        z,
        z.astype(np.int8),
        z.astype(bool),
    )


def dimension_names(mask: int) -> list[str]:
    return [d for d, bit in _DIM_BIT.items() if mask & bit]
