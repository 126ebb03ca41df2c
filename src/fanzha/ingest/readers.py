"""Readers: CSV (UTF-8 with/without BOM, GBK/GB18030), JSONL and Parquet, in record batches.

Every batch is an Arrow table of raw columns plus ``_row`` (1-based record number in the file),
so errors can name the row. CSV columns are read as text and typed by the validator.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

SAMPLE = 1 << 20


@dataclass
class SourceInfo:
    path: Path
    format: str
    encoding: str | None
    size: int


def detect_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if ".parquet" in suffixes or ".pq" in suffixes:
        return "parquet"
    if ".jsonl" in suffixes or ".ndjson" in suffixes or ".json" in suffixes:
        return "jsonl"
    return "csv"


def detect_encoding(path: Path) -> str:
    """utf-8 (BOM or valid), utf-16 (BOM), else gb18030 (a superset of GBK and GB2312)."""
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SAMPLE)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _with_rows(batch: pa.RecordBatch | pa.Table, start: int) -> pa.Table:
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    rows = np.arange(start, start + table.num_rows, dtype=np.int64)
    chunks, at = [], 0  # chunked like the other columns, so record batches stay aligned
    for c in table.column(0).chunks if table.num_columns else [rows]:
        chunks.append(pa.array(rows[at : at + len(c)]))
        at += len(c)
    return table.append_column("_row", pa.chunked_array(chunks, type=pa.int64()))


def _csv_header(path: Path, encoding: str) -> list[str]:
    import csv
    import io

    with open(path, "rb") as fh:
        head = fh.read(SAMPLE)
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff")
    line = next(csv.reader(io.StringIO(text)), [])
    return line


def read_csv(path: Path, batch_rows: int, encoding: str | None = None) -> Iterator[pa.Table]:
    encoding = encoding or detect_encoding(path)
    names = _csv_header(path, encoding)
    if not names:
        return
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"CSV 表头有重复列: {', '.join(sorted(dup))}")
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            encoding="utf8" if encoding == "utf-8" else encoding,
            block_size=4 << 20,
            use_threads=pa.cpu_count() > 1,  # a lone core: no hand-over between threads
        ),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    start = 1
    pending: list[pa.RecordBatch] = []
    n_pending = 0
    for batch in reader:
        pending.append(batch)
        n_pending += batch.num_rows
        while n_pending >= batch_rows:
            table = pa.Table.from_batches(pending)
            head, rest = table.slice(0, batch_rows), table.slice(batch_rows)
            yield _with_rows(head, start)
            start += head.num_rows
            pending = rest.to_batches()
            n_pending = rest.num_rows
    if n_pending:
        yield _with_rows(pa.Table.from_batches(pending), start)


def _stringify(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False)


def records_to_table(records: list, start: int = 1) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Raw JSON objects → a text table (API batches, JSONL). Non-objects are reported, not kept."""
    bad: list[tuple[int, str]] = []
    columns: dict[str, list[str | None]] = {}
    rows: list[int] = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            if rec is not None:
                bad.append((start + i, "记录不是 JSON 对象 (record is not an object)"))
            continue
        n = len(rows)
        rows.append(start + i)
        for k, v in rec.items():
            key = str(k)
            if key == "_row":
                continue
            col = columns.get(key)
            if col is None:
                col = columns[key] = [None] * n
            if len(col) == n:
                col.append(_stringify(v))
        for col in columns.values():
            if len(col) < n + 1:
                col.append(None)
    arrays = {k: pa.array(v, type=pa.string()) for k, v in columns.items()}
    arrays["_row"] = pa.array(rows, type=pa.int64())
    return pa.table(arrays), bad


def read_jsonl(
    path: Path, batch_rows: int, encoding: str | None = None
) -> Iterator[tuple[pa.Table, list[tuple[int, str]]]]:
    encoding = encoding or detect_encoding(path)
    enc = "utf-8-sig" if encoding == "utf-8" else encoding
    records: list = []
    bad: list[tuple[int, str]] = []
    start = 1
    with open(path, encoding=enc, newline="") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                records.append(None)  # blank lines are skipped, keeping line numbers
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                records.append(None)
                bad.append((n, f"不是合法 JSON (invalid JSON: {exc.msg})"))
            if len(records) >= batch_rows:
                table, more = records_to_table(records, start)
                yield table, bad + more
                start += len(records)
                records, bad = [], []
    if records:
        table, more = records_to_table(records, start)
        yield table, bad + more


def read_parquet(path: Path, batch_rows: int) -> Iterator[pa.Table]:
    pf = pq.ParquetFile(path)
    start = 1
    for batch in pf.iter_batches(batch_size=batch_rows):
        table = pa.Table.from_batches([batch])
        cols = {}
        for name in table.column_names:
            col = table[name]
            t = col.type
            if pa.types.is_timestamp(t) or pa.types.is_integer(t) or pa.types.is_string(t):
                cols[name] = col
            elif pa.types.is_large_string(t) or pa.types.is_dictionary(t):
                cols[name] = pc.cast(col, pa.string())
            else:
                cols[name] = pc.cast(col, pa.string())
        yield _with_rows(pa.table(cols), start)
        start += table.num_rows
