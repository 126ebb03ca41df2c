"""Idempotency: which (source_org, event_id) pairs the lake already holds, per kind.

The lake itself is the record of what was committed: parts are written atomically, so after a
crash (even kill -9) the ids of every visible part are exactly the committed ones, and a re-run
skips exactly those. A per-kind file lock serialises writers of the same kind across processes.

Only the days a batch touches are consulted: the first time a run meets a day, the ids of that
day's parts are loaded; ids the run writes itself are added as it goes. (An event re-sent with a
time on a *different* day than before is therefore not recognised as a duplicate.)

The common case — nothing seen before, no repeats inside the batch — is proved with 64-bit
hashes of the keys kept in one sorted array: merging the batch's sorted hashes into it shows any
equal pair. Only when a pair turns up (a real duplicate or a hash collision) are the keys
themselves compared, in DuckDB.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from fanzha.store.lake import EventLake

US_PER_DAY = 86_400_000_000
_HASH_SQL = "SELECT hash(source_org, event_id) AS h FROM _keys"


@contextmanager
def kind_lock(lake: EventLake, kind: str) -> Iterator[None]:
    lock_dir = lake.root / "_locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_dir / f"{kind}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def utc_days(table: pa.Table) -> list[str]:
    """The UTC days (``YYYY-MM-DD``) of the events in ``table``, as the lake partitions them."""
    if table.num_rows == 0:
        return []
    us = table["event_time"].combine_chunks().cast(pa.int64()).to_numpy(zero_copy_only=False)
    day = us // US_PER_DAY
    lo, hi = int(day.min()), int(day.max())
    present = np.zeros(hi - lo + 1, dtype=bool)
    present[day - lo] = True
    epoch = date(1970, 1, 1)
    return [(epoch + timedelta(days=int(d) + lo)).isoformat() for d in np.flatnonzero(present)]


class IdIndex:
    def __init__(self, con: duckdb.DuckDBPyConnection, lake: EventLake, kind: str) -> None:
        self.con = con
        self.lake = lake
        self.kind = kind
        self.days: set[str] = set()
        self.keys: list[pa.Table] = []  # source_org, event_id of everything seen
        self.hashes = np.zeros(0, dtype=np.uint64)  # sorted hashes of ``keys``
        self._pending: tuple[pa.Table, np.ndarray] | None = None  # fresh batch, merged hashes

    def _hash(self, keys: pa.Table) -> np.ndarray:
        self.con.register("_keys", keys)
        try:
            res = self.con.execute(_HASH_SQL).fetchnumpy()["h"]
        finally:
            self.con.unregister("_keys")
        return np.asarray(res, dtype=np.uint64)

    def _load_days(self, days: list[str]) -> None:
        new = [d for d in days if d not in self.days]
        if not new:
            return
        self.days.update(new)
        files = self.lake.day_files(self.kind, new)
        if not files:
            return
        paths = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
        keys = self.con.sql(
            f"SELECT source_org, event_id FROM read_parquet([{paths}])"
        ).to_arrow_table()
        self._remember(keys)

    def _remember(self, keys: pa.Table) -> None:
        keys = keys.select(["source_org", "event_id"])
        if keys.num_rows == 0:
            return
        self.keys.append(keys)
        h = np.sort(self._hash(keys))
        self.hashes = np.sort(np.concatenate([self.hashes, h]), kind="stable")  # merge of 2 runs

    def fresh(self, table: pa.Table) -> pa.Table:
        """Rows of ``table`` not yet seen, first occurrence per key within the batch."""
        if table.num_rows == 0:
            return table
        self._load_days(utc_days(table))
        h = np.sort(self._hash(table.select(["source_org", "event_id"])))
        merged = np.sort(np.concatenate([self.hashes, h]), kind="stable")
        if not (merged[1:] == merged[:-1]).any():
            self._pending = (table, merged)
            return table  # no key seen before, none repeated
        self._pending = None
        return self._fresh_exact(table)

    def _fresh_exact(self, table: pa.Table) -> pa.Table:
        seen = (
            pa.concat_tables(self.keys)
            if self.keys
            else pa.table(
                {"source_org": pa.array([], pa.string()), "event_id": pa.array([], pa.string())}
            )
        )
        self.con.register("_incoming", table)
        self.con.register("_seen", seen)
        try:
            out = self.con.sql(
                "SELECT i.* FROM _incoming i ANTI JOIN _seen s "
                "ON i.source_org = s.source_org AND i.event_id = s.event_id "
                "QUALIFY row_number() OVER (PARTITION BY i.source_org, i.event_id "
                "ORDER BY i._row) = 1 ORDER BY i._row"
            ).to_arrow_table()
        finally:
            self.con.unregister("_seen")
            self.con.unregister("_incoming")
        return out.cast(table.schema)

    def add(self, table: pa.Table) -> None:
        """Note the keys of rows just written (their days are loaded already)."""
        pending, self._pending = self._pending, None
        if pending is not None and pending[0] is table:
            self.keys.append(table.select(["source_org", "event_id"]))
            self.hashes = pending[1]
            return
        self._remember(table)


def lake_for(data_lake_dir: Path) -> EventLake:
    return EventLake(data_lake_dir)
