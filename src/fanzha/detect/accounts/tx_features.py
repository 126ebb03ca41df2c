"""Per-account behaviour computed from a transaction table itself, attached to every transaction.

For each transaction we describe its payer and payee as seen in the whole table (counts, amounts,
distinct counterparties, fan-in/out, pass-through) and its place in the payer's and payee's own
sequence (gap since the previous transaction, share of the account's amount). All vectorised pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def to_time_number(s: pd.Series) -> np.ndarray:
    """Numeric time: numbers stay as they are (e.g. PaySim's hourly ``step``), datetimes → seconds."""
    if pd.api.types.is_numeric_dtype(s):
        return s.to_numpy(dtype="float64")
    num = pd.to_numeric(s, errors="coerce")
    if num.notna().mean() > 0.99:
        return num.to_numpy(dtype="float64")
    ts = pd.to_datetime(s, errors="coerce", utc=True, format="mixed")
    if ts.isna().mean() > 0.5:
        raise ValueError("table: time column is neither numeric nor a date/time")
    secs = (ts - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(seconds=1)
    return secs.to_numpy(dtype="float64")


def account_features(
    payer: pd.Series, payee: pd.Series, amount: np.ndarray, t: np.ndarray
) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "payer": payer.astype(str).to_numpy(),
            "payee": payee.astype(str).to_numpy(),
            "amount": amount,
            "t": t,
            "row": np.arange(len(payer)),
        }
    )
    out = pd.DataFrame(index=df.index)
    for role, other in (("payer", "payee"), ("payee", "payer")):
        grp = df.groupby(role, sort=False)
        out[f"{role}_n"] = grp["amount"].transform("size")
        out[f"{role}_amt_sum"] = grp["amount"].transform("sum")
        out[f"{role}_amt_mean"] = grp["amount"].transform("mean")
        out[f"{role}_amt_max"] = grp["amount"].transform("max")
        out[f"{role}_distinct_cp"] = grp[other].transform("nunique")
        out[f"{role}_amt_share"] = df["amount"] / out[f"{role}_amt_sum"].replace(0, np.nan)
        out[f"{role}_amt_ratio_mean"] = df["amount"] / out[f"{role}_amt_mean"].replace(0, np.nan)
        out[f"{role}_span"] = grp["t"].transform("max") - grp["t"].transform("min")
        order = df.sort_values([role, "t", "row"])
        prev_t = order.groupby(role, sort=False)["t"].shift(1)
        next_t = order.groupby(role, sort=False)["t"].shift(-1)
        out.loc[order.index, f"{role}_gap_prev"] = (order["t"] - prev_t).to_numpy()
        out.loc[order.index, f"{role}_gap_next"] = (next_t - order["t"]).to_numpy()
        out.loc[order.index, f"{role}_seq"] = order.groupby(role, sort=False).cumcount().to_numpy()
    # the payer/payee seen in the other role: money that comes in and goes out again (pass-through)
    in_sum = df.groupby("payee")["amount"].sum()
    out_sum = df.groupby("payer")["amount"].sum()
    in_n = df.groupby("payee").size()
    out_n = df.groupby("payer").size()
    out["payer_in_n"] = df["payer"].map(in_n).fillna(0).to_numpy()
    out["payer_in_sum"] = df["payer"].map(in_sum).fillna(0).to_numpy()
    out["payee_out_n"] = df["payee"].map(out_n).fillna(0).to_numpy()
    out["payee_out_sum"] = df["payee"].map(out_sum).fillna(0).to_numpy()
    out["payee_pass_through"] = out["payee_out_sum"] / out["payee_amt_sum"].replace(0, np.nan)
    out["payer_pass_through"] = out["payer_amt_sum"] / out["payer_in_sum"].replace(0, np.nan)
    out["pair_n"] = df.groupby(["payer", "payee"])["amount"].transform("size").to_numpy()
    out["amount_log"] = np.log1p(np.clip(df["amount"].to_numpy(), 0, None))
    out["amount_round"] = (np.mod(df["amount"].to_numpy(), 100) == 0).astype(float)
    return out.reset_index(drop=True)
