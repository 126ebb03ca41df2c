"""The append-only event lake: Parquet files partitioned by event kind and day.

Layout: ``<lake>/kind=<kind>/day=<YYYY-MM-DD>/part-<uuid>.parquet`` with the kind's Arrow schema
(:func:`fanzha.domain.events.arrow_schema`). Files are written to a temporary name and renamed, so
a crash never leaves a half-written part visible. Reads go through DuckDB. Writers may keep
sidecar files per part under ``<lake>/kind=<kind>/_ids/`` (see :mod:`fanzha.ingest.idindex`);
readers only ever look at ``day=*/part-*.parquet``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fanzha.domain.events import arrow_schema, event_type

# Cheap to write: LZ4, dictionaries only for columns whose values repeat, min/max statistics
# only where readers prune on them (time ranges, organisations).
COMPRESSION = "lz4"
STATS_COLUMNS = ["event_time", "source_org"]
DICT_SAMPLE = 4096


def _write_options(table: pa.Table) -> dict:
    sample = table.slice(0, DICT_SAMPLE)
    n = max(sample.num_rows, 1)
    repeating = [
        f.name
        for f in table.schema
        if pa.types.is_string(f.type) and pc.count_distinct(sample[f.name]).as_py() <= n // 4
    ]
    stats = [c for c in STATS_COLUMNS if c in table.column_names]
    return {"compression": COMPRESSION, "use_dictionary": repeating, "write_statistics": stats}


def _split_days(table: pa.Table) -> Iterator[tuple[int, pa.Table]]:
    """(UTC day number, rows of that day), by integer division of the microsecond timestamps.
    Each record batch already grouped by day (as the ingest validator leaves them) is cut into
    slices without a copy; any other batch is first ordered by one stable counting sort."""
    parts: dict[int, list[pa.RecordBatch]] = {}
    for batch in table.to_batches():
        if batch.num_rows == 0:
            continue
        us = batch.column("event_time").cast(pa.int64()).to_numpy(zero_copy_only=False)
        day_no = us // 86_400_000_000
        lo, hi = int(day_no.min()), int(day_no.max())
        if lo == hi:
            parts.setdefault(lo, []).append(batch)
            continue
        rel = day_no - lo
        if hi - lo < 65_536:
            rel = rel.astype(np.uint16)  # numpy sorts 16-bit keys with a radix sort
        counts = np.bincount(rel, minlength=hi - lo + 1)
        if not (rel[1:] >= rel[:-1]).all():
            batch = batch.take(pa.array(np.argsort(rel, kind="stable")))
        start = 0
        for i in np.flatnonzero(counts):
            n = int(counts[i])
            parts.setdefault(lo + int(i), []).append(batch.slice(start, n))
            start += n
    for day in sorted(parts):
        yield day, pa.Table.from_batches(parts[day], schema=table.schema)


class EventLake:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def kind_dir(self, kind: str) -> Path:
        event_type(kind)  # validates the kind
        return self.root / f"kind={kind}"

    def append(
        self,
        kind: str,
        table: pa.Table,
        on_part: Callable[[Path, pa.Table], object] | None = None,
    ) -> list[Path]:
        """Write ``table`` (already validated, in the kind's schema) split by day. Returns the files.
        ``on_part(path, rows)`` is called after each part is in place (e.g. to write its id
        sidecar); a crash before it returns leaves the part committed without the sidecar."""
        schema = arrow_schema(kind)
        # columns named "_…" are not stored; they travel with each part to ``on_part``
        extra = [n for n in table.column_names if n.startswith("_")] if on_part else []
        data = table.select(schema.names)
        if data.schema != schema:
            data = data.cast(schema)
        if data.num_rows == 0:
            return []
        for name in extra:
            data = data.append_column(name, table[name])
        written: list[Path] = []
        options = _write_options(data.select(schema.names))  # one choice for all its parts
        for d, part in _split_days(data):
            day = (date(1970, 1, 1) + timedelta(days=d)).isoformat()
            target_dir = self.kind_dir(kind) / f"day={day}"
            target_dir.mkdir(parents=True, exist_ok=True)
            name = f"part-{uuid.uuid4().hex}.parquet"
            tmp = target_dir / f".{name}.tmp"
            stored = part.select(schema.names) if extra else part
            pq.write_table(stored, tmp, **options)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            final = target_dir / name
            os.replace(tmp, final)
            written.append(final)
            if on_part is not None:
                on_part(final, part)
        return written

    def day_files(self, kind: str, days: list[str]) -> list[Path]:
        """The parts of the given days (``YYYY-MM-DD``) of a kind."""
        d = self.kind_dir(kind)
        out: list[Path] = []
        for day in days:
            out.extend(sorted((d / f"day={day}").glob("part-*.parquet")))
        return out

    def files(self, kind: str) -> list[Path]:
        d = self.kind_dir(kind)
        return sorted(d.glob("day=*/part-*.parquet")) if d.exists() else []

    def glob(self, kind: str) -> str:
        return str(self.kind_dir(kind) / "day=*" / "part-*.parquet")

    def relation_sql(
        self, kind: str, since: datetime | None = None, until: datetime | None = None
    ) -> str:
        """A DuckDB FROM-clause for the kind, restricted to [since, until)."""
        if not self.files(kind):
            cols = ", ".join(
                f"CAST(NULL AS {_duck_type(f.type)}) AS {f.name}" for f in arrow_schema(kind)
            )
            return f"(SELECT {cols} WHERE FALSE)"
        src = f"read_parquet('{self.glob(kind)}', hive_partitioning=false, union_by_name=true)"
        where = []
        if since is not None:
            where.append(f"event_time >= TIMESTAMPTZ '{since.isoformat()}'")
        if until is not None:
            where.append(f"event_time < TIMESTAMPTZ '{until.isoformat()}'")
        if not where:
            return src
        return f"(SELECT * FROM {src} WHERE {' AND '.join(where)})"

    def scan(
        self,
        kind: str,
        since: datetime | None = None,
        until: datetime | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> pa.Table:
        """The kind's events in [since, until) as an Arrow table in the kind's schema."""
        con = con or duckdb.connect()
        sql = f"SELECT * FROM {self.relation_sql(kind, since, until)}"
        schema = arrow_schema(kind)
        return con.sql(sql).to_arrow_table().select(schema.names).cast(schema)

    def iter_batches(self, kind: str, batch_size: int = 1_000_000) -> Iterator[pa.RecordBatch]:
        for path in self.files(kind):
            yield from pq.ParquetFile(path).iter_batches(batch_size=batch_size)

    def count(self, kind: str) -> int:
        return sum(pq.ParquetFile(p).metadata.num_rows for p in self.files(kind))


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ"
    if pa.types.is_integer(t):
        return "BIGINT"
    if pa.types.is_floating(t):
        return "DOUBLE"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    return "VARCHAR"
