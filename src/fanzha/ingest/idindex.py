"""Idempotency: which (source_org, event_id) pairs the lake already holds, per kind.

The lake itself is the record of what was committed: parts are written atomically, so after a
crash (even kill -9) the ids of every visible part are exactly the committed ones, and a re-run
skips exactly those. The index is loaded once per run into DuckDB and grown as parts are written;
a per-kind file lock serialises writers of the same kind across processes.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from fanzha.store.lake import EventLake


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


class IdIndex:
    def __init__(self, con: duckdb.DuckDBPyConnection, lake: EventLake, kind: str) -> None:
        self.con = con
        con.execute("CREATE OR REPLACE TEMP TABLE _seen (source_org VARCHAR, event_id VARCHAR)")
        files = lake.files(kind)
        if files:
            paths = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
            con.execute(
                f"INSERT INTO _seen SELECT source_org, event_id FROM read_parquet([{paths}])"
            )

    def fresh(self, table: pa.Table) -> pa.Table:
        """Rows of ``table`` not yet seen, first occurrence per key within the batch."""
        self.con.register("_incoming", table)
        try:
            out = self.con.sql(
                "SELECT i.* FROM _incoming i ANTI JOIN _seen s "
                "ON i.source_org = s.source_org AND i.event_id = s.event_id"
            ).to_arrow_table()
            self.con.register("_fresh", out)
            distinct = self.con.sql(
                "SELECT count(*) FROM (SELECT DISTINCT source_org, event_id FROM _fresh)"
            ).fetchall()[0][0]
            if distinct != out.num_rows:  # repeats inside the batch: keep the first occurrence
                out = self.con.sql(
                    "SELECT * FROM _fresh QUALIFY row_number() OVER "
                    "(PARTITION BY source_org, event_id ORDER BY _row) = 1 ORDER BY _row"
                ).to_arrow_table()
            self.con.unregister("_fresh")
        finally:
            self.con.unregister("_incoming")
        return out

    def add(self, table: pa.Table) -> None:
        keys = table.select(["source_org", "event_id"])
        self.con.register("_new_keys", keys)
        try:
            self.con.execute("INSERT INTO _seen SELECT source_org, event_id FROM _new_keys")
        finally:
            self.con.unregister("_new_keys")


def lake_for(data_lake_dir: Path) -> EventLake:
    return EventLake(data_lake_dir)
