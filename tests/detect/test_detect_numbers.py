"""Fraud-number model parts: graph label features, F1 threshold, reasons, table encoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from fanzha.detect.features.tabular import TableEncoder
from fanzha.detect.numbers import graph as g
from fanzha.detect.numbers.model import best_f1_threshold, phrase
from fanzha.detect.numbers.names import feature_label
from fanzha.detect.tabular_io import read_table


def small_graph() -> sp.csr_matrix:
    # 0→1, 0→2, 3→1, 3→2, 4→0 ; node 5 isolated
    rows, cols = [0, 0, 3, 3, 4], [1, 2, 1, 2, 0]
    return sp.csr_matrix((np.ones(5), (rows, cols)), shape=(6, 6))


def test_label_features_use_only_given_labels() -> None:
    A = small_graph()
    S = g.contact_graph(A)
    known = np.array([1.0, np.nan, np.nan, 0.0, 1.0, np.nan])
    f = g.label_features(A, S, known, prior=0.3)
    # node 1 is called by 0 (fraud) and 3 (normal)
    assert f.g_fraud_nb[1] == 1 and f.g_labelled_nb[1] == 2 and f.g_fraud_nb_share[1] == 0.5
    assert f.g_fraud_in_share[1] == 0.5 and np.isnan(f.g_fraud_out_share[1])
    # a node's own label never enters its own 1-hop features
    known2 = known.copy()
    known2[0] = 0.0
    f2 = g.label_features(A, S, known2, prior=0.3)
    assert f2.g_fraud_nb[0] == f.g_fraud_nb[0]
    assert np.isnan(f.g_fraud_nb_share[5])


def test_structure_and_neighbour_aggregates() -> None:
    A = small_graph()
    S = g.contact_graph(A)
    st = g.structure_features(A, S)
    assert list(st.g_out_degree[:5]) == [2, 0, 0, 2, 1]
    assert list(st.g_in_degree[:3]) == [1, 2, 2]
    X = np.array([[1.0], [-5.0], [3.0], [np.nan], [7.0], [2.0]])
    nb = g.neighbour_aggregates(S, X, ["x"])
    assert nb.nb_max_x[0] == 7.0 and nb.nb_mean_x[0] == (-5 + 3 + 7) / 3
    assert nb.nb_max_x[1] == 1.0  # neighbour 3 has no features and is skipped
    assert np.isnan(nb.nb_mean_x[5])
    V, s = g.svd_basis(S, 2)
    emb = g.svd_embed(S, V, s)
    assert emb.shape == (6, 2) and np.isfinite(emb.to_numpy()).all()


def test_direction_and_belief_features() -> None:
    A = small_graph()
    assert g.has_direction(A)  # 0→1 and 4→0: both triangles are used
    upper = sp.triu(g.contact_graph(A)).tocsr()  # each edge stored once, as in the Sichuan file
    assert not g.has_direction(upper)
    S = g.contact_graph(upper)
    assert (g.contact_graph(A) != S).nnz == 0
    st = g.structure_features(upper, S, directed=False)
    assert "g_out_degree" not in st.columns and list(st.g_degree) == [3, 2, 2, 2, 1, 0]
    lab = g.label_features(upper, S, np.array([1.0, np.nan, 0, 0, 1, np.nan]), 0.3, False)
    assert "g_fraud_in_share" not in lab.columns
    # node 0's neighbours are 1, 2 and 4: scores 0.9 and 0.2, node 4 a known fraud (1.0)
    belief = np.array([np.nan, 0.9, 0.2, 0.0, 1.0, 0.7])
    b = g.belief_features(S, belief)
    assert np.isclose(b.g_nb_risk_mean[0], (0.9 + 0.2 + 1.0) / 3)
    assert b.g_nb_risk_max[0] == 1.0 and b.g_nb_risky[0] == 2
    assert np.isclose(b.g_nb_risky_share[0], 2 / 3)
    assert np.isclose(b.g_nb_risk_max[3], 0.9) and b.g_nb_risky[3] == 1  # neighbours 1, 2
    assert np.isnan(b.g_nb_risk_mean[5]) and np.isnan(b.g_nb_risk_max[5])
    # node 1's neighbours are 0 (unknown, skipped) and 3 (0.0); one hop further: 0's and 3's means
    assert b.g_nb_risk_mean[1] == 0.0
    assert np.isclose(b.g_2hop_risk_mean[1], (b.g_nb_risk_mean[0] + b.g_nb_risk_mean[3]) / 2)


def test_every_graph_feature_has_a_chinese_name() -> None:
    A = small_graph()
    S = g.contact_graph(A)
    known = np.array([1.0, np.nan, 0, 0, 1, np.nan])
    cols = [
        *g.structure_features(A, S).columns,
        *g.label_features(A, S, known, 0.3).columns,
        *g.belief_features(S, known).columns,
    ]
    assert all(feature_label(c) != c for c in cols), cols


def test_best_f1_threshold() -> None:
    y = np.array([0, 0, 1, 1, 0, 1])
    p = np.array([0.1, 0.2, 0.8, 0.7, 0.75, 0.9])
    thr, f1 = best_f1_threshold(y, p)
    pred = p >= thr
    tp = (pred & (y == 1)).sum()
    assert np.isclose(f1, 2 * tp / (pred.sum() + y.sum()))
    brute = max(2 * ((p >= c) & (y == 1)).sum() / ((p >= c).sum() + y.sum()) for c in np.unique(p))
    assert np.isclose(f1, brute) and np.isclose(f1, 6 / 7)


def test_reason_phrasing() -> None:
    grid = list(np.linspace(0, 100, 101))
    assert phrase("voccalltype1", 98.2, grid) == "主叫通话量高（高于98%号码）"
    assert phrase("callback_share", 3.0, grid).startswith("回拨率低（低于97%")
    assert phrase("nb_mean_imeis", 60, grid).startswith("联系人平均使用终端(IMEI)数高")


def test_encoder_and_gbk_reader(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "id": range(6),
            "城市": ["成都", "绵阳"] * 3,
            "x": [1, 2, 3, 4, 5, 6],
            "imsi": [f"46000{i:010d}" for i in range(6)],
            "note": list("abcdef"),
            "label": [0, 1] * 3,
        }
    )
    p = tmp_path / "t.csv"
    df.to_csv(p, index=False, encoding="gbk")
    back = read_table(p)
    assert back["城市"].tolist() == df["城市"].tolist()
    enc = TableEncoder.fit(back, exclude={"id", "label"}, max_levels=3)
    assert "x" in enc.numeric and "imsi" in enc.numeric  # digits-only text is numeric
    assert enc.categorical == {"城市": ["成都", "绵阳"]} and enc.dropped == ["note"]
    X = TableEncoder.from_dict(enc.to_dict()).transform(pd.DataFrame({"城市": ["重庆"], "x": [9]}))
    assert X["城市"].tolist() == [-1.0] and np.isnan(X["imsi"][0])
