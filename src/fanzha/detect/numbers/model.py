"""Fraud-number model for partners' per-number aggregate tables, with an optional call graph.

Without a graph: table features → LightGBM (seed-averaged). With a graph, two stages: stage 1
scores every number from the table alone (out-of-fold for the training rows); stage 2 adds graph
structure, known-fraud contacts (training labels only, out-of-fold for the training rows) and
neighbours' risk (a known label, else the stage-1 score of a number in the training or scoring
table). Out-of-fold predictions pick the F1-optimal threshold and validate the explicit rules.
The model directory holds everything scoring needs: ``model_<i>.txt`` (stage 2), ``stage1.txt``,
``meta.json`` (encoding, threshold, rules, quantiles) and ``graph.npz`` (the training rows' node
ids, labels and features: the partner's own labels, so a scoring table needs no labels).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fanzha.detect.features.tabular import TableEncoder, percentile_of, quantile_grid
from fanzha.detect.numbers import graph as g
from fanzha.detect.numbers.names import feature_label

LGB_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_child_samples": 20,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.5,
    "reg_lambda": 1.0,
    "verbose": -1,
    "n_jobs": 1,
}


@dataclass
class Rule:
    """An explicit rule on final features; kept only if it does not lower out-of-fold F1."""

    name: str
    reason: str
    feature: str
    op: str  # ">=" or "<="
    value: float
    min_feature: str | None = None
    min_value: float = 0.0
    precision: float = 0.0
    support: int = 0
    active: bool = False

    def hits(self, F: pd.DataFrame) -> np.ndarray:
        if self.feature not in F.columns:
            return np.zeros(len(F), dtype=bool)
        v = F[self.feature].to_numpy(dtype=float)
        hit = v >= self.value if self.op == ">=" else v <= self.value
        if self.min_feature is not None:
            if self.min_feature not in F.columns:
                return np.zeros(len(F), dtype=bool)
            hit &= F[self.min_feature].to_numpy(dtype=float) >= self.min_value
        return np.nan_to_num(hit, nan=0).astype(bool)


def candidate_rules() -> list[Rule]:
    return [
        Rule(
            "fraud_contacts",
            "与多个已知涉诈号码有通话往来",
            "g_fraud_nb_share",
            ">=",
            0.6,
            "g_fraud_nb",
            3,
        ),
        Rule(
            "fraud_callers_in",
            "多个已知涉诈号码呼叫本号码",
            "g_fraud_in_share",
            ">=",
            0.8,
            "g_fraud_in",
            3,
        ),
        Rule("iot_voice", "物联网卡用于语音通话", "iot_voice_calls", ">=", 1),
        Rule(
            "sim_box",
            "同一终端上号码过多（疑似猫池）",
            "max_numbers_per_imei",
            ">=",
            10,
        ),
    ]


@dataclass
class TrainReport:
    n_rows: int
    n_fraud: int
    features: int
    dropped_columns: list[str]
    encoded_columns: list[str]
    threshold: float
    oof_f1: float
    oof_auc: float
    oof_precision: float
    oof_recall: float
    rules: list[dict] = field(default_factory=list)


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    order = np.argsort(-p)
    ys = y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    i = int(np.argmax(f1))
    thr = float(p[order][i]) if i + 1 >= len(p) else float((p[order][i] + p[order][i + 1]) / 2)
    return thr, float(f1[i])


def _f1(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & (y == 1)).sum())
    prec = tp / max(pred.sum(), 1)
    rec = tp / max((y == 1).sum(), 1)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f1, prec, rec


class NumberModel:
    """Table model, or with a graph a two-stage model: stage 1 scores numbers from the table alone,
    stage 2 adds graph structure, known-fraud contacts and neighbours' stage-1 risk."""

    def __init__(self) -> None:
        self.meta: dict = {}
        self.boosters: list = []
        self.stage1 = None
        self.state: dict[str, np.ndarray] = {}

    # ---------------------------------------------------------------- features
    def _graph_block(
        self,
        A,
        S,
        ids: np.ndarray,
        node_X: np.ndarray,
        V: np.ndarray,
        s: np.ndarray,
    ) -> pd.DataFrame:
        parts = [g.structure_features(A, S, self.meta["directed"])]
        cols = self.meta["nb_columns"]
        if cols:
            enc_cols = self.meta["encoder"]["numeric"] + list(self.meta["encoder"]["categorical"])
            idx = [enc_cols.index(c) for c in cols]
            parts.append(g.neighbour_aggregates(S, node_X[:, idx], cols))
        if V.size:
            parts.append(g.svd_embed(S, V, s))
        block = pd.concat(parts, axis=1)
        return block.iloc[ids].reset_index(drop=True)

    def _label_block(self, A, S, known: np.ndarray, belief: np.ndarray, prior: float):
        lab = g.label_features(A, S, known, prior, self.meta["directed"])
        if self.meta.get("belief", True):
            lab = pd.concat([lab, g.belief_features(S, belief)], axis=1)
        return lab

    # ---------------------------------------------------------------- training
    def fit(
        self,
        df: pd.DataFrame,
        label_col: str,
        id_col: str,
        A=None,
        n_folds: int = 5,
        seed: int = 0,
        svd_k: int = 0,
        neighbour_columns: list[str] | None = None,
        n_estimators: int = 300,
        n_seeds: int = 3,
        belief: bool = True,
    ) -> TrainReport:
        import lightgbm as lgb
        from sklearn.metrics import roc_auc_score
        from sklearn.model_selection import StratifiedKFold

        for col in (label_col, id_col):
            if col not in df.columns:
                raise ValueError(f"table: column {col!r} not found; columns: {list(df.columns)}")
        y = pd.to_numeric(df[label_col], errors="coerce")
        if y.isna().any() or not set(np.unique(y)).issubset({0, 1}):
            raise ValueError(f"table: label column {label_col!r} must hold 0/1 for every row")
        y = y.to_numpy(dtype=int)
        if y.sum() < n_folds or (len(y) - y.sum()) < n_folds:
            raise ValueError(
                f"table: label column {label_col!r} needs ≥ {n_folds} rows of each class"
            )
        enc = TableEncoder.fit(df, exclude={label_col, id_col})
        X = enc.transform(df).reset_index(drop=True)
        self.meta = {
            "id_col": id_col,
            "label_col": label_col,
            "encoder": enc.to_dict(),
            "nb_columns": [c for c in (neighbour_columns or []) if c in X.columns],
            "svd_k": svd_k,
            "has_graph": A is not None,
            "belief": belief,
            "prior": float(y.mean()),
            "n_estimators": n_estimators,
        }
        folds = list(StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(X, y))
        params = {**LGB_PARAMS, "seed": seed}
        seeds = [seed + 101 * i for i in range(max(1, n_seeds))]
        F = X
        if A is not None:
            ids = self._node_ids(df, A.shape[0], id_col)
            n = A.shape[0]
            self.meta["directed"] = g.has_direction(A)
            S = g.contact_graph(A)
            node_X = np.full((n, X.shape[1]), np.nan)
            node_X[ids] = X.to_numpy(dtype=float)
            if svd_k > 0:
                V, s = g.svd_basis(S, svd_k, seed)
            else:
                V, s = np.zeros((n, 0)), np.zeros(0)
            block = self._graph_block(A, S, ids, node_X, V, s)
            # stage 1: table-only scores, out-of-fold for the training rows themselves
            p1 = np.zeros(len(df))
            for tr, te in folds:
                b1 = lgb.train(params, lgb.Dataset(X.iloc[tr], y[tr]), num_boost_round=n_estimators)
                p1[te] = b1.predict(X.iloc[te])
            self.stage1 = lgb.train(params, lgb.Dataset(X, y), num_boost_round=n_estimators)
            # label features of each fold's rows see only the other folds' labels
            L = None
            for tr, te in folds:
                known = np.full(n, np.nan)
                known[ids[tr]] = y[tr]
                bel = known.copy()
                bel[ids[te]] = p1[te]
                lab = self._label_block(A, S, known, bel, float(y[tr].mean())).iloc[ids[te]]
                if L is None:
                    L = pd.DataFrame(np.nan, index=range(len(df)), columns=lab.columns)
                L.iloc[te] = lab.to_numpy()
            F = pd.concat([X, block, L], axis=1)
            self.state = {
                "train_ids": ids,
                "train_y": y,
                "train_X": X.to_numpy(dtype=float),
                "svd_V": V,
                "svd_s": s,
                "n_nodes": np.array([n]),
            }
        F.columns = [str(c) for c in F.columns]
        self.meta["features"] = list(F.columns)
        oof = np.zeros(len(df))
        for tr, te in folds:
            for sd in seeds:
                b = lgb.train(
                    {**params, "seed": sd},
                    lgb.Dataset(F.iloc[tr], y[tr]),
                    num_boost_round=n_estimators,
                )
                oof[te] += b.predict(F.iloc[te]) / len(seeds)
        thr, f1 = best_f1_threshold(y, oof)
        rules = []
        base_pred = oof >= thr
        for rule in candidate_rules():
            hit = rule.hits(F)
            rule.support = int(hit.sum())
            if rule.support:
                rule.precision = float(y[hit].mean())
                new_f1 = _f1(y, base_pred | hit)[0]
                rule.active = bool(rule.support >= 5 and new_f1 >= _f1(y, base_pred)[0])
                if rule.active:
                    base_pred = base_pred | hit
            rules.append(rule)
        f1, prec, rec = _f1(y, base_pred)
        auc = float(roc_auc_score(y, oof))
        self.meta["threshold"] = thr
        self.meta["rules"] = [r.__dict__ for r in rules]
        self.meta["quantiles"] = quantile_grid(F)
        self.meta["oof"] = {"f1": f1, "auc": auc, "precision": prec, "recall": rec}
        self.boosters = [
            lgb.train({**params, "seed": sd}, lgb.Dataset(F, y), num_boost_round=n_estimators)
            for sd in seeds
        ]
        return TrainReport(
            n_rows=len(df),
            n_fraud=int(y.sum()),
            features=F.shape[1],
            dropped_columns=enc.dropped,
            encoded_columns=list(enc.categorical),
            threshold=thr,
            oof_f1=f1,
            oof_auc=auc,
            oof_precision=prec,
            oof_recall=rec,
            rules=[
                {"name": r.name, "support": r.support, "precision": r.precision, "active": r.active}
                for r in rules
            ],
        )

    @staticmethod
    def _node_ids(df: pd.DataFrame, n_nodes: int, id_col: str | None = None) -> np.ndarray:
        col = id_col or df.columns[0]
        ids = pd.to_numeric(df[col], errors="coerce")
        if ids.isna().any() or (ids % 1 != 0).any():
            raise ValueError(f"table: id column {col!r} must hold integer graph node numbers")
        ids = ids.to_numpy(dtype=np.int64)
        if ids.min() < 0 or ids.max() >= n_nodes:
            raise ValueError(
                f"table: id column {col!r} has node numbers outside the graph (0..{n_nodes - 1})"
            )
        return ids

    # ---------------------------------------------------------------- scoring
    def features_for(self, df: pd.DataFrame, A=None) -> pd.DataFrame:
        """Final features of the scoring rows; with a graph, the scoring rows' stage-1 scores
        and features join the training rows' labels and features stored with the model."""
        enc = TableEncoder.from_dict(self.meta["encoder"])
        X = enc.transform(df).reset_index(drop=True)
        F = X
        if self.meta["has_graph"]:
            if A is None:
                raise ValueError("graph: this model was trained with --graph; pass the same graph")
            n = int(self.state["n_nodes"][0])
            if A.shape[0] != n:
                raise ValueError(f"graph: model expects {n} nodes, got {A.shape[0]}")
            ids = self._node_ids(df, n, self.meta["id_col"])
            S = g.contact_graph(A)
            node_X = np.full((n, X.shape[1]), np.nan)
            node_X[self.state["train_ids"]] = self.state["train_X"]
            node_X[ids] = X.to_numpy(dtype=float)
            block = self._graph_block(A, S, ids, node_X, self.state["svd_V"], self.state["svd_s"])
            known = np.full(n, np.nan)
            known[self.state["train_ids"]] = self.state["train_y"]
            bel = known.copy()
            if self.stage1 is not None:
                p1 = self.stage1.predict(X)
                new = ~np.isfinite(known[ids])  # a training row keeps its own known label
                bel[ids[new]] = p1[new]
            L = self._label_block(A, S, known, bel, self.meta["prior"])
            L = L.iloc[ids].reset_index(drop=True)
            F = pd.concat([X, block, L], axis=1)
        F.columns = [str(c) for c in F.columns]
        return F[self.meta["features"]]

    def predict(self, F: pd.DataFrame) -> np.ndarray:
        return np.mean([b.predict(F) for b in self.boosters], axis=0)

    def score(self, df: pd.DataFrame, A=None, top_reasons: int = 3) -> pd.DataFrame:
        id_col = self.meta["id_col"]
        if id_col not in df.columns:
            raise ValueError(f"table: id column {id_col!r} not found; columns: {list(df.columns)}")
        F = self.features_for(df, A)
        p = self.predict(F)
        contrib = np.mean([b.predict(F, pred_contrib=True)[:, :-1] for b in self.boosters], axis=0)
        thr = self.meta["threshold"]
        flag = p >= thr
        score = p.copy()
        rule_reasons: list[list[str]] = [[] for _ in range(len(F))]
        for rd in self.meta["rules"]:
            rule = Rule(**rd)
            if not rule.active:
                continue
            hit = rule.hits(F)
            flag |= hit
            score = np.where(hit, np.maximum(score, max(thr, rule.precision)), score)
            for i in np.flatnonzero(hit):
                rule_reasons[i].append(rule.reason)
        reasons = []
        names = self.meta["features"]
        q = self.meta["quantiles"]
        for i in range(len(F)):
            texts = list(rule_reasons[i])
            for j in np.argsort(-contrib[i])[: top_reasons * 2]:
                if contrib[i, j] <= 0 or len(texts) >= top_reasons:
                    break
                text = phrase(names[j], float(F.iat[i, j]), q.get(names[j], []))
                if text and text not in texts:
                    texts.append(text)
            reasons.append("; ".join(texts))
        return pd.DataFrame(
            {
                id_col: df[id_col].to_numpy(),
                "score": np.round(score, 6),
                "is_fraud": flag.astype(int),
                "reasons": reasons,
            }
        )

    # ---------------------------------------------------------------- persistence
    def save(self, out: str | Path) -> None:
        d = Path(out)
        d.mkdir(parents=True, exist_ok=True)
        for i, b in enumerate(self.boosters):
            b.save_model(str(d / f"model_{i}.txt"))
        if self.stage1 is not None:
            self.stage1.save_model(str(d / "stage1.txt"))
        self.meta["n_boosters"] = len(self.boosters)
        (d / "meta.json").write_text(json.dumps(self.meta, ensure_ascii=False), encoding="utf-8")
        if self.state:
            np.savez_compressed(d / "graph.npz", **self.state)

    @classmethod
    def load(cls, path: str | Path) -> NumberModel:
        import lightgbm as lgb

        d = Path(path)
        if not (d / "meta.json").exists():
            raise FileNotFoundError(f"model: no number model in {d} (meta.json missing)")
        m = cls()
        m.meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        n = int(m.meta.get("n_boosters", 0))
        if n == 0:
            raise FileNotFoundError(f"model: {d} was written by an older version; train it again")
        m.boosters = [lgb.Booster(model_file=str(d / f"model_{i}.txt")) for i in range(n)]
        if (d / "stage1.txt").exists():
            m.stage1 = lgb.Booster(model_file=str(d / "stage1.txt"))
        if (d / "graph.npz").exists():
            with np.load(d / "graph.npz") as z:
                m.state = {k: z[k] for k in z.files}
        return m


def phrase(name: str, value: float, grid: list[float]) -> str:
    """ "主叫通话量高（高于98%号码）" style text for one feature value."""
    label = feature_label(name)
    if not np.isfinite(value):
        return f"{label}缺失"
    pct = min(max(percentile_of(grid, value), 0.0), 1.0)
    if pct >= 0.5:
        return f"{label}高（高于{min(int(round(pct * 100)), 99)}%号码）"
    return f"{label}低（低于{min(int(round((1 - pct) * 100)), 99)}%号码）"
