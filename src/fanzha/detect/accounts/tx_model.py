"""Per-transaction fraud model for a bank's own labelled transaction table.

Features: the table's other columns (numeric as is, low-cardinality text as category codes, stored
in the model) plus per-account behaviour computed from the table itself
(:mod:`fanzha.detect.accounts.tx_features`). The raw time value is not a feature (only gaps and
spans are), so a model does not learn the period a table happens to cover.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fanzha.detect.accounts.tx_features import account_features, to_time_number
from fanzha.detect.features.tabular import TableEncoder
from fanzha.detect.numbers.model import LGB_PARAMS, best_f1_threshold


@dataclass
class TxColumns:
    payer: str
    payee: str
    amount: str
    time: str
    label: str | None = None
    id: str | None = None

    def required(self) -> list[str]:
        return [self.payer, self.payee, self.amount, self.time]


@dataclass
class TxTrainReport:
    n_rows: int
    n_fraud: int
    features: int
    dropped_columns: list[str]
    encoded_columns: list[str]
    threshold: float
    oof_f1: float
    oof_auc: float
    notes: list[str] = field(default_factory=list)


def _check(df: pd.DataFrame, cols: list[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"table: columns not found: {missing}; columns: {list(df.columns)}")


class TxModel:
    def __init__(self) -> None:
        self.meta: dict = {}
        self.booster = None

    def _features(self, df: pd.DataFrame, cols: TxColumns, enc: TableEncoder) -> pd.DataFrame:
        amount = pd.to_numeric(df[cols.amount], errors="coerce").to_numpy(dtype="float64")
        if np.isnan(amount).all():
            raise ValueError(f"table: amount column {cols.amount!r} is not numeric")
        t = to_time_number(df[cols.time])
        base = enc.transform(df).reset_index(drop=True)
        acc = account_features(df[cols.payer], df[cols.payee], amount, t)
        F = pd.concat([base, acc], axis=1)
        F.columns = [str(c) for c in F.columns]
        return F

    def fit(
        self,
        df: pd.DataFrame,
        cols: TxColumns,
        n_folds: int = 5,
        seed: int = 0,
        n_estimators: int = 300,
    ) -> TxTrainReport:
        import lightgbm as lgb
        from sklearn.metrics import roc_auc_score
        from sklearn.model_selection import StratifiedKFold

        assert cols.label is not None
        _check(df, [*cols.required(), cols.label])
        y = pd.to_numeric(df[cols.label], errors="coerce")
        if y.isna().any() or not set(np.unique(y)).issubset({0, 1}):
            raise ValueError(f"table: label column {cols.label!r} must hold 0/1 for every row")
        y = y.to_numpy(dtype=int)
        if y.sum() < n_folds or (len(y) - y.sum()) < n_folds:
            raise ValueError(f"table: need at least {n_folds} rows of each class to train")
        exclude = {cols.payer, cols.payee, cols.time, cols.label}
        if cols.id:
            exclude.add(cols.id)
        enc = TableEncoder.fit(df, exclude=exclude)
        F = self._features(df, cols, enc)
        params = {**LGB_PARAMS, "seed": seed}
        oof = np.zeros(len(df))
        for tr, te in StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(F, y):
            b = lgb.train(params, lgb.Dataset(F.iloc[tr], y[tr]), num_boost_round=n_estimators)
            oof[te] = b.predict(F.iloc[te])
        thr, f1 = best_f1_threshold(y, oof)
        auc = float(roc_auc_score(y, oof))
        self.booster = lgb.train(params, lgb.Dataset(F, y), num_boost_round=n_estimators)
        self.meta = {
            "columns": cols.__dict__,
            "encoder": enc.to_dict(),
            "features": list(F.columns),
            "threshold": thr,
            "oof": {"f1": f1, "auc": auc},
        }
        return TxTrainReport(
            n_rows=len(df),
            n_fraud=int(y.sum()),
            features=F.shape[1],
            dropped_columns=enc.dropped,
            encoded_columns=list(enc.categorical),
            threshold=thr,
            oof_f1=f1,
            oof_auc=auc,
        )

    def score(self, df: pd.DataFrame, cols: TxColumns) -> pd.DataFrame:
        _check(df, cols.required())
        enc = TableEncoder.from_dict(self.meta["encoder"])
        F = self._features(df, cols, enc)[self.meta["features"]]
        p = self.booster.predict(F)
        keep = [c for c in (cols.id, cols.payer, cols.payee, cols.time, cols.amount) if c]
        out = df[list(dict.fromkeys(keep))].reset_index(drop=True).copy()
        out["score"] = np.round(p, 6)
        out["is_fraud"] = (p >= self.meta["threshold"]).astype(int)
        return out

    def save(self, out: str | Path) -> None:
        d = Path(out)
        d.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(d / "model.txt"))
        (d / "meta.json").write_text(json.dumps(self.meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> TxModel:
        import lightgbm as lgb

        d = Path(path)
        if not (d / "meta.json").exists():
            raise FileNotFoundError(f"model: no transaction model in {d} (meta.json missing)")
        m = cls()
        m.meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        m.booster = lgb.Booster(model_file=str(d / "model.txt"))
        return m
