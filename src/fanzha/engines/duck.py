"""The DuckDB engine: one place that opens connections and names Parquet sources, so feature
definitions stay plain SQL strings that a Spark runner could execute over the same files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa


def connect(
    threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection; ``threads``/``memory_limit`` bound its share of the host."""
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute("SET memory_limit = ?", [memory_limit])
    return con


def parquet_source(glob: str | Path) -> str:
    """A FROM-clause over Parquet files (a file, a glob or a list joined by the caller)."""
    path = str(glob).replace("'", "''")
    return f"read_parquet('{path}', hive_partitioning=false, union_by_name=true)"


def query(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    con = con or connect()
    return con.sql(sql).to_arrow_table()
