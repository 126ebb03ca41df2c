"""Read a partner's table (CSV in UTF-8/UTF-8-BOM/GBK, Parquet or JSON Lines) into pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

_ENCODINGS = ("utf-8-sig", "gb18030")


def read_table(path: str | Path) -> pd.DataFrame:
    """Load a table by its suffix; CSV encodings are tried in order UTF-8 (with/without BOM), GBK."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"table: file not found: {p}")
    suffix = p.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return pd.read_parquet(p)
    if suffix in {".jsonl", ".ndjson"} or (suffix == ".json" and _looks_jsonl(p)):
        return pd.read_json(p, lines=True)
    if suffix == ".json":
        return pd.read_json(p)
    last: Exception | None = None
    for enc in _ENCODINGS:
        try:
            return pd.read_csv(p, encoding=enc, low_memory=False)
        except UnicodeDecodeError as exc:
            last = exc
    raise ValueError(f"table: cannot decode {p} as UTF-8 or GBK ({last})")


def _looks_jsonl(p: Path) -> bool:
    with open(p, "rb") as fh:
        first = fh.readline().strip()
        second = fh.readline().strip()
    return first.startswith(b"{") and (not second or second.startswith(b"{"))


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write by suffix: .parquet, .jsonl, anything else as UTF-8 CSV."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    suffix = p.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        df.to_parquet(p, index=False)
    elif suffix in {".jsonl", ".ndjson"}:
        df.to_json(p, orient="records", lines=True, force_ascii=False)
    else:
        df.to_csv(p, index=False, encoding="utf-8")
