"""`fanzha text train/classify`: GBK CSV in, JSONL in, bad rows reported, order kept."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.detect.text.corpus import NORMAL, generate

runner = CliRunner()


def _train_file(tmp_path: Path) -> Path:
    pairs = list(generate(500, seed=11))
    df = pd.DataFrame({"内容": [t for t, _ in pairs], "类别": [y for _, y in pairs]})
    p = tmp_path / "train.csv"
    df.to_csv(p, index=False, encoding="gbk", errors="ignore")
    return p


def test_train_then_classify_jsonl_with_bad_rows(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    r = runner.invoke(
        app,
        [
            "text",
            "train",
            str(_train_file(tmp_path)),
            "--text-col",
            "内容",
            "--label-col",
            "类别",
            "--out",
            str(model_dir),
        ],
    )
    assert r.exit_code == 0, r.output
    meta = json.loads((model_dir / "metadata.json").read_text(encoding="utf-8"))
    assert meta["normal_class"] == NORMAL
    assert meta["data_files"][0]["sha256"] and len(meta["data_files"][0]["sha256"]) == 64
    assert "held_out" in meta["metrics"] and meta["command"].startswith("fanzha text train")
    assert meta["libraries"]["scikit-learn"]

    inp = tmp_path / "in.jsonl"
    inp.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": 1, "msg": "我是公安局的，你涉嫌洗钱，把钱转到安全账户"},
                    ensure_ascii=False,
                ),
                "{not json",
                json.dumps({"id": 3, "msg": "晚上吃火锅还是烧烤？你定"}, ensure_ascii=False),
                json.dumps({"id": 4}, ensure_ascii=False),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    r = runner.invoke(
        app,
        [
            "text",
            "classify",
            str(inp),
            "--text-col",
            "msg",
            "--model",
            str(model_dir),
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "第 2 行" in r.output  # the bad JSON line is reported with its row number
    res = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert res["id"].tolist() == ["1", "", "3", "4"]
    assert list(res.columns)[-4:] == ["is_fraud", "fraud_type", "score", "evidence"]
    assert res["is_fraud"].tolist() == ["1", "0", "0", "0"]
    assert res["fraud_type"][0] in set(meta["labels"]) - {NORMAL}
    assert "安全账户" in res["evidence"][0]


def test_classify_gbk_csv_with_default_model(tmp_path: Path) -> None:
    inp = tmp_path / "sms.csv"
    inp.write_bytes(
        "编号,短信\n1,兼职刷单，加V信领任务，佣金日结\n2,【顺丰】您的快递已到驿站，取件码1234\n".encode(
            "gbk"
        )
    )
    out = tmp_path / "o.csv"
    r = runner.invoke(app, ["text", "classify", str(inp), "--text-col", "短信", "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = pd.read_csv(out, keep_default_na=False)
    assert res["is_fraud"].tolist() == [1, 0]
    assert res["fraud_type"][0] == "刷单返利类" and res["fraud_type"][1] == ""
    assert res["score"].min() >= 0.0 and res["score"].max() <= 1.0


def test_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    inp = tmp_path / "a.csv"
    inp.write_text("x\n你好\n", encoding="utf-8")
    r = runner.invoke(
        app, ["text", "classify", str(inp), "--text-col", "text", "--out", str(tmp_path / "o.csv")]
    )
    assert r.exit_code == 2 and "text" in r.output
