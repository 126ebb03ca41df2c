"""Idempotency: which (source_org, event_id) pairs the lake already holds, per kind.

The lake itself is the record of what was committed: parts are written atomically, so after a
crash (even kill -9) the ids of every visible part are exactly the committed ones, and a re-run
skips exactly those. A per-kind file lock serialises writers of the same kind across processes.

Every part of the kind is consulted, whatever its days, through a *hash sidecar*: the sorted
64-bit hashes of its keys, ``<kind>/_ids/<hash tag>/<day>/<part>.npy`` (8 bytes per event; the
name never matches ``*.parquet`` and pyarrow skips ``_``-folders). The sidecar is written after
its part, by temp file and rename; a part without one (written before sidecars existed, by
another writer, or a crash between the two) gets it computed from the Parquet part. The hash
tag is the hash of a fixed probe key, so a DuckDB upgrade that changed ``hash()`` starts a fresh
set of sidecars instead of trusting stale ones.

The common case — nothing seen before, no repeats inside the batch — is proved with the hashes
alone: a binary search in the lake's sorted hashes plus a merge with the sorted hashes this run
wrote shows any equal pair. Only when a pair turns up (a real duplicate or a hash collision) are
the keys themselves compared, in DuckDB, against the parts holding such a hash and the keys
written in this run.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from fanzha.store.lake import EventLake

US_PER_DAY = 86_400_000_000
KEY_HASH = "_key_hash"  # column of a fresh batch: the key hashes, aligned with its rows
_HASH_SQL = "SELECT hash(source_org, event_id) AS h FROM _keys"
_PROBE = pa.table({"source_org": ["fanzha"], "event_id": ["id-hash-probe"]})
_EMPTY_KEYS = pa.table(
    {"source_org": pa.array([], pa.string()), "event_id": pa.array([], pa.string())}
)


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


def _contains(sorted_hashes: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Mask of the values of ``h`` present in ``sorted_hashes``."""
    if sorted_hashes.size == 0 or h.size == 0:
        return np.zeros(h.size, dtype=bool)
    i = np.searchsorted(sorted_hashes, h)
    i[i == sorted_hashes.size] = sorted_hashes.size - 1
    return sorted_hashes[i] == h


class IdIndex:
    def __init__(self, con: duckdb.DuckDBPyConnection, lake: EventLake, kind: str) -> None:
        self.con = con
        self.lake = lake
        self.kind = kind
        self.parts: list[Path] | None = None  # lake parts at the first batch (None: not loaded)
        self.lake_hashes = np.zeros(0, dtype=np.uint64)  # sorted hashes of all those parts
        self._part_keys: dict[Path, pa.Table] = {}  # keys of parts read for exact comparisons
        self.keys: list[pa.Table] = []  # source_org, event_id of everything written in this run
        self.hashes = np.zeros(0, dtype=np.uint64)  # sorted hashes of ``keys``
        self._pending: tuple[pa.Table, np.ndarray] | None = None  # fresh batch, merged hashes
        self._tag: str | None = None

    def _hash(self, keys: pa.Table) -> np.ndarray:
        self.con.register("_keys", keys)
        try:
            res = self.con.execute(_HASH_SQL).fetchnumpy()["h"]
        finally:
            self.con.unregister("_keys")
        return np.asarray(res, dtype=np.uint64)

    # --- sidecars -----------------------------------------------------------------------------

    def sidecar(self, part: Path) -> Path:
        """Where the sorted key hashes of lake ``part`` are kept."""
        if self._tag is None:
            self._tag = f"{int(self._hash(_PROBE)[0]):016x}"
        day = part.parent.name.removeprefix("day=")
        return self.lake.kind_dir(self.kind) / "_ids" / self._tag / day / f"{part.stem}.npy"

    def write_sidecar(self, part: Path, table: pa.Table) -> np.ndarray:
        """Write the sorted key hashes of ``table`` (the rows of ``part``) beside the lake,
        atomically; returns them."""
        if KEY_HASH in table.column_names:
            h = np.sort(table[KEY_HASH].to_numpy())
        else:
            h = np.sort(self._hash(table.select(["source_org", "event_id"])))
        target = self.sidecar(part)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.parent / f".{target.stem}.{uuid.uuid4().hex}.tmp"
        with open(tmp, "wb") as fh:
            np.save(fh, h, allow_pickle=False)
        os.replace(tmp, target)
        return h

    def _part_hashes(self, part: Path, mmap: bool = False) -> np.ndarray:
        path = self.sidecar(part)
        try:
            h = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
            if h.dtype == np.uint64 and h.ndim == 1:
                return h
        except (OSError, ValueError, EOFError):
            pass  # missing or unreadable: rebuild from the part
        return self.write_sidecar(part, self._read_keys(part))

    def _read_keys(self, part: Path) -> pa.Table:
        p = "'" + str(part).replace("'", "''") + "'"
        keys = self.con.sql(f"SELECT source_org, event_id FROM read_parquet({p})").to_arrow_table()
        return keys.cast(_EMPTY_KEYS.schema)

    def _load_lake(self) -> None:
        if self.parts is not None:
            return
        self.parts = self.lake.files(self.kind)
        runs = [self._part_hashes(p) for p in self.parts]
        if runs:  # timsort over concatenated sorted runs is a k-way merge
            self.lake_hashes = np.sort(np.concatenate(runs), kind="stable")

    def _parts_holding(self, hits: np.ndarray) -> list[Path]:
        assert self.parts is not None
        return [p for p in self.parts if _contains(self._part_hashes(p, mmap=True), hits).any()]

    # --- de-duplication -----------------------------------------------------------------------

    def fresh(self, table: pa.Table) -> pa.Table:
        """Rows of ``table`` not yet seen, first occurrence per key within the batch."""
        if table.num_rows == 0:
            return table
        self._load_lake()
        row_hashes = self._hash(table.select(["source_org", "event_id"]))
        h = np.sort(row_hashes)
        in_lake = _contains(self.lake_hashes, h)
        merged = np.sort(np.concatenate([self.hashes, h]), kind="stable")
        if not in_lake.any() and not (merged[1:] == merged[:-1]).any():
            # no key seen before, none repeated; the hashes ride along so that the sidecars
            # of the parts written from this table need not hash the keys again
            table = table.append_column(KEY_HASH, pa.array(row_hashes, pa.uint64()))
            self._pending = (table, merged)
            return table
        self._pending = None
        return self._fresh_exact(table, self._parts_holding(h[in_lake]))

    def _fresh_exact(self, table: pa.Table, parts: list[Path]) -> pa.Table:
        for p in parts:
            if p not in self._part_keys:
                self._part_keys[p] = self._read_keys(p)
        seen = pa.concat_tables([_EMPTY_KEYS, *self.keys, *(self._part_keys[p] for p in parts)])
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
        """Note the keys of rows just written in this run."""
        pending, self._pending = self._pending, None
        keys = table.select(["source_org", "event_id"]).cast(_EMPTY_KEYS.schema)
        if keys.num_rows == 0:
            return
        self.keys.append(keys)
        if pending is not None and pending[0] is table:
            self.hashes = pending[1]
            return
        h = np.sort(self._hash(keys))
        self.hashes = np.sort(np.concatenate([self.hashes, h]), kind="stable")  # merge of 2 runs


def lake_for(data_lake_dir: Path) -> EventLake:
    return EventLake(data_lake_dir)
