"""``fanzha text``: classify fraud text, train text models."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer

from fanzha.cli._tabular import err as _err
from fanzha.cli._tabular import load_input

app = typer.Typer(help="诈骗文本识别：分类与训练。", no_args_is_help=True)


@app.command("classify")
def classify_cmd(
    input: Path = typer.Argument(..., help="CSV (UTF-8/GBK) 或 JSONL 文件"),
    text_col: str = typer.Option(..., "--text-col", help="文本列名"),
    model: Path | None = typer.Option(None, "--model", help="模型目录；缺省用内置默认模型"),
    out: Path = typer.Option(..., "--out", help="输出 CSV"),
    batch_size: int = typer.Option(2000, "--batch-size", min=1),
) -> None:
    """逐行判断是否诈骗，输出 is_fraud、fraud_type、score、evidence。"""
    from fanzha.detect.io import write_csv
    from fanzha.detect.text import load_model

    table = load_input(input, [(text_col, "文本")])
    frame = table.frame
    try:
        mdl = load_model(model)
    except (OSError, ValueError) as exc:
        _err(f"无法加载模型 {model}: {exc}")
        raise typer.Exit(2) from exc
    bad = {e.row for e in table.errors}
    texts = []
    for i, v in enumerate(frame[text_col].tolist(), start=1):
        if not isinstance(v, str) or not v.strip():
            if i not in bad:
                _err(f"第 {i} 行：文本为空，按非诈骗输出")
            texts.append("")
        else:
            texts.append(v)
    is_fraud, ftype, score, evidence = [], [], [], []
    for s in range(0, len(texts), batch_size):
        for v in mdl.classify(texts[s : s + batch_size]):
            is_fraud.append(int(v.is_fraud))
            ftype.append(v.fraud_type)
            score.append(round(v.score, 4))
            evidence.append(v.evidence_text())
    frame = frame.copy()
    frame["is_fraud"] = is_fraud
    frame["fraud_type"] = ftype
    frame["score"] = score
    frame["evidence"] = evidence
    write_csv(frame, out)
    _err(
        f"已分类 {len(frame)} 行（疑似诈骗 {sum(is_fraud)} 行，坏行 {len(table.errors)} 行）→ {out}"
    )


@app.command("train")
def train_cmd(
    input: Path = typer.Argument(..., help="带标签的 CSV/JSONL"),
    text_col: str = typer.Option(..., "--text-col"),
    label_col: str = typer.Option(..., "--label-col"),
    out: Path = typer.Option(..., "--out", help="输出模型目录"),
    normal_label: str | None = typer.Option(
        None, "--normal-label", help="正常类标签；缺省自动识别"
    ),
    words: bool = typer.Option(False, "--words/--no-words", help="加入 jieba 词特征（更慢）"),
    test_size: float = typer.Option(0.2, "--test-size", min=0.0, max=0.5),
    seed: int = typer.Option(42, "--seed"),
) -> None:
    """训练文本模型，写出模型目录（model.joblib + metadata.json，含留出集指标）。"""
    import json

    from fanzha.detect.text.model import TextParams
    from fanzha.detect.text.train import build_metadata, canonical_label, train_text_model

    table = load_input(input, [(text_col, "文本")])
    if label_col not in table.frame.columns:
        _err(f"输入中没有标签列 {label_col!r}")
        raise typer.Exit(2)
    texts, labels = [], []
    for i, (t, y) in enumerate(
        zip(table.frame[text_col].tolist(), table.frame[label_col].tolist(), strict=True), start=1
    ):
        if not isinstance(t, str) or not t.strip() or y is None or not str(y).strip():
            _err(f"第 {i} 行：文本或标签为空，不参与训练")
            continue
        texts.append(t)
        labels.append(canonical_label(y))
    try:
        model, metrics = train_text_model(
            texts, labels, TextParams(words=words), normal_label, test_size, seed
        )
    except ValueError as exc:
        _err(f"训练失败：{exc}")
        raise typer.Exit(2) from exc
    args = [
        "fanzha",
        "text",
        "train",
        str(input),
        "--text-col",
        text_col,
        "--label-col",
        label_col,
        "--out",
        str(out),
        "--test-size",
        str(test_size),
        "--seed",
        str(seed),
    ]
    if normal_label:
        args += ["--normal-label", normal_label]
    if words:
        args.append("--words")
    command = " ".join(shlex.quote(a) for a in args)
    meta = build_metadata(
        model,
        metrics,
        [input],
        command=command,
        extra={"text_col": text_col, "label_col": label_col},
    )
    model.save(out, meta)
    held = metrics.get("held_out", {})
    _err(f"正常类：{model.normal_class}；类别：{', '.join(model.classes_)}")
    _err(
        "留出集指标："
        + json.dumps({k: v for k, v in held.items() if not isinstance(v, dict)}, ensure_ascii=False)
    )
    _err(f"模型已写入 {out}")


@app.command("train-default")
def train_default_cmd(
    out: Path | None = typer.Option(None, "--out", help="缺省写入包内 models/text_default"),
    datasets: Path | None = typer.Option(None, "--datasets", help="公开数据集目录"),
) -> None:
    """重建内置默认模型（仅用 TeleAntiFraud (Apache-2.0) 与项目自有语料）。"""
    import json

    from fanzha.detect.text.default import DEFAULT_DIR, train_default

    meta = train_default(out or DEFAULT_DIR, datasets)
    _err(json.dumps(meta["metrics"].get("external_evaluation", {}), ensure_ascii=False))
    _err(f"默认模型已写入 {out or DEFAULT_DIR}")
