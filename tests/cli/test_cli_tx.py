"""`fanzha tx train/score` on PaySim and on a table with date-time strings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from typer.testing import CliRunner

from fanzha.cli import app

runner = CliRunner()
PAYSIM = [
    "--payer-col",
    "nameOrig",
    "--payee-col",
    "nameDest",
    "--amount-col",
    "amount",
    "--time-col",
    "step",
]


def test_tx_on_paysim_holdout(datasets_dir: Path, tmp_path: Path) -> None:
    df = pd.read_csv(datasets_dir / "transactions" / "paysim" / "paysim_sample_3k.csv")
    df = df.sample(1000, random_state=3).reset_index(drop=True)
    tr, te = df.iloc[:700], df.iloc[700:]
    tr.to_csv(tmp_path / "tr.csv", index=False)
    te.drop(columns=["isFraud"]).to_parquet(tmp_path / "te.parquet", index=False)
    r = runner.invoke(
        app,
        [
            "tx",
            "train",
            "--table",
            str(tmp_path / "tr.csv"),
            "--label-col",
            "isFraud",
            *PAYSIM,
            "--out",
            str(tmp_path / "m"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "type" in r.output  # categorical column reported as encoded
    r = runner.invoke(
        app,
        [
            "tx",
            "score",
            "--table",
            str(tmp_path / "te.parquet"),
            *PAYSIM,
            "--model",
            str(tmp_path / "m"),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert r.exit_code == 0, r.output
    res = pd.read_csv(tmp_path / "o.csv")
    assert {"nameOrig", "nameDest", "step", "amount", "score", "is_fraud"} <= set(res.columns)
    assert len(res) == len(te)
    assert roc_auc_score(te["isFraud"], res["score"]) > 0.98


def mule_table(n: int = 1200, seed: int = 0) -> pd.DataFrame:
    """Customers paying merchants, plus mules that receive from many and forward at once."""
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp("2026-03-01T00:00:00Z")
    rows = []
    for i in range(n):
        if rng.random() < 0.15:
            mule = f"M{rng.integers(10)}"
            t = t0 + pd.Timedelta(hours=float(rng.uniform(0, 240)))
            amt = float(rng.uniform(3000, 50000))
            rows.append((f"V{i}", mule, amt, t, "mobile_banking", 1))
            rows.append(
                (mule, f"X{rng.integers(3)}", amt * 0.98, t + pd.Timedelta(minutes=5), "atm", 1)
            )
        else:
            t = t0 + pd.Timedelta(hours=float(rng.uniform(0, 240)))
            rows.append(
                (
                    f"C{rng.integers(300)}",
                    f"S{rng.integers(40)}",
                    float(rng.gamma(2, 80)),
                    t,
                    "merchant",
                    0,
                )
            )
    return pd.DataFrame(rows, columns=["付款账户", "收款账户", "金额", "时间", "渠道", "标签"])


def test_tx_with_datetime_and_chinese_columns(tmp_path: Path) -> None:
    df = mule_table()
    df["时间"] = df["时间"].dt.strftime("%Y-%m-%d %H:%M:%S")
    df = df.sample(frac=1, random_state=1).reset_index(drop=True)
    tr, te = df.iloc[:900], df.iloc[900:]
    tr.to_csv(tmp_path / "tr.csv", index=False, encoding="utf-8-sig")
    te.to_json(tmp_path / "te.jsonl", orient="records", lines=True, force_ascii=False)
    cols = [
        "--payer-col",
        "付款账户",
        "--payee-col",
        "收款账户",
        "--amount-col",
        "金额",
        "--time-col",
        "时间",
    ]
    r = runner.invoke(
        app,
        [
            "tx",
            "train",
            "--table",
            str(tmp_path / "tr.csv"),
            "--label-col",
            "标签",
            *cols,
            "--out",
            str(tmp_path / "m"),
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "tx",
            "score",
            "--table",
            str(tmp_path / "te.jsonl"),
            *cols,
            "--model",
            str(tmp_path / "m"),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert r.exit_code == 0, r.output
    res = pd.read_csv(tmp_path / "o.csv")
    assert roc_auc_score(te["标签"], res["score"]) > 0.95
    r = runner.invoke(
        app,
        [
            "tx",
            "score",
            "--table",
            str(tmp_path / "te.jsonl"),
            "--payer-col",
            "nope",
            "--payee-col",
            "收款账户",
            "--amount-col",
            "金额",
            "--time-col",
            "时间",
            "--model",
            str(tmp_path / "m"),
            "--out",
            str(tmp_path / "o2.csv"),
        ],
    )
    assert r.exit_code == 2
