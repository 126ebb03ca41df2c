"""``fanzha numbers``: train and score the fraud-number model on a per-number feature table."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="涉诈号码模型：按号码聚合特征表训练与打分。", no_args_is_help=True)
console = Console(stderr=True)


def _fail(msg: str) -> None:
    console.print(f"[red]错误[/red]: {msg}")
    raise typer.Exit(2)


@app.command("train")
def train_cmd(
    table: Path = typer.Option(..., "--table", help="CSV/Parquet/JSONL per-number feature table"),
    label_col: str = typer.Option(..., "--label-col", help="0/1 label column (1 = fraud)"),
    id_col: str = typer.Option(..., "--id-col", help="number id column (graph node index)"),
    graph: Path | None = typer.Option(None, "--graph", help="scipy sparse adjacency .npz"),
    out: Path = typer.Option(..., "--out", help="model directory to write"),
    folds: int = typer.Option(5, "--folds", min=2, help="out-of-fold folds"),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Train LightGBM + rules; the threshold maximises out-of-fold F1."""
    from fanzha.detect.numbers.graph import load_graph
    from fanzha.detect.numbers.model import NumberModel
    from fanzha.detect.tabular_io import read_table

    try:
        df = read_table(table)
        A = load_graph(str(graph)) if graph else None
        model = NumberModel()
        report = model.fit(df, label_col, id_col, A, n_folds=folds, seed=seed)
    except (ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    model.save(out)
    (out / "train_report.json").write_text(
        json.dumps(asdict(report), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    console.print(
        f"已训练 {report.n_rows} 个号码（涉诈 {report.n_fraud}），特征 {report.features} 个；"
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
    id_col: str = typer.Option(..., "--id-col"),
    model: Path = typer.Option(..., "--model", help="directory written by `numbers train`"),
    graph: Path | None = typer.Option(None, "--graph"),
    out: Path = typer.Option(..., "--out", help="output CSV: id, score, is_fraud, reasons"),
) -> None:
    """Score numbers; writes the id column plus score, is_fraud and Chinese reasons."""
    from fanzha.detect.numbers.graph import load_graph
    from fanzha.detect.numbers.model import NumberModel
    from fanzha.detect.tabular_io import read_table, write_table

    try:
        m = NumberModel.load(model)
        if m.meta["id_col"] != id_col:
            m.meta["id_col"] = id_col
        df = read_table(table)
        A = load_graph(str(graph)) if graph else None
        result = m.score(df, A)
    except (ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    write_table(result, out)
    console.print(
        f"已打分 {len(result)} 个号码，判为涉诈 {int(result['is_fraud'].sum())} 个 → {out}"
    )
