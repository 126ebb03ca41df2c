"""``fanzha ids``: normalise, mask and key-hash identifiers; guess the kind of a value."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from fanzha.domain.identifiers import (
    IdentifierError,
    IdentifierKind,
    detect_kind,
    hash_normalised,
    normalize,
)
from fanzha.settings import get_settings

app = typer.Typer(help="标识符：规范化、脱敏、密钥哈希、类型识别。", no_args_is_help=True)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


def _read_input(path: Path, column: str | None) -> Iterator[tuple[int, str]]:
    """(line number, value) from a text file (one value per line) or a CSV column."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        if column is None:
            for lineno, line in enumerate(fh, start=1):
                if line.strip():
                    yield lineno, line.rstrip("\r\n")
            return
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or column not in reader.fieldnames:
            raise typer.BadParameter(
                f"CSV 中没有列 {column!r}（现有列：{', '.join(reader.fieldnames or [])}）",
                param_hint="--column",
            )
        for row in reader:
            value = row.get(column) or ""
            if value.strip():
                yield reader.line_num, value


def _attrs_text(attrs: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in attrs.items())


@app.command("normalize")
def normalize_cmd(
    values: list[str] = typer.Argument(None, help="要处理的值（可多个）"),
    kind: IdentifierKind | None = typer.Option(
        None, "--kind", "-k", help="标识类型；不填则逐个自动识别"
    ),
    input_file: Path | None = typer.Option(
        None,
        "--input",
        "-i",
        exists=True,
        dir_okay=False,
        help="输入文件：每行一个值，或配合 --column 的 CSV",
    ),
    column: str | None = typer.Option(None, "--column", "-c", help="CSV 中要读取的列名"),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="输出格式"),
) -> None:
    """规范化标识符：输出规范值、类型与属性、脱敏形式和密钥哈希。有错误值时退出码为 1。"""
    if column is not None and input_file is None:
        raise typer.BadParameter("--column 需要与 --input 一起使用", param_hint="--column")
    items: list[tuple[str, str]] = [(f"arg {i}", v) for i, v in enumerate(values or [], start=1)]
    if input_file is not None:
        items.extend((f"line {n}", v) for n, v in _read_input(input_file, column))
    if not items:
        raise typer.BadParameter("请给出要处理的值或 --input 文件")

    secret = get_settings().secret_bytes
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    table = Table()
    for name in ("row", "input", "kind", "value", "attrs", "masked", "hash"):
        table.add_column(name, overflow="fold")
    writer = csv.writer(sys.stdout, lineterminator="\n") if fmt is OutputFormat.csv else None
    if writer is not None:
        writer.writerow(["row", "input", "kind", "value", "attrs", "masked", "hash"])
    bad = 0
    for row, raw in items:
        try:
            use = kind or detect_kind(raw)
            if use is None:
                raise IdentifierError("auto", "unknown_kind", "cannot detect the kind; pass --kind")
            ident = normalize(use, raw)
        except IdentifierError as exc:
            bad += 1
            err.print(f"错误 {row} {raw!r}: {exc.kind}: {exc.reason}", markup=False)
            continue
        digest = hash_normalised(ident.kind, ident.value, secret)
        if fmt is OutputFormat.table:
            table.add_row(
                row,
                raw,
                ident.kind.value,
                ident.value,
                _attrs_text(ident.attrs),
                ident.masked,
                digest,
            )
        elif writer is not None:
            writer.writerow(
                [row, raw, ident.kind.value, ident.value, json.dumps(ident.attrs, ensure_ascii=False),
                 ident.masked, digest]
            )  # fmt: skip
        else:
            record = {
                "row": row,
                "input": raw,
                "kind": ident.kind.value,
                "value": ident.value,
                "attrs": ident.attrs,
                "masked": ident.masked,
                "hash": digest,
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    if fmt is OutputFormat.table and table.row_count:
        out.print(table)
    sys.stdout.flush()
    if bad:
        err.print(f"{bad} 个值无效（共 {len(items)} 个）")
        raise typer.Exit(code=1)


@app.command("detect")
def detect_cmd(
    values: list[str] = typer.Argument(..., help="要识别类型的值"),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="输出格式"),
) -> None:
    """自动识别值的类型，并给出规范值的脱敏形式。无法识别时退出码为 1。"""
    out = Console(highlight=False, soft_wrap=True)
    table = Table("input", "kind", "masked")
    unknown = 0
    records = []
    for raw in values:
        found = detect_kind(raw)
        if found is None:
            unknown += 1
            records.append({"input": raw, "kind": None, "masked": None})
            continue
        ident = normalize(found, raw)
        records.append({"input": raw, "kind": ident.kind.value, "masked": ident.masked})
    for rec in records:
        if fmt is OutputFormat.table:
            table.add_row(rec["input"], rec["kind"] or "无法识别", rec["masked"] or "")
        elif fmt is OutputFormat.csv:
            csv.writer(sys.stdout, lineterminator="\n").writerow(
                [rec["input"], rec["kind"] or "", rec["masked"] or ""]
            )
        else:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if fmt is OutputFormat.table:
        out.print(table)
    if unknown:
        raise typer.Exit(code=1)
