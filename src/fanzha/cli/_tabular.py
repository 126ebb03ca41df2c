"""Shared input handling of the file-in, file-out detection commands (text, url)."""

from __future__ import annotations

from pathlib import Path

import typer


def err(msg: str) -> None:
    typer.echo(msg, err=True)


def load_input(path: Path, cols: list[tuple[str, str]]):  # noqa: ANN201 - detect.io.Table
    """Read a CSV (UTF-8/GBK) or JSONL file; report bad rows; exit 2 when a column is missing.

    A CSV without a header line (its first line holds URLs or sentences, not column names) is
    read again as headerless: a column given by position (``--url-col 0``) is taken from it, and
    a one-column file serves the first named column, which then names the column in the output.
    """
    from fanzha.detect.io import header_looks_like_data, read_table

    if not path.exists():
        err(f"找不到输入文件：{path}")
        raise typer.Exit(2)
    table = read_table(path)
    missing = [c for c, _ in cols if c not in table.frame.columns]
    if missing and table.format == "csv" and header_looks_like_data(list(table.frame.columns)):
        bare = read_table(path, header=False)
        width = len(bare.frame.columns)
        if all(c.isdigit() and int(c) < width for c in missing) or (width == 1 and len(cols) == 1):
            if width == 1 and not cols[0][0].isdigit():
                bare.frame.columns = [cols[0][0]]
            err(f"输入的第一行是数据而不是表头：按无表头文件读取（{width} 列）")
            table = bare
    for e in table.errors:
        err(f"跳过坏行 {e}")
    for col, what in cols:
        if col not in table.frame.columns:
            err(f"输入中没有{what}列 {col!r}；现有列：{', '.join(map(str, table.frame.columns))}")
            raise typer.Exit(2)
    return table
