"""Call-graph features for fraud numbers.

The graph is a square sparse matrix whose row/column ``i`` is node ``i`` (the table's id column). We
use the undirected contact graph ``S = (A + Aᵀ) > 0`` plus the directed in/out degrees of ``A``.

Label features (share of contacts that are known fraud, two-hop propagation) only ever read labels
passed in ``known``: during training the caller hides each fold's own labels (out-of-fold), at
scoring time it passes the training labels stored with the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp


def load_graph(path: str) -> sp.csr_matrix:
    A = sp.load_npz(path)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"graph: adjacency must be square, got {A.shape}")
    return sp.csr_matrix(A, dtype="float64")


def contact_graph(A: sp.csr_matrix) -> sp.csr_matrix:
    S = (A + A.T).tocsr()
    S.data[:] = 1.0
    S.setdiag(0)
    S.eliminate_zeros()
    return S


def _row_normalise(S: sp.csr_matrix) -> sp.csr_matrix:
    deg = np.asarray(S.sum(axis=1)).ravel()
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    return sp.diags(inv) @ S


def structure_features(A: sp.csr_matrix, S: sp.csr_matrix, directed: bool = True) -> pd.DataFrame:
    """Label-free per-node structure: degrees, reciprocity, neighbours' degree, 2-hop reach.

    With ``directed=False`` (see :func:`has_direction`) only the undirected columns are returned.
    """
    out_deg = np.asarray((A > 0).sum(axis=1)).ravel().astype(float)
    in_deg = np.asarray((A > 0).sum(axis=0)).ravel().astype(float)
    w_out = np.asarray(A.sum(axis=1)).ravel()
    w_in = np.asarray(A.sum(axis=0)).ravel()
    deg = np.asarray(S.sum(axis=1)).ravel()
    B = (A > 0).astype(float)
    mutual = np.asarray(B.multiply(B.T).sum(axis=1)).ravel()
    P = _row_normalise(S)
    nb_deg_mean = P @ deg
    two_hop = P @ nb_deg_mean
    if not directed:
        return pd.DataFrame(
            {"g_degree": deg, "g_nb_degree_mean": nb_deg_mean, "g_2hop_degree_mean": two_hop}
        )
    return pd.DataFrame(
        {
            "g_out_degree": out_deg,
            "g_in_degree": in_deg,
            "g_degree": deg,
            "g_weighted_out": w_out,
            "g_weighted_in": w_in,
            "g_mutual_share": np.divide(mutual, deg, out=np.zeros_like(deg), where=deg > 0),
            "g_in_out_ratio": in_deg / (out_deg + 1.0),
            "g_nb_degree_mean": nb_deg_mean,
            "g_2hop_degree_mean": two_hop,
        }
    )


def neighbour_aggregates(S: sp.csr_matrix, X: np.ndarray, names: list[str]) -> pd.DataFrame:
    """Mean and max of neighbours' features; nodes with unknown features (NaN rows) are skipped."""
    known = np.isfinite(X)
    Xz = np.where(known, X, 0.0)
    cnt = S @ known.astype(float)
    mean = np.divide(S @ Xz, cnt, out=np.full(X.shape, np.nan), where=cnt > 0)
    # sparse row-max: shift every feature to be ≥ 1 so the implicit zeros never win
    lo = np.nanmin(np.where(known, X, np.inf), axis=0)
    lo = np.where(np.isfinite(lo), lo, 0.0)
    shifted = np.where(known, X - lo + 1.0, 0.0)
    mx = np.empty(X.shape)
    S_coo = S.tocsr()
    for j in range(X.shape[1]):
        m = np.asarray(S_coo.multiply(shifted[:, j][None, :]).max(axis=1).todense()).ravel()
        mx[:, j] = np.where(m > 0, m - 1.0 + lo[j], np.nan)
    cols = {}
    for j, n in enumerate(names):
        cols[f"nb_mean_{n}"] = mean[:, j]
        cols[f"nb_max_{n}"] = mx[:, j]
    return pd.DataFrame(cols)


