"""`fanzha numbers train/score` on a Sichuan-like table with a sparse call graph."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from typer.testing import CliRunner

from fanzha.cli import app

runner = CliRunner()


def sichuan_like(n_rows: int = 300, n_nodes: int = 380, seed: int = 1):
    """Per-number aggregates (fraud: many outgoing calls, few callbacks) and a call graph where
    fraud numbers share victims; the last nodes have no row (like the competition's test numbers)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n_nodes) < 0.33).astype(int)
    calls = np.where(y == 1, rng.lognormal(6.5, 0.6, n_nodes), rng.lognormal(5.5, 0.8, n_nodes))
    out_share = np.where(y == 1, rng.beta(8, 2, n_nodes), rng.beta(4, 4, n_nodes))
    df = pd.DataFrame(
        {
            "node": np.arange(n_nodes),
            "phone_no_m": [f"{rng.integers(1 << 60):x}" for _ in range(n_nodes)],
            "opposite_count": calls.round(),
            "voc_calltype1": out_share,
            "call_dur_mean": np.where(y == 1, rng.gamma(2, 15, n_nodes), rng.gamma(3, 40, n_nodes)),
            "imeis": rng.poisson(np.where(y == 1, 3, 1.2)) + 1,
            "arpu_mean": rng.normal(60, 20, n_nodes),
            "city_name": rng.choice(["成都", "绵阳", "南充"], n_nodes),
            "label": y,
        }
    )
    # noise so the table alone is not perfect
    flip = rng.random(n_nodes) < 0.08
    df.loc[flip, "voc_calltype1"] = rng.beta(4, 4, flip.sum())
    rows, cols = [], []
    victims = np.arange(n_nodes)
    for i in range(n_nodes):
        k = rng.integers(3, 12)
        pool = victims[y == 1] if (y[i] == 1 and rng.random() < 0.7) else victims
        for j in rng.choice(pool, size=k):
            if j != i:
                rows.append(i)
                cols.append(j)
    A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_nodes, n_nodes))
    A.data[:] = 1
    return df.iloc[:n_rows].reset_index(drop=True), df.iloc[n_rows:].reset_index(drop=True), A


@pytest.fixture
def files(tmp_path: Path):
    train, test, A = sichuan_like()
    g = tmp_path / "adj.npz"
    sp.save_npz(g, A)
    cut = 240
    tr = tmp_path / "train.csv"
    train.iloc[:cut].to_csv(tr, index=False, encoding="gbk")
    te = tmp_path / "holdout.parquet"
    train.iloc[cut:].drop(columns=["label"]).to_parquet(te, index=False)
    return tr, te, g, train.iloc[cut:]["label"].to_numpy(), tmp_path


def test_numbers_train_and_score_with_graph(files) -> None:
    tr, te, g, y_te, tmp = files
    model = tmp / "model"
    r = runner.invoke(
        app,
        [
            "numbers",
            "train",
            "--table",
            str(tr),
            "--label-col",
            "label",
            "--id-col",
            "node",
            "--graph",
            str(g),
            "--out",
            str(model),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "phone_no_m" in r.output  # the dropped identifier column is named
    out = tmp / "scores.csv"
    r = runner.invoke(
        app,
        [
            "numbers",
            "score",
            "--table",
            str(te),
            "--id-col",
            "node",
            "--model",
            str(model),
            "--graph",
            str(g),
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    res = pd.read_csv(out)
    assert list(res.columns) == ["node", "score", "is_fraud", "reasons"]
    assert len(res) == len(y_te)
    pred = res["is_fraud"].to_numpy()
    tp = ((pred == 1) & (y_te == 1)).sum()
    f1 = 2 * tp / (pred.sum() + y_te.sum())
    assert f1 > 0.8
    flagged = res[res.is_fraud == 1]
    assert flagged["reasons"].str.contains("号码|联系人|通话|终端").all()
    # the model dir carries the training labels; a label column in the scoring table is ignored
    assert (model / "stage1.txt").exists()
    with np.load(model / "graph.npz") as z:
        assert len(z["train_y"]) == 240 and len(z["train_ids"]) == 240
    leaky = pd.read_parquet(te).assign(label=1 - y_te)
    lp = tmp / "leaky.csv"
    leaky.to_csv(lp, index=False)
    out2 = tmp / "scores2.csv"
    args = ["numbers", "score", "--table", str(lp), "--id-col", "node", "--model", str(model)]
    r = runner.invoke(app, [*args, "--graph", str(g), "--out", str(out2)])
    assert r.exit_code == 0, r.output
    assert np.allclose(pd.read_csv(out2)["score"], res["score"])


def test_numbers_without_graph_and_bad_ids(files) -> None:
    tr, te, g, _, tmp = files
    model = tmp / "m2"
    r = runner.invoke(
        app,
        [
            "numbers",
            "train",
            "--table",
            str(tr),
            "--label-col",
            "label",
            "--id-col",
            "node",
            "--out",
            str(model),
        ],
    )
    assert r.exit_code == 0, r.output
    jl = tmp / "t.jsonl"
    pd.read_parquet(te).to_json(jl, orient="records", lines=True, force_ascii=False)
    out = tmp / "s.csv"
    r = runner.invoke(
        app,
        [
            "numbers",
            "score",
            "--table",
            str(jl),
            "--id-col",
            "node",
            "--model",
            str(model),
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    assert pd.read_csv(out)["score"].between(0, 1).all()
    # a graph model refuses node numbers outside the graph
    bad = pd.read_parquet(te).assign(node=10_000)
    bp = tmp / "bad.csv"
    bad.to_csv(bp, index=False)
    r = runner.invoke(
        app,
        [
            "numbers",
            "train",
            "--table",
            str(bp),
            "--label-col",
            "phone_no_m",
            "--id-col",
            "node",
            "--graph",
            str(g),
            "--out",
            str(tmp / "m3"),
        ],
    )
    assert r.exit_code == 2


def test_numbers_on_sichuan_sample(datasets_dir: Path, tmp_path: Path) -> None:
    src = datasets_dir / "cdr" / "sichuan"
    df = pd.read_csv(src / "features_trainval.csv")
    sample = df.sample(600, random_state=0)
    train, test = sample.iloc[:450], sample.iloc[450:]
    train.to_csv(tmp_path / "tr.csv", index=False)
    test.drop(columns=["label"]).to_csv(tmp_path / "te.csv", index=False)
    g = src / "call_graph_adjacency.npz"
    r = runner.invoke(
        app,
        [
            "numbers",
            "train",
            "--table",
            str(tmp_path / "tr.csv"),
            "--label-col",
            "label",
            "--id-col",
            "node",
            "--graph",
            str(g),
            "--out",
            str(tmp_path / "m"),
            "--folds",
            "3",
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "numbers",
            "score",
            "--table",
            str(tmp_path / "te.csv"),
            "--id-col",
            "node",
            "--model",
            str(tmp_path / "m"),
            "--graph",
            str(g),
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert r.exit_code == 0, r.output
    from sklearn.metrics import roc_auc_score

    res = pd.read_csv(tmp_path / "o.csv")
    assert (res["node"].to_numpy() == test["node"].to_numpy()).all()
    assert roc_auc_score(test["label"], res["score"]) > 0.85
