"""Mule-account scoring: account behaviour + typology and 3006/3007/3008 hits → LightGBM, with the
rule hits kept as reasons. The threshold is set from the score distribution of normal accounts
(a target false-positive rate), which is how a bank sizes an alert queue."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fanzha.detect.accounts.mule import PatternHit, account_features, pattern_rules
from fanzha.detect.accounts.typologies import REASONS, TypologyHit, detect_typologies
from fanzha.detect.numbers.model import LGB_PARAMS

CODE_REASONS = {
    "3006": "分散转入集中转出（3006）",
    "3007": "集中转入分散转出（3007）",
    "3008": "连续多笔交易（3008）",
}
DETECTORS = [*REASONS, *CODE_REASONS]


def signal_table(
    tx: pd.DataFrame, business: set[str] | None = None, openings: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Per-account features (behaviour + hit counts per detector) and per-account reasons."""
    business = business or set()
    feats = account_features(tx, openings)
    hits: list[TypologyHit] = detect_typologies(tx, business)
    pats: list[PatternHit] = pattern_rules(
        tx[~tx["payer"].isin(business) & ~tx["payee"].isin(business)]
    )
    counts = pd.DataFrame(0, index=feats.index, columns=[f"hit_{d}" for d in DETECTORS])
    reasons: dict[str, list[str]] = {}
    for h in hits:
        for a in h.core:
            if a in counts.index:
                counts.at[a, f"hit_{h.typology}"] += 1
                reasons.setdefault(a, [])
                if h.reason not in reasons[a]:
                    reasons[a].append(h.reason)
    for p in pats:
        if p.account in counts.index:
            counts.at[p.account, f"hit_{p.code}"] += 1
            reasons.setdefault(p.account, []).append(CODE_REASONS[p.code])
    F = pd.concat([feats, counts], axis=1)
    F["hit_kinds"] = (counts > 0).sum(axis=1)
    F = F.drop(index=[a for a in business if a in F.index])
    return F, reasons


@dataclass
class MuleModel:
    threshold: float = 0.5
    features: list[str] = field(default_factory=list)
    booster: object = None

    def fit(self, F: pd.DataFrame, y: np.ndarray, target_fpr: float = 0.001, seed: int = 0) -> None:
        import lightgbm as lgb
        from sklearn.model_selection import StratifiedKFold

        self.features = list(F.columns)
        params = {**LGB_PARAMS, "seed": seed, "scale_pos_weight": 5.0}
        oof = np.zeros(len(F))
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(F, y):
            b = lgb.train(params, lgb.Dataset(F.iloc[tr], y[tr]), num_boost_round=300)
            oof[te] = b.predict(F.iloc[te])
        neg = np.sort(oof[y == 0])
        self.threshold = float(neg[min(len(neg) - 1, int(np.ceil((1 - target_fpr) * len(neg))))])
        self.booster = lgb.train(params, lgb.Dataset(F, y), num_boost_round=300)

    def score(self, F: pd.DataFrame) -> np.ndarray:
        return self.booster.predict(F[self.features])