def label_features(
    A: sp.csr_matrix, S: sp.csr_matrix, known: np.ndarray, prior: float, directed: bool = True
) -> pd.DataFrame:
    """Features from known labels: ``known`` is 1 fraud, 0 normal, NaN unknown (per node)."""
    lab = np.isfinite(known)
    fraud = np.where(lab, known, 0.0)
    n_lab = S @ lab.astype(float)
    n_fraud = S @ fraud
    Bo = (A > 0).astype(float).tocsr()
    Bi = Bo.T.tocsr()
    out_lab, out_fraud = Bo @ lab.astype(float), Bo @ fraud
    in_lab, in_fraud = Bi @ lab.astype(float), Bi @ fraud
    P = _row_normalise(S)
    y0 = np.where(lab, known, prior)
    h1 = P @ y0
    h2 = P @ h1
    # fraud contacts of my contacts (weighted by how many of my contacts share them)
    shared = S @ n_fraud

    def share(a, b):
        return np.divide(a, b, out=np.full_like(a, np.nan), where=b > 0)

    cols = {
        "g_fraud_nb": n_fraud,
        "g_labelled_nb": n_lab,
        "g_fraud_nb_share": share(n_fraud, n_lab),
        "g_prop_1hop": h1,
        "g_prop_2hop": h2,
        "g_fraud_2hop": shared,
    }
    if directed:
        cols |= {
            "g_fraud_out_share": share(out_fraud, out_lab),
            "g_fraud_in_share": share(in_fraud, in_lab),
            "g_fraud_out": out_fraud,
            "g_fraud_in": in_fraud,
        }
    return pd.DataFrame(cols)


def svd_basis(S: sp.csr_matrix, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Right singular vectors and values of the symmetric-normalised contact graph."""
    from scipy.sparse.linalg import svds

    N = _sym_normalise(S)
    k = max(1, min(k, S.shape[0] - 2))
    rng = np.random.default_rng(seed)
    v0 = rng.random(S.shape[0])
    _, s, vt = svds(N, k=k, v0=v0)
    order = np.argsort(-s)
    return vt[order].T.copy(), s[order].copy()


def svd_embed(S: sp.csr_matrix, V: np.ndarray, s: np.ndarray) -> pd.DataFrame:
    """Project nodes onto a stored basis (U = N V / s), stable across training and scoring."""
    N = _sym_normalise(S)
    U = (N @ V) / np.where(s > 0, s, 1.0)
    return pd.DataFrame(U, columns=[f"g_svd_{i}" for i in range(U.shape[1])])


def _sym_normalise(S: sp.csr_matrix) -> sp.csr_matrix:
    deg = np.asarray(S.sum(axis=1)).ravel()
    inv = np.divide(1.0, np.sqrt(deg), out=np.zeros_like(deg), where=deg > 0)
    D = sp.diags(inv)
    return (D @ S @ D).tocsr()


def has_direction(A: sp.csr_matrix) -> bool:
    """False when the file stores each undirected edge once (only one triangle is filled).

    Directed in/out counts of such a file only reflect node numbering, not who called whom.
    """
    coo = A.tocoo()
    off = coo.row != coo.col
    upper = bool((coo.row[off] < coo.col[off]).any())
    lower = bool((coo.row[off] > coo.col[off]).any())
    return upper and lower


def belief_features(S: sp.csr_matrix, belief: np.ndarray) -> pd.DataFrame:
    """Neighbours' risk: ``belief`` per node is a known label (1/0) or a first-stage score; NaN unknown.

    Mean, max and the count of risky (≥ 0.5) neighbours, then the same mean one hop further.
    """
    has = np.isfinite(belief)
    b = np.where(has, belief, 0.0)
    cnt = S @ has.astype(float)
    mean = np.divide(S @ b, cnt, out=np.full(len(b), np.nan), where=cnt > 0)
    risky = S @ (b >= 0.5).astype(float)
    shifted = np.where(has, b + 1.0, 0.0)
    mx = np.asarray(S.multiply(shifted[None, :]).max(axis=1).todense()).ravel()
    mx = np.where(mx > 0, mx - 1.0, np.nan)
    m_has = np.isfinite(mean)
    cnt2 = S @ m_has.astype(float)
    mean2 = np.divide(
        S @ np.where(m_has, mean, 0.0), cnt2, out=np.full(len(b), np.nan), where=cnt2 > 0
    )
    return pd.DataFrame(
        {
            "g_nb_risk_mean": mean,
            "g_nb_risk_max": mx,
            "g_nb_risky": risky,
            "g_nb_risky_share": np.divide(risky, cnt, out=np.full(len(b), np.nan), where=cnt > 0),
            "g_2hop_risk_mean": mean2,
        }
    )
