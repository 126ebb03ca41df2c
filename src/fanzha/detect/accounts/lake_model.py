"""Mule-account scoring over the event lake: behaviour features of ``mule.account_features``, the
number of pass-through hops (an inflow leaving again at about the same amount within hours) and the
account's age from the opening register. The shipped model is ``detect/models/mules_default``."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from fanzha.detect.accounts.mule import account_features
from fanzha.detect.accounts.typologies import TypologyConfig, pass_through_hops
from fanzha.detect.numbers.lake_model import LakeModel

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "models" / "mules_default"
MIN_TX = 2

NAMES = {
    "n_tx": "交易笔数",
    "in_n": "转入笔数",
    "out_n": "转出笔数",
    "in_fen": "转入金额（分）",
    "out_fen": "转出金额（分）",
    "in_cp": "转入对手账户数",
    "out_cp": "转出对手账户数",
    "pass_through": "过账比例（转出/转入）",
    "balance_kept": "留存余额比例",
    "fast_out_share": "24小时内快进快出金额占比",
    "hold_h_median": "资金停留时间中位数（小时）",
    "small_test_n": "小额试探交易笔数",
    "cash_out_share": "ATM/柜面取现占比",
    "max_idle_days": "最长静默天数",
    "active_days": "活跃天数",
    "days_open_to_first_tx": "开户到首笔交易天数",
    "max_amount_ratio": "最大单笔与中位数之比",
    "hop_n": "等额快速转出次数",
    "account_age_days": "开户时长（天）",
}
FEATURES = list(NAMES)


def label(name: str) -> str:
    return NAMES.get(name, name)


def lake_account_features(
    tx: pd.DataFrame, openings: pd.DataFrame | None, until: datetime, min_tx: int = MIN_TX
) -> pd.DataFrame:
    """Index = account; only accounts with at least ``min_tx`` transfers in ``tx``."""
    if tx.empty:
        return pd.DataFrame(columns=FEATURES, dtype="float64")
    F = account_features(tx, openings)
    F = F[F["n_tx"] >= min_tx].copy()
    cfg = TypologyConfig()
    big = tx.loc[
        tx["amount_fen"] >= cfg.min_fen, ["event_id", "payer", "payee", "amount_fen", "event_time"]
    ]
    hops = pass_through_hops(big, cfg)
    counts = pd.Series([h.accounts[0] for h in hops], dtype="object").value_counts()
    F["hop_n"] = counts.reindex(F.index, fill_value=0).astype("float64")
    if openings is not None and len(openings):
        opened = openings.groupby("account")["event_time"].min()
        age = (pd.Timestamp(until) - opened) / pd.Timedelta(days=1)
        F["account_age_days"] = age.reindex(F.index)
    else:
        F["account_age_days"] = np.nan
    for c in FEATURES:
        F[c] = pd.to_numeric(F[c], errors="coerce").astype("float64")
    return F[FEATURES]


@lru_cache(maxsize=4)
def load_mule_model(path: str = str(DEFAULT_DIR)) -> LakeModel | None:
    if not (Path(path) / "model.txt").exists():
        return None
    return LakeModel.load(Path(path))
