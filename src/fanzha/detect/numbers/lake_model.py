"""Fraud-number scoring over the event lake: call features (``number_sql``) plus the number's
register (SIM age, card type, numbers held by the same person), SMS volume and number range.

Training uses the simulator's labelled output (``scripts/train_sim_detectors.py``); the shipped
model lives in ``detect/models/numbers_default`` and is loaded once per process.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from fanzha.detect.features.number_sql import FEATURE_COLUMNS, number_features_sql
from fanzha.detect.features.tabular import percentile_of, quantile_grid
from fanzha.detect.numbers.names import FEATURE_NAMES

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "models" / "numbers_default"
VIRTUAL_PREFIXES = ("162", "165", "167", "170", "171")
MIN_OUT_CALLS = 3  # fewer outgoing calls say too little to judge a number

EXTRA_NAMES = {
    "sim_age_days": "入网时长（天）",
    "sim_unknown": "无实名登记信息",
    "card_iot": "物联网卡",
    "card_industry": "行业卡",
    "person_numbers": "同一证件名下号码数",
    "range_foreign": "境外号码",
    "range_virtual": "虚拟运营商号段",
    "sms_out": "发送短信条数",
    "sms_receivers": "短信接收号码数",
    "callees_per_hour": "每活跃小时拨打号码数",
}
CALL_COLUMNS = [c for c in FEATURE_COLUMNS if c != "gap_std_s"]
FEATURES = CALL_COLUMNS + list(EXTRA_NAMES)


def label(name: str) -> str:
    return EXTRA_NAMES.get(name) or FEATURE_NAMES.get(name, name)


def lake_number_features(
    con: duckdb.DuckDBPyConnection,
    calls: str,
    sms: str,
    issuance: str,
    until: datetime,
    min_out_calls: int = MIN_OUT_CALLS,
) -> pd.DataFrame:
    """One row per calling number with at least ``min_out_calls`` outgoing calls in ``calls``
    (FROM-clauses already restricted to the window); ``issuance`` is all SIM-issuance history."""
    feats_sql = number_features_sql(calls, "TRUE", gap_std=False, materialize=True)
    u = f"TIMESTAMPTZ '{until.isoformat()}'"
    sql = f"""
    WITH f AS ({feats_sql}),
    reg AS (
        SELECT number, arg_max(card_type, event_time) AS card_type,
               arg_max(person_id, event_time) AS person_id, max(event_time) AS issued
        FROM {issuance} WHERE event_time < {u} GROUP BY number
    ),
    per_person AS (SELECT person_id, count(DISTINCT number) AS n FROM reg GROUP BY person_id),
    s AS (
        SELECT sender AS number, count(*) AS sms_out, count(DISTINCT receiver) AS sms_receivers
        FROM {sms} GROUP BY sender
    ),
    hours AS (
        SELECT caller AS number, count(DISTINCT date_trunc('hour', event_time)) AS h
        FROM {calls} GROUP BY caller
    )
    SELECT f.*,
           date_diff('second', r.issued, {u}) / 86400.0 AS sim_age_days,
           CASE WHEN r.number IS NULL THEN 1 ELSE 0 END AS sim_unknown,
           CASE WHEN r.card_type = 'iot' THEN 1 ELSE 0 END AS card_iot,
           CASE WHEN r.card_type = 'industry' THEN 1 ELSE 0 END AS card_industry,
           p.n AS person_numbers,
           CASE WHEN f.number LIKE '+%' OR f.number LIKE '00%' THEN 1 ELSE 0 END AS range_foreign,
           CASE WHEN left(f.number, 3) IN {VIRTUAL_PREFIXES} THEN 1 ELSE 0 END AS range_virtual,
           coalesce(s.sms_out, 0) AS sms_out, coalesce(s.sms_receivers, 0) AS sms_receivers,
           f.distinct_callees / greatest(hours.h, 1)::DOUBLE AS callees_per_hour
    FROM f
    LEFT JOIN reg r USING (number)
    LEFT JOIN per_person p ON p.person_id = r.person_id
    LEFT JOIN s USING (number)
    LEFT JOIN hours USING (number)
    WHERE f.out_calls >= {int(min_out_calls)}
    ORDER BY f.number
    """
    df = con.sql(sql).df()
    for c in FEATURES:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df[["number", *FEATURES]]


class LakeModel:
    """A LightGBM booster with its feature list, threshold and quantile grid (for reasons)."""

    def __init__(self, booster, meta: dict) -> None:
        self.booster = booster
        self.meta = meta

    @property
    def features(self) -> list[str]:
        return self.meta["features"]

    @property
    def threshold(self) -> float:
        return float(self.meta["threshold"])

    def predict(self, F: pd.DataFrame) -> np.ndarray:
        if F.empty:
            return np.zeros(0)
        return self.booster.predict(F[self.features].to_numpy(dtype="float64"))

    def reasons(self, F: pd.DataFrame, rows: np.ndarray, namer, top: int = 3) -> list[list[str]]:
        """Plain-Chinese reasons for the given row positions: the features pushing the score up."""
        if len(rows) == 0:
            return []
        X = F[self.features].to_numpy(dtype="float64")[rows]
        contrib = self.booster.predict(X, pred_contrib=True)[:, :-1]
        q = self.meta.get("quantiles", {})
        out = []
        for i in range(len(rows)):
            texts: list[str] = []
            for j in np.argsort(-contrib[i]):
                if contrib[i, j] <= 0 or len(texts) >= top:
                    break
                name = self.features[j]
                texts.append(describe(namer(name), name, float(X[i, j]), q.get(name, [])))
            out.append(texts)
        return out

    def save(self, out: Path) -> None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(out / "model.txt"))
        (out / "metadata.json").write_text(
            json.dumps(self.meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )

    @classmethod
    def load(cls, path: Path) -> LakeModel:
        import lightgbm as lgb

        path = Path(path)
        meta = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
        return cls(lgb.Booster(model_file=str(path / "model.txt")), meta)


def describe(text: str, name: str, value: float, grid: list[float]) -> str:
    if not np.isfinite(value):
        return f"{text}缺失"
    if name.startswith(("card_", "range_", "sim_unknown")):
        return text
    pct = min(max(percentile_of(grid, value), 0.0), 1.0)
    v = f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.2f}"
    if pct >= 0.5:
        return f"{text}偏高（{v}，高于{min(int(round(pct * 100)), 99)}%样本）"
    return f"{text}偏低（{v}，低于{min(int(round((1 - pct) * 100)), 99)}%样本）"


def fit_lake_model(
    F: pd.DataFrame,
    y: np.ndarray,
    groups: np.ndarray,
    features: list[str],
    min_precision: float = 0.9,
    seed: int = 0,
    rounds: int = 300,
    params: dict | None = None,
) -> tuple[LakeModel, np.ndarray, dict]:
    """Grouped out-of-fold predictions pick the lowest threshold whose precision is at least
    ``min_precision``; the final booster is trained on everything. Returns (model, oof, metrics)."""
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    from fanzha.detect.numbers.model import LGB_PARAMS

    p = {**LGB_PARAMS, "seed": seed, **(params or {})}
    X = F[features].to_numpy(dtype="float64")
    oof = np.zeros(len(F))
    for tr, te in GroupKFold(5).split(X, y, groups):
        b = lgb.train(p, lgb.Dataset(X[tr], y[tr]), num_boost_round=rounds)
        oof[te] = b.predict(X[te])
    thr = precision_threshold(y, oof, min_precision)
    pred = oof >= thr
    tp = int((pred & (y == 1)).sum())
    metrics = {
        "rows": int(len(y)),
        "positives": int(y.sum()),
        "oof_auc": round(float(roc_auc_score(y, oof)), 4),
        "oof_precision": round(tp / max(int(pred.sum()), 1), 4),
        "oof_recall": round(tp / max(int(y.sum()), 1), 4),
        "threshold": round(thr, 6),
    }
    booster = lgb.train(p, lgb.Dataset(X, y), num_boost_round=rounds)
    meta = {
        "features": features,
        "threshold": thr,
        "params": p,
        "rounds": rounds,
        "quantiles": quantile_grid(F[features]),
        "metrics": metrics,
    }
    return LakeModel(booster, meta), oof, metrics


def precision_threshold(y: np.ndarray, p: np.ndarray, min_precision: float) -> float:
    """Best-F1 threshold among those keeping precision ≥ ``min_precision``, placed halfway (in
    log-odds) between the lowest score it admits and the next score below it, so that a model
    separating the classes cleanly does not get a threshold hugging the negatives."""
    order = np.argsort(-p)
    ys, ps = y[order], p[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    prec = tp / k
    f1 = 2 * tp / (k + max(int(ys.sum()), 1))
    f1 = np.where(prec >= min_precision, f1, -1.0)
    i = int(np.argmax(f1))
    if f1[i] < 0:
        return 1.0
    hi = float(ps[i])
    lo = float(ps[i + 1]) if i + 1 < len(ps) else 0.0
    eps = 1e-9
    logit = lambda v: np.log(max(v, eps) / max(1 - v, eps))  # noqa: E731
    mid = (logit(hi) + logit(lo)) / 2
    return float(min(hi, 1 / (1 + np.exp(-mid))))


REGISTER_FEATURES = {
    "sim_age_days": np.nan,
    "sim_unknown": 1.0,
    "card_iot": 0.0,
    "card_industry": 0.0,
    "person_numbers": np.nan,
}


def drop_registers(F: pd.DataFrame, share: float, seed: int = 0) -> pd.DataFrame:
    """Blank the register features of a random ``share`` of numbers (the same numbers in every
    snapshot), as they look when no operator register reached the platform. Training on such rows
    keeps the model from reading a missing register as a fraud sign."""
    if share <= 0:
        return F
    nums = F["number"].unique()
    rng = np.random.default_rng(seed)
    pick = set(nums[rng.random(len(nums)) < share])
    m = F["number"].isin(pick).to_numpy()
    F = F.copy()
    for c, v in REGISTER_FEATURES.items():
        F.loc[m, c] = v
    return F


@lru_cache(maxsize=4)
def load_number_model(path: str = str(DEFAULT_DIR)) -> LakeModel | None:
    """The shipped model (cached); None when the directory holds no model."""
    if not (Path(path) / "model.txt").exists():
        return None
    return LakeModel.load(Path(path))
