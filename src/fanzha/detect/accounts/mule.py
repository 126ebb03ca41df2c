"""Mule-account signals over transfers (DOMAIN.md §7): behaviour features and the 3006/3007/3008 rules.

Input frame columns: ``event_id, payer, payee, amount_fen, event_time`` (UTC) and optionally
``channel``. Openings (``account, event_time``) let us see new accounts used at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fanzha.domain.limits import LIMITS, Limits

CASH_OUT = {"atm", "counter"}
SMALL_TEST_FEN = 1_000  # ≤ 10 yuan: "test" transfers that check an account works


_EPOCH = pd.Timestamp("1970-01-01", tz="UTC")


def hours_since_epoch(ts: pd.Series) -> np.ndarray:
    """Float hours, independent of the datetime unit (ns/us) pandas happens to use."""
    return ((ts - _EPOCH) / pd.Timedelta(hours=1)).to_numpy(dtype="float64")


def _legs(tx: pd.DataFrame) -> pd.DataFrame:
    """One row per account per transfer: direction +1 in, -1 out."""
    base = ["event_id", "amount_fen", "event_time"]
    ch = tx["channel"] if "channel" in tx.columns else pd.Series("", index=tx.index)
    inn = tx[base].assign(account=tx["payee"], cp=tx["payer"], d=1, channel=ch)
    out = tx[base].assign(account=tx["payer"], cp=tx["payee"], d=-1, channel=ch)
    legs = pd.concat([inn, out], ignore_index=True)
    return legs.sort_values(["account", "event_time", "d"], ascending=[True, True, False])


def account_features(
    tx: pd.DataFrame, openings: pd.DataFrame | None = None, pass_window_h: float = 24.0
) -> pd.DataFrame:
    """Per-account behaviour; index = account."""
    legs = _legs(tx)
    legs["t"] = hours_since_epoch(legs["event_time"])
    g = legs.groupby("account", sort=True)
    inn = legs[legs.d == 1].groupby("account")
    out = legs[legs.d == -1].groupby("account")
    f = pd.DataFrame(index=g.size().index)
    f["n_tx"] = g.size()
    f["in_n"] = inn.size().reindex(f.index, fill_value=0)
    f["out_n"] = out.size().reindex(f.index, fill_value=0)
    f["in_fen"] = inn["amount_fen"].sum().reindex(f.index, fill_value=0)
    f["out_fen"] = out["amount_fen"].sum().reindex(f.index, fill_value=0)
    f["in_cp"] = inn["cp"].nunique().reindex(f.index, fill_value=0)
    f["out_cp"] = out["cp"].nunique().reindex(f.index, fill_value=0)
    hi = np.maximum(f.in_fen, f.out_fen).replace(0, np.nan)
    f["pass_through"] = (np.minimum(f.in_fen, f.out_fen) / hi).fillna(0.0)
    f["balance_kept"] = ((f.in_fen - f.out_fen) / f.in_fen.replace(0, np.nan)).clip(-1, 1)
    # 快进快出: share of outflow amount leaving within pass_window_h of an earlier inflow
    last_in_t = legs["t"].where(legs.d == 1)
    legs["last_in_t"] = last_in_t.groupby(legs["account"]).ffill()
    outs = legs[legs.d == -1]
    fast = (outs["t"] - outs["last_in_t"]) <= pass_window_h
    f["fast_out_share"] = (
        (outs["amount_fen"] * fast).groupby(outs["account"]).sum()
        / outs.groupby("account")["amount_fen"].sum()
    ).reindex(f.index, fill_value=0.0)
    f["hold_h_median"] = (
        (outs["t"] - outs["last_in_t"]).groupby(outs["account"]).median().reindex(f.index)
    )
    f["small_test_n"] = (
        legs[legs.amount_fen <= SMALL_TEST_FEN]
        .groupby("account")
        .size()
        .reindex(f.index, fill_value=0)
    )
    cash = outs[outs["channel"].astype(str).isin(CASH_OUT)]
    f["cash_out_share"] = (
        (cash.groupby("account")["amount_fen"].sum() / f["out_fen"].replace(0, np.nan))
        .reindex(f.index)
        .fillna(0.0)
    )
    gaps = g["t"].diff()
    f["max_idle_days"] = (gaps.groupby(legs["account"]).max() / 24).reindex(f.index).fillna(0.0)
    f["first_t"] = g["t"].min()
    f["active_days"] = (g["t"].max() - g["t"].min()) / 24
    if openings is not None and len(openings):
        opened = openings.groupby("account")["event_time"].min()
        opened_h = pd.Series(hours_since_epoch(opened), index=opened.index)
        f["days_open_to_first_tx"] = (f["first_t"] - opened_h.reindex(f.index)) / 24
    else:
        f["days_open_to_first_tx"] = np.nan
    med = g["amount_fen"].median()
    f["max_amount_ratio"] = (g["amount_fen"].max() / med.replace(0, np.nan)).fillna(1.0)
    return f.drop(columns=["first_t"])


@dataclass(frozen=True)
class PatternHit:
    account: str
    code: str  # 3006 / 3007 / 3008
    window_start: pd.Timestamp
    window_end: pd.Timestamp
    in_n: int
    out_n: int
    in_fen: int
    out_fen: int
    event_ids: tuple[str, ...]


def _working_day(ts: pd.Series) -> np.ndarray:
    days = ts.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None).to_numpy().astype("datetime64[D]")
    return np.busday_count(np.datetime64("2000-01-03"), days, weekmask="1111100")


def pattern_rules(
    tx: pd.DataFrame,
    limits: Limits = LIMITS,
    min_count: int = 3,
    burst_n: int = 10,
    burst_window: pd.Timedelta = pd.Timedelta(hours=1),
) -> list[PatternHit]:
    """3006 分散转入集中转出, 3007 集中转入分散转出 over ``pattern_window_working_days`` working
    days (count ratio ≥ ``pattern_count_ratio``, amounts within ± ``pattern_amount_tolerance``) and
    3008 连续多笔交易 (≥ ``burst_n`` transfers of one account within ``burst_window``).
    Vectorised: daily sums per account, then a rolling sum over consecutive working days."""
    legs = _legs(tx).reset_index(drop=True)
    if legs.empty:
        return []
    legs["wd"] = _working_day(legs["event_time"])
    legs["in_n"] = (legs.d == 1).astype(int)
    legs["out_n"] = (legs.d == -1).astype(int)
    legs["in_f"] = legs.amount_fen.where(legs.d == 1, 0)
    legs["out_f"] = legs.amount_fen.where(legs.d == -1, 0)
    daily = legs.groupby(["account", "wd"], sort=False)[["in_n", "out_n", "in_f", "out_f"]].sum()
    n = limits.pattern_window_working_days
    acc = daily.copy()
    for k in range(1, n):
        shifted = daily.copy()
        shifted.index = pd.MultiIndex.from_arrays(
            [daily.index.get_level_values(0), daily.index.get_level_values(1) + k]
        )
        acc = acc.add(shifted.reindex(acc.index), fill_value=0)
    ratio, tol = limits.pattern_count_ratio, limits.pattern_amount_tolerance
    close = (acc.out_f - acc.in_f).abs() <= tol * np.maximum(acc.in_f, acc.out_f)
    both = (acc.in_n > 0) & (acc.out_n > 0) & close
    c3006 = both & (acc.in_n >= np.maximum(min_count, ratio * acc.out_n))
    c3007 = both & (acc.out_n >= np.maximum(min_count, ratio * acc.in_n))
    hits: list[PatternHit] = []
    legs_by = legs.set_index(["account", "wd"]).sort_index()
    for code, mask in (("3006", c3006), ("3007", c3007)):
        first = acc[mask].reset_index().drop_duplicates("account")
        for r in first.itertuples(index=False):
            sel = legs_by.loc[(r.account, slice(r.wd - n + 1, r.wd)), :]
            hits.append(
                PatternHit(
                    str(r.account),
                    code,
                    sel.event_time.min(),
                    sel.event_time.max(),
                    int(r.in_n),
                    int(r.out_n),
                    int(r.in_f),
                    int(r.out_f),
                    tuple(sel.event_id.astype(str)),
                )
            )
    # 3008: bursts, via one global search over (account, time) keys
    legs = legs.sort_values(["account", "event_time"]).reset_index(drop=True)
    code = pd.factorize(legs["account"])[0].astype("float64")
    t = hours_since_epoch(legs["event_time"])
    span = float(t.max() - t.min()) + 1e3
    key = code * span * 4 + (t - t.min())
    j = np.searchsorted(key, key + burst_window / pd.Timedelta(hours=1), side="right")
    cnt = j - np.arange(len(key))
    for acct, grp in pd.Series(cnt).groupby(legs["account"]):
        k = int(grp.idxmax())
        if cnt[k] >= burst_n:
            sel = legs.iloc[k : j[k]]
            hits.append(
                PatternHit(
                    str(acct),
                    "3008",
                    sel.event_time.min(),
                    sel.event_time.max(),
                    int((sel.d == 1).sum()),
                    int((sel.d == -1).sum()),
                    int(sel.amount_fen[sel.d == 1].sum()),
                    int(sel.amount_fen[sel.d == -1].sum()),
                    tuple(sel.event_id.astype(str)),
                )
            )
    return hits
