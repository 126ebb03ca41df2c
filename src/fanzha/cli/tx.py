"""``fanzha tx``: train and score a per-transaction fraud model on a bank's labelled table."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="交易风险模型：按笔训练与打分。", no_args_is_help=True)
console = Console(stderr=True)


def _fail(msg: str) -> None:
    console.print(f"[red]错误[/red]: {msg}")
    raise typer.Exit(2)


@app.command("train")
def train_cmd(
    table: Path = typer.Option(..., "--table", help="CSV/Parquet/JSONL transaction table"),
    label_col: str = typer.Option(..., "--label-col"),
    payer_col: str = typer.Option(..., "--payer-col"),
    payee_col: str = typer.Option(..., "--payee-col"),
    amount_col: str = typer.Option(..., "--amount-col"),
    time_col: str = typer.Option(..., "--time-col"),
    out: Path = typer.Option(..., "--out"),
    id_col: str | None = typer.Option(
        None, "--id-col", help="transaction id column (kept, not a feature)"
    ),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Train LightGBM on the table's columns plus per-account behaviour; threshold = OOF-F1 best."""
    from fanzha.detect.accounts.tx_model import TxColumns, TxModel
    from fanzha.detect.tabular_io import read_table

    cols = TxColumns(payer_col, payee_col, amount_col, time_col, label_col, id_col)
    try:
        df = read_table(table)
        model = TxModel()
        report = model.fit(df, cols, seed=seed)
    except (ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    model.save(out)
    (out / "train_report.json").write_text(
        json.dumps(asdict(report), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    console.print(
        f"已训练 {report.n_rows} 笔交易（欺诈 {report.n_fraud}），特征 {report.features} 个；"
        f"交叉验证 F1={report.oof_f1:.4f} AUC={report.oof_auc:.4f}，阈值 {report.threshold:.4f}"
    )
    if report.dropped_columns:
        console.print(f"未使用的非数值列: {', '.join(report.dropped_columns)}")
    if report.encoded_columns:
        console.print(f"按类别编码的列: {', '.join(report.encoded_columns)}")
    console.print(f"模型已保存到 {out}")


@app.command("score")
def score_cmd(
    table: Path = typer.Option(..., "--table"),
    payer_col: str = typer.Option(..., "--payer-col"),
    payee_col: str = typer.Option(..., "--payee-col"),
    amount_col: str = typer.Option(..., "--amount-col"),
    time_col: str = typer.Option(..., "--time-col"),
    model: Path = typer.Option(..., "--model"),
    out: Path = typer.Option(..., "--out"),
    id_col: str | None = typer.Option(None, "--id-col"),
) -> None:
    """Score every transaction: input id columns plus score and is_fraud."""
    from fanzha.detect.accounts.tx_model import TxColumns, TxModel
    from fanzha.detect.tabular_io import read_table, write_table

    cols = TxColumns(payer_col, payee_col, amount_col, time_col, None, id_col)
    try:
        m = TxModel.load(model)
        df = read_table(table)
        result = m.score(df, cols)
    except (ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    write_table(result, out)
    console.print(
        f"已打分 {len(result)} 笔交易，判为欺诈 {int(result['is_fraud'].sum())} 笔 → {out}"
    )
