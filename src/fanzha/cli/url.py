"""``fanzha url``: score URLs, train URL models."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer

from fanzha.cli._tabular import err as _err
from fanzha.cli._tabular import load_input

app = typer.Typer(help="网址/域名风险：评分与训练。", no_args_is_help=True)


@app.command("score")
def score_cmd(
    input: Path = typer.Argument(..., help="CSV (UTF-8/GBK) 或 JSONL 文件"),
    url_col: str = typer.Option(..., "--url-col", help="网址列名"),
    model: Path | None = typer.Option(None, "--model", help="模型目录；缺省用内置默认模型"),
    out: Path = typer.Option(..., "--out", help="输出 CSV"),
    batch_size: int = typer.Option(5000, "--batch-size", min=1),
) -> None:
    """逐行评估网址风险，输出 is_risky、score、reasons。"""
    from fanzha.detect.io import write_csv
    from fanzha.detect.urls import load_model

    table = load_input(input, [(url_col, "网址")])
    try:
        mdl = load_model(model)
    except (OSError, ValueError) as exc:
        _err(f"无法加载模型 {model}: {exc}")
        raise typer.Exit(2) from exc
    bad = {e.row for e in table.errors}
    urls = []
    for i, v in enumerate(table.frame[url_col].tolist(), start=1):
        if not isinstance(v, str) or not v.strip():
            if i not in bad:
                _err(f"第 {i} 行：网址为空，按无风险输出")
            urls.append("")
        else:
            urls.append(v)
    risky, score, reasons = [], [], []
    for s in range(0, len(urls), batch_size):
        for v in mdl.score(urls[s : s + batch_size]):
            risky.append(int(v.is_risky))
            score.append(round(v.score, 4))
            reasons.append(v.reasons_text())
    frame = table.frame.copy()
    frame["is_risky"] = risky
    frame["score"] = score
    frame["reasons"] = reasons
    write_csv(frame, out)
    _err(f"已评估 {len(frame)} 行（高风险 {sum(risky)} 行，坏行 {len(table.errors)} 行）→ {out}")


@app.command("train")
def train_cmd(
    input: Path = typer.Argument(..., help="带标签的 CSV/JSONL（标签 1/0 或 phishing/legit 等）"),
    url_col: str = typer.Option(..., "--url-col"),
    label_col: str = typer.Option(..., "--label-col"),
    out: Path = typer.Option(..., "--out", help="输出模型目录"),
    test_size: float = typer.Option(0.2, "--test-size", min=0.0, max=0.5),
    seed: int = typer.Option(42, "--seed"),
    C: float = typer.Option(8.0, "--C", help="逻辑回归正则强度倒数"),
    stack: bool = typer.Option(
        True, "--stack/--no-stack", help="在规则特征、结构统计与线性模型得分上再叠加梯度提升树"
    ),
) -> None:
    """训练网址模型（完整网址与其裸域名各一份，防止模型只学网址形状）。"""
    import json

    from fanzha.detect.urls.train import build_metadata, to_binary, train_url_model

    table = load_input(input, [(url_col, "网址"), (label_col, "标签")])
    urls, labels = [], []
    for i, (u, y) in enumerate(
        zip(table.frame[url_col].tolist(), table.frame[label_col].tolist(), strict=True), start=1
    ):
        if not isinstance(u, str) or not u.strip() or y is None or not str(y).strip():
            _err(f"第 {i} 行：网址或标签为空，不参与训练")
            continue
        urls.append(u)
        labels.append(y)
    try:
        model, metrics = train_url_model(
            urls, to_binary(labels), C=C, test_size=test_size, seed=seed, stack=stack
        )
    except ValueError as exc:
        _err(f"训练失败：{exc}")
        raise typer.Exit(2) from exc
    args = [
        "fanzha",
        "url",
        "train",
        str(input),
        "--url-col",
        url_col,
        "--label-col",
        label_col,
        "--out",
        str(out),
        "--test-size",
        str(test_size),
        "--seed",
        str(seed),
        "--C",
        str(C),
    ]
    if not stack:
        args.append("--no-stack")
    command = " ".join(shlex.quote(a) for a in args)
    meta = build_metadata(
        model, metrics, [input], command=command, extra={"url_col": url_col, "label_col": label_col}
    )
    model.save(out, meta)
    _err("留出集指标：" + json.dumps(metrics.get("held_out", {}), ensure_ascii=False))
    _err(f"模型已写入 {out}")


@app.command("train-default")
def train_default_cmd(
    out: Path | None = typer.Option(None, "--out", help="缺省写入包内 models/url_default"),
    datasets: Path | None = typer.Option(None, "--datasets", help="公开数据集目录（仅用于评估）"),
) -> None:
    """重建内置默认网址模型（规则 + 由 brands.yaml 生成的自有样本）。"""
    import json

    from fanzha.detect.urls.default import DEFAULT_DIR, train_default

    meta = train_default(out or DEFAULT_DIR, datasets)
    _err(json.dumps(meta["metrics"], ensure_ascii=False))
    _err(f"默认模型已写入 {out or DEFAULT_DIR}")
