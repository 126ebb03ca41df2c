"""Shared input handling of the file-in, file-out detection commands (text, url)."""

from __future__ import annotations

from pathlib import Path

import typer


def err(msg: str) -> None:
    typer.echo(msg, err=True)


def load_input(path: Path, cols: list[tuple[str, str]]):  # noqa: ANN201 - detect.io.Table
    """Read a CSV (UTF-8/GBK) or JSONL file; report bad rows; exit 2 when a column is missing."""
    from fanzha.detect.io import read_table

    if not path.exists():
        err(f"找不到输入文件：{path}")
        raise typer.Exit(2)
    table = read_table(path)
    for e in table.errors:
        err(f"跳过坏行 {e}")
    for col, what in cols:
        if col not in table.frame.columns:
            err(f"输入中没有{what}列 {col!r}；现有列：{', '.join(map(str, table.frame.columns))}")
            raise typer.Exit(2)
    return table
