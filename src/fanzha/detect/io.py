"""Read a labelled or unlabelled table from CSV (UTF-8, UTF-8 BOM, GBK/GB18030) or JSONL.

Bad rows never stop the read: each is reported as a :class:`RowError` and still yields one row
(missing fields empty) so that outputs stay aligned one-to-one with the input, in order.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based data row (header excluded), the row number of the output
    line: int  # 1-based physical line in the file where the record starts
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行（文件第 {self.line} 行）：{self.reason}"


class Table(NamedTuple):
    frame: pd.DataFrame
    errors: list[RowError]
    encoding: str
    format: str  # "csv" or "jsonl"


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), falling back to GB18030 (a superset of GBK)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), "utf-8(replace)"


def _looks_like_jsonl(text: str) -> bool:
    for line in text.splitlines():
        s = line.strip()
        if s:
            return s.startswith("{")
    return False


def read_table(path: str | Path, header: bool = True) -> Table:
    """Read ``path`` into a DataFrame of strings (``None`` for missing) plus bad-row errors.

    ``header=False`` reads a CSV whose first line is already data; its columns are then named
    by position: ``"0"``, ``"1"`` …
    """
    path = Path(path)
    text, encoding = decode_bytes(path.read_bytes())
    if path.suffix.lower() in JSONL_SUFFIXES or _looks_like_jsonl(text):
        frame, errors = _read_jsonl(text)
        return Table(frame, errors, encoding, "jsonl")
    frame, errors = _read_csv(text, header)
    return Table(frame, errors, encoding, "csv")


def header_looks_like_data(columns: list[str]) -> bool:
    """True when a CSV "header" is really a data row: a URL, a sentence, a long value.

    Column names are short words (``url``, ``text``, ``标签``); a cell holding ``://``, sentence
    punctuation or more than 64 characters is not one.
    """
    for c in columns:
        c = str(c)
        if "://" in c or len(c) > 64 or any(ch in c for ch in "，。！？；") or c.startswith("www."):
            return True
    return False


def _read_jsonl(text: str) -> tuple[pd.DataFrame, list[RowError]]:
    stripped = text.lstrip()
    if stripped.startswith("["):  # a JSON array of objects, not lines
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, list):
            lines = [json.dumps(x, ensure_ascii=False) for x in data]
        else:
            lines = text.splitlines()
    else:
        lines = text.splitlines()
    records: list[dict] = []
    errors: list[RowError] = []
    columns: dict[str, None] = {}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row = len(records) + 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(RowError(row, lineno, f"JSON 无法解析（{exc.msg}）"))
            records.append({})
            continue
        if not isinstance(obj, dict):
            errors.append(RowError(row, lineno, "不是 JSON 对象"))
            records.append({})
            continue
        rec = {}
        for k, v in obj.items():
            columns.setdefault(str(k), None)
            rec[str(k)] = _to_text(v)
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    frame = frame.astype(object).where(frame.notna(), None)
    return frame, errors


def _to_text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int | float):
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return "\n".join(v)
    return json.dumps(v, ensure_ascii=False)


def _sniff_delimiter(text: str) -> str:
    head = text[:4096].split("\n", 1)[0]
    counts = {d: head.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def _read_csv(text: str, has_header: bool = True) -> tuple[pd.DataFrame, list[RowError]]:
    csv.field_size_limit(1 << 30)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[RowError] = []
    rows: list[list[str | None]] = []
    try:
        first = next(reader)
    except StopIteration:
        return pd.DataFrame(), errors
    except csv.Error as exc:
        raise ValueError(f"无法读取表头：{exc}") from exc
    if has_header:
        header = [h.strip() or f"column_{i}" for i, h in enumerate(first)]
    else:
        header = [str(i) for i in range(len(first))]
        if first:
            rows.append(list(first))
    width = len(header)
    start_line = reader.line_num + 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row = len(rows) + 1
            errors.append(RowError(row, start_line, f"CSV 格式错误（{exc}）"))
            rows.append([None] * width)
            start_line = reader.line_num + 1
            continue
        line = start_line
        start_line = reader.line_num + 1
        if not fields:  # blank line
            continue
        row = len(rows) + 1
        if len(fields) != width:
            errors.append(RowError(row, line, f"字段数为 {len(fields)}，表头为 {width}"))
            if len(fields) > width:  # keep the extra text in the last column
                fields = fields[: width - 1] + [delimiter.join(fields[width - 1 :])]
            else:
                fields = fields + [None] * (width - len(fields))
        rows.append(fields)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return frame, errors


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write plain UTF-8 (no BOM) so every reader sees the header names unchanged."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8")


def datasets_dir() -> Path:
    """The public datasets: ``$FANZHA_DATASETS`` or ``<repo>/../shared/datasets``."""
    import os

    env = os.environ.get("FANZHA_DATASETS")
    if env:
        return Path(env)
    return (Path(__file__).resolve().parents[3] / ".." / "shared" / "datasets").resolve()
