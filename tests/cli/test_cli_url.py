"""`fanzha url train/score`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.detect.urls.corpus import generate

runner = CliRunner()


def test_train_and_score(tmp_path: Path) -> None:
    pairs = list(generate(800, seed=3))
    train = tmp_path / "t.csv"
    pd.DataFrame(
        {"link": [u for u, _ in pairs], "bad": ["phishing" if y else "legit" for _, y in pairs]}
    ).to_csv(train, index=False)
    r = runner.invoke(
        app,
        [
            "url",
            "train",
            str(train),
            "--url-col",
            "link",
            "--label-col",
            "bad",
            "--out",
            str(tmp_path / "m"),
        ],
    )
    assert r.exit_code == 0, r.output
    meta = json.loads((tmp_path / "m" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["metrics"]["held_out"]["f1"] > 0.85
    assert "bare_domains" in meta["metrics"]["held_out"]

    inp = tmp_path / "in.csv"
    inp.write_bytes(
        '网址,备注\nhttp://icbc-jiedong.top/login,可疑\n"https://www.icbc.com.cn/",官网,多余\n,空\n'.encode(
            "gbk"
        )
    )
    out = tmp_path / "o.csv"
    r = runner.invoke(
        app,
        [
            "url",
            "score",
            str(inp),
            "--url-col",
            "网址",
            "--model",
            str(tmp_path / "m"),
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "第 2 行" in r.output and "第 3 行" in r.output
    res = pd.read_csv(out, keep_default_na=False)
    assert len(res) == 3
    assert res["is_risky"].tolist() == [1, 0, 0]
    assert "icbc" in res["reasons"][0]


def test_default_model_jsonl(tmp_path: Path) -> None:
    inp = tmp_path / "u.jsonl"
    inp.write_text(
        '{"u": "http://paypa1.com/signin"}\n{"u": "https://www.jd.com/"}\n', encoding="utf-8"
    )
    out = tmp_path / "o.csv"
    r = runner.invoke(app, ["url", "score", str(inp), "--url-col", "u", "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = pd.read_csv(out, keep_default_na=False)
    assert res["is_risky"].tolist() == [1, 0]
    assert "paypal" in res["reasons"][0]


def test_app_check_cli() -> None:
    r = runner.invoke(
        app,
        [
            "app",
            "check",
            "--package",
            "com.zhifubao.anquan",
            "--label",
            "支付宝",
            "--permissions",
            "android.permission.BIND_ACCESSIBILITY_SERVICE,android.permission.SYSTEM_ALERT_WINDOW",
        ],
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["is_risky"] and out["impersonates"] == "支付宝"


def test_headerless_one_column_file(tmp_path: Path) -> None:
    """A plain list of URLs (no header line) is scored row by row, the first line included."""
    inp = tmp_path / "list.csv"
    inp.write_text("http://paypa1.com/signin\nhttps://www.jd.com/\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    r = runner.invoke(app, ["url", "score", str(inp), "--url-col", "url", "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = pd.read_csv(out, keep_default_na=False)
    assert res["url"].tolist() == ["http://paypa1.com/signin", "https://www.jd.com/"]
    assert res["is_risky"].tolist() == [1, 0]
    assert "无表头" in r.output


def test_headerless_column_by_position(tmp_path: Path) -> None:
    inp = tmp_path / "list.csv"
    inp.write_text("7,http://paypa1.com/signin\n8,https://www.jd.com/\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    r = runner.invoke(app, ["url", "score", str(inp), "--url-col", "1", "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = pd.read_csv(out, keep_default_na=False)
    assert res["0"].tolist() == [7, 8]
    assert res["is_risky"].tolist() == [1, 0]


def test_named_header_is_not_mistaken_for_data(tmp_path: Path) -> None:
    """A real header with a missing column still fails clearly (exit 2, names the columns)."""
    inp = tmp_path / "t.csv"
    inp.write_text("link,note\nhttps://www.jd.com/,x\n", encoding="utf-8")
    r = runner.invoke(
        app, ["url", "score", str(inp), "--url-col", "url", "--out", str(tmp_path / "o.csv")]
    )
    assert r.exit_code == 2
    assert "link" in r.output
